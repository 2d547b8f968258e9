import type { RuntimeTensor } from './tensor-value.js';
import { toNumberArray } from './tensor-value.js';

/** How close one output is between two runs (e.g. CPU vs GPU). */
export interface OutputDifference {
  name: string;
  /** max |a − b| over elements (NaN in the same place counts as equal). */
  maxAbsDiff: number;
  /** max |a − b| / max(|b|, tiny): the worst element relative to the reference `b`. */
  maxRelDiff: number;
  /** cos(a, b) over the flattened values; 1 when both are all zeros. */
  cosine: number;
  /** Elements that are NaN in one and not the other, or whose shapes differ. */
  mismatched: number;
  shapeMatches: boolean;
}

/** Compares outputs by name (`b` is the reference): per output max-abs, relative diff and cosine similarity. */
export function compareOutputs(a: readonly RuntimeTensor[], b: readonly RuntimeTensor[]): OutputDifference[] {
  const byName = new Map(b.map((t) => [t.name, t]));
  const out: OutputDifference[] = [];
  for (const ta of a) {
    const tb = byName.get(ta.name);
    if (!tb) continue;
    const shapeMatches = ta.shape.length === tb.shape.length && ta.shape.every((d, i) => d === tb.shape[i]);
    if (ta.dtype === 'string' || tb.dtype === 'string') {
      const sa = ta.data as string[], sb = tb.data as string[];
      let mismatched = shapeMatches ? 0 : Math.max(sa.length, sb.length);
      if (shapeMatches) for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) mismatched++;
      out.push({ name: ta.name, maxAbsDiff: mismatched ? Infinity : 0, maxRelDiff: mismatched ? Infinity : 0, cosine: mismatched ? 0 : 1, mismatched, shapeMatches });
      continue;
    }
    const x = toNumberArray(ta), y = toNumberArray(tb);
    if (!shapeMatches || x.length !== y.length) {
      out.push({ name: ta.name, maxAbsDiff: Infinity, maxRelDiff: Infinity, cosine: 0, mismatched: Math.max(x.length, y.length), shapeMatches: false });
      continue;
    }
    let maxAbs = 0, maxRel = 0, dot = 0, nx = 0, ny = 0, mismatched = 0;
    for (let i = 0; i < x.length; i++) {
      const u = x[i], v = y[i];
      if (Number.isNaN(u) || Number.isNaN(v)) { if (Number.isNaN(u) !== Number.isNaN(v)) mismatched++; continue; }
      if (u === v) { dot += u * v; nx += u * u; ny += v * v; continue; } // also equal infinities
      const d = Math.abs(u - v);
      if (!Number.isFinite(d)) { mismatched++; continue; }
      maxAbs = Math.max(maxAbs, d);
      maxRel = Math.max(maxRel, d / Math.max(Math.abs(v), 1e-12));
      dot += u * v; nx += u * u; ny += v * v;
    }
    const cosine = nx === 0 && ny === 0 ? 1 : nx === 0 || ny === 0 ? 0 : dot / Math.sqrt(nx * ny);
    out.push({ name: ta.name, maxAbsDiff: mismatched ? Infinity : maxAbs, maxRelDiff: mismatched ? Infinity : maxRel, cosine, mismatched, shapeMatches });
  }
  return out;
}

/** True when every element satisfies |a − b| ≤ atol + rtol·|b| (numpy.allclose; NaNs equal). */
export function allClose(a: RuntimeTensor, b: RuntimeTensor, rtol = 1e-3, atol = 1e-5): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  if (a.dtype === 'string' || b.dtype === 'string') {
    const sa = a.data as string[], sb = b.data as string[];
    return sa.length === sb.length && sa.every((s, i) => s === sb[i]);
  }
  const x = toNumberArray(a), y = toNumberArray(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const u = x[i], v = y[i];
    if (u === v) continue;
    if (Number.isNaN(u) && Number.isNaN(v)) continue;
    if (!(Math.abs(u - v) <= atol + rtol * Math.abs(v))) return false;
  }
  return true;
}
