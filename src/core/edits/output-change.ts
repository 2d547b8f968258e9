// How much a what-if edit moved the model's outputs: the runtime's compareOutputs (max-abs,
// relative, cosine) plus, for classifier-like outputs, whether the top-1 class changed; and how
// much each captured activation moved, to colour the graph downstream of an edit.
import { compareOutputs, type OutputDifference } from '../runtime/compare.js';
import { toNumberArray, type RuntimeTensor } from '../runtime/tensor-value.js';

export interface OutputChange extends OutputDifference {
  /** Per example (rows of the last axis): top-1 index before and after, when the output is a score vector. */
  top1?: { before: number[]; after: number[]; changed: number };
}

function argmaxRows(t: RuntimeTensor): number[] | undefined {
  if (t.dtype === 'string' || t.shape.length === 0) return undefined;
  const classes = t.shape[t.shape.length - 1];
  if (classes < 2) return undefined;
  const v = toNumberArray(t);
  const rows: number[] = [];
  for (let r = 0; r * classes < v.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (v[r * classes + c] > v[r * classes + best]) best = c;
    rows.push(best);
  }
  return rows;
}

/** Compares edited outputs against the originals (the reference), adding top-1 changes. */
export function compareWhatIf(original: readonly RuntimeTensor[], edited: readonly RuntimeTensor[]): OutputChange[] {
  const diffs = compareOutputs(edited, original);
  const byName = new Map(original.map((t) => [t.name, t]));
  const editedByName = new Map(edited.map((t) => [t.name, t]));
  return diffs.map((d) => {
    const a = byName.get(d.name), b = editedByName.get(d.name);
    const before = a ? argmaxRows(a) : undefined, after = b ? argmaxRows(b) : undefined;
    if (!before || !after || before.length !== after.length) return d;
    return { ...d, top1: { before, after, changed: before.filter((c, i) => c !== after[i]).length } };
  });
}

/** Relative change of each captured activation, ‖after − before‖ / ‖before‖ (0 = unchanged), by value name. */
export function activationShift(before: readonly RuntimeTensor[], after: readonly RuntimeTensor[]): Map<string, number> {
  const out = new Map<string, number>();
  const byName = new Map(after.map((t) => [t.name, t]));
  for (const a of before) {
    const b = byName.get(a.name);
    if (!b || a.dtype === 'string' || b.dtype === 'string') continue;
    const x = toNumberArray(a), y = toNumberArray(b);
    if (x.length !== y.length) { out.set(a.name, Infinity); continue; }
    let num = 0, den = 0;
    for (let i = 0; i < x.length; i++) {
      const d = y[i] - x[i];
      if (Number.isFinite(d)) num += d * d;
      if (Number.isFinite(x[i])) den += x[i] * x[i];
    }
    out.set(a.name, den > 0 ? Math.sqrt(num / den) : Math.sqrt(num));
  }
  return out;
}
