/**
 * Exact percentiles and key buckets of a small tensor's finite values without sorting them all:
 * one pass counts the values per bit-pattern key (the top 16 bits of the float32 encoding, which
 * orders values monotonically), the wanted ranks are located on the keys in value order, and only
 * the values of the (at most 14) keys holding those ranks are sorted. Same numbers as sorting
 * everything (numpy "linear" on the sorted values), in O(n) for spread-out values.
 */
import { exactPercentiles, type SparseKeys } from './stats-keys.js';
import type { KernelSlot, StatsKernel } from './stats-kernel.js';
import type { Percentiles } from './stats-types.js';

const PCTS = [1, 5, 25, 50, 75, 95, 99] as const;
const KEYS = 65536;

// Scratch shared by every call in this thread; `counts` and `wanted` are all zero between calls.
const counts = new Uint32Array(KEYS);
const wanted = new Uint8Array(KEYS);
const seen = new Uint16Array(KEYS);
const tmp16 = new Uint16Array(KEYS);
const digit = new Int32Array(257);
let f32 = new Float32Array(4096);
let i32 = new Int32Array(f32.buffer); // int32 loads stay small integers (uint32 ones of negatives do not)

/** Sorts a[0, d) ascending: two counting passes over the bytes (typed-array sort costs more here). */
function sort16(a: Uint16Array, d: number): void {
  if (d < 2) return;
  for (let shift = 0; shift <= 8; shift += 8) {
    const [from, to] = shift ? [tmp16, a] : [a, tmp16];
    digit.fill(0);
    for (let i = 0; i < d; i++) digit[((from[i] >> shift) & 255) + 1]++;
    for (let b = 1; b < 257; b++) digit[b] += digit[b - 1];
    for (let i = 0; i < d; i++) to[digit[(from[i] >> shift) & 255]++] = from[i];
  }
}

export interface ExactSummary {
  keys: SparseKeys;
  percentiles: Percentiles | null;
}

/**
 * Exact percentiles of n finite values from their key buckets (`keys`, ascending): the ranks
 * wanted are located on the buckets in value order and only the values of the buckets holding
 * them, collected by `gather` (any order, into an array as long as their count), are sorted.
 */
function summaryOfKeys(n: number, keys: SparseKeys, gather: (wanted: number[], out: Float64Array) => void): ExactSummary {
  const { index, count } = keys;
  const d = index.length;
  let negatives = 0;
  while (negatives < d && index[d - 1 - negatives] & 0x8000) negatives++;
  let percentiles: Percentiles | null = null;
  if (n > 0) {
    // Ranks needed: floor and floor+1 of each target.
    const ranks: number[] = [];
    for (const p of PCTS) {
      const r = Math.floor((p / 100) * (n - 1));
      ranks.push(r);
      if (r + 1 < n) ranks.push(r + 1);
    }
    ranks.sort((a, b) => a - b);
    // The buckets holding a wanted rank, and the rank of each one's first value. Value order: the
    // negative keys (at the end of the ascending list) from the largest down, then the others up.
    const picked: { first: number; count: number }[] = [];
    const wanted: number[] = [];
    let cum = 0, r = 0, m = 0;
    for (let j = 0; j < d && r < ranks.length; j++) {
      const at = j < negatives ? d - 1 - j : j - negatives;
      const c = count[at];
      if (ranks[r] < cum + c) {
        picked.push({ first: cum, count: c });
        wanted.push(index[at]);
        m += c;
        while (r < ranks.length && ranks[r] < cum + c) r++;
      }
      cum += c;
    }
    const gathered = new Float64Array(m);
    gather(wanted, gathered);
    gathered.sort();
    // picked is in value order, so each bucket's values sit together in `gathered`.
    const at = new Map<number, number>();
    let base = 0;
    for (const p of picked) {
      for (const rank of ranks) if (rank >= p.first && rank < p.first + p.count) at.set(rank, gathered[base + rank - p.first]);
      base += p.count;
    }
    percentiles = exactPercentiles({ length: n, at: (i: number) => at.get(i)! });
  }
  return { keys, percentiles };
}

/** Key buckets and exact percentiles of `values` (finite values, any order; left unchanged). */
export function exactSummary(values: Float64Array): ExactSummary {
  const n = values.length;
  if (f32.length < n) {
    f32 = new Float32Array(Math.max(n, 2 * f32.length));
    i32 = new Int32Array(f32.buffer);
  }
  f32.set(values);
  let d = 0;
  for (let i = 0; i < n; i++) {
    const k = i32[i] >>> 16;
    if (counts[k]++ === 0) seen[d++] = k;
  }
  sort16(seen, d);
  const index = Uint32Array.from(seen.subarray(0, d));
  const count = Float64Array.from(index, (k) => counts[k]);
  for (let j = 0; j < d; j++) counts[seen[j]] = 0;
  return summaryOfKeys(n, { index, count }, (keys, into) => {
    for (const k of keys) wanted[k] = 1;
    for (let i = 0, g = 0; i < n; i++) if (wanted[i32[i] >>> 16]) into[g++] = values[i];
    for (const k of keys) wanted[k] = 0;
  });
}

/** No key of a finite value has an all-ones exponent. */
const finiteKey = (k: number) => (k & 0x7f80) !== 0x7f80;

/**
 * exactSummary of the finite values among the first n of a kernel slot's block, when one pass2
 * call counted them all (their key buckets are the slot's): no copy of the values, and the work
 * beyond the kernel's own loops is per distinct key. Leaves the slot's key buckets zero.
 */
export function exactSummaryOfSlot(kernel: StatsKernel, slot: KernelSlot, n: number, finite: number): ExactSummary {
  let keys = kernel.distinct(slot, n);
  if (finite < n) {
    const keep = Array.from(keys.index, finiteKey);
    keys = { index: keys.index.filter((_, j) => keep[j]), count: keys.count.filter((_, j) => keep[j]) };
  }
  return summaryOfKeys(finite, keys, (wanted, into) => into.set(kernel.gather(slot, n, wanted)));
}
