// The figures must not depend on how the bytes arrive: one piece, chunks split anywhere (also
// inside an element or a packed byte pair), file ranges at odd offsets, WASM or JS kernel.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRangesData } from '../../src/core/io/tensor-data.js';
import { computeTensorStats, statsOfData, tensorMeta, TensorStatsBuilder } from '../../src/core/stats/stats-tensor.js';
import type { TensorStats } from '../../src/core/stats/stats-types.js';
import type { Tensor } from '../../src/core/ir/tensor.js';
import { f32Bytes, normals, tensorOf } from './stats-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'stats-chunks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function withoutKernel(s: TensorStats): Omit<TensorStats, 'kernel'> {
  const { kernel: _k, ...rest } = s;
  return rest;
}

/** The tensor's bytes spread over two files, at offsets 3 and 5, split at an odd byte. */
function splitAcrossFiles(name: string, bytes: Uint8Array, cut: number): FileRangesData {
  const a = join(dir, `${name}-a.bin`), b = join(dir, `${name}-b.bin`);
  writeFileSync(a, Buffer.concat([Buffer.from([9, 9, 9]), bytes.subarray(0, cut), Buffer.from([7])]));
  writeFileSync(b, Buffer.concat([Buffer.from([1, 2, 3, 4, 5]), bytes.subarray(cut)]));
  return new FileRangesData([{ path: a, offset: 3, length: cut }, { path: b, offset: 5, length: bytes.length - cut }]);
}

/** Pushes the bytes through a builder in pseudo-random chunk sizes (1 byte to ~300 KB). */
function randomChunks(t: Tensor, bytes: Uint8Array, kernel: 'js' | 'wasm', seed: number): TensorStats {
  const b = new TensorStatsBuilder(tensorMeta(t, 'mem'), { kernel });
  let s = seed;
  const next = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s; };
  for (const pass of [1, 2] as const) {
    b.beginPass(pass);
    for (let pos = 0; pos < bytes.length;) {
      const n = next() % 5 === 0 ? 1 + (next() % 7) : 1 + (next() % 300_000);
      b.push(bytes.slice(pos, pos + n)); // slice: a fresh buffer at offset 0, like a read
      pos += n;
    }
    const more = b.endPass();
    if (pass === 1 && !more) break;
  }
  return b.result().stats;
}

interface Case { name: string; tensor: (data?: FileRangesData) => Tensor; bytes: Uint8Array }

const rows = 13, cols = 15_387;
const values = normals(rows * cols, 11, 0.01, 0.05);
values.fill(0, 4 * cols, 5 * cols); // a dead row
values[777] = NaN; values[150_001] = Infinity; values[9] = -Infinity; values[190_000] = 3; // specials and an outlier
const f32 = f32Bytes(values);
const f16 = new Uint8Array(2 * 100_001);
for (let i = 0; i < 100_001; i++) { const h = (i * 7919) & 0x7bff; f16[2 * i] = h & 0xff; f16[2 * i + 1] = (h >> 8) | (i % 3 === 0 ? 0x80 : 0); }
const i4 = new Uint8Array(65_537 + 1000);
for (let i = 0; i < i4.length; i++) i4[i] = (i * 37) & 0xff;
const u8 = new Uint8Array(4 * 70_001);
for (let i = 0; i < u8.length; i++) u8[i] = (i * 13 + (i >> 9)) & 0xff;
const perAxis = { scale: [0.5, 0.25, 2, 0.125], zeroPoint: [128, 0, 7, 255], axis: 0, origin: 'test' };

const cases: Case[] = [
  { name: 'float32 [13, 15387]', bytes: f32, tensor: (d) => tensorOf('w32', 'float32', [rows, cols], f32, { data: d }) },
  { name: 'float16 [100001]', bytes: f16, tensor: (d) => tensorOf('w16', 'float16', [100_001], f16, { data: d }) },
  { name: 'int4 [2, 66537]', bytes: i4, tensor: (d) => tensorOf('w4', 'int4', [2, i4.length], i4, { data: d }) },
  { name: 'uint8 quantized per axis [4, 70001]', bytes: u8, tensor: (d) => tensorOf('wq', 'uint8', [4, 70_001], u8, { data: d, quantization: perAxis }) },
];

for (const c of cases) {
  test(`${c.name}: same figures in one piece, in odd chunks over two files, in random pushes, with either kernel`, async () => {
    const reference = await computeTensorStats(c.tensor(), { kernel: 'wasm' });
    assert.equal(reference.kernel, 'wasm');
    const files = splitAcrossFiles(c.name.split(' ')[0], c.bytes, Math.floor(c.bytes.length / 2) | 1);
    for (const chunkBytes of [77_777, 1 << 20, 4099]) {
      const s = await computeTensorStats(c.tensor(files), { kernel: 'wasm', chunkBytes });
      assert.deepStrictEqual(s, reference, `file ranges, chunkBytes ${chunkBytes}`);
    }
    assert.deepStrictEqual(randomChunks(c.tensor(), c.bytes, 'wasm', 5), reference, 'random pushes');
    const js = await computeTensorStats(c.tensor(files), { kernel: 'js', chunkBytes: 65_521 });
    assert.equal(js.kernel, 'js');
    assert.deepStrictEqual(withoutKernel(js), withoutKernel(reference), 'JS kernel');
    assert.deepStrictEqual(withoutKernel(randomChunks(c.tensor(), c.bytes, 'js', 9)), withoutKernel(reference), 'JS kernel, random pushes');
  });
}

test('the float32 case has the figures it was built with', async () => {
  const s = await computeTensorStats(tensorOf('w', 'float32', [rows, cols], f32));
  assert.deepEqual([s.nan, s.posInf, s.negInf], [1, 1, 1]);
  assert.equal(s.rows!.deadRows, 1);
  assert.deepEqual(s.rows!.deadRowIndices, [4]);
  assert.ok(s.outliers!.above >= 1);
  assert.equal(s.histogram.counts.reduce((a, b) => a + b, 0), s.finite);
});

test('progress ends at twice the byte length and cancellation stops with a ModelError', async () => {
  const t = tensorOf('w', 'float32', [rows, cols], f32);
  const seen: number[] = [];
  await statsOfData(tensorMeta(t, 'm.onnx'), t.data, { chunkBytes: 100_000, onProgress: (d, total) => { seen.push(d); assert.equal(total, 2 * f32.length); } });
  assert.equal(seen[seen.length - 1], 2 * f32.length);
  assert.ok(seen.length > 10);
  const ac = new AbortController();
  await assert.rejects(
    statsOfData(tensorMeta(t, 'm.onnx'), t.data, { chunkBytes: 100_000, signal: ac.signal, onProgress: () => ac.abort() }),
    (e: Error & { code?: string }) => e.code === 'cancelled' && /m\.onnx \(tensor 'w'\): statistics cancelled/.test(e.message),
  );
});

test('a tensor whose data ends early is a ModelError naming it', async () => {
  const t = tensorOf('short', 'float32', [10], new Uint8Array(12));
  await assert.rejects(computeTensorStats(t, { file: 'm.onnx' }), /m\.onnx \(tensor 'short'\): tensor data ended after 12 of 40 bytes/);
});
