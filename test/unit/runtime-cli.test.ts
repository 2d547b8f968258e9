// `model-lens run`: JSON output, inputs from files, saved outputs, one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runRunCommand } from '../../src/cli/run.js';
import { decodeNpy, encodeNpy } from '../../src/core/runtime/index.js';
import { dtypesModel, writeModel } from './runtime-fixtures.js';
import { buildLinearModel, buildMlpModel } from '../fixtures/onnx/index.js';
import { repoRoot, tempDir } from '../support/paths.js';

const dir = tempDir('runtime-cli');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const linear = writeModel(dir, 'linear.onnx', buildLinearModel());

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const cwd = process.cwd();
  process.chdir(repoRoot); // the runtime process is found in dist/
  let out = '', err = '';
  try {
    const code = await runRunCommand(args, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
    return { code, out, err };
  } finally {
    process.chdir(cwd);
  }
}

test('--json reports provider, latency, outputs with stats and data', async () => {
  const xFile = path.join(dir, 'x.npy');
  writeFileSync(xFile, encodeNpy({ dtype: 'float32', shape: [8, 1], data: Float32Array.from([0, 1, 2, 3, -1, -2, 0.5, 4]) }));
  const r = await cli(linear, '--input', `x=${xFile}`, '--provider', 'cpu', '--runs', '3', '--json');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.equal(doc.provider, 'cpu');
  assert.equal(doc.fallbackReason, null);
  assert.deepEqual(Object.keys(doc.latencyMs).sort(), ['max', 'mean', 'min', 'p50', 'p90', 'runs']);
  assert.equal(doc.latencyMs.runs, 3);
  assert.deepEqual(doc.inputs, [{ name: 'x', dtype: 'float32', shape: [8, 1], source: xFile }]);
  const y = doc.outputs[0];
  assert.deepEqual([y.name, y.dtype, y.shape], ['y', 'float32', [8, 1]]);
  assert.deepEqual(y.data, [1, 3, 5, 7, -1, -3, 2, 9]);
  assert.deepEqual(y.stats, { min: -3, max: 9, mean: 23 / 8, std: Math.sqrt([1, 3, 5, 7, -1, -3, 2, 9].reduce((s, v) => s + (v - 23 / 8) ** 2, 0) / 8), nan: 0, inf: 0 });
});

test('generated inputs honour --dim, --fill and --seed; int64 outputs are JSON numbers', async () => {
  const file = writeModel(dir, 'dtypes.onnx', dtypesModel());
  const r = await cli(file, '--fill', 'range', '--dim', 'sequence_length=3', '--dim', 'height=2', '--dim', 'width=2', '--provider', 'cpu', '--json');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  const ids = doc.outputs.find((o: { name: string }) => o.name === 'ids_out');
  assert.deepEqual([ids.dtype, ids.shape, ids.data], ['int64', [1, 3], [0, 1, 2]]);
  assert.deepEqual(doc.outputs.find((o: { name: string }) => o.name === 'bytes_out').shape, [1, 3, 2, 2]);
  assert.deepEqual(doc.outputs.find((o: { name: string }) => o.name === 'text_out').data, ['0', '1']);
  const a = JSON.parse((await cli(linear, '--seed', '7', '--provider', 'cpu', '--json')).out);
  const b = JSON.parse((await cli(linear, '--seed', '7', '--provider', 'cpu', '--json')).out);
  const c = JSON.parse((await cli(linear, '--seed', '8', '--provider', 'cpu', '--json')).out);
  assert.deepEqual(a.outputs[0].data, b.outputs[0].data);
  assert.notDeepEqual(a.outputs[0].data, c.outputs[0].data);
});

test('--save-outputs writes .npy files; --capture adds intermediate values; text output is readable', async () => {
  const mlp = writeModel(dir, 'mlp.onnx', buildMlpModel());
  const out = path.join(dir, 'saved');
  const r = await cli(mlp, '--fill', 'ones', '--dim', 'N=2', '--provider', 'cpu', '--capture', 'relu0_out', '--save-outputs', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^mlp\.onnx on cpu\n/);
  assert.match(r.out, /input {2}x float32 \[2, 4\] from ones/);
  assert.match(r.out, /latency min [\d.e-]+ ms, p50 [\d.e-]+ ms, p90 [\d.e-]+ ms \(1 run\)/);
  assert.match(r.out, /output y float32 \[2, 3\] min/);
  assert.match(r.out, /capture relu0_out float32 \[2, 8\] min/);
  const y = decodeNpy(readFileSync(path.join(out, 'y.npy')));
  assert.deepEqual(y.shape, [2, 3]);
  assert.ok(existsSync(path.join(out, 'relu0_out.npy')));
});

test("--capture '*' --json returns every value and says which ONNX Runtime fused (MatMul + Add run as one Gemm)", async () => {
  const r = await cli(linear, '--fill', 'ones', '--dim', 'N=2', '--provider', 'cpu', '--capture', '*', '--json');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.deepEqual(doc.captured.map((t: { name: string; data: number[] }) => [t.name, t.data]), [['xw', [2, 2]], ['y', [3, 3]]]);
  assert.deepEqual(doc.fused, [{ value: 'xw', into: 'add' }]);
  const text = await cli(linear, '--fill', 'ones', '--dim', 'N=2', '--provider', 'cpu', '--capture', '*');
  assert.match(text.out, /capture xw float32 \[2, 1\] min .* \(fused into add\)\n/);
});

test('--profile --json: one entry per top-level node with ms and provider, and a verdict; text mode prints the table', async () => {
  const mlp = writeModel(dir, 'mlp-profile.onnx', buildMlpModel());
  const r = await cli(mlp, '--fill', 'ones', '--dim', 'N=2', '--provider', 'cpu', '--runs', '3', '--warmup', '1', '--profile', '--json');
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.deepEqual(doc.profile.map((p: { node: string }) => p.node), ['fc0', 'relu0', 'fc1', 'relu1', 'fc2']);
  for (const p of doc.profile) {
    assert.deepEqual(Object.keys(p).slice(0, 4), ['node', 'op', 'ms', 'provider']);
    assert.ok(p.ms >= 0 && p.provider === 'CPUExecutionProvider', JSON.stringify(p));
  }
  const s = doc.profileSummary;
  assert.match(s.verdict, /^CPU ran 5 nodes$/);
  assert.ok(s.sumMs > 0 && s.sumMs <= s.runMs * 1.05 + 0.01, JSON.stringify(s));
  assert.equal(s.latencyMs, doc.latencyMs.p50);
  const text = await cli(mlp, '--fill', 'ones', '--dim', 'N=2', '--provider', 'cpu', '--profile');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /op type\s+node\s+time\s+% of run\s+provider/);
  assert.match(text.out, /\n {4}Gemm\S*\s+fc\d\s+[\d.]+ ms\s+[\d.]+%\s+CPU\n/);
  assert.match(text.out, /kernels sum [\d.]+ ms of the profiled run's [\d.]+ ms/);
  assert.match(text.out, /\n {2}CPU ran 5 nodes\n/);
});

test('bad files and bad inputs exit 1 with one line, never a stack trace', async () => {
  const cases: [string[], RegExp][] = [
    [[path.join(dir, 'missing.onnx')], /missing\.onnx: cannot read the model/],
    [[writeModel(dir, 'junk.onnx', new TextEncoder().encode('junk')), '--provider', 'cpu'], /junk\.onnx: onnxruntime cannot load the model/],
    [[linear, '--input', `x=${path.join(dir, 'nope.npy')}`, '--provider', 'cpu'], /nope\.npy: cannot read/],
    [[linear, '--input', `q=${path.join(dir, 'nope.npy')}`, '--provider', 'cpu'], /has no input 'q'/],
  ];
  const tfjs = path.join(dir, 'model.json');
  writeFileSync(tfjs, JSON.stringify({ modelTopology: {}, weightsManifest: [] }));
  // A TF.js model.json runs (runtime-tfjs-cli.test.ts); a broken one fails in the reader, naming the file.
  cases.push([[tfjs], /model\.json: not a TensorFlow\.js model/]);
  for (const [args, want] of cases) {
    const r = await cli(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.out, '');
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, want);
    assert.doesNotMatch(r.err, /\n\s+at /);
  }
  const usage = await cli(linear, '--runs', 'many');
  assert.equal(usage.code, 2);
  assert.match(usage.err, /--runs must be a whole number/);
});
