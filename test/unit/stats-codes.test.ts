// The code path (int8/uint8/int4/uint4 and large float16/bfloat16 tensors counted per code, never
// decoded) gives the same figures with the WASM and the JS kernel, whatever the chunking and the
// worker count, and the figures of the decoding path: exactly where they are counts or read off the
// same values, to rounding for the moments of float data (summed in another order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeTensorStats } from '../../src/core/stats/stats-tensor.js';
import { computeModelStats } from '../../src/core/stats/stats-model.js';
import { codePlan } from '../../src/core/stats/stats-codes.js';
import { splitSpans } from '../../src/core/stats/stats-split.js';
import { FileRangesData } from '../../src/core/io/tensor-data.js';
import type { DataType } from '../../src/core/ir/dtype.js';
import type { Quantization, Tensor } from '../../src/core/ir/tensor.js';
import type { ModelStats, TensorStats, ValueStats } from '../../src/core/stats/stats-types.js';
import { modelOf, normals, tensorOf } from './stats-helpers.js';
import { repoRoot } from '../support/paths.js';

const workerPath = join(repoRoot, 'dist/stats-worker.js');

/** Bytes of `count` values of a dtype: normal-ish codes, with a few special values planted. */
function bytesOf(dtype: DataType, count: number, seed: number): Uint8Array {
  const v = normals(count, seed);
  const f = new Float32Array(1), u = new Uint32Array(f.buffer);
  if (dtype === 'int8' || dtype === 'uint8') {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = (Math.max(-128, Math.min(127, Math.round(v[i] * 30))) + (dtype === 'uint8' ? 128 : 0)) & 255;
    for (let i = 0; i < 64; i++) out[(i * 7919) % count] = dtype === 'uint8' ? 128 : 0; // zeros
    return out;
  }
  if (dtype === 'int4' || dtype === 'uint4') {
    const out = new Uint8Array(Math.ceil(count / 2));
    for (let i = 0; i < count; i++) {
      const q = (Math.max(-8, Math.min(7, Math.round(v[i] * 2.5))) + (dtype === 'uint4' ? 8 : 0)) & 15;
      out[i >> 1] |= q << (i & 1 ? 4 : 0);
    }
    return out;
  }
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    f[0] = v[i] * 0.02;
    if (dtype === 'bfloat16') out[i] = u[0] >>> 16;
    else {
      const x = u[0], e = ((x >>> 23) & 0xff) - 112;
      out[i] = ((x >>> 16) & 0x8000) | (e <= 0 ? 0 : e >= 31 ? 0x7c00 : (e << 10) | ((x >>> 13) & 0x3ff));
    }
  }
  const inf = dtype === 'float16' ? 0x7c00 : 0x7f80;
  // Zeros of both signs, a NaN, ±Inf, and a whole row of NaN.
  out[5] = 0; out[6] = 0x8000; out[100] = inf | 1; out[200] = inf; out[300] = 0x8000 | inf;
  for (let i = 2048; i < 3072; i++) out[i] = inf | 0x10;
  return new Uint8Array(out.buffer);
}

const strip = (s: TensorStats): Omit<TensorStats, 'kernel'> => { const { kernel: _k, ...rest } = s; return rest; };

/** The decoding path's figures against the code path's: equal, the moments to rounding. */
function assertSameFigures(code: ValueStats, decoded: ValueStats, what: string): void {
  const close = (a: number, b: number, key: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what} ${key}: ${a} vs ${b}`);
  close(code.mean, decoded.mean, 'mean');
  close(code.std, decoded.std, 'std');
  for (const k of ['count', 'finite', 'min', 'max', 'zeros', 'nan', 'posInf', 'negInf', 'percentiles', 'histogram', 'logHistogram', 'rows'] as const) {
    assert.deepEqual(code[k], decoded[k], `${what} ${k}`);
  }
  assert.equal(code.outliers?.below, decoded.outliers?.below, `${what} outliers below`);
  assert.equal(code.outliers?.above, decoded.outliers?.above, `${what} outliers above`);
}

const cases: { dtype: DataType; shape: number[]; quantization?: Quantization; chunk?: number; bins?: number }[] = [
  { dtype: 'int8', shape: [200, 1000], bins: 7 }, // fewer bins than integers: linear bins
  { dtype: 'float16', shape: [640, 1000], bins: 1000 },
  { dtype: 'int8', shape: [96, 1500] },
  { dtype: 'int8', shape: [1 << 21] }, // pair counting (≥ 1 MiB)
  { dtype: 'uint8', shape: [512, 2050], chunk: 70001 },
  { dtype: 'int4', shape: [300, 1000] },
  { dtype: 'int4', shape: [140001] }, // odd: the last byte's high nibble is padding
  { dtype: 'uint4', shape: [64, 65536], chunk: 99999 }, // pair counting
  { dtype: 'int8', shape: [256, 1024], quantization: { scale: [0.05], zeroPoint: [3], origin: 'test' } },
  { dtype: 'uint8', shape: [2, 700, 100], quantization: { scale: [-0.5], zeroPoint: [128], origin: 'test' } },
  { dtype: 'float16', shape: [512, 1024] },
  { dtype: 'bfloat16', shape: [300, 1000], chunk: 123457 },
  { dtype: 'float16', shape: [1 << 18] },
];

for (const [i, c] of cases.entries()) {
  const name = `${c.dtype} [${c.shape}]${c.quantization ? ' quantized' : ''}${c.chunk ? ` in ${c.chunk}-byte chunks` : ''}${c.bins ? `, ${c.bins} bins` : ''}`;
  test(`code path: ${name}: WASM = JS = any chunking; decoding path agrees`, async () => {
    const count = c.shape.reduce((a, b) => a * b, 1);
    const t = tensorOf(`t${i}`, c.dtype, c.shape, bytesOf(c.dtype, count, i + 1), c.quantization ? { quantization: c.quantization } : {});
    assert.ok(codePlan({ ...t, file: 'm', shape: c.shape }), 'the case takes the code path');
    const bins = c.bins ?? 256;
    const wasm = await computeTensorStats(t, { kernel: 'wasm', bins });
    const js = await computeTensorStats(t, { kernel: 'js', bins });
    assert.deepEqual(strip(wasm), strip(js));
    assert.equal(wasm.histogram.counts.length, c.bins ?? wasm.histogram.counts.length);
    if (c.chunk) assert.deepEqual(strip(await computeTensorStats(t, { kernel: 'wasm', chunkBytes: c.chunk })), strip(wasm));
    const decoded = await computeTensorStats(t, { kernel: 'wasm', codes: false, bins });
    assertSameFigures(wasm, decoded, name);
    if (c.quantization) assertSameFigures(wasm.raw!, decoded.raw!, `${name} raw`);
    if (c.dtype.startsWith('float')) {
      assert.deepEqual([wasm.nan, wasm.posInf, wasm.negInf], [1 + 1024, 1, 1]);
      if (c.shape[1] === 1024) assert.ok(Number.isNaN(wasm.rows!.rowMin![2]), 'the row of NaN has no min');
    }
  });
}

test('code path: a truncated file-backed int8 tensor gets its own error naming file and offset', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stats-codes-'));
  try {
    const file = join(dir, 'w.bin');
    writeFileSync(file, bytesOf('int8', 100000, 3));
    const t: Tensor = { ...tensorOf('w', 'int8', [200, 1000], new Uint8Array(0)), byteLength: 200000, data: new FileRangesData([{ path: file, offset: 0, length: 200000 }]) };
    await assert.rejects(computeTensorStats(t, { file }), (e: Error) => /ended at byte 100000/.test(e.message) && e.message.includes(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('code path: a model of code-path tensors gives the same figures with 0, 1 and 2 workers', async () => {
  assert.ok(existsSync(workerPath), 'dist/stats-worker.js is built by esbuild.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'stats-codes-'));
  try {
    const specs: [DataType, number[]][] = [['int8', [512, 4096]], ['uint8', [3000, 700]], ['int4', [1024, 2048]], ['float16', [1024, 1024]], ['bfloat16', [640, 1024]], ['int8', [16, 64]]];
    const parts = specs.map(([d, s], i) => bytesOf(d, s.reduce((a, b) => a * b, 1), 10 + i));
    const file = join(dir, 'weights.bin');
    writeFileSync(file, Buffer.concat(parts));
    let off = 0;
    const weights = specs.map(([dtype, shape], i) => {
      const t = tensorOf(`w${i}`, dtype, shape, new Uint8Array(0));
      const r = { path: file, offset: off, length: parts[i].length };
      off += parts[i].length;
      return { ...t, byteLength: r.length, data: new FileRangesData([r]) };
    });
    const model = modelOf(weights, [], join(dir, 'm.onnx'));
    const runs: ModelStats[] = [];
    for (const workers of [0, 1, 2]) runs.push(await computeModelStats(model, { workers, workerPath }));
    const figures = (m: typeof runs[0]) => ({ tensors: m.tensors.map(strip), model: m.model, flags: m.flags, skipped: m.skipped });
    assert.equal(runs[0].tensors.length, specs.length);
    assert.deepEqual(figures(runs[1]), figures(runs[0]));
    assert.deepEqual(figures(runs[2]), figures(runs[0]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('code path: huge tensors are split across workers into block-aligned spans; the figures equal one pass', async () => {
  assert.ok(existsSync(workerPath), 'dist/stats-worker.js is built by esbuild.mjs');
  const meta = (dtype: DataType, shape: number[]) => ({ name: 'x', dtype, shape, elementCount: shape.reduce((a, b) => a * b, 1), byteLength: 0, file: 'm' });
  const big = { ...meta('int8', [4096, 8193]), byteLength: 4096 * 8193 };
  const spans = splitSpans(big, 2)!;
  assert.deepEqual(spans, [[0, 257 * 65536], [257 * 65536, 4096 * 8193]]); // 513 blocks
  assert.equal(splitSpans({ ...meta('float32', [1 << 24]), byteLength: 1 << 26 }, 2), null, 'float32 is not on the code path');
  assert.equal(splitSpans(big, 1), null);
  const dir = mkdtempSync(join(tmpdir(), 'stats-codes-'));
  try {
    const specs: [DataType, number[]][] = [['int8', [1500, 2001]], ['float16', [1000, 2000]], ['uint4', [700, 4000]], ['bfloat16', [999, 1001]]];
    const parts = specs.map(([d, s], i) => bytesOf(d, s.reduce((a, b) => a * b, 1), 20 + i));
    const file = join(dir, 'weights.bin');
    writeFileSync(file, Buffer.concat(parts));
    let off = 0;
    const weights = specs.map(([dtype, shape], i) => {
      const r = { path: file, offset: off, length: parts[i].length };
      off += parts[i].length;
      return { ...tensorOf(`w${i}`, dtype, shape, new Uint8Array(0)), byteLength: r.length, data: new FileRangesData([r]) };
    });
    // One more whose file ends early: its own error row, naming the file; the others unaffected.
    weights.push({ ...tensorOf('cut', 'int8', [1000, 3000], new Uint8Array(0)), byteLength: 3e6, data: new FileRangesData([{ path: file, offset: off - 1e6, length: 3e6 }]) });
    const model = modelOf(weights, [], join(dir, 'm.onnx'));
    const one = await computeModelStats(model, { workers: 0 });
    const split = await computeModelStats(model, { workers: 2, workerPath, splitBytes: 1 << 20 });
    assert.deepEqual(split.tensors.map(strip), one.tensors.map(strip));
    assert.deepEqual(split.model, one.model);
    assert.equal(split.tensors.length, specs.length);
    assert.deepEqual(split.skipped.map((s) => s.name), ['cut']);
    assert.match(split.skipped[0].reason, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*ended at byte`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
