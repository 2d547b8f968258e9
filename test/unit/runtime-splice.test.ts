// Capture by splicing: only length prefixes change; compareOutputs and allClose numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGraphValueNames, spliceGraphOutputs, compareOutputs, allClose, latencyStats, valueStats, readDefaultOpset } from '../../src/core/runtime/index.js';
import { buildPackedCaptureModel, unpackCapture } from '../../src/core/runtime/capture-pack.js';
import { ModelError } from '../../src/core/ir/errors.js';
import { readOnnxModel } from '../../src/core/formats/onnx/index.js';
import { writeModel } from './runtime-fixtures.js';
import { buildMlpModel, encodeModel } from '../fixtures/onnx/index.js';
import { tempDir } from '../support/paths.js';
import { rmSync } from 'node:fs';

const dir = tempDir('runtime-splice');
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('splicing appends graph outputs and keeps every other byte', async () => {
  const model = buildMlpModel();
  assert.deepEqual(readGraphValueNames(model), { nodeOutputs: ['fc0_out', 'relu0_out', 'fc1_out', 'relu1_out', 'y'], graphOutputs: ['y'] });
  const spliced = spliceGraphOutputs(model, ['relu1_out', 'y', 'fc0_out']);
  assert.deepEqual(readGraphValueNames(spliced).graphOutputs, ['y', 'relu1_out', 'fc0_out']);
  // The result parses with the project's ONNX reader, with the same nodes and weights.
  const m = await readOnnxModel(writeModel(dir, 'spliced.onnx', spliced));
  assert.deepEqual(m.graph.outputs.map((v) => v.name), ['y', 'relu1_out', 'fc0_out']);
  assert.equal(m.graph.nodes.length, 5);
  assert.equal(m.graph.weights.length, 6);
  assert.equal(spliceGraphOutputs(model, ['y']), model, 'nothing new: same bytes');
  // A graph over 127 bytes long grows its length prefix across a varint boundary without harm.
  const longName = 'v'.repeat(200);
  const tiny = encodeModel({ graph: { name: 'g', nodes: [{ op: 'Identity', inputs: ['x'], outputs: [longName] }, { op: 'Identity', inputs: [longName], outputs: ['y'] }], inputs: [{ name: 'x', dtype: 'float32', shape: [1] }], outputs: [{ name: 'y', dtype: 'float32', shape: [1] }] } });
  assert.deepEqual(readGraphValueNames(spliceGraphOutputs(tiny, [longName])).graphOutputs, ['y', longName]);
  assert.throws(() => readGraphValueNames(model.subarray(0, model.length - 7), 'cut.onnx'), (e: unknown) => e instanceof ModelError && /cut\.onnx/.test(e.message));
});

test('compareOutputs: max abs, relative diff and cosine per output', () => {
  const a = [{ name: 'y', dtype: 'float32' as const, shape: [4], data: Float32Array.from([1, 2, 3, 4]) }, { name: 'z', dtype: 'int64' as const, shape: [2], data: BigInt64Array.from([1n, 2n]) }];
  const b = [{ name: 'y', dtype: 'float32' as const, shape: [4], data: Float32Array.from([1, 2, 3, 5]) }, { name: 'z', dtype: 'int64' as const, shape: [2], data: BigInt64Array.from([1n, 2n]) }];
  const [y, z] = compareOutputs(a, b);
  assert.equal(y.maxAbsDiff, 1);
  assert.equal(y.maxRelDiff, 0.2);
  assert.ok(Math.abs(y.cosine - 34 / Math.sqrt(30 * 39)) < 1e-12);
  assert.deepEqual([z.maxAbsDiff, z.cosine, z.shapeMatches], [0, 1, true]);
  const [s] = compareOutputs([{ ...a[0], shape: [2, 2] }], [b[0]]);
  assert.deepEqual([s.shapeMatches, s.maxAbsDiff], [false, Infinity]);
  assert.ok(allClose(a[0], { ...a[0], data: Float32Array.from([1, 2, 3, 4.003]) }));
  assert.ok(!allClose(a[0], b[0]));
  assert.ok(allClose({ ...a[0], data: Float32Array.from([NaN]) , shape: [1] }, { ...a[0], data: Float32Array.from([NaN]), shape: [1] }));
});

test('latency and value statistics', () => {
  assert.deepEqual(latencyStats([5, 1, 4, 2, 3, 10, 6, 7, 8, 9]), { min: 1, p50: 5, p90: 9, mean: 5.5, max: 10, runs: 10 });
  assert.deepEqual(valueStats({ name: 'v', dtype: 'float32', shape: [5], data: Float32Array.from([1, 3, NaN, Infinity, 2]) }), { min: 1, max: 3, mean: 2, std: Math.sqrt(2 / 3), nan: 1, inf: 1 });
});

test('gathered capture: nodes appended per dtype, split back by shapes; a size mismatch gives null', async () => {
  const model = buildMlpModel();
  assert.equal(readDefaultOpset(model), 17);
  const values = [{ name: 'fc0_out', dtype: 'float32' as const, rank: 2 }, { name: 'relu0_out', dtype: 'float32' as const, rank: 2 }];
  const { bytes, layout } = buildPackedCaptureModel(model, values);
  const m = await readOnnxModel(writeModel(dir, 'packed.onnx', bytes));
  assert.deepEqual(m.graph.nodes.slice(5).map((n) => n.opType), ['Reshape', 'Reshape', 'Concat', 'Shape', 'Shape', 'Concat']);
  assert.deepEqual(m.graph.outputs.map((v) => v.name), ['y', layout.groups[0].output, layout.shapesOutput]);
  const data = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  const got = (shapes: bigint[], d = data) => (n: string) => (n === layout.shapesOutput ? { data: BigInt64Array.from(shapes) } : n === layout.groups[0].output ? { data: d } : undefined);
  const split = unpackCapture(layout, got([1n, 8n, 2n, 4n]))!;
  assert.deepEqual(split.map((t) => [t.name, t.shape, Array.from(t.data as Float32Array)]), [['fc0_out', [1, 8], [1, 2, 3, 4, 5, 6, 7, 8]], ['relu0_out', [2, 4], [9, 10, 11, 12, 13, 14, 15, 16]]]);
  assert.equal(unpackCapture(layout, got([1n, 8n, 2n, 3n])), null, 'sizes do not add up');
  assert.equal(unpackCapture(layout, got([1n, 8n, 2n])), null, 'a rank changed');
});
