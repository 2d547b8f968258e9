// Dims that may be symbolic: a number, a name (`batch`, `N`), an expression over names
// (`past+seq`, `4*C`), or null when unknown. Arithmetic keeps names where the result can be
// written down; a dims map ({batch: 1}) turns any of them into a number.
import type { Dim } from '../ir/shape.js';

export type { Dim } from '../ir/shape.js';

/** Sizes for symbolic dims, by name (or by an `input[axis]` key). */
export type DimsMap = Readonly<Record<string, number>>;

/** True when every dim is a number. */
export function allNumbers(ds: readonly Dim[]): ds is number[] {
  return ds.every((d) => typeof d === 'number');
}

const wrap = (d: string | number) => (typeof d === 'string' && /[+\-]/.test(d) && !/^[\w.]+$/.test(d) ? `(${d})` : String(d));

/** a × b; a symbol survives multiplication by 1 and becomes an expression otherwise. */
export function mulDim(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (a === 1) return b;
  if (b === 1) return a;
  if (a === 0 || b === 0) return 0;
  if (a === null || b === null) return null;
  const [sym, k] = typeof a === 'number' ? [b, a] : [a, b];
  if (typeof k !== 'number') return `${wrap(sym)}*${wrap(k)}`;
  // Keep one leading coefficient: 4 × `4*C` is `16*C`, not `4*4*C` (a sum is not folded into).
  const m = /^(\d+)\*(.+)$/.exec(String(sym));
  const product = m && !/[+\-]/.test(m[2].replace(/\([^()]*\)/g, ''));
  return product ? `${Number(m[1]) * k}*${m[2]}` : `${k}*${wrap(sym)}`;
}

/** a + b, symbolic where either side is. */
export function addDim(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (a === 0) return b;
  if (b === 0) return a;
  if (a === null || b === null) return null;
  return `${a}+${b}`;
}

/** a − b for numbers; b = 0 keeps a symbol; anything else symbolic is unknown. */
export function subDim(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return b === 0 ? a : null;
}

/** a ÷ b for numbers (exact, as the operator specs write it); b = 1 keeps a symbol. */
export function divDim(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a / b;
  return b === 1 ? a : null;
}

/** Product of dims (1 for none). */
export function prodDims(ds: readonly Dim[]): Dim {
  return ds.reduce<Dim>((acc, d) => mulDim(acc, d), 1);
}

/** Sum of dims (0 for none). */
export function sumDims(ds: readonly Dim[]): Dim {
  return ds.reduce<Dim>((acc, d) => addDim(acc, d), 0);
}

/**
 * NumPy broadcasting. With numbers only, null when the shapes do not broadcast; with symbols, a
 * size 1 gives way to anything and a number wins over a symbol (the symbol must equal it to run).
 */
export function broadcastDims(shapes: readonly (readonly Dim[])[]): Dim[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const symbolic = !shapes.every(allNumbers);
  const out: Dim[] = [];
  for (let k = 0; k < rank; k++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const x = s[s.length - rank + k];
      if (x === undefined || x === 1 || x === d) continue;
      if (d === 1) { d = x; continue; }
      if (!symbolic) return null;
      d = typeof d === 'number' && typeof x !== 'number' ? d : typeof x === 'number' && typeof d !== 'number' ? x : null;
    }
    out.push(d);
  }
  return out;
}

/** A dim string that is an expression (`s0 + 1`, `2*seq`), not a name (`batch-size`, `unk__3`). */
export function isExpression(d: string): boolean {
  return /[+*/()]|\s-\s/.test(d);
}

/**
 * The size of a dim under `dims`: numbers as they are, names looked up, expressions evaluated.
 * `fallback` sizes a name the map does not have (the Run panel's default rule); else it is unknown.
 */
export function evalDim(d: Dim, dims: DimsMap, fallback?: (name: string) => number | null): number | null {
  if (typeof d === 'number') return d;
  if (d === null) return null;
  if (dims[d] !== undefined) return dims[d];
  if (!isExpression(d)) return fallback?.(d) ?? null;
  const v = evalExpression(d, (name) => dims[name] ?? fallback?.(name) ?? null);
  return v !== null && Number.isFinite(v) ? v : null;
}

/** Every dim of `shape` under `dims`, or null when one stays unknown. */
export function evalShape(shape: readonly Dim[], dims: DimsMap): number[] | null {
  const out: number[] = [];
  for (const d of shape) {
    const v = evalDim(d, dims);
    if (v === null) return null;
    out.push(v);
  }
  return out;
}

/** The names a dim needs sizes for: itself when it is a name, the names inside an expression. */
export function dimNames(d: string): string[] {
  if (!isExpression(d)) return [d];
  return [...new Set(d.match(/[A-Za-z_][\w.]*(?:\[\d+\])?/g) ?? [])];
}

/** `past + 1`, `2*seq`, `(a+b)/2`: + − × ÷ over numbers and names; null where a name is not in `dims`. */
function evalExpression(text: string, size: (name: string) => number | null): number | null {
  const tokens = text.match(/\d+(?:\.\d+)?|[A-Za-z_][\w.]*(?:\[\d+\])?|[+\-*/()]/g);
  if (!tokens || tokens.join('') !== text.replace(/\s+/g, '')) return null;
  let i = 0;
  const atom = (): number | null => {
    const t = tokens[i++];
    if (t === undefined) return null;
    if (t === '(') { const v = sum(); return tokens[i++] === ')' ? v : null; }
    if (t === '-') { const v = atom(); return v === null ? null : -v; }
    if (/^\d/.test(t)) return Number(t);
    return size(t);
  };
  const product = (): number | null => {
    let v = atom();
    while (v !== null && (tokens[i] === '*' || tokens[i] === '/')) {
      const op = tokens[i++], r = atom();
      v = r === null ? null : op === '*' ? v * r : v / r;
    }
    return v;
  };
  const sum = (): number | null => {
    let v = product();
    while (v !== null && (tokens[i] === '+' || tokens[i] === '-')) {
      const op = tokens[i++], r = product();
      v = r === null ? null : op === '+' ? v + r : v - r;
    }
    return v;
  };
  const v = sum();
  return i === tokens.length ? v : null;
}
