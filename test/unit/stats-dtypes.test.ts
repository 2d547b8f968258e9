import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeTensorStats } from '../../src/core/stats/stats-tensor.js';
import { npyFile, tensorToNpy } from '../../src/core/stats/stats-export.js';
import { statsKernel } from '../../src/core/stats/stats-kernel-wasm.js';
import { BLOCK } from '../../src/core/stats/stats-kernel.js';
import { float16Table } from '../../src/core/stats/decode.js';
import type { DataType } from '../../src/core/ir/dtype.js';
import { f32Tensor, tensorOf } from './stats-helpers.js';

const u16 = (...v: number[]) => new Uint8Array(new Uint16Array(v).buffer);
const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);

for (const kernel of ['js', 'wasm'] as const) {
  test(`float16: exact values incl. max, subnormal, NaN, −Inf (${kernel})`, async () => {
    const s = await computeTensorStats(tensorOf('h', 'float16', [7], u16(0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x7e00, 0xfc00)), { kernel });
    assert.equal(s.min, -2);
    assert.equal(s.max, 65504);
    assert.equal(s.nan, 1);
    assert.equal(s.negInf, 1);
    assert.equal(s.finite, 5);
    assert.equal(s.mean, (1 - 2 + 0.5 + 65504 + 2 ** -24) / 5);
  });

  test(`bfloat16 (${kernel})`, async () => {
    const s = await computeTensorStats(tensorOf('b', 'bfloat16', [4], u16(0x3f80, 0xc000, 0x4049, 0x0000)), { kernel });
    assert.deepEqual([s.min, s.max, s.zeros, s.mean], [-2, 3.140625, 1, (1 - 2 + 3.140625) / 4]);
  });

  test(`int4 / uint4 unpack low nibble first; one histogram bin per integer (${kernel})`, async () => {
    const s = await computeTensorStats(tensorOf('q', 'int4', [5], new Uint8Array([0x78, 0x0f, 0x03])), { kernel });
    assert.deepEqual([s.min, s.max, s.zeros, s.count], [-8, 7, 1, 5]);
    assert.equal(s.mean, (-8 + 7 - 1 + 0 + 3) / 5);
    assert.equal(s.histogram.counts.length, 16);
    assert.equal(s.histogram.edges[0], -8.5);
    assert.equal(s.histogram.edges[16], 7.5);
    const expected = new Array(16).fill(0);
    for (const v of [-8, 7, -1, 0, 3]) expected[v + 8]++;
    assert.deepEqual(s.histogram.counts, expected);
    const u = await computeTensorStats(tensorOf('u', 'uint4', [3], new Uint8Array([0x0f, 0x01])), { kernel });
    assert.deepEqual([u.min, u.max, u.mean], [0, 15, 16 / 3]);
  });

  test(`quantized uint8 per tensor: dequantized = scale·(q − zp), raw integers beside (${kernel})`, async () => {
    const t = tensorOf('w', 'uint8', [4], new Uint8Array([0, 128, 255, 130]), { quantization: { scale: [0.5], zeroPoint: [128], origin: 'test' } });
    const s = await computeTensorStats(t, { kernel });
    assert.deepEqual([s.min, s.max, s.mean, s.zeros], [-64, 63.5, 0.125, 1]);
    assert.deepEqual(s.quantization, t.quantization);
    assert.deepEqual([s.raw!.min, s.raw!.max, s.raw!.mean], [0, 255, 128.25]);
    assert.equal(s.raw!.histogram.counts.length, 256);
    assert.deepEqual([s.raw!.histogram.counts[0], s.raw!.histogram.counts[128], s.raw!.histogram.counts[130], s.raw!.histogram.counts[255]], [1, 1, 1, 1]);
    assert.equal(sum(s.raw!.histogram.counts), 4);
    const want = { p1: -62.08, p5: -54.4, p25: -16, p50: 0.5, p75: 16.625, p95: 54.125, p99: 61.625 };
    assert.equal(s.percentiles!.exact, true);
    for (const [k, v] of Object.entries(want)) assert.ok(Math.abs(s.percentiles![k as 'p1'] - v) < 1e-9, `${k}: ${s.percentiles![k as 'p1']} vs ${v}`);
  });

  test(`quantized int8 per axis (${kernel})`, async () => {
    const q = new Uint8Array(new Int8Array([1, 2, 3, 4, 6, 10]).buffer);
    const t = tensorOf('w', 'int8', [2, 3], q, { quantization: { scale: [1, 0.25], zeroPoint: [0, 2], axis: 0, origin: 'test' } });
    const s = await computeTensorStats(t, { kernel });
    assert.deepEqual(s.rows!.rowMin, [1, 0.5]);
    assert.deepEqual(s.rows!.rowMax, [3, 2]);
    assert.equal(s.mean, (1 + 2 + 3 + 0.5 + 1 + 2) / 6);
    assert.deepEqual(s.raw!.rows!.rowMax, [3, 10]);
  });
}

test('float8 variants and float4 decode per the ONNX spec', async () => {
  const cases: [DataType, number[], { min: number; max: number; nan: number; posInf: number; negInf: number }][] = [
    ['float8e4m3fn', [0x38, 0x7e, 0xfe, 0x7f, 0x01], { min: -448, max: 448, nan: 1, posInf: 0, negInf: 0 }],
    ['float8e4m3fnuz', [0x40, 0x80, 0x7f, 0xff], { min: -240, max: 240, nan: 1, posInf: 0, negInf: 0 }],
    ['float8e5m2', [0x3c, 0x7c, 0xfc, 0x7e, 0x01, 0x7b], { min: 2 ** -16, max: 57344, nan: 1, posInf: 1, negInf: 1 }],
    ['float8e5m2fnuz', [0x40, 0x80, 0x7f], { min: 1, max: 57344, nan: 1, posInf: 0, negInf: 0 }],
    ['float8e8m0', [127, 0xff, 0, 128], { min: 2 ** -127, max: 2, nan: 1, posInf: 0, negInf: 0 }],
    ['float4e2m1', [0x71, 0xf8], { min: -6, max: 6, nan: 0, posInf: 0, negInf: 0 }],
  ];
  for (const [dtype, bytes, want] of cases) {
    const count = dtype === 'float4e2m1' ? 4 : bytes.length;
    const s = await computeTensorStats(tensorOf('f', dtype, [count], new Uint8Array(bytes)));
    assert.deepEqual({ min: s.min, max: s.max, nan: s.nan, posInf: s.posInf, negInf: s.negInf }, want, dtype);
  }
});

test('bool, int16, uint16, uint32, float64', async () => {
  const b = await computeTensorStats(tensorOf('b', 'bool', [4], new Uint8Array([1, 0, 1, 1])));
  assert.deepEqual([b.mean, b.zeros, b.histogram.counts], [0.75, 1, [1, 3]]);
  const i16 = await computeTensorStats(tensorOf('i', 'int16', [3], new Uint8Array(new Int16Array([-32768, 5, 32767]).buffer)));
  assert.deepEqual([i16.min, i16.max], [-32768, 32767]);
  const u32 = await computeTensorStats(tensorOf('u', 'uint32', [2], new Uint8Array(new Uint32Array([4294967295, 1]).buffer)));
  assert.deepEqual([u32.min, u32.max], [1, 4294967295]);
});

function parseNpy(b: Uint8Array): { descr: string; shape: string; data: Uint8Array } {
  assert.deepEqual(Array.from(b.subarray(0, 8)), [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const len = b[8] | (b[9] << 8);
  assert.equal((10 + len) % 64, 0, 'header padded to 64 bytes');
  const header = new TextDecoder().decode(b.subarray(10, 10 + len));
  assert.ok(header.endsWith('\n'));
  return { descr: /'descr': '([^']+)'/.exec(header)![1], shape: /'shape': \(([^)]*)\)/.exec(header)![1], data: b.subarray(10 + len) };
}

test('.npy export: float32, float16 kept, bfloat16 → float32, int4 → int8, quantized raw and dequantized', async () => {
  const f = parseNpy(await tensorToNpy(f32Tensor('w', [1, 2, 3, 4, 5, 6], [2, 3])));
  assert.deepEqual([f.descr, f.shape], ['<f4', '2, 3']);
  assert.deepEqual(Array.from(new Float32Array(f.data.slice().buffer)), [1, 2, 3, 4, 5, 6]);
  const h = parseNpy(await tensorToNpy(tensorOf('h', 'float16', [2], u16(0x3c00, 0xc000))));
  assert.deepEqual([h.descr, h.shape, Array.from(h.data)], ['<f2', '2,', [0x00, 0x3c, 0x00, 0xc0]]);
  const bf = parseNpy(await tensorToNpy(tensorOf('b', 'bfloat16', [2], u16(0x3f80, 0x4049))));
  assert.deepEqual([bf.descr, Array.from(new Float32Array(bf.data.slice().buffer))], ['<f4', [1, 3.140625]]);
  const i4 = parseNpy(await tensorToNpy(tensorOf('q', 'int4', [5], new Uint8Array([0x78, 0x0f, 0x03]))));
  assert.deepEqual([i4.descr, Array.from(new Int8Array(i4.data.slice().buffer))], ['|i1', [-8, 7, -1, 0, 3]]);
  const qt = tensorOf('w', 'uint8', [4], new Uint8Array([0, 128, 255, 130]), { quantization: { scale: [0.5], zeroPoint: [128], origin: 'test' } });
  const raw = parseNpy(await tensorToNpy(qt));
  assert.deepEqual([raw.descr, Array.from(raw.data)], ['|u1', [0, 128, 255, 130]]);
  const deq = parseNpy(await tensorToNpy(qt, { variant: 'dequantized' }));
  assert.deepEqual([deq.descr, Array.from(new Float32Array(deq.data.slice().buffer))], ['<f4', [-64, 0, 63.5, 1]]);
  const scalar = parseNpy(npyFile('<f4', [], new Uint8Array(4)));
  assert.equal(scalar.shape, '');
  await assert.rejects(tensorToNpy(f32Tensor('w', [1]), { variant: 'dequantized' }), /not quantized/);
});

test('WASM SIMD float16 and bfloat16 widening matches the reference decoders on all 65536 patterns', () => {
  const k = statsKernel('wasm');
  const slot = k.newSlot(256);
  const all = new Uint8Array(2 * 65536 + 1).subarray(1); // odd offset
  for (let h = 0; h < 65536; h++) { all[2 * h] = h & 0xff; all[2 * h + 1] = h >> 8; }
  const table = float16Table();
  const bf = new Uint32Array(1), bff = new Float32Array(bf.buffer);
  for (const bf16 of [false, true]) {
    for (let start = 0; start < 65536; start += BLOCK) {
      const n = Math.min(BLOCK, 65536 - start);
      k.decodeHalf!(slot, all, 2 * start, n, bf16);
      const v = slot.values();
      for (let i = 0; i < n; i++) {
        const h = start + i;
        bf[0] = h << 16;
        const want = bf16 ? bff[0] : table[h];
        assert.ok(Object.is(v[i], want) || (Number.isNaN(v[i]) && Number.isNaN(want)), `${bf16 ? 'bf16' : 'f16'} 0x${h.toString(16)}: ${v[i]} vs ${want}`);
      }
    }
  }
  k.release(slot);
});
