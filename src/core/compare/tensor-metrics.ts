// The numbers of one comparison of two arrays (weights or activations), in one pass over both:
// max abs error, error relative to A's largest magnitude, cosine similarity and SQNR. A is the
// reference. Tight typed-array loop: it is what the weight-throughput bench measures.

/** How far B is from A (the reference). */
export interface ArrayMetrics {
  /** max |a − b| over elements where both are finite or equal. */
  maxAbs: number;
  /** maxAbs / max |a|: the error relative to the tensor's largest value (0 when equal). */
  maxRel: number;
  /** cos(a, b) over the flattened values; 1 when both are all zeros. */
  cosine: number;
  /** 10·log10(Σa² / Σ(a−b)²); Infinity when equal, 0 when A is all zeros and B is not. */
  sqnrDb: number;
  /** max |a|. */
  maxMagnitude: number;
  /** Elements that are NaN or infinite in one and not (the same) in the other. */
  mismatched: number;
  /** Elements compared. */
  count: number;
}

type Numbers = Float32Array | Float64Array;

/** Compares `a` (reference) and `b` element by element; lengths must agree (the shorter wins otherwise). */
export function compareArrays(a: Numbers, b: Numbers): ArrayMetrics {
  return a instanceof Float32Array && b instanceof Float32Array ? fastPass32(a, b) ?? carefulPass(a, b) : fastPass(a, b) ?? carefulPass(a, b);
}

// The fast pass assumes finite values: no branch on NaN or infinity per element (comparisons with
// NaN are false, so only the sums carry one), and the sums say at the end whether the careful pass
// must run. Signed extremes instead of Math.abs keep the loop to adds, multiplies and compares.
// Two copies, so each stays monomorphic over its array type.
function fastPass32(a: Float32Array, b: Float32Array): ArrayMetrics | null {
  const n = Math.min(a.length, b.length);
  let dHi = 0, dLo = 0, xHi = 0, xLo = 0, sa = 0, sb = 0, sd = 0, dot = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i], y = b[i], d = x - y;
    if (d > dHi) dHi = d; else if (d < dLo) dLo = d;
    if (x > xHi) xHi = x; else if (x < xLo) xLo = x;
    sa += x * x; sb += y * y; sd += d * d; dot += x * y;
  }
  if (!Number.isFinite(sa + sb + sd + dot)) return null;
  return finish(Math.max(dHi, -dLo), Math.max(xHi, -xLo), sa, sb, sd, dot, 0, n);
}

function fastPass(a: Numbers, b: Numbers): ArrayMetrics | null {
  const n = Math.min(a.length, b.length);
  let dHi = 0, dLo = 0, xHi = 0, xLo = 0, sa = 0, sb = 0, sd = 0, dot = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i], y = b[i], d = x - y;
    if (d > dHi) dHi = d; else if (d < dLo) dLo = d;
    if (x > xHi) xHi = x; else if (x < xLo) xLo = x;
    sa += x * x; sb += y * y; sd += d * d; dot += x * y;
  }
  if (!Number.isFinite(sa + sb + sd + dot)) return null;
  return finish(Math.max(dHi, -dLo), Math.max(xHi, -xLo), sa, sb, sd, dot, 0, n);
}

/** Element by element with NaN and infinities: equal ones count as equal, the others as mismatched. */
function carefulPass(a: Numbers, b: Numbers): ArrayMetrics {
  const n = Math.min(a.length, b.length);
  let maxAbs = 0, maxMag = 0, sa = 0, sb = 0, sd = 0, dot = 0, mismatched = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i], y = b[i];
    const d = x - y;
    if (d !== d || d === Infinity || d === -Infinity) {
      if (!(x === y || (x !== x && y !== y))) mismatched++;
      continue;
    }
    const ad = d < 0 ? -d : d;
    const ax = x < 0 ? -x : x;
    if (ad > maxAbs) maxAbs = ad;
    if (ax > maxMag) maxMag = ax;
    sa += x * x;
    sb += y * y;
    sd += d * d;
    dot += x * y;
  }
  return finish(maxAbs, maxMag, sa, sb, sd, dot, mismatched, n);
}

/** The metrics from the sums one pass gathered (shared with callers that stream in blocks). */
export function finish(maxAbs: number, maxMag: number, sa: number, sb: number, sd: number, dot: number, mismatched: number, count: number): ArrayMetrics {
  const cosine = sa === 0 && sb === 0 ? 1 : sa === 0 || sb === 0 ? 0 : Math.max(-1, Math.min(1, dot / Math.sqrt(sa * sb)));
  const sqnrDb = sd === 0 ? (mismatched ? 0 : Infinity) : sa === 0 ? 0 : 10 * Math.log10(sa / sd);
  const maxRel = maxAbs === 0 ? 0 : maxMag === 0 ? Infinity : maxAbs / maxMag;
  return { maxAbs: mismatched ? Infinity : maxAbs, maxRel: mismatched ? Infinity : maxRel, cosine, sqnrDb, maxMagnitude: maxMag, mismatched, count };
}

/** True when two shapes are the same dims in the same order. */
export const sameShape = (x: readonly number[], y: readonly number[]): boolean => x.length === y.length && x.every((d, i) => d === y[i]);

/** True when the two arrays hold the same values (NaN equal to NaN). */
export function identical(m: ArrayMetrics): boolean {
  return m.maxAbs === 0 && m.mismatched === 0;
}

/** Unit roundoff of a float dtype (half an ulp at 1), for "changed beyond rounding"; 0 for exact types. */
export function unitRoundoff(dtype: string): number {
  switch (dtype) {
    case 'float16': return 2 ** -11;
    case 'bfloat16': return 2 ** -8;
    case 'float32': return 2 ** -24;
    case 'float8e4m3fn': case 'float8e4m3fnuz': return 2 ** -4;
    case 'float8e5m2': case 'float8e5m2fnuz': return 2 ** -3;
    default: return 0;
  }
}

/** Counts of `values` in `bins` equal bins over [min, max] (values outside and non-finite ones left out). */
export function histogram(values: Numbers, min: number, max: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= min && v <= max)) continue;
    const k = width > 0 ? Math.min(bins - 1, Math.floor((v - min) / width)) : 0;
    counts[k]++;
  }
  return counts;
}
