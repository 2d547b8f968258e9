/**
 * Model-wide summaries over per-tensor statistics: totals by dtype, name scope and consuming op
 * type, the largest weights, and flags with the numbers behind them.
 */
import { isFloatType } from '../ir/dtype.js';
import type { Model, Node, Value } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import { allGraphs } from '../ir/walk.js';
import type { GroupTotal, ModelStats, StatsFlag, TensorStats } from './stats-types.js';

/** Default threshold of the channel-range-spread flag: with one int8 scale for the whole tensor,
 *  the narrowest row gets about 255 / ratio levels; above 16 it gets fewer than 16 (4 bits' worth). */
export const DEFAULT_SPREAD_RATIO = 16;
export const DEFAULT_OUTLIER_SIGMA = 10;

/** The name scope of a tensor: its name up to the last '/' or '.', or '(root)'. */
export function nameScope(name: string): string {
  const i = Math.max(name.lastIndexOf('/'), name.lastIndexOf('.'));
  return i > 0 ? name.slice(0, i) : '(root)';
}

// Ops that only move or re-type a weight on its way to the op that computes with it.
const PASS_THROUGH = new Set(['DequantizeLinear', 'Cast', 'Identity', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Dequantize']);

/** The op type that computes with each weight (following up to 3 pass-through ops), '(unused)' if none. */
export function consumingOpTypes(model: Model): Map<Tensor, string> {
  const out = new Map<Tensor, string>();
  // Follows a weight through ops that only move it, when it is their data input (not e.g. Reshape's shape).
  const follow = (value: Value | undefined): string => {
    let v = value;
    let node: Node | undefined = v?.consumers[0];
    for (let hop = 0; node && v && hop < 3 && PASS_THROUGH.has(node.opType) && node.inputs[0] === v; hop++) {
      const out: Value | undefined = node.outputs[0];
      const next: Node | undefined = out?.consumers[0];
      if (!next) break;
      v = out;
      node = next;
    }
    return node ? node.opType : '(unused)';
  };
  for (const g of allGraphs(model)) {
    for (const v of g.values.values()) if (v.tensor && !out.has(v.tensor)) out.set(v.tensor, follow(v));
    for (const n of g.nodes) {
      if (n.opType !== 'Constant') continue;
      for (const a of n.attributes) if (a.type === 'tensor' && !out.has(a.value)) out.set(a.value, follow(n.outputs[0]));
    }
  }
  return out;
}

function group(tensors: Tensor[], keyOf: (t: Tensor) => string): GroupTotal[] {
  const m = new Map<string, GroupTotal>();
  for (const t of tensors) {
    const key = keyOf(t);
    let g = m.get(key);
    if (!g) { g = { key, tensors: 0, parameters: 0, bytes: 0 }; m.set(key, g); }
    g.tensors++;
    g.parameters += t.elementCount;
    g.bytes += t.byteLength;
  }
  return [...m.values()].sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key));
}

/** Totals, groupings and the largest weights of a model's weights. */
export function summarizeWeights(model: Model, weights: Tensor[]): Pick<ModelStats, 'totals' | 'byDtype' | 'byScope' | 'byOpType' | 'largest'> {
  const ops = consumingOpTypes(model);
  return {
    totals: {
      tensors: weights.length,
      parameters: weights.reduce((a, t) => a + t.elementCount, 0),
      bytes: weights.reduce((a, t) => a + t.byteLength, 0),
    },
    byDtype: group(weights, (t) => t.dtype),
    byScope: group(weights, (t) => nameScope(t.name)),
    byOpType: group(weights, (t) => ops.get(t) ?? '(unused)'),
    largest: [...weights].sort((a, b) => b.byteLength - a.byteLength).slice(0, 10)
      .map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, parameters: t.elementCount, bytes: t.byteLength })),
  };
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

/** Flags for one tensor's statistics. */
export function flagsFor(s: TensorStats, opts: { outlierSigma: number; spreadRatio: number }): StatsFlag[] {
  const flags: StatsFlag[] = [];
  const tensor = s.name;
  const realValued = isFloatType(s.dtype) || !!s.quantization;
  if (s.nan > 0) flags.push({ tensor, kind: 'nan', severity: 'error', value: s.nan, message: `${s.nan} of ${s.count} values are NaN` });
  if (s.inf > 0) flags.push({ tensor, kind: 'inf', severity: 'error', value: s.inf, message: `${s.inf} of ${s.count} values are infinite (+Inf ${s.posInf}, −Inf ${s.negInf})` });
  if (s.count > 0 && s.zeros === s.count) {
    flags.push({ tensor, kind: 'all-zero', severity: 'warning', value: s.count, message: `all ${s.count} values are zero` });
  } else if (realValued && s.rows && s.rows.deadRows > 0) {
    const r = s.rows;
    const list = r.deadRowIndices.slice(0, 8).join(', ') + (r.deadRows > 8 ? ', …' : '');
    flags.push({ tensor, kind: 'dead-rows', severity: 'warning', value: r.deadRows,
      message: `${r.deadRows} of ${r.rows} rows along axis 0 (output channels) are all zero: ${list}` });
  }
  const o = s.outliers;
  if (realValued && o && o.below + o.above > 0) {
    const far = s.max - s.mean >= s.mean - s.min ? s.max : s.min;
    flags.push({ tensor, kind: 'outliers', severity: 'warning', value: o.below + o.above, threshold: o.sigma,
      message: `${o.below + o.above} values lie beyond ${o.sigma}σ of the mean (mean ${fmt(s.mean)}, std ${fmt(s.std)}); the farthest, ${fmt(far)}, is ${fmt(o.maxAbsZ)}σ out` });
  }
  const ratio = s.rows?.rangeRatio;
  if (isFloatType(s.dtype) && !s.quantization && ratio != null && ratio > opts.spreadRatio) {
    flags.push({ tensor, kind: 'channel-range-spread', severity: 'info', value: ratio, threshold: opts.spreadRatio,
      message: `row ranges along axis 0 differ ${fmt(ratio)}× (narrowest ${fmt(s.rows!.minRange)}, widest ${fmt(s.rows!.maxRange)}): ` +
        `one int8 scale for the whole tensor leaves the narrowest row about ${fmt(255 / ratio)} of 255 levels; quantize per channel` });
  }
  return flags;
}
