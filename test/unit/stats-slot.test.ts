// The per-tensor shortcuts of small float32 tensors: per-row figures in one kernel call a block,
// exact percentiles read off the kernel's own key counts (distinct keys, gather), and many tiny
// tensors in one batch. Each must give the numbers of an independent computation and the same
// numbers from the WASM and JS kernels, in this thread or in workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsStatsKernel, emptyPass1, type StatsKernel } from '../../src/core/stats/stats-kernel.js';
import { statsKernel, wasmKernelAvailable } from '../../src/core/stats/stats-kernel-wasm.js';
import { exactPercentiles, sparseKeysOfValues } from '../../src/core/stats/stats-keys.js';
import { computeModelStats } from '../../src/core/stats/stats-model.js';
import { computeTensorStats } from '../../src/core/stats/stats-tensor.js';
import type { ModelStats } from '../../src/core/stats/stats-types.js';
import { f32Tensor, modelOf, normals } from './stats-helpers.js';

const workerPath = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'dist/stats-worker.js');
const kernels: StatsKernel[] = [new JsStatsKernel(), ...(wasmKernelAvailable() ? [statsKernel('wasm')] : [])];

/** Values with NaN, ±Inf and ±0 sprinkled in at `every`-th places (0: none). */
function spiked(n: number, seed: number, every: number): Float32Array {
  const v = normals(n, seed, 0.1, 0.02);
  if (every) for (let i = 3; i < n; i += every) v[i] = [NaN, Infinity, -Infinity, 0, -0][i % 5];
  return v;
}

test('pass1Rows gives each segment the figures of its own pass1 call, and the block the sums of adding them in order', () => {
  for (const kernel of kernels) {
    for (const [n, first, len, every] of [[9648, 16, 16, 0], [9648, 5, 16, 97], [1000, 1000, 1000, 0], [777, 3, 7, 11], [64, 1, 2, 0]]) {
      const v = spiked(n, n + first, every);
      const slot = kernel.newSlot(256);
      slot.values().set(v);
      const seg = kernel.pass1Rows(slot, 0, n, 0.1, first, len, 1.5, 2.5).slice();
      let s1 = 1.5, s2 = 2.5, z = 0, fin = 0, mn = Infinity, mx = -Infinity, j = 6;
      for (let off = 0, m = first; off < n; off += m, m = len, j += 6) {
        m = Math.min(m, n - off);
        const r = emptyPass1();
        kernel.pass1(slot, off, m, 0.1, r);
        assert.deepEqual([...seg.subarray(j, j + 6)], [r.min, r.max, r.s1, r.s2, r.zeros, r.finite], `${kernel.name} segment at ${off}`);
        s1 += r.s1; s2 += r.s2; z += r.zeros; fin += r.finite; mn = Math.min(mn, r.min); mx = Math.max(mx, r.max);
      }
      assert.deepEqual([...seg.subarray(0, 6)], [s1, s2, mn, mx, z, fin], `${kernel.name} block of ${n}`);
      kernel.release(slot);
    }
  }
});

test('distinct reads off the ascending key buckets a pass2 call counted and zeroes them; gather gives the values of chosen keys, in order', () => {
  const f = new Float32Array(1), u = new Uint32Array(f.buffer);
  const keyOf = (x: number) => { f[0] = x; return u[0] >>> 16; };
  const show = (xs: Iterable<number>) => [...xs].map((x) => (Object.is(x, -0) ? '-0' : String(x)));
  for (const kernel of kernels) {
    for (const n of [1, 5, 9648, 65536]) {
      const v = spiked(n, n, 13);
      const slot = kernel.newSlot(256);
      slot.values().set(v);
      kernel.pass2(slot, n, -1, 100, 256, -1, 1);
      const want = new Map<number, number>();
      for (const x of v) want.set(keyOf(x), (want.get(keyOf(x)) ?? 0) + 1);
      const keys = kernel.distinct(slot, n);
      assert.deepEqual([...keys.index], [...want.keys()].sort((a, b) => a - b), `${kernel.name} ${n}: keys`);
      assert.deepEqual([...keys.count], [...keys.index].map((k) => want.get(k)), `${kernel.name} ${n}: counts`);
      assert.equal(kernel.keys(slot).some((c) => c !== 0), false, `${kernel.name} ${n}: buckets left zero`);
      const chosen = [...keys.index].filter((_, i) => i % 3 === 0);
      assert.deepEqual(show(kernel.gather(slot, n, chosen)), show([...v].filter((x) => chosen.includes(keyOf(x)))), `${kernel.name} ${n}: gather`);
      assert.equal(kernel.keys(slot).some((c) => c !== 0), false, `${kernel.name} ${n}: buckets left zero after gather`);
      kernel.release(slot);
    }
  }
});

test('one-block float32 tensors: exact percentiles and key buckets as sorting the finite values gives, the same from both kernels', async () => {
  const cases: [string, Float32Array, number[]][] = [
    ['rows', spiked(9648, 1, 0), [603, 16]],
    ['rows with NaN and Inf', spiked(9648, 2, 41), [603, 16]],
    ['flat with specials', spiked(5000, 3, 7), [5000]],
    ['all one value', new Float32Array(300).fill(0.25), [30, 10]],
    ['signed zeros', Float32Array.from([0, -0, -0, 0, 1, -1]), [3, 2]],
    ['scalar', Float32Array.from([-3.5]), []],
    ['a full block', spiked(65536, 4, 1001), [256, 256]],
  ];
  for (const [label, v, shape] of cases) {
    const t = f32Tensor(label, v, shape);
    const js = await computeTensorStats(t, { kernel: 'js' });
    const finite = Float64Array.from([...v].filter((x) => Number.isFinite(x))).sort();
    assert.deepStrictEqual(js.percentiles, exactPercentiles(finite), label);
    const keys = sparseKeysOfValues(finite);
    const logCounts = js.logHistogram.counts.reduce((a, b) => a + b, 0);
    assert.equal(logCounts, [...finite].filter((x) => x !== 0).length, `${label}: the log histogram holds every non-zero finite value`);
    assert.ok(keys.index.length > 0, label);
    // Moments and per-row ranges against float64 sums over the finite values.
    const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
    const std = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / finite.length);
    assert.ok(Math.abs(js.mean - mean) <= 1e-12 * Math.max(1, Math.abs(mean)), `${label}: mean ${js.mean} vs ${mean}`);
    assert.ok(Math.abs(js.std - std) <= 1e-9 * Math.max(1e-12, std), `${label}: std ${js.std} vs ${std}`);
    if (js.rows?.rowMin) {
      const size = js.rows.rowSize;
      for (let r = 0; r < js.rows.rows; r++) {
        const row = [...v.subarray(r * size, (r + 1) * size)].filter((x) => Number.isFinite(x));
        assert.equal(js.rows.rowMin[r], row.length ? Math.min(...row) + 0 : NaN, `${label}: row ${r} min`);
        assert.equal(js.rows.rowMax![r], row.length ? Math.max(...row) + 0 : NaN, `${label}: row ${r} max`);
      }
    }
    if (wasmKernelAvailable()) {
      const wasm = await computeTensorStats(t, { kernel: 'wasm' });
      assert.deepStrictEqual({ ...wasm, kernel: 'js' }, js, label);
    }
  }
});

test('many tiny tensors in batches give the figures of one tensor at a time, in this thread and in workers', async () => {
  const tensors = [];
  for (let i = 0; i < 400; i++) {
    const shape = i % 4 === 0 ? [] : i % 4 === 1 ? [1 + (i % 7)] : [2 + (i % 5), 1 + (i % 9)];
    const n = shape.reduce((a, b) => a * b, 1);
    tensors.push(f32Tensor(`t${i}`, spiked(n, i + 1, i % 3 ? 0 : 5), shape));
  }
  const model = modelOf(tensors, []);
  const strip = ({ elapsedMs: _e, ...rest }: ModelStats) => rest;
  const inThread = await computeModelStats(model, { workers: 0 });
  assert.equal(inThread.tensors.length, 400);
  for (const [i, t] of tensors.entries()) assert.deepStrictEqual(inThread.tensors[i], await computeTensorStats(t), t.name);
  for (const workers of [1, 2]) assert.deepStrictEqual(strip(await computeModelStats(model, { workers, workerPath })), strip(inThread));
});
