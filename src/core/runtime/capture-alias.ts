// Values whose summary follows from another captured value's: the overview reduces only that one
// and derives the other's under its own name, dtype and shape. Min, max, mean, std and the NaN/Inf
// counts depend only on the multiset of elements, so an op that moves elements without changing
// them (Reshape, Transpose, Squeeze, …) outputs a value with its input's summary, and so does an
// exact Cast (bool, a small integer or float16 to float32). An elementwise op with a scalar
// constant (x·c, x + c, x − c, c − x, −x) maps every element by y = a·x + b, so y's min and max are
// x's mapped (rounded to float32 like the op's own results), its mean is a·mean + b and its std
// |a|·std, to float32 rounding of the elements. On the transformer 160 of its 560 tapped values are
// Reshape or Transpose outputs; on magika a 526k-element bool mask is its float Cast's twin and 8 of
// the 30 large values are GELU's scalings and shifts: each one reduced was 4 more passes over it.
import type { DataType } from '../ir/dtype.js';
import type { WireNode } from '../model-write/index.js';
import type { ValueStats, ValueSummary } from './output-stats.js';

/** The value named `of`, mapped elementwise by y = scale · x + shift (1 and 0 for a same-elements op or exact Cast). */
export interface SummarySource {
  of: string;
  scale: number;
  shift: number;
}

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
 * For each captured value whose summary follows from another captured value's, that value (never
 * itself derived) and the map between them: a same-elements op's output maps to its input, a
 * value with an exact Cast to float32 among its consumers maps to that Cast's output (the float
 * one reduces without a Cast of its own), and a float32 op with one scalar initializer operand
 * (`scalars`) maps to its other operand. `nodes` is the graph the values are captured on.
 */
export function findSummaryAliases(nodes: readonly WireNode[], values: readonly AliasCandidate[], scalars: ReadonlyMap<string, number> = new Map()): Map<string, SummarySource> {
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
  const root = new Map<string, SummarySource>();
  const resolve = (name: string): SummarySource => {
    const hit = root.get(name);
    if (hit) return hit;
    const n = producer.get(name);
    const cast = castTo.get(name);
    let r: SummarySource = { of: cast ?? name, scale: 1, shift: 0 };
    if (!cast && n) {
      // A Dropout given its training_mode input may drop elements: only the inference form is an alias.
      if (SAME_ELEMENTS_OPS.has(n.op) && !(n.op === 'Dropout' && n.inputs[2]) && byName.has(n.inputs[0])) r = resolve(n.inputs[0]);
      const affine = affineOf(n, byName, scalars);
      if (affine) { const x = resolve(affine.x); r = { of: x.of, scale: affine.scale * x.scale, shift: affine.scale * x.shift + affine.shift }; }
    }
    root.set(name, r);
    return r;
  };
  const out = new Map<string, SummarySource>();
  for (const v of values) { const r = resolve(v.name); if (r.of !== v.name) out.set(v.name, r); }
  return out;
}

/** y = scale · x + shift for a float32 elementwise op of a captured x and a scalar constant. */
function affineOf(n: WireNode, byName: ReadonlyMap<string, AliasCandidate>, scalars: ReadonlyMap<string, number>): { x: string; scale: number; shift: number } | null {
  const float = (v: string) => byName.get(v)?.dtype === 'float32';
  if (!float(n.outputs[0])) return null;
  if (n.op === 'Neg') return float(n.inputs[0]) ? { x: n.inputs[0], scale: -1, shift: 0 } : null;
  if (n.inputs.length !== 2 || !['Mul', 'Add', 'Sub'].includes(n.op)) return null;
  const [a, b] = n.inputs;
  const at = float(a) && Number.isFinite(scalars.get(b)) ? 0 : float(b) && Number.isFinite(scalars.get(a)) ? 1 : -1;
  if (at < 0) return null;
  const x = at === 0 ? a : b, c = scalars.get(at === 0 ? b : a)!;
  if (n.op === 'Mul') return { x, scale: c, shift: 0 };
  if (n.op === 'Add') return { x, scale: 1, shift: c };
  return at === 0 ? { x, scale: 1, shift: -c } : { x, scale: -1, shift: c }; // x − c, c − x
}

function castsExactly(v: AliasCandidate): boolean {
  if (EXACT_IN_FLOAT32.includes(v.dtype)) return true;
  const { min, max } = v.stats;
  return INTEGER.includes(v.dtype) && min !== null && max !== null && Math.max(-min, max) < 2 ** 24;
}

/**
 * The derived value's summary from its source's, under its own name, dtype and shape; null when
 * it cannot follow (NaN or Inf in the source, or the map overflows float32): that value is then
 * summarized from its own tensor.
 */
export function derivedSummary(source: ValueSummary, alias: { name: string; dtype: DataType; shape: number[] }, { scale, shift }: SummarySource): ValueSummary | null {
  if (scale === 1 && shift === 0) return { ...source, ...alias };
  const { min, max, mean, std } = source;
  if (source.nan || source.inf || min === null || max === null || mean === null || std === null) return null;
  // The op rounds each result to float32; its extremes are the extremes' images, rounded the same way.
  const [lo, hi] = [Math.fround(scale * min + shift), Math.fround(scale * max + shift)].sort((p, q) => p - q);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  return { ...source, ...alias, min: lo, max: hi, mean: Math.min(hi, Math.max(lo, scale * mean + shift)), std: Math.abs(scale) * std };
}
