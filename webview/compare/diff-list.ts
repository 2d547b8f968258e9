// The list of differences: weights changed (with their numbers), attributes changed, nodes added in
// B and removed from A. Each entry names the node it is about; choosing it selects that node (and
// its partner) on both graphs.
import type { DiffReport } from '../../src/features/compare/protocol.js';
import type { GraphPayload } from '../../src/core/model-view-types.js';
import { h } from '../shell/dom.js';

export type DiffKind = 'weights' | 'attributes' | 'added' | 'removed';

export interface DiffEntry {
  kind: DiffKind;
  /** The node on each side (null where the side has none). */
  nodeA: string | null;
  nodeB: string | null;
  /** The weight, for a weight change. */
  weight?: DiffReport['changedWeights'][number];
}

export const num = (x: number, digits = 3): string => {
  if (x === Infinity) return '∞';
  if (!Number.isFinite(x)) return '—';
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(digits - 1) : String(+x.toPrecision(digits));
};
export const db = (x: number): string => (x === Infinity ? '∞ dB' : `${x.toFixed(1)} dB`);

/** The node of `graph` that reads the value `name` (a weight's first consumer), if any. */
function consumerOf(graph: GraphPayload, name: string): string | null {
  const v = graph.values.find((x) => x.name === name && x.graph === 0);
  const c = v?.consumers[0];
  return c === undefined ? null : graph.nodes[c]?.name ?? null;
}

/** Every difference of a report as entries, in list order. */
export function diffEntries(r: DiffReport, graphA: GraphPayload, ab: Map<string, string>): DiffEntry[] {
  const out: DiffEntry[] = [];
  for (const w of r.changedWeights) {
    const nodeA = consumerOf(graphA, w.name);
    out.push({ kind: 'weights', nodeA, nodeB: nodeA ? ab.get(nodeA) ?? null : null, weight: w });
  }
  const seen = new Set<string>();
  for (const c of r.changedAttributes) {
    if (seen.has(c.node)) continue;
    seen.add(c.node);
    out.push({ kind: 'attributes', nodeA: c.node, nodeB: ab.get(c.node) ?? null });
  }
  for (const n of r.added) out.push({ kind: 'added', nodeA: null, nodeB: n });
  for (const n of r.removed) out.push({ kind: 'removed', nodeA: n, nodeB: null });
  return out;
}

const HEADINGS: Record<DiffKind, string> = { weights: 'Weights changed', attributes: 'Attributes changed', added: 'Added in B', removed: 'Removed from A' };

function entryBody(e: DiffEntry, r: DiffReport): HTMLElement[] {
  if (e.kind === 'weights' && e.weight) {
    const w = e.weight;
    return [
      h('span', { class: 'item-title', text: w.nameB && w.nameB !== w.name ? `${w.name} → ${w.nameB}` : w.name }),
      h('span', { class: 'item-detail', text: `${w.dtype} · max abs ${num(w.maxAbs)} · max rel ${num(w.maxRel)} · cos ${w.cosine.toFixed(5)} · SQNR ${db(w.sqnrDb)}${w.note ? ` · ${w.note}` : ''}` }),
    ];
  }
  if (e.kind === 'attributes') {
    const changes = r.changedAttributes.filter((c) => c.node === e.nodeA).map((c) => `${c.attribute}: ${c.a ?? '—'} → ${c.b ?? '—'}`);
    return [h('span', { class: 'item-title', text: e.nodeA ?? '' }), h('span', { class: 'item-detail', text: changes.join('; ') })];
  }
  return [h('span', { class: 'item-title', text: (e.kind === 'added' ? e.nodeB : e.nodeA) ?? '' })];
}

/** The list element; `choose` gets the entry the user picked. */
export function renderDiffList(r: DiffReport, entries: DiffEntry[], choose: (e: DiffEntry, el: HTMLElement) => void): HTMLElement {
  const root = h('div', { class: 'compare-list', attrs: { id: 'compare-list', role: 'list', 'aria-label': 'Differences' } });
  for (const kind of ['weights', 'attributes', 'added', 'removed'] as const) {
    const of = entries.filter((e) => e.kind === kind);
    root.append(h('div', { class: 'compare-list-heading', attrs: { 'data-kind': kind }, text: `${HEADINGS[kind]} (${of.length})` }));
    for (const e of of) {
      const btn = h('button', { class: 'compare-item', attrs: { type: 'button', role: 'listitem', 'data-kind': kind, 'data-node-a': e.nodeA ?? '', 'data-node-b': e.nodeB ?? '', ...(e.weight ? { 'data-weight': e.weight.name } : {}) } }, ...entryBody(e, r));
      btn.addEventListener('click', () => choose(e, btn));
      root.append(btn);
    }
  }
  if (!entries.length) root.append(h('div', { class: 'muted', text: 'The two models are the same: same nodes, attributes and weights.' }));
  return root;
}
