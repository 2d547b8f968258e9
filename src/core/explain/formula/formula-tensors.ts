// How a formula shows a tensor: small ones by their numbers, large ones by shape and statistics.
import type { Node, Value } from '../../ir/graph.js';
import type { Tensor } from '../../ir/tensor.js';
import { isDecodable, readTensorNumbers } from '../values/tensor-values.js';

/** A tensor a formula names. */
export interface FormulaTensor {
  /** Symbol in the formula: W, b, γ, W₁… */
  symbol: string;
  /** The value's name in the model. */
  name: string;
  shape: number[];
  elementCount: number;
  /** All values, for tensors up to the small limit. */
  values?: number[];
  /** Summary for larger tensors (absent when too large to read for a formula or not numeric). */
  stats?: { min: number; max: number; mean: number; std: number };
}

/** Tensors with at most this many elements are written out in formulas. */
export const SMALL_TENSOR_LIMIT = 16;
/** Larger tensors than this get shape only (reading them would stall a click). */
const STATS_LIMIT = 8_000_000;

/** The weight behind an input value: an initializer, or a Constant node's tensor. */
export function weightOf(v: Value | null | undefined): Tensor | undefined {
  if (!v) return undefined;
  if (v.tensor) return v.tensor;
  const p: Node | undefined = v.producer;
  if (p && (p.opType === 'Constant' || p.opType === 'Const')) {
    const a = p.attributes.find((x) => x.type === 'tensor');
    if (a?.type === 'tensor') return a.value;
  }
  return undefined;
}

/** Reads what a formula shows of a tensor. */
export async function describeTensor(symbol: string, t: Tensor, smallLimit = SMALL_TENSOR_LIMIT): Promise<FormulaTensor> {
  const base: FormulaTensor = { symbol, name: t.name, shape: [...t.shape], elementCount: t.elementCount };
  if (!isDecodable(t.dtype) || t.elementCount > STATS_LIMIT) return base;
  let v: Float64Array;
  try { v = await readTensorNumbers(t); } catch { return base; }
  if (t.elementCount <= smallLimit) return { ...base, values: Array.from(v) };
  let min = Infinity, max = -Infinity, sum = 0, sq = 0;
  for (const x of v) { if (x < min) min = x; if (x > max) max = x; sum += x; }
  const mean = sum / v.length;
  for (const x of v) sq += (x - mean) ** 2;
  return { ...base, stats: { min, max, mean, std: Math.sqrt(sq / v.length) } };
}

/** A number as a formula writes it: floats keep a decimal point (2.0), four significant digits. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  let s: string;
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) s = x.toExponential(3).replace(/\.?0+e/, 'e');
  else {
    s = String(Number(x.toPrecision(4)));
    if (!s.includes('.') && !s.includes('e')) s += '.0';
  }
  return s.replace(/^-/, '−');
}

/** Numbers of a tensor as nested brackets ([1.0, 2.0] or [[…], […]]). */
export function formatValues(values: readonly number[], shape: readonly number[]): string {
  if (shape.length === 0) return formatNumber(values[0]);
  const rec = (offset: number, dim: number): string => {
    const size = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const items: string[] = [];
    for (let i = 0; i < shape[dim]; i++) items.push(dim === shape.length - 1 ? formatNumber(values[offset + i]) : rec(offset + i * size, dim + 1));
    return `[${items.join(', ')}]`;
  };
  return rec(0, 0);
}

/** One line about a tensor: `W: 64×3×7×7 = 9408 parameters, mean 0.01, std 0.2, range [−1.1, 0.9]`. */
export function tensorNote(t: FormulaTensor): string {
  const shape = t.shape.length ? t.shape.join('×') : 'scalar';
  const head = `${t.symbol} (${t.name}): ${shape} = ${t.elementCount} parameter${t.elementCount === 1 ? '' : 's'}`;
  if (t.values) return `${head}: ${formatValues(t.values, t.shape)}`;
  if (t.stats) return `${head}, mean ${formatNumber(t.stats.mean)}, std ${formatNumber(t.stats.std)}, range [${formatNumber(t.stats.min)}, ${formatNumber(t.stats.max)}]`;
  return head;
}

/** The tensor written inline when it is a single number, else its symbol. */
export function inlineOrSymbol(t: FormulaTensor | undefined, symbol: string): string {
  if (t?.values && t.values.length === 1) return formatNumber(t.values[0]);
  if (t?.values && t.values.length <= 4 && t.shape.length <= 1) return formatValues(t.values, t.shape.length ? t.shape : [1]);
  return symbol;
}
