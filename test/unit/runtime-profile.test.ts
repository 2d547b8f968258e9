// The profile engine: ORT's trace mapped to top-level nodes (renamed and fused kernels, kernels ORT
// inserted, nodes folded at load), the verdict, and a real profiled run through the runtime process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RuntimeHost, attributeProfile, parseTrace, profileGraph, profileVerdict, type ProfileNode, type RuntimeTensor, type TraceRun } from '../../src/core/runtime/index.js';
import { openModel } from '../../src/core/formats/index.js';
import { buildConvNetModel, buildMlpModel } from '../fixtures/onnx/index.js';
import { slowModel, writeModel } from './runtime-fixtures.js';
import { repoRoot, tempDir } from '../support/paths.js';

const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
const dir = tempDir('runtime-profile');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const node = (name: string, op: string, inputs: string[], outputs: string[]): ProfileNode => ({ name, op, inputs, outputs });
const CPU = 'CPUExecutionProvider';
const k = (name: string, op: string, us: number, provider = CPU) => ({ name, op, provider, us });

test('renamed and fused kernels find their source nodes; inserted kernels are listed; folded nodes have no provider', () => {
  // The convnet as ORT runs it on the CPU: Conv + Relu as one NCHWc Conv named after relu's output.
  const nodes = [
    node('conv', 'Conv', ['x', 'w', 'b'], ['conv_out']), node('relu', 'Relu', ['conv_out'], ['relu_out']),
    node('pool', 'MaxPool', ['relu_out'], ['pool_out']), node('shape', 'Shape', ['w'], ['s']),
    node('fc', 'Gemm', ['pool_out', 'fw', 'fb'], ['fc_out']), node('act', 'Relu', ['fc_out'], ['y']),
  ];
  const trace: TraceRun = { runUs: 200, kernels: [k('relu_out_nchwc', 'Conv', 90), k('ReorderOutput', 'ReorderOutput', 10), k('pool', 'MaxPool', 20), k('fused fc', 'FusedGemm', 30)] };
  const r = attributeProfile(trace, { nodes, constants: new Set(['w', 'b', 'fw', 'fb']) }, 0.25);
  const by = Object.fromEntries(r.rows.map((row) => [row.node, row]));
  assert.deepEqual([by.conv.ms, by.conv.provider, by.conv.fusedInto], [0.09, CPU, undefined], 'the NCHWc Conv is the conv node\'s time');
  assert.deepEqual([by.relu.ms, by.relu.fusedInto, by.relu.provider], [0, 'conv', CPU]);
  assert.deepEqual([by.fc.ms, by.fc.ranAs], [0.03, 'FusedGemm']);
  assert.equal(by.act.fusedInto, 'fc');
  assert.deepEqual([by.shape.provider, by.shape.fusedInto], [null, undefined], 'Shape of a weight was folded at load');
  assert.deepEqual(r.inserted, [{ kernel: 'ReorderOutput', op: 'ReorderOutput', ms: 0.01, provider: CPU }]);
  assert.ok(Math.abs(r.sumMs - 0.15) < 1e-9);
  assert.equal(r.runMs, 0.2);
  assert.equal(r.verdict, 'CPU ran 5 nodes; 1 folded away at load');
});

test('the verdict names what fell back to the CPU', () => {
  const rows = [['a', 'Conv', 'CUDAExecutionProvider'], ['b', 'Relu', 'CUDAExecutionProvider'], ['c', 'NonMaxSuppression', CPU], ['d', 'Shape', CPU]]
    .map(([n, op, provider], index) => ({ index, node: n, op, ms: 1, provider }));
  assert.equal(profileVerdict(rows), 'CUDA ran 2 of 4 nodes; 2 fell back to the CPU: NonMaxSuppression, Shape');
  assert.equal(profileVerdict(rows.slice(0, 1)), 'CUDA ran 1 node');
});

test('parseTrace keeps the last run and leaves out kernels nested in another (subgraphs)', () => {
  const ev = (cat: string, name: string, ts: number, dur: number, op?: string) => ({ cat, name, ts, dur, args: op ? { op_name: op, provider: CPU } : {} });
  const json = JSON.stringify([
    ev('Session', 'session_initialization', 0, 50), ev('Node', 'a_kernel_time', 60, 5, 'Add'), ev('Session', 'model_run', 55, 20),
    ev('Node', 'if_kernel_time', 101, 30, 'If'), ev('Node', 'inner_kernel_time', 105, 10, 'Mul'), ev('Node', 'a_kernel_time', 135, 4, 'Add'),
    ev('Session', 'model_run', 100, 45),
  ]);
  assert.deepEqual(parseTrace(json), { runUs: 45, kernels: [k('if', 'If', 30), k('a', 'Add', 4)] });
});

async function profiled(file: string, input: RuntimeTensor, runs: number) {
  const rt = await RuntimeHost.start({ processPath });
  try {
    await rt.load(file, { provider: 'cpu' });
    const r = await rt.run([input], { runs, warmup: 2, profile: true });
    assert.ok(r.trace, 'a profiled run returns its trace');
    return { r, report: attributeProfile(r.trace!, profileGraph((await openModel(file)).graph), r.latencyMs.p50) };
  } finally {
    await rt.dispose();
  }
}

const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith('model-lens-profile-'));

const fixtures: [string, Uint8Array, RuntimeTensor][] = [
  ['mlp', buildMlpModel(), { name: 'x', dtype: 'float32', shape: [4, 4], data: new Float32Array(16).fill(0.5) }],
  ['convnet', buildConvNetModel(), { name: 'x', dtype: 'float32', shape: [1, 1, 8, 8], data: new Float32Array(64).fill(0.25) }],
];
for (const [name, bytes, input] of fixtures) {
  test(`a real profiled run of the ${name} fixture lists every top-level node on the CPU`, async () => {
    const before = leftovers().length;
    const file = writeModel(dir, `${name}.onnx`, bytes);
    const { r, report } = await profiled(file, input, 3);
    const model = await openModel(file);
    assert.deepEqual(report.rows.map((row) => row.node), model.graph.nodes.map((n) => n.name), 'every top-level node, in graph order');
    for (const row of report.rows) {
      assert.ok(row.ms >= 0, `${row.node}: ${row.ms} ms`);
      assert.ok(row.provider === 'CPUExecutionProvider' || row.provider === 'cpu', `${row.node} ran on ${row.provider}`);
    }
    assert.ok(report.rows.some((row) => row.ms > 0), 'some node took time');
    assert.ok(report.sumMs > 0 && report.sumMs <= report.runMs * 1.05 + 0.01, `kernels ${report.sumMs} ms within the profiled run's ${report.runMs} ms`);
    assert.ok(report.sumMs < 20 * r.latencyMs.p50 + 1, `kernels ${report.sumMs} ms vs latency ${r.latencyMs.p50} ms`);
    assert.match(report.verdict, /^CPU ran \d+ nodes?$/);
    assert.equal(leftovers().length, before, 'the trace file is removed');
  });
}

test('on a model that takes real time, the kernel times add up to the latency', async () => {
  const file = writeModel(dir, 'slow.onnx', slowModel(4, 256));
  const x: RuntimeTensor = { name: 'x', dtype: 'float32', shape: [256, 256], data: new Float32Array(256 * 256).fill(0.01) };
  // A busy machine stretches a run's wall time (its threads wait for a core) but not its kernels':
  // up to three tries, so only a sum that never adds up fails.
  let tries = 0, r, report, ratio;
  do {
    ({ r, report } = await profiled(file, x, 5));
    ratio = report.sumMs / r.latencyMs.p50;
  } while (!(ratio > 0.2 && ratio < 5) && ++tries < 3);
  assert.ok(ratio > 0.2 && ratio < 5, `kernels sum ${report.sumMs.toFixed(2)} ms vs p50 ${r.latencyMs.p50.toFixed(2)} ms (×${ratio.toFixed(2)}), ${tries + 1} tries`);
  assert.equal(report.rows.length, 4);
  assert.ok(report.rows.every((row) => row.ms > 0 && row.op === 'MatMul' && !row.fusedInto));
});
