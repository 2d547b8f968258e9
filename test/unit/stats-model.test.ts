import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeModelStats } from '../../src/core/stats/stats-model.js';
import { quantizationFromGraph } from '../../src/core/stats/stats-quantization.js';
import { statsToCsv, statsToJson } from '../../src/core/stats/stats-export.js';
import { decodeStatsJson, encodeStatsJson } from '../../src/core/stats/stats-cache.js';
import { nameScope } from '../../src/core/stats/stats-summary.js';
import type { ModelStats } from '../../src/core/stats/stats-types.js';
import { FileRangesData } from '../../src/core/io/tensor-data.js';
import type { DataType } from '../../src/core/ir/dtype.js';
import type { Tensor } from '../../src/core/ir/tensor.js';
import { f32Bytes, modelOf, normals, tensorOf } from './stats-helpers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const workerPath = join(repoRoot, 'dist/stats-worker.js');
const dir = mkdtempSync(join(tmpdir(), 'stats-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Weights laid out in one file at odd offsets (file-backed: workers read them themselves) plus
// in-memory ones (handed to workers as bytes).
const parts: Buffer[] = [Buffer.from([0, 0, 0])];
let offset = 3;
const weightFile = join(dir, 'weights.bin');
function onDisk(name: string, dtype: DataType, shape: number[], bytes: Uint8Array): Tensor {
  const t = tensorOf(name, dtype, shape, bytes, { data: new FileRangesData([{ path: weightFile, offset, length: bytes.length }]) });
  parts.push(Buffer.from(bytes), Buffer.from([1]));
  offset += bytes.length + 1;
  return t;
}

const conv = normals(4 * 27, 1, 0, 0.1);
conv.fill(0, 2 * 27, 3 * 27); // output channel 2 is dead
const spread = normals(3 * 50, 2, 0, 1);
for (let i = 0; i < 50; i++) spread[50 + i] *= 0.01; // row 1 spans 1/100 of the others
const fc = new Uint8Array(4 * 8).map((_, i) => (i * 29) % 256);
const weights = [
  onDisk('layer1/conv/W', 'float32', [4, 3, 3, 3], f32Bytes(conv)),
  tensorOf('layer1/conv/B', 'float32', [4], f32Bytes([0.5, -0.5, NaN, 1])),
  onDisk('layer2.fc.weight', 'uint8', [4, 8], fc),
  tensorOf('layer2.fc.scale', 'float32', [4], f32Bytes([0.5, 0.25, 1, 2])),
  tensorOf('layer2.fc.zp', 'uint8', [4], new Uint8Array([128, 0, 10, 255])),
  onDisk('head.spread', 'float32', [3, 50], f32Bytes(spread)),
  tensorOf('shape', 'int64', [2], new Uint8Array(new BigInt64Array([1n, -1n]).buffer)),
  tensorOf('labels', 'string', [2], new Uint8Array(0)),
];
writeFileSync(weightFile, Buffer.concat(parts));
const model = modelOf(weights, [
  { opType: 'Conv', inputs: ['x', 'layer1/conv/W', 'layer1/conv/B'], outputs: ['c'] },
  { opType: 'Reshape', inputs: ['c', 'shape'], outputs: ['r'] },
  { opType: 'DequantizeLinear', inputs: ['layer2.fc.weight', 'layer2.fc.scale', 'layer2.fc.zp'], outputs: ['wq'], attributes: [{ name: 'axis', type: 'int', value: 0 }] },
  { opType: 'MatMul', inputs: ['r', 'wq'], outputs: ['m'] },
  { opType: 'Gemm', inputs: ['m', 'head.spread'], outputs: ['y'] },
], weightFile);
model.files.push(weightFile);

function comparable(s: ModelStats): Omit<ModelStats, 'elapsedMs'> {
  const { elapsedMs: _e, ...rest } = s;
  return rest;
}

test('quantizationFromGraph: a DequantizeLinear with constant scale and zero point', async () => {
  const q = await quantizationFromGraph(model);
  assert.equal(q.size, 1);
  assert.deepEqual(q.get(weights[2]), { scale: [0.5, 0.25, 1, 2], zeroPoint: [128, 0, 10, 255], origin: 'onnx-dequantize-linear', axis: 0 });
});

test('nameScope cuts at the last / or .', () => {
  assert.deepEqual(['a/b/c', 'x.y.weight', 'plain', 'a/b.c'].map(nameScope), ['a/b', 'x.y', '(root)', 'a/b']);
});

test('model stats: per tensor, model-wide, summaries, flags; workers give the numbers computed in-thread', async () => {
  assert.ok(existsSync(workerPath), 'dist/stats-worker.js is built by esbuild.mjs');
  const inThread = await computeModelStats(model, { workers: 0 });
  const progress: number[] = [];
  const pooled = await computeModelStats(model, { workers: 2, workerPath, onProgress: (p) => progress.push(p.bytesDone / p.bytesTotal) });
  assert.deepStrictEqual(comparable(pooled), comparable(inThread));
  assert.equal(progress[progress.length - 1], 1);

  const s = inThread;
  assert.deepEqual(s.tensors.map((t) => t.name), weights.filter((w) => w.dtype !== 'string').map((w) => w.name));
  assert.deepEqual(s.skipped, [{ name: 'labels', dtype: 'string', reason: 'no numeric statistics for string tensors' }]);
  const fcStats = s.tensors.find((t) => t.name === 'layer2.fc.weight')!;
  assert.equal(fcStats.quantization?.origin, 'onnx-dequantize-linear');
  const deq = Array.from(fc, (q, i) => [0.5, 0.25, 1, 2][i >> 3] * (q - [128, 0, 10, 255][i >> 3]));
  assert.equal(fcStats.min, Math.min(...deq));
  assert.equal(fcStats.max, Math.max(...deq));
  assert.equal(fcStats.raw!.max, Math.max(...fc));

  // Model-wide figures over float-valued weights (dequantized fc included, int64 shape left out).
  const floats = [...conv, 0.5, -0.5, 1, ...deq, 0.5, 0.25, 1, 2, ...spread].map((x) => Math.fround(x));
  const mean = floats.reduce((a, b) => a + b, 0) / floats.length;
  assert.equal(s.model.count, floats.length + 1); // + the NaN
  assert.equal(s.model.nan, 1);
  assert.ok(Math.abs(s.model.mean - mean) < 1e-12);
  const std = Math.sqrt(floats.reduce((a, b) => a + (b - mean) ** 2, 0) / floats.length);
  assert.ok(Math.abs(s.model.std - std) < 1e-12 * Math.max(1, std));
  assert.equal(s.model.min, Math.min(...floats));
  assert.equal(s.model.histogram.counts.reduce((a, b) => a + b, 0), floats.length);

  assert.deepEqual(s.totals, { tensors: 8, parameters: 108 + 4 + 32 + 4 + 4 + 150 + 2 + 2, bytes: weights.reduce((a, w) => a + w.byteLength, 0) });
  const op = Object.fromEntries(s.byOpType.map((g) => [g.key, g.tensors]));
  assert.deepEqual(op, { Conv: 2, MatMul: 1, Gemm: 1, DequantizeLinear: 2, Reshape: 1, '(unused)': 1 });
  assert.deepEqual(s.byScope.find((g) => g.key === 'layer2.fc'), { key: 'layer2.fc', tensors: 3, parameters: 40, bytes: 32 + 16 + 4 });
  assert.equal(s.largest[0].name, 'head.spread');
  assert.deepEqual(s.byDtype.map((g) => g.key).sort(), ['float32', 'int64', 'string', 'uint8']);

  const kinds = s.flags.map((f) => `${f.tensor}:${f.kind}`).sort();
  assert.deepEqual(kinds, ['head.spread:channel-range-spread', 'layer1/conv/B:nan', 'layer1/conv/W:dead-rows']);
  const dead = s.flags.find((f) => f.kind === 'dead-rows')!;
  assert.match(dead.message, /1 of 4 rows along axis 0 \(output channels\) are all zero: 2/);
  const sp = s.flags.find((f) => f.kind === 'channel-range-spread')!;
  assert.ok(sp.value > 50 && sp.value < 200, `ratio ${sp.value}`);
});

test('outlier flag says how far out', async () => {
  const v = normals(10_000, 4);
  v[1234] = 40;
  const m = modelOf([tensorOf('w', 'float32', [10_000], f32Bytes(v))], []);
  const s = await computeModelStats(m, { workers: 0 });
  const f = s.flags.find((x) => x.kind === 'outliers')!;
  assert.equal(f.value, 1);
  assert.match(f.message, /^1 values lie beyond 10σ of the mean .*the farthest, 40, is [\d.]+σ out$/);
});

test('cache: second open is served from disk; touching the file misses', async () => {
  const cacheDir = join(dir, 'cache');
  const a = await computeModelStats(model, { workers: 0, cacheDir });
  assert.equal(a.fromCache, undefined);
  const b = await computeModelStats(model, { workers: 0, cacheDir });
  assert.equal(b.fromCache, true);
  assert.deepStrictEqual(comparable({ ...b, fromCache: undefined }), comparable({ ...a, fromCache: undefined }));
  assert.ok(Number.isNaN(b.tensors[1].max) === false && b.tensors[1].nan === 1);
  const later = new Date(Date.now() + 5000);
  utimesSync(weightFile, later, later);
  const c = await computeModelStats(model, { workers: 0, cacheDir });
  assert.equal(c.fromCache, undefined);
  const other = await computeModelStats(model, { workers: 0, cacheDir, bins: 32 });
  assert.equal(other.fromCache, undefined);
  assert.equal(other.tensors[0].histogram.counts.length, 32);
});

test('NaN survives the cache encoding', () => {
  const enc = encodeStatsJson({ tensors: [{ mean: NaN, name: 'NaN' }] } as unknown as ModelStats);
  const dec = decodeStatsJson(enc) as unknown as { tensors: { mean: number; name: string }[] };
  assert.ok(Number.isNaN(dec.tensors[0].mean));
  assert.equal(dec.tensors[0].name, 'NaN');
});

test('cancellation rejects with a cancelled ModelError (in-thread and with workers)', async () => {
  for (const workers of [0, 2]) {
    const ac = new AbortController();
    const p = computeModelStats(model, { workers, workerPath, signal: ac.signal, onProgress: () => ac.abort() });
    await assert.rejects(p, (e: Error & { code?: string }) => e.code === 'cancelled' && e.message.includes('statistics cancelled'));
  }
});

test('CSV and JSON exports', async () => {
  const s = await computeModelStats(model, { workers: 0 });
  const csv = statsToCsv(s).trimEnd().split('\n');
  assert.equal(csv.length, 1 + s.tensors.length);
  assert.match(csv[0], /^name,dtype,shape,count,bytes,min,max,mean,std/);
  assert.match(csv[1], /^layer1\/conv\/W,float32,\[4x3x3x3\],108,432,/);
  assert.match(csv[1], /dead-rows$/);
  const json = JSON.parse(JSON.stringify(statsToJson(s))) as { tensors: Record<string, unknown>[]; model: Record<string, unknown> };
  assert.equal(json.tensors.length, weights.length);
  const fcJson = json.tensors.find((t) => t.name === 'layer2.fc.weight')!;
  for (const k of ['dtype', 'shape', 'count', 'min', 'max', 'mean', 'std', 'zeros', 'nan', 'inf', 'histogram', 'raw']) assert.ok(k in fcJson, k);
  assert.deepEqual(json.tensors[json.tensors.length - 1], { name: 'labels', dtype: 'string', skipped: 'no numeric statistics for string tensors' });
  assert.equal((json.model.histogram as { counts: number[] }).counts.length, 256);
});
