// A large reply split into parts, so that the thread receiving it never deserializes it in one go:
// each part is its own message, and so its own turn of the receiver's event loop, short enough not
// to stall the other work on that thread (the extension host's, for the parse worker).

/** A slice of one of the reply's tables, addressed by a dotted path (`wire.nodes`, `view.graph.values`). */
export interface WirePart {
  type: 'part';
  path: string;
  items: unknown[];
}

/** Items per part: a millisecond or two of deserialization for the IR's records. */
export const PART_ITEMS = 250;

function parentOf(root: Record<string, unknown>, dotted: string): [Record<string, unknown>, string] | null {
  const keys = dotted.split('.');
  let at: unknown = root;
  for (const k of keys.slice(0, -1)) {
    at = (at as Record<string, unknown> | null)?.[k];
    if (typeof at !== 'object' || at === null) return null;
  }
  return [at as Record<string, unknown>, keys[keys.length - 1]];
}

/** Moves the arrays of `root` at `paths` out into parts of at most `size` items; `root` keeps empty arrays. */
export function takeParts(root: object, paths: string[], size = PART_ITEMS): WirePart[] {
  const parts: WirePart[] = [];
  for (const p of paths) {
    const found = parentOf(root as Record<string, unknown>, p);
    const list = found?.[0][found[1]];
    if (!found || !Array.isArray(list)) continue;
    found[0][found[1]] = [];
    for (let i = 0; i < list.length; i += size) parts.push({ type: 'part', path: p, items: list.slice(i, i + size) });
  }
  return parts;
}

/** Collects parts as they arrive and puts them back into the final message. */
export class PartCollector {
  private readonly tables = new Map<string, unknown[]>();

  add(part: WirePart): void {
    let list = this.tables.get(part.path);
    if (!list) this.tables.set(part.path, (list = []));
    for (const item of part.items) list.push(item);
  }

  /** Puts each collected table back at its path of `root`. */
  restore(root: object): void {
    for (const [p, items] of this.tables) {
      const found = parentOf(root as Record<string, unknown>, p);
      if (found) found[0][found[1]] = items;
    }
    this.tables.clear();
  }
}
