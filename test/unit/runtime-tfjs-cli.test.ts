// `model-lens run model.json`: TF.js models run in Node on tfjs-backend-cpu, reported like ONNX runs
// (provider 'tfjs-cpu'), on the same inputs as the Run panel: the CLI's outputs equal, within 1e-5
// relative, what the panel's own worker (dist/tfjs-runner.js in headless Chromium) gives on its CPU
// backend for the same fill and seed, on the fixtures and on the shared TF.js models.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { runRunCommand } from '../../src/cli/run.js';
import { openModel } from '../../src/core/formats/index.js';
import { decodeNpy, encodeNpy } from '../../src/core/runtime/index.js';
import type { InputSpec } from '../../src/features/run/protocol.js';
import { writeTfjsGraphModel } from '../fixtures/tfjs/graph-fixtures.js';
import { LAYERS_FIXTURE_WEIGHTS, layersFixtureForward, writeTfjsFunctionalModel, writeTfjsLayersModel } from '../fixtures/tfjs/layers-fixtures.js';
import { chromiumMissingReason, launchChromium } from '../support/chromium.js';
import { sharedDir, tempDir } from '../support/paths.js';
import { openTfjsWorkerPage, type TfjsWorkerPage, type WorkerOutput } from '../support/tfjs-worker-page.js';

const dir = tempDir('runtime-tfjs-cli');
const graph = writeTfjsGraphModel(path.join(dir, 'graph'));
const layers = writeTfjsLayersModel(path.join(dir, 'layers'));
const functional = writeTfjsFunctionalModel(path.join(dir, 'functional'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runRunCommand(args, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { code, out, err };
}

async function cliJson(...args: string[]) {
  const r = await cli(...args, '--json');
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as { provider: string; fallbackReason: null; latencyMs: { runs: number }; inputs: { name: string; dtype: string; shape: number[]; source: string }[]; outputs: { name: string; dtype: string; shape: number[]; data: number[]; stats: { min: number; max: number } }[]; captured?: { name: string; data: number[] }[] };
}

test('a graph model.json runs on tfjs-cpu: y = 2x + 1 on a range is 1, 3, 5, 7, with the inputs and latency reported', async () => {
  const doc = await cliJson(graph, '--fill', 'range', '--dim', 'x:0=4', '--runs', '2', '--warmup', '1');
  assert.equal(doc.provider, 'tfjs-cpu');
  assert.equal(doc.fallbackReason, null);
  assert.equal(doc.latencyMs.runs, 2);
  assert.deepEqual(doc.inputs, [{ name: 'x', dtype: 'float32', shape: [4, 1], source: 'range (seed 0)', dims: [{ axis: 0, name: 'x:0', value: 4, reason: 'set by you' }] }]);
  assert.deepEqual(doc.outputs.map((o) => [o.name, o.dtype, o.shape, o.data]), [['Identity', 'float32', [4, 1], [1, 3, 5, 7]]]);
  assert.deepEqual([doc.outputs[0].stats.min, doc.outputs[0].stats.max], [1, 7]);
});

test('the text form is the ONNX run\'s: the provider, the input, the latency, the output with shape and stats', async () => {
  const r = await cli(graph, '--fill', 'range', '--dim', 'x:0=4', '--warmup', '2');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines[0], 'model.json on tfjs-cpu');
  assert.equal(lines[1], '  input  x float32 [4, 1] from range (seed 0); x:0=4: set by you');
  assert.match(lines[2], /^ {2}latency min \S+ ms, p50 \S+ ms, p90 \S+ ms \(1 run, 2 warm-up\)$/);
  assert.equal(lines[3], '  output Identity float32 [4, 1] min 1 max 7 mean 4 std 2.2361');
});

test('a layers model gives its forward pass; inputs from an .npy file; outputs saved as .npy', async () => {
  const doc = await cliJson(layers, '--fill', 'ones');
  const want = layersFixtureForward([1, 1, 1]);
  doc.outputs[0].data.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-5, `output ${i}: ${v} vs ${want[i]}`));
  const x = [0.5, -2, 3];
  const xFile = path.join(dir, 'x.npy');
  writeFileSync(xFile, encodeNpy({ dtype: 'float32', shape: [1, 3], data: Float32Array.from(x) }));
  const out = path.join(dir, 'saved');
  const r = await cli(layers, '--input', xFile, '--save-outputs', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`input {2}\\S+ float32 \\[1, 3\\] from ${xFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const name = (await cliJson(layers, '--fill', 'ones')).outputs[0].name;
  const saved = decodeNpy(readFileSync(path.join(out, `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.npy`)));
  const wantX = layersFixtureForward(x);
  Array.from(saved.data as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - wantX[i]) < 1e-5, `saved ${i}: ${v} vs ${wantX[i]}`));
});

test('--capture names graph nodes whose outputs come back too (MatMul of the fixture is 2x)', async () => {
  const doc = await cliJson(graph, '--fill', 'range', '--dim', 'x:0=3', '--capture', 'dense/MatMul');
  assert.deepEqual(doc.captured?.map((c) => [c.name, c.data]), [['dense/MatMul', [0, 2, 4]]]);
  const bad = await cli(graph, '--capture', 'nope');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /model\.json: --capture: the graph has no node 'nope'/);
});

test('options only ONNX Runtime has are refused with a message saying why, before anything runs', async () => {
  for (const [args, re] of [
    [['--provider', 'cuda'], /--provider cuda: runs ONNX models on ONNX Runtime only; TF\.js models run on TF\.js's CPU backend \(tfjs-cpu\)/],
    [['--profile'], /--profile reads ONNX Runtime's per-node profile/],
    [['--compare', 'cpu'], /--compare runs ONNX models on ONNX Runtime only/],
    [['--capture', '*'], /--capture \* is for ONNX models/],
  ] as const) {
    const r = await cli(graph, ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.equal(r.out, '');
  }
});

test('--capture of a layers model returns a top-level layer\'s output (the fixture\'s hidden relu layer)', async () => {
  const doc = await cliJson(layers, '--fill', 'ones', '--capture', 'dense_Dense1');
  const [k1, b1] = [[...Array(12).keys()].map((i) => LAYERS_FIXTURE_WEIGHTS[0].values[i] as number), LAYERS_FIXTURE_WEIGHTS[1].values as number[]];
  const hidden = [0, 1, 2, 3].map((j) => Math.max(0, k1[j] + k1[4 + j] + k1[8 + j] + b1[j]));
  assert.equal(doc.captured?.[0].name, 'dense_Dense1');
  doc.captured![0].data.forEach((v, j) => assert.ok(Math.abs(v - hidden[j]) < 1e-5, `hidden ${j}: ${v} vs ${hidden[j]}`));
});

test('a missing shard fails with one line naming the file, not a crash', async () => {
  const broken = writeTfjsLayersModel(path.join(dir, 'broken'));
  rmSync(path.join(path.dirname(broken), 'group1-shard1of1.bin'), { force: true });
  const r = await cli(broken);
  assert.equal(r.code, 1);
  assert.match(r.err, /^model-lens: .*broken.*\n$/);
  assert.doesNotMatch(r.err, /unexpected error|TypeError|at /);
});

// ---- the CLI against the panel's worker, on its CPU backend, in real Chromium ----

const models = path.join(sharedDir, 'models', 'tfjs');
/** Shared models (what each needs: a fill, dims), small enough for a unit test on 2 shared cores. */
const SHARED: { file: string; args: string[]; dims?: Record<string, number> }[] = [
  { file: 'magika/standard_v3_3/model.json', args: [] },
  { file: 'magika/website_model_v1/model.json', args: [] },
  { file: 'nsfwjs/mobilenet_v2/model.json', args: [] },
  { file: 'nsfwjs/mobilenet_v2_mid/model.json', args: [] },
  { file: 'upscalerjs-esrgan-slim/x2/model.json', args: ['--dim', 'LR:1=16', '--dim', 'LR:2=16'], dims: { 'LR:1': 16, 'LR:2': 16 } },
  { file: 'tfjs-repo/dense_model/model.json', args: [] },
];

/** Largest |a - b| / max(|a|, |b|) over the elements; magnitudes under 1e-3 of the output's largest count as that (no 0/0). */
function maxRelDiff(a: number[], b: number[]): number {
  const scale = Math.max(1e-30, ...b.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i]), scale * 1e-3));
  return worst;
}

function assertSame(cliOut: { name: string; shape: number[]; data: number[] }[], worker: WorkerOutput[], what: string): number {
  assert.equal(cliOut.length, worker.length, `${what}: number of outputs`);
  let worst = 0;
  cliOut.forEach((o, i) => {
    assert.deepEqual(o.shape, worker[i].shape, `${what}: shape of ${o.name}`);
    const d = maxRelDiff(o.data, worker[i].data);
    assert.ok(d <= 1e-5, `${what}: ${o.name} differs from the panel's CPU backend by ${d} relative`);
    worst = Math.max(worst, d);
  });
  return worst;
}

describe('model-lens run equals the Run panel\'s worker on its CPU backend', { skip: chromiumMissingReason() ?? (existsSync(path.resolve('dist', 'tfjs-runner.js')) ? false : 'dist/tfjs-runner.js is not built') }, () => {
  let browser: Browser;
  let page: TfjsWorkerPage;
  before(async () => {
    browser = await launchChromium();
    page = await openTfjsWorkerPage(browser);
  });
  after(async () => {
    await page?.close();
    await browser?.close();
  });

  const panel = async (file: string, spec: Omit<Extract<InputSpec, { source: 'fill' }>, 'name' | 'source'>, dims: Record<string, number> = {}) => {
    const model = await openModel(file);
    try {
      const inputs: InputSpec[] = model.graph.inputs.map((v) => ({ name: v.name, source: 'fill', ...spec }));
      return await page.run(model, 'cpu', inputs, dims);
    } finally {
      await model.close();
    }
  };

  test('fixtures: graph, Sequential and functional layers models, seeded random inputs', async () => {
    for (const [file, dims, args] of [[graph, { 'x:0': 5 }, ['--dim', 'x:0=5']], [layers, {}, []], [functional, {}, []]] as const) {
      const doc = await cliJson(file, '--seed', '3', ...args);
      const w = await panel(file, { kind: 'random', seed: 3 }, dims);
      assert.equal(w.provider, 'cpu');
      assertSame(doc.outputs, w.outputs, path.basename(path.dirname(file)));
    }
  });

  test('the same seed gives the panel\'s inputs; another seed gives other outputs', async () => {
    const doc = await cliJson(functional, '--seed', '7');
    const same = await panel(functional, { kind: 'random', seed: 7 });
    const other = await panel(functional, { kind: 'random', seed: 8 });
    assertSame(doc.outputs, same.outputs, 'seed 7');
    assert.ok(maxRelDiff(doc.outputs[0].data, other.outputs[0].data) > 1e-3, 'seed 8 must give other inputs, hence other outputs');
  });

  for (const m of SHARED) {
    const file = path.join(models, m.file);
    test(`shared ${m.file}`, { skip: existsSync(file) ? false : `${file} is not here` }, async () => {
      const doc = await cliJson(file, '--seed', '1', ...m.args);
      const w = await panel(file, { kind: 'random', seed: 1 }, m.dims);
      const worst = assertSame(doc.outputs, w.outputs, m.file);
      assert.ok(doc.outputs.every((o) => o.data.some((v) => v !== 0)), 'the outputs are not all zero');
      console.log(`# ${m.file}: ${doc.outputs.map((o) => `${o.name} [${o.shape}]`).join(', ')}; max rel diff vs the panel's CPU backend ${worst.toExponential(2)}`);
    });
  }
});
