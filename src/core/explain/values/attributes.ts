// Typed reads of node attributes. ONNX and TF.js readers name attributes differently (`strides`
// vs `strides`, `transB` vs `transpose_b`), so callers pass every name an attribute may go by.
import type { Attribute, Node } from '../../ir/graph.js';

function find(node: Node, names: readonly string[]): Attribute | undefined {
  for (const n of names) {
    const a = node.attributes.find((x) => x.name === n);
    if (a) return a;
  }
  return undefined;
}

/** An integer (or bool) attribute, or `fallback` when absent. */
export function attrInt(node: Node, names: string | readonly string[], fallback: number): number {
  const a = find(node, typeof names === 'string' ? [names] : names);
  if (!a) return fallback;
  if (a.type === 'int' || a.type === 'float') return a.value;
  if (a.type === 'bool') return a.value ? 1 : 0;
  if (a.type === 'ints' && a.value.length === 1) return a.value[0];
  if (a.type === 'string' && /^-?\d+$/.test(a.value)) return Number(a.value);
  return fallback;
}

/** A float attribute, or `fallback` when absent. */
export function attrFloat(node: Node, names: string | readonly string[], fallback: number): number {
  const a = find(node, typeof names === 'string' ? [names] : names);
  if (!a) return fallback;
  if (a.type === 'float' || a.type === 'int') return a.value;
  if (a.type === 'floats' && a.value.length === 1) return a.value[0];
  return fallback;
}

/** An integer-list attribute (a single int reads as a one-element list), or undefined when absent. */
export function attrInts(node: Node, names: string | readonly string[]): number[] | undefined {
  const a = find(node, typeof names === 'string' ? [names] : names);
  if (!a) return undefined;
  if (a.type === 'ints' || a.type === 'floats') return [...a.value];
  if (a.type === 'int') return [a.value];
  if (a.type === 'shape' && a.value) return a.value.map((d) => (typeof d === 'number' ? d : -1));
  return undefined;
}

/** A float-list attribute, or undefined when absent. */
export function attrFloats(node: Node, names: string | readonly string[]): number[] | undefined {
  const a = find(node, typeof names === 'string' ? [names] : names);
  if (!a) return undefined;
  if (a.type === 'floats' || a.type === 'ints') return [...a.value];
  if (a.type === 'float' || a.type === 'int') return [a.value];
  return undefined;
}

/** A string attribute, or `fallback` when absent. */
export function attrString(node: Node, names: string | readonly string[], fallback: string): string {
  const a = find(node, typeof names === 'string' ? [names] : names);
  if (!a) return fallback;
  if (a.type === 'string') return a.value;
  if (a.type === 'strings' && a.value.length === 1) return a.value[0];
  return fallback;
}

/** A string-list attribute, or undefined when absent. */
export function attrStrings(node: Node, names: string | readonly string[]): string[] | undefined {
  const a = find(node, typeof names === 'string' ? [names] : names);
  if (!a) return undefined;
  if (a.type === 'strings') return [...a.value];
  if (a.type === 'string') return [a.value];
  return undefined;
}

/** True when the node carries any of these attributes. */
export function hasAttr(node: Node, names: string | readonly string[]): boolean {
  return find(node, typeof names === 'string' ? [names] : names) !== undefined;
}
