// What a node box says, and how big it must be for it: op type, its key attributes, the weights it
// holds. DOM-free (sizes come from character counts and fixed font metrics) so the same numbers serve
// the worker, the canvas and the SVG export.
import type { AttributeInfo, GraphPayload, NodeInfo } from '../model-view-types.js';

export const FONT = {
  family: 'var(--vscode-editor-font-family, monospace)',
  titlePx: 12,
  linePx: 10.5,
  /** Average advance of one character, as a fraction of the font size (monospace-ish). */
  advance: 0.62,
  lineHeight: 14,
  titleHeight: 18,
  pad: 7,
};
const MAX_CHARS = 34;

export interface NodeText {
  title: string;
  lines: string[];
}

const dims = (v: unknown) => (Array.isArray(v) ? v.join('×') : String(v));
const allSame = (v: unknown, x: number) => Array.isArray(v) && v.every((e) => e === x);

/** The attributes worth showing on the box itself (the sidebar shows them all). */
export function keyAttributes(attrs: AttributeInfo[]): string[] {
  const out: string[] = [];
  const get = (name: string) => attrs.find((a) => a.name === name)?.value;
  const k = get('kernel_shape') ?? get('ksize') ?? get('kernel_size');
  if (k !== undefined && k !== null) out.push(`kernel ${dims(k)}`);
  const s = get('strides') ?? get('stride');
  if (s !== undefined && s !== null && !allSame(s, 1)) out.push(`stride ${Array.isArray(s) && s.every((e) => e === s[0]) ? s[0] : dims(s)}`);
  const d = get('dilations');
  if (d !== undefined && d !== null && !allSame(d, 1)) out.push(`dilation ${dims(d)}`);
  const pads = get('pads');
  if (Array.isArray(pads) && pads.some((p) => p !== 0)) out.push(`pads ${pads.join(',')}`);
  const g = get('group');
  if (typeof g === 'number' && g !== 1) out.push(`group ${g}`);
  for (const name of ['perm', 'axis', 'axes', 'to', 'mode', 'alpha', 'keepdims', 'transB', 'padding', 'activation', 'direction', 'hidden_size']) {
    const v = get(name);
    if (v === undefined || v === null) continue;
    if (name === 'keepdims' && v === 1) continue;
    if (name === 'transB' && v === 0) continue;
    out.push(`${name} ${Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`);
  }
  return out;
}

const clip = (s: string) => (s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS - 1)}…` : s);

/**
 * Text of one node box: op type, key attributes (two to a line), then one line per weight.
 * `weightOf` maps a value to the weight it shows as (folded constants too); by default initializers only.
 */
export function nodeText(p: GraphPayload, node: NodeInfo, weightOf: (vid: number) => number = (vid) => p.values[vid].weight): NodeText {
  const lines: string[] = [];
  const attrs = keyAttributes(node.attributes);
  for (let i = 0; i < attrs.length; i += 2) lines.push(clip(attrs.slice(i, i + 2).join(', ')));
  for (const vid of node.inputs) {
    if (vid < 0) continue;
    const wid = weightOf(vid);
    if (wid < 0) continue;
    const w = p.weights[wid];
    const short = w.name.split(/[/.:]/).filter(Boolean).pop() ?? w.name;
    lines.push(clip(`${short} ⟨${w.shape.length ? w.shape.join('×') : 'scalar'}⟩`));
    if (lines.length > 6) break;
  }
  return { title: clip(node.domain && node.domain !== 'ai.onnx' ? `${node.opType}` : node.opType), lines };
}

/** Box size for a text, in layout units (CSS pixels at zoom 1). */
export function textSize(t: NodeText): [number, number] {
  let chars = t.title.length * FONT.titlePx;
  for (const l of t.lines) chars = Math.max(chars, l.length * FONT.linePx);
  const w = Math.max(56, Math.ceil(chars * FONT.advance) + 2 * FONT.pad);
  const h = FONT.titleHeight + t.lines.length * FONT.lineHeight + (t.lines.length ? FONT.pad - 2 : 4);
  return [w, h];
}

/** A closed group's box: wide enough for its label and its caption (`If · 2 branches · 340 nodes`), one line high. */
export function closedGroupSize(label: string, caption: string): [number, number] {
  return [Math.max(90, Math.min(260, Math.max(label.length * 7.6 + 18, caption.length * 6.6 + 4) + 24)), 40];
}

/** `float32 [batch, 64]`, for edge labels and the sidebar. */
export function typeLabel(dtype: string | null, shape: (number | string | null)[] | null): string {
  const s = shape === null ? '?' : `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
  return dtype ? `${dtype} ${s}` : s;
}
