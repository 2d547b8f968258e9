// Values whose summary another captured value already gives: the overview reduces one of them and
// reports the other with its own name, dtype and shape. Min, max, mean, std and the NaN/Inf counts
// depend only on the multiset of elements, so an op that moves elements without changing them
// (Reshape, Transpose, Squeeze, …) outputs a value with its input's summary, and so does an exact
// Cast (bool, a small integer or float16 to float32). On the transformer 160 of its 560 tapped
// values are Reshape or Transpose outputs, and on magika a 526k-element bool mask is its float
// Cast's twin: each one reduced was four more passes over its elements.
import type { DataType } from '../ir/dtype.js';
import type { WireNode } from '../model-write/index.js';
import type { ValueStats, ValueSummary } from './output-stats.js';

/** Ops whose first output holds exactly the elements of their first input. */
export const SAME_ELEMENTS_OPS: ReadonlySet<string> = new Set(['Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Transpose', 'Dropout']);

/** Dtypes whose every value float32 holds exactly (integers: when the first run's |x| < 2^24). */
const EXACT_IN_FLOAT32: readonly string[] = ['bool', 'float16'];
const INTEGER: readonly string[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];

export interface AliasCandidate {
  name: string;
  dtype: DataType;
  /** The first run's stats of the value (whether its integers fit float32 exactly). */
  stats: ValueStats;
}

/**
 * For each captured value whose summary another captured value gives, that value's name (never
 * itself an alias): a same-elements op's output maps to its input, and a value with an exact
 * Cast to float32 among its consumers maps to that Cast's output (the float one reduces without a
 * Cast of its own). `nodes` is the graph the values are captured on.
 */
export function findSummaryAliases(nodes: readonly WireNode[], values: readonly AliasCandidate[]): Map<string, string> {
  const byName = new Map(values.map((v) => [v.name, v]));
  const producer = new Map<string, WireNode>();
  for (const n of nodes) if (n.outputs[0]) producer.set(n.outputs[0], n);
  // Reverse edges first (x → its float32 Cast): the Cast's output has no edge of its own.
  const castTo = new Map<string, string>();
  for (const n of nodes) {
    const [x] = n.inputs, y = n.outputs[0];
    const from = byName.get(x), to = byName.get(y);
    if (n.op !== 'Cast' || !from || !to || castTo.has(x) || to.dtype !== 'float32' || !castsExactly(from)) continue;
    castTo.set(x, y);
  }
  const root = new Map<string, string>();
  const resolve = (name: string): string => {
    const hit = root.get(name);
    if (hit) return hit;
    const n = producer.get(name);
    let r = castTo.get(name) ?? name;
    // A Dropout given its training_mode input may drop elements: only the inference form is an alias.
    if (r === name && n && SAME_ELEMENTS_OPS.has(n.op) && !(n.op === 'Dropout' && n.inputs[2]) && byName.has(n.inputs[0])) r = resolve(n.inputs[0]);
    root.set(name, r);
    return r;
  };
  const out = new Map<string, string>();
  for (const v of values) { const r = resolve(v.name); if (r !== v.name) out.set(v.name, r); }
  return out;
}

function castsExactly(v: AliasCandidate): boolean {
  if (EXACT_IN_FLOAT32.includes(v.dtype)) return true;
  const { min, max } = v.stats;
  return INTEGER.includes(v.dtype) && min !== null && max !== null && Math.max(-min, max) < 2 ** 24;
}

/** The alias's summary: its source's numbers under its own name, dtype and shape. */
export function aliasSummary(source: ValueSummary, alias: { name: string; dtype: DataType; shape: number[] }): ValueSummary {
  return { ...source, name: alias.name, dtype: alias.dtype, shape: alias.shape };
}
