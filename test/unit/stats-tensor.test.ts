import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeTensorStats } from '../../src/core/stats/stats-tensor.js';
import { wasmKernelAvailable } from '../../src/core/stats/stats-kernel-wasm.js';
import { f32Tensor, normals, percentile, tensorOf } from './stats-helpers.js';

const close = (a: number, b: number, tol = 1e-9, what = '') =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what} ${a} ≉ ${b}`);

for (const kernel of ['js', 'wasm'] as const) {
  test(`float32 0..999: exact moments, percentiles and histogram (${kernel})`, async () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const s = await computeTensorStats(f32Tensor('w', values), { bins: 10, kernel });
    assert.equal(s.kernel, kernel);
    assert.equal(s.count, 1000);
    assert.equal(s.finite, 1000);
    assert.equal(s.min, 0);
    assert.equal(s.max, 999);
    assert.equal(s.absMax, 999);
    close(s.mean, 499.5);
    close(s.std, Math.sqrt((1000 * 1000 - 1) / 12));
    assert.equal(s.zeros, 1);
    assert.equal(s.sparsity, 0.001);
    const pct = (p: number) => percentile(values, p);
    assert.deepEqual(s.percentiles, { p1: pct(1), p5: pct(5), p25: pct(25), p50: 499.5, p75: pct(75), p95: pct(95), p99: pct(99), exact: true });
    close(s.percentiles!.p1, 9.99);
    close(s.percentiles!.p99, 989.01);
    assert.deepEqual(s.histogram.counts, new Array(10).fill(100));
    assert.equal(s.histogram.edges.length, 11);
    assert.equal(s.histogram.edges[0], 0);
    assert.equal(s.histogram.edges[10], 999);
    close(s.histogram.edges[1], 99.9);
    // log histogram: 1 in [1,1.25), … ; all 999 non-zero values counted
    assert.equal(s.logHistogram.counts.reduce((a, b) => a + b, 0), 999);
    assert.equal(s.logHistogram.edges[0], 1);
    assert.equal(s.logHistogram.counts[0], 1); // just 1 in [1, 1.25)
  });

  test(`NaN, ±Inf, ±0 are counted and left out of the moments (${kernel})`, async () => {
    const s = await computeTensorStats(f32Tensor('w', [1, NaN, Infinity, -Infinity, 0, -0, 3, Infinity]), { kernel });
    assert.equal(s.count, 8);
    assert.equal(s.nan, 1);
    assert.equal(s.posInf, 2);
    assert.equal(s.negInf, 1);
    assert.equal(s.inf, 3);
    assert.equal(s.finite, 4);
    assert.equal(s.zeros, 2);
    assert.equal(s.min, 0);
    assert.equal(s.max, 3);
    assert.equal(s.mean, 1);
    close(s.std, Math.sqrt(6 / 4));
    assert.equal(s.histogram.counts.reduce((a, b) => a + b, 0), 4);
    assert.deepEqual([s.histogram.counts[0], s.histogram.counts[85], s.histogram.counts[255]], [2, 1, 1]);
  });

  test(`outliers beyond 10σ and dead rows (${kernel})`, async () => {
    const rows = 8, cols = 1000;
    const v = normals(rows * cols, 7);
    v.fill(0, 3 * cols, 4 * cols); // row 3 is dead
    v[5 * cols + 17] = 500; // one far outlier
    const s = await computeTensorStats(f32Tensor('w', v, [rows, cols]), { kernel });
    assert.equal(s.outliers!.above, 1);
    assert.equal(s.outliers!.below, 0);
    assert.ok(s.outliers!.maxAbsZ > 50);
    assert.equal(s.rows!.rows, 8);
    assert.equal(s.rows!.deadRows, 1);
    assert.deepEqual(s.rows!.deadRowIndices, [3]);
    assert.equal(s.rows!.rowMax![5], 500);
    assert.equal(s.rows!.minRange, 0);
    assert.ok(s.rows!.rangeRatio! > 50);
  });
}

test('large normal tensor: moments match f64 reference, approximate percentiles within 0.5%', async () => {
  const v = normals(300_000, 3, 0.25, 0.02);
  const s = await computeTensorStats(f32Tensor('w', v));
  let sum = 0;
  for (const x of v) sum += x;
  const mean = sum / v.length;
  let m2 = 0;
  for (const x of v) m2 += (x - mean) ** 2;
  close(s.mean, mean, 1e-12);
  close(s.std, Math.sqrt(m2 / v.length), 1e-9);
  const sorted = Float64Array.from(v).sort();
  assert.equal(s.percentiles!.exact, false);
  for (const p of [1, 5, 25, 50, 75, 95, 99] as const) {
    const got = s.percentiles![`p${p}` as 'p1'];
    close(got, percentile(sorted, p), 0.005, `p${p}`);
  }
  assert.equal(s.histogram.counts.reduce((a, b) => a + b, 0), 300_000);
});

test('float64 and int64 tensors decode exactly', async () => {
  const f64 = new Float64Array([1e-300, 2.5, -7]);
  const s = await computeTensorStats(tensorOf('d', 'float64', [3], new Uint8Array(f64.buffer)));
  assert.equal(s.min, -7);
  assert.equal(s.max, 2.5);
  close(s.mean, (1e-300 + 2.5 - 7) / 3, 1e-15);
  const i64 = new BigInt64Array([-5n, 0n, 2n ** 40n, 3n]);
  const t = await computeTensorStats(tensorOf('i', 'int64', [4], new Uint8Array(i64.buffer)));
  assert.equal(t.min, -5);
  assert.equal(t.max, 2 ** 40);
  assert.equal(t.zeros, 1);
  assert.equal(t.histogram.counts.length, 256); // range too wide for one bin per integer
});

test('empty and all-NaN tensors give NaN figures and empty histograms', async () => {
  const e = await computeTensorStats(f32Tensor('e', []));
  assert.equal(e.count, 0);
  assert.ok(Number.isNaN(e.mean));
  assert.deepEqual(e.histogram, { edges: [], counts: [] });
  const n = await computeTensorStats(f32Tensor('n', [NaN, NaN]));
  assert.equal(n.nan, 2);
  assert.equal(n.percentiles, null);
});

test('WASM SIMD kernel is available on Node 20', () => {
  assert.equal(wasmKernelAvailable(), true);
});
