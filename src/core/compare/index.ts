// PLACEHOLDER until branch compare-engine lands: the smallest engine the compare view can be built
// and tested against (name matching, Q/DQ pass-through, weights compared dequantized). The merge of
// compare-engine replaces this file with the real one; nothing else here depends on its insides.
import type { Model, Node } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import { readTensorNumbers } from '../explain/values/tensor-values.js';
import { quantizationFromGraph } from '../stats/stats-quantization.js';
import type { DiffReport, NodeMatch, NodeStatus, WeightDifference } from './types.js';

export type * from './types.js';

export interface CompareOptions { signal?: AbortSignal }

const PASS = new Set(['QuantizeLinear', 'DequantizeLinear', 'Cast']);

/** The weight a node input reads: an initializer, or one seen through a DequantizeLinear/Cast. */
function weightOf(v: Node['inputs'][number]): Tensor | undefined {
  if (!v) return undefined;
  if (v.tensor) return v.tensor;
  const p = v.producer;
  if (p && PASS.has(p.opType)) return weightOf(p.inputs[0]);
  return undefined;
}

/** A weight's values as computed with: dequantized with what the graph's DequantizeLinear says. */
async function numbers(m: Model, t: Tensor): Promise<Float64Array> {
  const q = (await quantizationFromGraph(m)).get(t);
  return readTensorNumbers(q ? { ...t, quantization: q } : t);
}

const attrWords = (n: Node) => new Map(n.attributes.map((a) => [a.name, JSON.stringify(a, (_k, x) => (typeof x === 'bigint' ? Number(x) : x instanceof Uint8Array ? `${x.length} bytes` : x))]));

function metrics(a: Float64Array, b: Float64Array) {
  let maxAbs = 0, maxMag = 0, sa = 0, sd = 0, sb = 0, dot = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = a[i] - b[i];
    maxAbs = Math.max(maxAbs, Math.abs(d)); maxMag = Math.max(maxMag, Math.abs(a[i]));
    sa += a[i] * a[i]; sb += b[i] * b[i]; sd += d * d; dot += a[i] * b[i];
  }
  return { maxAbs, maxRel: maxAbs === 0 ? 0 : maxAbs / (maxMag || 1), cosine: sa === 0 && sb === 0 ? 1 : dot / Math.sqrt(sa * sb || 1), sqnrDb: sd === 0 ? Infinity : 10 * Math.log10(sa / sd) };
}

/** Compares two models: nodes matched by name, attributes and weights of each pair. */
export async function compareModels(a: Model, b: Model, _options: CompareOptions = {}): Promise<DiffReport> {
  const byName = new Map(b.graph.nodes.map((n) => [n.name, n]));
  const matches: NodeMatch[] = [];
  const changedAttributes: DiffReport['changedAttributes'] = [];
  const changedWeights: WeightDifference[] = [];
  const used = new Set<string>();
  const dtypeChanges: Record<string, number> = {};
  let compared = 0;
  for (const na of a.graph.nodes) {
    const nb = byName.get(na.name);
    if (!nb || nb.opType !== na.opType) continue;
    used.add(nb.name);
    let status: NodeMatch['status'] = 'unchanged';
    const aa = attrWords(na), ab = attrWords(nb);
    for (const k of new Set([...aa.keys(), ...ab.keys()])) {
      if (aa.get(k) === ab.get(k)) continue;
      status = 'attributes';
      changedAttributes.push({ node: na.name, attribute: k, a: aa.get(k), b: ab.get(k) });
    }
    for (let i = 0; i < na.inputs.length; i++) {
      const ta = weightOf(na.inputs[i]), tb = weightOf(nb.inputs[i]);
      if (!ta || !tb) continue;
      compared++;
      const dtype = ta.dtype === tb.dtype ? ta.dtype : `${ta.dtype} → ${tb.dtype}`;
      if (ta.dtype !== tb.dtype) dtypeChanges[dtype] = (dtypeChanges[dtype] ?? 0) + 1;
      const m = metrics(await numbers(a, ta), await numbers(b, tb));
      if (m.maxAbs === 0) continue;
      status = 'weights';
      changedWeights.push({ name: ta.name, nameB: tb.name !== ta.name ? tb.name : undefined, dtype, shapeA: ta.shape, shapeB: tb.shape, ...m, dequantized: tb.dtype !== ta.dtype || undefined });
    }
    matches.push({ a: na.name, b: nb.name, reason: 'name', status });
  }
  const added = b.graph.nodes.filter((n) => !used.has(n.name)).map((n) => n.name);
  const removed = a.graph.nodes.filter((n) => !matches.some((m) => m.a === n.name)).map((n) => n.name);
  const maxRel = Math.max(0, ...changedWeights.map((w) => w.maxRel));
  const kinds = Object.entries(dtypeChanges).map(([k, n]) => `${n} tensors ${k}`).join(', ');
  return {
    a: { path: a.path, format: a.format, nodes: a.graph.nodes.length },
    b: { path: b.path, format: b.format, nodes: b.graph.nodes.length },
    matched: matches.length, added, removed, matches, changedAttributes, changedWeights,
    weightSummary: { compared, changed: changedWeights.length, dtypeChanges, maxRel, beyondRounding: [], words: `${kinds || `${changedWeights.length} of ${compared} tensors changed`}, max relative error ${maxRel.toExponential(1)}` },
  };
}

/** Status of every node of each side by name (matched nodes take their pair's status). */
export function nodeStatuses(report: DiffReport): { a: Map<string, NodeStatus>; b: Map<string, NodeStatus> } {
  const a = new Map<string, NodeStatus>(), b = new Map<string, NodeStatus>();
  for (const m of report.matches) { a.set(m.a, m.status); b.set(m.b, m.status); }
  for (const n of report.removed) a.set(n, 'removed');
  for (const n of report.added) b.set(n, 'added');
  return { a, b };
}

/** Two histograms on shared bin edges: a weight of A (by name) and its partner in B, dequantized. */
export async function weightHistograms(a: Model, b: Model, nameA: string, nameB = nameA, bins = 64): Promise<{ edges: number[]; a: number[]; b: number[] }> {
  const find = (m: Model, n: string) => m.graph.weights.find((t) => t.name === n) ?? weightOf(m.graph.values.get(n) ?? null);
  const ta = find(a, nameA), tb = find(b, nameB);
  if (!ta || !tb) throw new Error(`no weight '${ta ? nameB : nameA}' in ${ta ? b.path : a.path}`);
  const va = await numbers(a, ta), vb = await numbers(b, tb);
  let lo = Infinity, hi = -Infinity;
  for (const v of [va, vb]) for (const x of v) if (Number.isFinite(x)) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  if (!(hi > lo)) { lo = (Number.isFinite(lo) ? lo : 0) - 0.5; hi = lo + 1; }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  const count = (v: Float64Array) => { const c = new Array<number>(bins).fill(0); for (const x of v) if (Number.isFinite(x)) c[Math.min(bins - 1, Math.floor(((x - lo) / (hi - lo)) * bins))]++; return c; };
  return { edges, a: count(va), b: count(vb) };
}

/** One run's tensors of a side, by value name. */
export type RunValues = Map<string, { shape: number[]; values: Float64Array }>;

/** Adds a run's comparison to a report: matched values side by side, the first divergence, the outputs. */
export function compareRuns(report: DiffReport, a: Model, b: Model, values: { a: RunValues; b: RunValues }, outputs: { a: RunValues; b: RunValues }, divergeBelowDb = 30): DiffReport {
  const nodesB = new Map(report.matches.map((m) => [m.a, m.b]));
  const outB = new Map(b.graph.nodes.map((n) => [n.name, n.outputs[0]?.name]));
  const activations: NonNullable<DiffReport['activations']> = [];
  for (const n of a.graph.nodes) {
    const partner = nodesB.get(n.name);
    const out = n.outputs[0]?.name;
    if (!partner || !out) continue;
    const va = values.a.get(out), vb = values.b.get(outB.get(partner) ?? '');
    if (!va || !vb || va.values.length !== vb.values.length) continue;
    const m = metrics(va.values, vb.values);
    activations.push({ value: out, node: n.name, maxAbs: m.maxAbs, cosine: m.cosine, sqnrDb: m.sqnrDb });
  }
  const first = activations.find((x) => x.sqnrDb < divergeBelowDb);
  const outs = [...outputs.a].flatMap(([name, va]) => {
    const vb = outputs.b.get(name);
    if (!vb || vb.values.length !== va.values.length) return [];
    const m = metrics(va.values, vb.values);
    const classes = va.shape.at(-1) ?? 0;
    let top1: number | undefined;
    if (va.shape.length === 2 && classes > 1) {
      const rows = va.values.length / classes;
      let same = 0;
      const arg = (v: Float64Array, r: number) => { let k = 0; for (let j = 1; j < classes; j++) if (v[r * classes + j] > v[r * classes + k]) k = j; return k; };
      for (let r = 0; r < rows; r++) if (arg(va.values, r) === arg(vb.values, r)) same++;
      top1 = same / rows;
    }
    return [{ name, maxAbs: m.maxAbs, cosine: m.cosine, top1Agreement: top1 }];
  });
  return { ...report, activations, firstDivergence: first ? { node: first.node, value: first.value, sqnrDb: first.sqnrDb } : null, outputs: outs };
}
