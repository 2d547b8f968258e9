// The fixture models are real ONNX: onnxruntime-node loads and runs them, with the expected results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  buildAllDtypesModel, buildConstantWeightsModel, buildConvNetModel, buildExternalDataModel, buildFunctionModel,
  buildIfModel, buildLinearModel, buildMlpModel, buildSparseModel, evalMlp, withTempDir, writeFixtureSet,
} from '../fixtures/onnx/index.js';

type Ort = typeof import('onnxruntime-node');
const ort = createRequire(import.meta.url)('onnxruntime-node') as Ort;

const f32 = (v: number[], dims: number[]) => new ort.Tensor('float32', Float32Array.from(v), dims);

async function run(bytes: Uint8Array | string, feeds: Record<string, import('onnxruntime-node').Tensor>): Promise<Record<string, number[]>> {
  const s = typeof bytes === 'string' ? await ort.InferenceSession.create(bytes) : await ort.InferenceSession.create(bytes);
  try {
    const out = await s.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data as Float32Array)]));
  } finally {
    await s.release();
  }
}

const close = (a: number[], b: number[], eps = 1e-5) => {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= eps, `element ${i}: ${x} vs ${b[i]}`));
};

test('linear model runs in onnxruntime: y = 2x + 1 for a batch of 3', async () => {
  const out = await run(buildLinearModel(), { x: f32([0, 1, -2.5], [3, 1]) });
  assert.deepEqual(out.y, [1, 3, -4]);
});

test('MLP runs and matches the reference evaluation', async () => {
  const rows = [[0.5, -1, 2, 0.25], [1, 1, 1, 1]];
  const out = await run(buildMlpModel(), { x: f32(rows.flat(), [2, 4]) });
  close(out.y, rows.flatMap(evalMlp), 1e-4);
});

test('conv net runs: softmax output of 10 probabilities summing to 1', async () => {
  const x = Array.from({ length: 64 }, (_, i) => Math.sin(i));
  const out = await run(buildConvNetModel(), { x: f32(x, [1, 1, 8, 8]) });
  assert.equal(out.y.length, 10);
  close([out.y.reduce((a, b) => a + b, 0)], [1]);
  assert.ok(out.y.every((p) => p > 0 && p < 1));
});

test('If model takes each branch', async () => {
  const t = await run(buildIfModel(), { cond: new ort.Tensor('bool', [true], []), x: f32([1, 2], [2]) });
  assert.deepEqual(t.y, [-2, -3]);
  const e = await run(buildIfModel(), { cond: new ort.Tensor('bool', [false], []), x: f32([1, 2], [2]) });
  assert.deepEqual(e.y, [-2, -4]);
});

test('Constant-weights, sparse and function models run', async () => {
  assert.deepEqual((await run(buildConstantWeightsModel(), { x: f32([3, 4], [2]) })).y, [7, 9]);
  const x = Array.from({ length: 12 }, (_, i) => i * 10);
  const sp = await run(buildSparseModel(), { x: f32(x, [3, 4]) });
  assert.deepEqual(sp.y, x.map((v, i) => v + ({ 1: 5, 6: 6, 11: 7 } as Record<number, number>)[i] || v));
  assert.deepEqual(sp.y2, x.map((v, i) => v + (i === 1 ? 8 : i === 11 ? 9 : 0)));
  assert.deepEqual((await run(buildFunctionModel(), { x: f32([3], [1, 1]) })).y, [7]);
});

test('external-data model runs from its folder', async () => {
  await withTempDir('ort-ext', async (dir) => {
    const file = writeFixtureSet(dir, 'linear-ext.onnx', buildExternalDataModel());
    assert.deepEqual((await run(file, { x: f32([3], [1, 1]) })).y, [7]);
  });
});

test('all-dtypes model is accepted by onnxruntime (unused initializers of every type)', async (t) => {
  try {
    const out = await run(buildAllDtypesModel(), { x: f32([5], [1]) });
    assert.deepEqual(out.y, [5]);
  } catch (e) {
    // Older runtimes do not know the newest types (int2/uint2, float8e8m0); say which.
    t.diagnostic(`onnxruntime refused the all-dtypes model: ${(e as Error).message.slice(0, 200)}`);
    assert.match((e as Error).message, /type|INT2|UINT2|E8M0|data_type|ir_version/i);
  }
});
