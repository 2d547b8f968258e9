// The one-pass metrics: exact numbers on small arrays, NaN and infinities, float64 input, histograms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareArrays, identical, histogram, unitRoundoff } from '../../src/core/compare/tensor-metrics.js';
import { dequantizeInPlace } from '../../src/core/compare/tensor-values.js';

test('max abs, max rel (to A\'s largest value), cosine and SQNR of a known pair', () => {
  const m = compareArrays(Float32Array.of(1, -2, 4, 0), Float32Array.of(1, -2.5, 4, 0.5));
  assert.equal(m.maxAbs, 0.5);
  assert.equal(m.maxRel, 0.125);
  assert.equal(m.maxMagnitude, 4);
  const dot = 1 + 5 + 16, na = 1 + 4 + 16, nb = 1 + 6.25 + 16 + 0.25;
  assert.ok(Math.abs(m.cosine - dot / Math.sqrt(na * nb)) < 1e-12);
  assert.ok(Math.abs(m.sqnrDb - 10 * Math.log10(na / 0.5)) < 1e-12);
  assert.equal(m.count, 4);
});

test('equal arrays: zero error, SQNR Infinity, cosine 1 (also all zeros); float64 input takes the same path', () => {
  const e = compareArrays(Float64Array.of(0.1, 0.2), Float64Array.of(0.1, 0.2));
  assert.deepEqual([e.maxAbs, e.maxRel, e.cosine, e.sqnrDb, identical(e)], [0, 0, 1, Infinity, true]);
  const z = compareArrays(new Float32Array(3), new Float32Array(3));
  assert.deepEqual([z.cosine, z.sqnrDb, identical(z)], [1, Infinity, true]);
  const off = compareArrays(new Float32Array(2), Float32Array.of(1, 0));
  assert.deepEqual([off.cosine, off.sqnrDb, off.maxRel], [0, 0, Infinity]);
});

test('NaN and infinities: the same in both places count as equal, elsewhere as mismatched', () => {
  const same = compareArrays(Float32Array.of(NaN, Infinity, 1), Float32Array.of(NaN, Infinity, 1));
  assert.ok(identical(same));
  assert.equal(same.sqnrDb, Infinity);
  const differ = compareArrays(Float32Array.of(NaN, 2, 1), Float32Array.of(0, 2, 1.5));
  assert.equal(differ.mismatched, 1);
  assert.equal(differ.maxAbs, Infinity);
  assert.ok(!identical(differ));
  assert.ok(Number.isFinite(differ.cosine));
});

test('unit roundoff per dtype; per-channel dequantization; histogram bins', () => {
  assert.deepEqual(['float16', 'bfloat16', 'float32', 'int8'].map(unitRoundoff), [2 ** -11, 2 ** -8, 2 ** -24, 0]);
  const v = Float32Array.of(1, 2, 3, 4, 5, 6); // shape [2, 3], axis 0: one scale per row
  dequantizeInPlace(v, [2, 3], { scale: [0.5, 2], zeroPoint: [0, 1], axis: 0, origin: 'test' });
  assert.deepEqual([...v], [0.5, 1, 1.5, 6, 8, 10]);
  assert.deepEqual(histogram(Float32Array.of(0, 0.1, 0.5, 1, NaN, 2), 0, 1, 2), [2, 2]);
});
