// Pairs the weights of two aligned models (through the matched nodes' input slots, then by name)
// and compares each pair's values: dtype and shape, max abs / relative error, cosine, SQNR, with
// quantized weights compared through their dequantized values.
import type { Model, Node } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import { collectWeights } from '../ir/walk.js';
import type { Alignment } from './alignment.js';
import { constantSource } from './graph-side.js';
import { compareArrays, identical, sameShape, unitRoundoff } from './tensor-metrics.js';
import { quantizationOf, quantizationStep, tensorNumbers, type TensorNumbers } from './tensor-values.js';
import { FOLD_TOLERANCE, foldedValues, type FoldSpec } from './folded-weights.js';
import type { WeightDifference } from './types.js';

/** Two weights that hold the same parameter, and the A nodes that read it. */
export interface WeightPair {
  a: Tensor;
  b: Tensor;
  readers: Node[];
  /** A BatchNorm one side folded into this weight's node: that side is folded before comparing. */
  fold?: FoldSpec & { side: 'a' | 'b' };
}

/** One compared pair; `beyondRounding` when B differs by more than its dtype change explains. */
export interface ComparedWeight {
  pair: WeightPair;
  diff: WeightDifference;
  identical: boolean;
  beyondRounding: boolean;
  /** Set when a side's bytes could not be read (a missing shard…). */
  unreadable?: { side: 'a' | 'b'; message: string };
}

/** The weight pairs of an alignment: slot by slot of matched nodes first, then by name among the rest. */
export function pairWeights(al: Alignment, a: Model, b: Model): WeightPair[] {
  const byA = new Map<Tensor, WeightPair>();
  const usedB = new Set<Tensor>();
  for (const [na, nb] of al.aToB) {
    const n = Math.min(na.inputs.length, nb.inputs.length);
    for (let i = 0; i < n; i++) {
      const ta = constantSource(na.inputs[i])?.tensor, tb = constantSource(nb.inputs[i])?.tensor;
      if (!ta || !tb) continue;
      const known = byA.get(ta);
      if (known) { if (!known.readers.includes(na)) known.readers.push(na); continue; }
      if (usedB.has(tb)) continue;
      const pair: WeightPair = { a: ta, b: tb, readers: [na] };
      const fold = foldOf(al, na, nb, i);
      if (fold) pair.fold = fold;
      byA.set(ta, pair);
      usedB.add(tb);
    }
  }
  const bByName = new Map(collectWeights(b).map((t) => [t.name, t]));
  const readers = readerMap(al);
  for (const ta of collectWeights(a)) {
    if (byA.has(ta)) continue;
    const tb = bByName.get(ta.name);
    if (tb && !usedB.has(tb)) { byA.set(ta, { a: ta, b: tb, readers: readers.get(ta) ?? [] }); usedB.add(tb); }
  }
  return [...byA.values()];
}

/** A's main-graph nodes by the weights they read. */
function readerMap(al: Alignment): Map<Tensor, Node[]> {
  const out = new Map<Tensor, Node[]>();
  for (const n of al.a.nodes) {
    for (const v of n.inputs) {
      const t = constantSource(v)?.tensor;
      if (!t) continue;
      const list = out.get(t);
      if (!list) out.set(t, [n]); else if (!list.includes(n)) list.push(n);
    }
  }
  return out;
}

/** The BatchNorm a rewrite match absorbed on one side, when slot `i` is the host's weight (1) or bias (2). */
function foldOf(al: Alignment, na: Node, nb: Node, i: number): WeightPair['fold'] | undefined {
  if (i !== 1 && i !== 2) return undefined;
  const part = i === 1 ? 'weight' : 'bias';
  const bnA = al.fusedA.get(na)?.find((n) => n.opType === 'BatchNormalization');
  if (bnA) return { side: 'a', bn: bnA, host: na, part };
  const bnB = al.fusedB.get(nb)?.find((n) => n.opType === 'BatchNormalization');
  if (bnB) return { side: 'b', bn: bnB, host: nb, part };
  return undefined;
}


/** Compares every pair; reads tensors one pair at a time. */
export async function compareWeights(pairs: readonly WeightPair[], a: Model, b: Model, signal?: AbortSignal): Promise<ComparedWeight[]> {
  const qa = await quantizationOf(a), qb = await quantizationOf(b);
  const out: ComparedWeight[] = [];
  for (const pair of pairs) {
    if (signal?.aborted) break;
    out.push(await comparePair(pair, qa(pair.a), qb(pair.b)));
  }
  return out;
}

async function comparePair(pair: WeightPair, quantA: ReturnType<Awaited<ReturnType<typeof quantizationOf>>>, quantB: typeof quantA): Promise<ComparedWeight> {
  const { a, b } = pair;
  const dtypeA = quantA ? 'float32' : a.logicalType ?? a.dtype;
  const dtypeB = quantB ? b.dtype : b.logicalType ?? b.dtype;
  const dtype = a.dtype === b.dtype ? a.dtype : `${quantA ? a.dtype : dtypeA} → ${b.dtype}`;
  const diff: WeightDifference = { name: a.name, dtype, shapeA: a.shape, shapeB: b.shape, maxAbs: 0, maxRel: 0, cosine: 1, sqnrDb: Infinity };
  if (b.name !== a.name) diff.nameB = b.name;
  if (quantB || quantA) diff.dequantized = true;
  const fail = (note: string): ComparedWeight => {
    Object.assign(diff, { maxAbs: NaN, maxRel: NaN, cosine: NaN, sqnrDb: NaN, note });
    return { pair, diff, identical: false, beyondRounding: true };
  };
  if (a.elementCount !== b.elementCount) return fail(`shape [${a.shape.join(', ')}] → [${b.shape.join(', ')}]: values not compared`);
  let va: TensorNumbers | null, vb: TensorNumbers | null;
  try { va = await tensorNumbers(a, quantA); } catch (e) { return { ...fail(`A unreadable: ${(e as Error).message}`), unreadable: { side: 'a', message: (e as Error).message } }; }
  try { vb = await tensorNumbers(b, quantB); } catch (e) { return { ...fail(`B unreadable: ${(e as Error).message}`), unreadable: { side: 'b', message: (e as Error).message } }; }
  if (!va || !vb) {
    if (a.dtype === 'string' && b.dtype === 'string' && a.data.strings && b.data.strings) return compareStrings(pair, diff, await a.data.strings(), await b.data.strings());
    return fail(`${!va ? a.dtype : b.dtype} values are not numbers: not compared`);
  }
  if (pair.fold) {
    const folded = await foldedValues(pair.fold.side === 'a' ? a : b, pair.fold.side === 'a' ? va : vb, pair.fold);
    if (folded) {
      if (pair.fold.side === 'a') va = folded; else vb = folded;
      diff.note = `compared with ${pair.fold.bn.name || 'the BatchNormalization'} folded into ${pair.fold.side === 'a' ? 'A' : 'B'}'s ${pair.fold.part}`;
    }
  }
  const transposed = a.shape.length === 2 && b.shape.length === 2 && a.shape[0] !== a.shape[1] && a.shape[0] === b.shape[1] && a.shape[1] === b.shape[0];
  if (transposed) vb = transpose(vb, b.shape[0], b.shape[1]); // Gemm's transB against MatMul's [in, out]
  const m = compareArrays(va, vb);
  Object.assign(diff, { maxAbs: m.maxAbs, maxRel: m.maxRel, cosine: m.cosine, sqnrDb: m.sqnrDb });
  if (!sameShape(a.shape, b.shape)) diff.note = `${diff.note ? `${diff.note}; ` : ''}shape [${a.shape.join(', ')}] → [${b.shape.join(', ')}]${transposed ? ': compared transposed' : ', same element count: compared in order'}`;
  const same = identical(m);
  if (pair.fold && diff.note?.startsWith('compared with')) return { pair, diff, identical: same, beyondRounding: !same && (m.mismatched > 0 || m.maxRel > FOLD_TOLERANCE) };
  return { pair, diff, identical: same, beyondRounding: !same && !withinRounding(m.maxAbs, m.maxRel, m.mismatched, dtypeA, dtypeB, quantA, quantB) };
}

/** String tensors: equal, or how many entries differ (no numeric error to give). */
function compareStrings(pair: WeightPair, diff: WeightDifference, sa: string[], sb: string[]): ComparedWeight {
  let differ = Math.abs(sa.length - sb.length);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) if (sa[i] !== sb[i]) differ++;
  if (!differ) return { pair, diff, identical: true, beyondRounding: false };
  Object.assign(diff, { maxAbs: NaN, maxRel: NaN, cosine: NaN, sqnrDb: NaN, note: `${differ} of ${Math.max(sa.length, sb.length)} strings differ` });
  return { pair, diff, identical: false, beyondRounding: true };
}

function transpose(v: TensorNumbers, rows: number, cols: number): TensorNumbers {
  const out = v instanceof Float32Array ? new Float32Array(v.length) : new Float64Array(v.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = v[r * cols + c];
  return out;
}

/** True when the error is what rounding to the narrower dtype (or to the quantization grid) gives. */
function withinRounding(maxAbs: number, maxRel: number, mismatched: number, dtypeA: string, dtypeB: string, quantA: Parameters<typeof quantizationStep>[0], quantB: typeof quantA): boolean {
  if (mismatched) return false;
  const step = Math.max(quantizationStep(quantA), quantizationStep(quantB));
  if (step > 0) return maxAbs <= step * (1 + 1e-4) + 1e-12;
  if (dtypeA === dtypeB) return false;
  const u = Math.max(unitRoundoff(dtypeA), unitRoundoff(dtypeB));
  return u > 0 && maxRel <= u * (1 + 1e-3);
}
