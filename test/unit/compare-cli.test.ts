// `model-lens diff`: the --json contract, --run (first divergence, outputs), TF.js sides, a side
// that cannot be read, usage errors, and the human report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { reportJson, runDiffCommand } from '../../src/cli/diff.js';
import { buildConvBnModel, buildFoldedConvBnModel, buildLinearModel, buildQuantizedConvBnModel, buildRenamedConvBnModel, convBnSpec, encodeModel, writeFixture } from '../fixtures/onnx/index.js';
import { writeTfjsFunctionalModel, writeTfjsGraphModel } from '../fixtures/tfjs/index.js';
import { repoRoot, tempDir } from '../support/paths.js';

const dir = tempDir('compare-cli');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const base = writeFixture(dir, 'base.onnx', buildConvBnModel());
const scaled = writeFixture(dir, 'scaled.onnx', buildConvBnModel({ scaleW2: 1.01 }));
const quantized = writeFixture(dir, 'quantized.onnx', buildQuantizedConvBnModel());
const folded = writeFixture(dir, 'folded.onnx', buildFoldedConvBnModel());

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const cwd = process.cwd();
  process.chdir(repoRoot); // the runtime process is found in dist/
  let out = '', err = '';
  try {
    const code = await runDiffCommand(args, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
    return { code, out, err };
  } finally {
    process.chdir(cwd);
  }
}

test('diff --json --run of a model with itself: all matched, empty lists, zero error, no divergence', async () => {
  const r = await cli(base, base, '--json', '--run');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.equal(doc.matched, 9);
  assert.deepEqual([doc.added, doc.removed, doc.changedAttributes, doc.changedWeights, doc.activations], [[], [], [], [], []]);
  assert.equal(doc.firstDivergence, null);
  assert.deepEqual(doc.outputs, [{ name: 'probs', maxAbs: 0, cosine: 1, top1Agreement: 1, top5Agreement: 1 }]);
  assert.equal(doc.activationsCompared, 8);
});

test('diff --json --run: the scaled weight is the one change and its consumer the first divergence', async () => {
  const r = await cli(base, scaled, '--json', '--run', '--seed', '3');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.deepEqual(doc.changedWeights.map((w: { name: string }) => w.name), ['conv2.weight']);
  const w = doc.changedWeights[0];
  assert.deepEqual(Object.keys(w).sort(), ['cosine', 'dtype', 'maxAbs', 'maxRel', 'name', 'shapeA', 'shapeB', 'sqnrDb']);
  assert.equal(doc.firstDivergence.node, 'conv2');
  assert.equal(doc.firstDivergence.value, 'conv2_out');
  assert.ok(doc.firstDivergence.sqnrDb > 35 && doc.firstDivergence.sqnrDb < 45, String(doc.firstDivergence.sqnrDb));
  // Upstream values are equal, so the list starts at conv2.
  assert.equal(doc.activations[0].node, 'conv2');
  assert.ok(doc.activations.every((a: { node: string }) => !['conv1', 'bn1', 'relu1'].includes(a.node)));
  assert.equal(doc.outputs[0].name, 'probs');
  assert.ok(doc.outputs[0].maxAbs > 0 && doc.outputs[0].cosine > 0.999);
});

test('diff --json --run across quantization and a fold: Q/DQ added, folded values within float rounding', async () => {
  const q = JSON.parse((await cli(base, quantized, '--json', '--run')).out);
  assert.equal(q.added.length, 5);
  assert.equal(q.firstDivergence.node, 'conv1');
  assert.equal(q.outputs[0].top1Agreement, 1);
  const renamed = writeFixture(dir, 'renamed.onnx', buildRenamedConvBnModel());
  const rn = JSON.parse((await cli(base, renamed, '--json', '--run')).out);
  assert.deepEqual([rn.activationsCompared, rn.activations, rn.firstDivergence], [8, [], null]); // values paired by topology, not names
  const f = JSON.parse((await cli(base, folded, '--json', '--run')).out);
  assert.deepEqual([f.added, f.removed], [[], []]);
  assert.equal(f.firstDivergence, null); // BN folded exactly enough: every value within float rounding
  assert.ok(f.activations.some((a: { value: string }) => a.value === 'bn1_out'));
});

test('Infinity and NaN become null in --json (sqnrDb null = equal values)', () => {
  const text = reportJson({ a: { path: 'a', format: 'onnx', nodes: 0 }, b: { path: 'b', format: 'onnx', nodes: 0 }, matched: 0, added: [], removed: [], matches: [], changedAttributes: [],
    changedWeights: [{ name: 'w', dtype: 'float32', shapeA: [1], shapeB: [2], maxAbs: NaN, maxRel: Infinity, cosine: NaN, sqnrDb: Infinity, note: 'shape changed' }],
    weightSummary: { compared: 1, changed: 1, dtypeChanges: {}, maxRel: 0, beyondRounding: ['w'], words: '' }, firstDivergence: { node: 'n', value: 'v', sqnrDb: -Infinity } });
  const doc = JSON.parse(text);
  assert.deepEqual([doc.changedWeights[0].maxAbs, doc.changedWeights[0].maxRel, doc.changedWeights[0].sqnrDb, doc.firstDivergence.sqnrDb], [null, null, null, null]);
});

test('TF.js against TF.js compares, --run included (TF.js CPU backend); a missing shard is reported for that side with exit 1', async () => {
  const a = writeTfjsGraphModel(path.join(dir, 'tfjs-a'));
  const b = writeTfjsGraphModel(path.join(dir, 'tfjs-b'));
  const same = await cli(a, b, '--json');
  assert.equal(same.code, 0, same.err);
  const doc = JSON.parse(same.out);
  assert.equal(doc.a.format, 'tfjs-graph');
  assert.deepEqual([doc.added, doc.removed, doc.changedWeights], [[], [], []]);
  assert.equal(doc.weightSummary.compared, 2);
  const run = JSON.parse((await cli(a, b, '--json', '--run', '--dim', 'x:0=3')).out);
  assert.equal(run.runError, undefined, run.runError?.message);
  assert.deepEqual([run.activations, run.firstDivergence, run.activationsCompared], [[], null, 2]);
  assert.deepEqual(run.outputs, [{ name: 'Identity', maxAbs: 0, cosine: 1 }]);
  // B's bias 1 → 1.5 (the second float32 of its shard): that weight, and BiasAdd the first divergence.
  const shard = path.join(path.dirname(b), readdirSync(path.dirname(b)).find((f) => f.endsWith('.bin'))!);
  const bytes = readFileSync(shard);
  bytes.writeFloatLE(1.5, 4);
  writeFileSync(shard, bytes);
  const changed = JSON.parse((await cli(a, b, '--json', '--run', '--dim', 'x:0=3')).out);
  assert.deepEqual(changed.changedWeights.map((w: { name: string }) => w.name), ['dense/bias']);
  assert.deepEqual(changed.firstDivergence?.node, 'dense/BiasAdd');
  assert.deepEqual(changed.activations.map((x: { node: string }) => x.node), ['dense/BiasAdd', 'Identity']);
  for (const f of readdirSync(path.dirname(b))) if (f.endsWith('.bin')) unlinkSync(path.join(path.dirname(b), f));
  const broken = await cli(a, b, '--json');
  assert.equal(broken.code, 1);
  const bd = JSON.parse(broken.out);
  assert.ok(bd.b.error, JSON.stringify(bd.b));
  assert.equal(bd.a.error, undefined);
  assert.match(broken.err, /^model-lens: B: /);
});

test('ONNX against TF.js: compared where the graphs line up, else structure only with the reason', async () => {
  const onnx = writeFixture(dir, 'linear.onnx', buildLinearModel());
  const tfjs = writeTfjsGraphModel(path.join(dir, 'tfjs-linear'));
  const doc = JSON.parse((await cli(onnx, tfjs, '--json')).out);
  assert.equal(doc.b.format, 'tfjs-graph');
  assert.equal(doc.structureOnly, undefined);
  assert.deepEqual(doc.matches.map((m: { a: string; b: string }) => [m.a, m.b]), [['matmul', 'dense/MatMul'], ['add', 'dense/BiasAdd']]);
  assert.deepEqual(doc.added, ['Identity']); // Placeholder and Const nodes are TF.js's way of writing inputs and weights
  assert.equal(doc.weightSummary.words, '2 tensors compared, all identical');
  const run = JSON.parse((await cli(onnx, tfjs, '--json', '--run', '--dim', 'N=4')).out);
  assert.equal(run.runError, undefined, run.runError?.message);
  assert.deepEqual(run.outputs, [{ name: 'y', maxAbs: 0, cosine: 1 }]); // ONNX Runtime and TF.js agree on 2x + 1
  assert.equal(run.firstDivergence, null);
  const other = JSON.parse((await cli(base, tfjs, '--json')).out);
  assert.match(other.structureOnly, /^onnx and tfjs-graph name and connect their nodes differently \(\d of 9 nodes matched\): weights and values are not compared$/);
  assert.equal(other.weightSummary.compared, 0);
});

test('diff --run where B does not run: runError names B, the structure and weights stay, exit 1', async () => {
  const spec = convBnSpec();
  spec.graph.nodes = spec.graph.nodes.map((n) => (n.name === 'relu2' ? { ...n, op: 'NoSuchOp', domain: 'com.example' } : n));
  spec.opsets = [{ domain: '', version: 17 }, { domain: 'com.example', version: 1 }];
  const broken = writeFixture(dir, 'custom-op.onnx', encodeModel(spec));
  const r = await cli(base, broken, '--json', '--run');
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.out);
  assert.equal(doc.runError.side, 'b');
  assert.ok(doc.runError.message.length > 0);
  assert.equal(doc.activations, undefined);
  assert.equal(doc.matched, 8); // relu2 became another op: removed and added
  assert.deepEqual([doc.removed, doc.added], [['relu2'], ['relu2']]);
  assert.equal(doc.weightSummary.words, '10 tensors compared, all identical');
  assert.match(r.err, /^model-lens: run of B: /);
});

test('TF.js layers models run too: outputs compared, no intermediate values', async () => {
  const m = writeTfjsFunctionalModel(path.join(dir, 'tfjs-functional'));
  const doc = JSON.parse((await cli(m, m, '--json', '--run')).out);
  assert.equal(doc.runError, undefined, doc.runError?.message);
  assert.deepEqual([doc.matched, doc.activationsCompared, doc.firstDivergence], [5, 0, null]);
  assert.deepEqual(doc.outputs, [{ name: 'dense_3', maxAbs: 0, cosine: 1 }]);
});

test('a file that does not open: the other side stays, exit 1; usage errors exit 2', async () => {
  const r = await cli(base, path.join(dir, 'missing.onnx'), '--json');
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.out);
  assert.match(doc.b.error, /file not found/);
  assert.equal(doc.a.format, 'onnx');
  assert.equal(doc.a.nodes, 9);
  assert.match(doc.message, /B does not open/);
  const one = await cli(base);
  assert.equal(one.code, 2);
  assert.match(one.err, /2 model files expected, got 1/);
  assert.equal((await cli(base, base, '--fill', 'nope')).code, 2);
});

test('the human report: summary line, weight sentence, first divergence; `model-lens diff` is dispatched', async () => {
  const r = await cli(base, scaled, '--run');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^A: .*base\.onnx \(onnx, 9 nodes\)$/m);
  assert.match(r.out, /^9 matched, 0 added, 0 removed, 0 nodes with changed attributes$/m);
  assert.match(r.out, /^weights: 1 tensor of 10 changed, max relative error 1\.0e-2; 1 changed beyond rounding: conv2\.weight$/m);
  assert.match(r.out, /^first divergence: conv2 \(value conv2_out, SQNR \d+(\.\d)? dB\)$/m);
  const spawned = spawnSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'diff', base, base], { encoding: 'utf8' });
  assert.equal(spawned.status, 0, spawned.stderr);
  assert.match(spawned.stdout, /weights: 10 tensors compared, all identical/);
  const help = spawnSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), '--help'], { encoding: 'utf8' });
  assert.match(help.stdout, /diff <A> <B>/);
});
