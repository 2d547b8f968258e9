/** One dimension: a size, a symbolic name (`batch`, `seq`), or null when unknown. */
export type Dim = number | string | null;

/** A value's shape; null when even the rank is unknown. */
export type Shape = Dim[] | null;

/** Product of the dims, or null if any dim is not a known number. Throws nothing; overflow gives Infinity. */
export function elementCountOf(shape: readonly Dim[]): number | null {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}

/** `[batch, 3, 224, 224]`, `[?, 10]`, `[]` for a scalar, `?` when the rank is unknown. */
export function formatShape(shape: Shape): string {
  if (shape === null) return '?';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
