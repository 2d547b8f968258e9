// The all-values overview reduced inside the graph: instead of returning every activation (copies,
// output tensors, IPC, JS stats: 6–10× a plain run's request on the 600-node transformer, 60 ms of
// JS stats alone on SqueezeNet's 33 MB), the run returns min, max, sum and sum of squares of each
// value, in chunks, from which mean and std follow. Every extra node costs ORT microseconds whatever
// its size (per-value Reshape + four Reduces measured worse than gathering everything), so values
// are reduced in groups with no node per value: the float values of one dtype and shape (at most
// MAX_GROUP of them) are concatenated on axis 0 and reshaped to rows of at most 256 elements (each
// value its own rows), and each Reduce runs once over axis 1 of the group. Values of
// SOLO_MIN_ELEMENTS or more are reduced on their own (copying them costs more than their own
// kernels). The groups' results are concatenated into one float32 output; the chunks are added here
// in float64.
//
// The row shape is fixed from a first run at these input shapes: a run whose value sizes changed
// fails in the Reshape, and the caller then falls back to full tensors. Values whose sums come back
// non-finite (NaN, ±Inf, or an overflow) or whose variance E[x²] − E[x]² cancels too much to trust
// in float32 are marked `exact`: the caller fetches those few whole and summarizes them in JS. A
// value whose first run already showed such an offset (a Softmax's 1/n-centred output: 20 of them
// on the transformer, each fetched whole with a Reshape and a Shape of its own) is reduced centred
// instead: its sums are of x − c, c its first-run mean, which float32 sums give to full precision.
import type { DataType } from '../ir/dtype.js';
import { appendToGraph, encodeGraphOutputs, encodeNode, float32Constant, int64Constant, intAttribute, intsAttribute } from '../model-write/index.js';
import type { ValueStats, ValueSummary } from './output-stats.js';
import { shapeSize, type TensorArray } from './tensor-value.js';

/** Float dtypes reduced in the graph (float16 and float64 through a Cast to float32). */
export const REDUCED_DTYPES: readonly DataType[] = ['float32', 'float16', 'float64'];
/** Integer and bool values this large (masks, one-hots, ids) are reduced too, through a Cast; smaller ones (shapes) come whole. */
export const REDUCED_INT_MIN_ELEMENTS = 1024;
const INT_DTYPES: readonly string[] = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
/** Values this large are reduced alone rather than copied into their size group. */
export const SOLO_MIN_ELEMENTS = 16384;
/**
 * Most values in one group: a group's values stay alive until its Concat, so a group of every
 * layer's output holds them all to the end of the run (in-process A/B on the transformer: 32 at
 * 1.5–2.0× a plain run against 2.1–4.7× unbounded; on magika the same within noise).
 */
export const MAX_GROUP = 32;
/**
 * E[x²] over the variance above which float32 sums cannot give std to ~0.1 % (their relative
 * error, ~1e-6, times this ratio): such a value (a constant, an offset one) is summarized exactly.
 */
export const MAX_SQUARE_OVER_VARIANCE = 1000;

const PREFIX = '__model_lens_reduce_';
const STATS = ['ReduceMin', 'ReduceMax', 'ReduceSum', 'ReduceSumSquare'] as const;

export interface ReducedValueInfo {
  name: string;
  dtype: DataType;
  /** The shape seen in the first run at these input shapes. */
  shape: number[];
  /** Reduced as x − center (centerOf): its sums are of the centred values. */
  center?: number;
}

export interface ReduceLayout {
  /** The one float32 output: per group in turn, its rows' mins, then maxs, sums and sums of squares. */
  output: string;
  /** In output order: the values (indices into `values`) of each group, and how many chunk rows each value has. */
  groups: { members: number[]; parts: number }[];
  values: ReducedValueInfo[];
}

/**
 * True for a value the reduced overview summarizes in the graph: a float one, or a large integer
 * one whose values float32 holds exactly (|x| < 2^24 in the first run), not empty.
 */
export function isReducible(dtype: string, shape: readonly number[], stats?: ValueStats): boolean {
  const n = shapeSize(shape);
  if ((REDUCED_DTYPES as readonly string[]).includes(dtype)) return n > 0;
  return INT_DTYPES.includes(dtype) && n >= REDUCED_INT_MIN_ELEMENTS && !!stats && stats.min !== null && stats.max !== null && Math.max(-stats.min, stats.max) < 2 ** 24;
}

/**
 * True when float32 sums would not give these stats (NaN/Inf, a constant or strongly offset value):
 * checked on a first run's full tensors so that such values are returned whole from the start.
 */
export function needsExactSummary(s: ValueStats): boolean {
  if (s.nan || s.inf || s.mean === null || s.std === null) return true;
  if (s.min === s.max) return false; // a constant: min = max says so exactly
  const variance = s.std * s.std;
  return !(variance > 0) || variance + s.mean * s.mean > MAX_SQUARE_OVER_VARIANCE * variance;
}

/**
 * The center to reduce a value around: its first-run mean (as float32) when only the offset
 * (E[x²] ≫ variance) made needsExactSummary ask for the whole tensor; undefined otherwise.
 */
export function centerOf(s: ValueStats): number | undefined {
  if (s.nan || s.inf || s.mean === null || s.std === null || s.min === s.max || !(s.std > 0)) return undefined;
  return needsExactSummary(s) ? Math.fround(s.mean) : undefined;
}

/** Returns the model with the reduction nodes and four outputs appended, and how to read them. */
export function buildReducedCaptureModel(model: Uint8Array, values: readonly ReducedValueInfo[], opset: number, file = '<model>',
  { soloMinElements = SOLO_MIN_ELEMENTS, maxGroup = MAX_GROUP }: { soloMinElements?: number; maxGroup?: number } = {},
): { bytes: Uint8Array; layout: ReduceLayout } {
  const extra: number[] = [];
  const node = (op: string, inputs: string[], output: string, attrs: number[] = []) => extra.push(...encodeNode(op, `${PREFIX}${op}_${output}`, inputs, [output], attrs));
  // Reduce over axis 1: an attribute before opset 18 (13 for ReduceSum), an input from then on.
  const axes = `${PREFIX}axes`;
  if (opset >= 13) extra.push(...int64Constant(axes, [1]));
  const axesInput = (op: string) => (op === 'ReduceSum' ? opset >= 13 : opset >= 18);
  const reduce = (op: string, input: string, output: string) =>
    node(op, axesInput(op) ? [input, axes] : [input], output, [...intAttribute('keepdims', 0), ...(axesInput(op) ? [] : intsAttribute('axes', [1]))]);
  const targets = new Map<string, string>();
  const target = (m: number, n: number) => {
    let t = targets.get(`${m}x${n}`);
    if (!t) { t = `${PREFIX}shape_${m}x${n}`; targets.set(`${m}x${n}`, t); extra.push(...int64Constant(t, [m, n])); }
    return t;
  };
  // Values of one dtype and shape concatenated on axis 0 lie one after another, whole: Reshape
  // [m, L] makes each a row. No node per value, which is what made per-value taps cost.
  const groups: number[][] = [];
  const byShape = new Map<string, number[]>();
  values.forEach((v, i) => {
    if (!v.shape.length || shapeSize(v.shape) >= soloMinElements) { groups.push([i]); return; }
    const key = `${v.dtype}:${v.shape.join('x')}:${v.center !== undefined}`;
    const g = byShape.get(key);
    if (g && g.length < maxGroup) g.push(i); else { const ng = [i]; byShape.set(key, ng); groups.push(ng); }
  });
  // One Concat of every group's four results, group after group: ORT orders nodes depth first from
  // the outputs, so a group's four Reduces then run right after its last value is computed, while
  // it is still in cache (four outputs made three of them wait for the end of the graph). A Concat
  // per group first was one more node per group for the same order.
  const perGroup: string[] = [];
  const layoutGroups: ReduceLayout['groups'] = [];
  groups.forEach((members, g) => {
    const first = values[members[0]];
    let block = first.name;
    if (members.length > 1) { block = `${PREFIX}block_${g}`; node('Concat', members.map((i) => values[i].name), block, intAttribute('axis', 0)); }
    if (first.dtype !== 'float32') { const cast = `${PREFIX}f32_${g}`; node('Cast', [block], cast, intAttribute('to', 1)); block = cast; }
    const rows = `${PREFIX}rows_${g}`;
    const chunks = chunksOf(shapeSize(first.shape));
    node('Reshape', [block, target(members.length * chunks, shapeSize(first.shape) / chunks)], rows);
    layoutGroups.push({ members, parts: chunks });
    // Centred members: each row minus its value's center, for the sums (min and max stay exact).
    let summed = rows;
    if (first.center !== undefined) {
      const centers = `${PREFIX}centers_${g}`;
      extra.push(...float32Constant(centers, [members.length * chunks, 1], members.flatMap((i) => new Array<number>(chunks).fill(values[i].center ?? 0))));
      summed = `${PREFIX}centred_${g}`;
      node('Sub', [rows, centers], summed);
    }
    for (const op of STATS) {
      const out = `${PREFIX}${op}_${g}`;
      // ORT's CPU ReduceSumSquare takes no vectorized path (4.4× a ReduceSum's kernel time on
      // magika's 35 large values, half the overview's extra time there): square, then sum.
      if (op === 'ReduceSumSquare') { const sq = `${PREFIX}square_${g}`; node('Mul', [summed, summed], sq); reduce('ReduceSum', sq, out); } else reduce(op, op === 'ReduceSum' ? summed : rows, out);
      perGroup.push(out);
    }
  });
  const output = `${PREFIX}stats`;
  node('Concat', perGroup, output, intAttribute('axis', 0));
  extra.push(...encodeGraphOutputs([output]));
  return { bytes: appendToGraph(model, extra, file), layout: { output, groups: layoutGroups, values: [...values] } };
}

/**
 * How many chunks a value of n elements is reduced in: each Reduce sums at most MAX_CHUNK elements
 * in float32 and the chunks' partial sums are added here in float64 (a 1e5-element ReLU output's
 * std was 0.5 % off when summed in one float32 run). A chunk count must divide n; a size with no
 * divisor in range (a large prime) is reduced in one chunk.
 */
export function chunksOf(n: number): number {
  for (let c = Math.ceil(n / MAX_CHUNK); c <= Math.min(n, MAX_CHUNKS); c++) if (n % c === 0) return c;
  return 1;
}
const MAX_CHUNK = 256;
const MAX_CHUNKS = 16384;

/** One reduced value: its summary, or `exact` when the float32 sums cannot be trusted for it. */
export type ReducedSummary = { summary: ValueSummary; exact?: undefined } | { summary?: undefined; exact: true };

/**
 * Summaries from the four reduced outputs, in `layout.values` order; null when an output is
 * missing or has the wrong length (the caller falls back to full tensors).
 */
export function readReducedSummaries(layout: ReduceLayout, got: (name: string) => TensorArray | undefined): ReducedSummary[] | null {
  const data = got(layout.output);
  const total = layout.groups.reduce((a, g) => a + 4 * g.members.length * g.parts, 0);
  if (!(data instanceof Float32Array) || data.length !== total) return null;
  const out: ReducedSummary[] = new Array(layout.values.length);
  let at = 0;
  for (const { members, parts } of layout.groups) {
    const rows = members.length * parts;
    members.forEach((i, j) => {
      const v = layout.values[i];
      const count = shapeSize(v.shape);
      let min = Infinity, max = -Infinity, sum = 0, sq = 0;
      for (let k = at + j * parts, end = k + parts; k < end; k++) {
        min = Math.min(min, data[k]); max = Math.max(max, data[k + rows]);
        sum += data[k + 2 * rows]; sq += data[k + 3 * rows];
      }
      out[i] = summarizeSums(v, count, min, max, sum, sq);
    });
    at += 4 * rows;
  }
  return out;
}

function summarizeSums(v: ReducedValueInfo, count: number, min: number, max: number, sum: number, sq: number): ReducedSummary {
  // NaN or ±Inf anywhere makes the sum (or the sum of squares) non-finite: count them exactly.
  if (![min, max, sum, sq].every(Number.isFinite)) return { exact: true };
  // A constant (min = max) has its stats exactly, whatever the sums' rounding.
  if (min === max) return { summary: { name: v.name, dtype: v.dtype, shape: v.shape, min, max, mean: min, std: 0, nan: 0, inf: 0, from: 'graph' } };
  // Sums of x − center for a centred value: the same test tells whether they cancel too much.
  const centred = sum / count, meanSquare = sq / count;
  const variance = meanSquare - centred * centred;
  if (!(variance > 0) || meanSquare > MAX_SQUARE_OVER_VARIANCE * variance) return { exact: true };
  const mean = (v.center ?? 0) + centred;
  // Float32 sums may round the mean a hair outside [min, max]: keep it inside.
  return { summary: { name: v.name, dtype: v.dtype, shape: v.shape, min, max, mean: Math.min(max, Math.max(min, mean)), std: Math.sqrt(variance), nan: 0, inf: 0, from: 'graph' } };
}
