// The details of the selected node: what the op does, where it comes from, its attributes, inputs and
// outputs with types and links to their producers and consumers, and its weights with mini stats.
import type { AttributeInfo, ModelSummary, WeightInfo } from '../../src/core/model-view-types.js';
import type { Bus } from '../bus.js';
import { h } from '../shell/dom.js';
import type { GraphModel } from '../../src/core/layout/graph-model.js';
import { typeLabel } from '../../src/core/layout/node-text.js';
import { measuredTypeRow, type MeasuredIndex } from './measured-shapes.js';
import { opCategory } from './op-category.js';
import { opDescription } from './op-descriptions.js';
import { groupCaption, type Hierarchy } from '../../src/core/layout/hierarchy.js';

export interface SidebarActions {
  /** Select (and reveal) a leaf. */
  goTo(leaf: number): void;
  /** Open the Parameters tab on a weight. */
  showWeight(weightId: number): void;
  toggleGroup(group: number): void;
}

const FOLD = 16;

function attrValue(a: AttributeInfo): HTMLElement {
  const v = a.value;
  if (Array.isArray(v)) {
    const total = a.length ?? v.length;
    const text = (xs: unknown[]) => `[${xs.join(', ')}]`;
    if (v.length <= FOLD) return h('code', { text: text(v) + (a.truncatedAt ? ` … (${total} values)` : '') });
    const d = h('details', {}, h('summary', { text: `${text(v.slice(0, FOLD)).slice(0, -1)}, …] (${total} values)` }), h('code', { text: text(v) + (a.truncatedAt ? ` … (${total - v.length} more)` : '') }));
    return d;
  }
  return h('code', { text: v === null ? '—' : String(v) });
}

export const formatBytes = (b: number) => (b >= 1 << 30 ? `${(b / (1 << 30)).toFixed(2)} GiB` : b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`);
const num = (x: unknown) => (typeof x !== 'number' || !Number.isFinite(x) ? '—' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : String(+x.toPrecision(4)));

export class Sidebar {
  readonly element: HTMLElement;
  private stamp = 0;
  /** The shapes the last run made known: a value row shows them, marked, in place of the file's. */
  measured: MeasuredIndex | null = null;

  constructor(private readonly bus: Bus, private readonly summary: ModelSummary, private readonly actions: SidebarActions) {
    this.element = h('aside', { class: 'graph-sidebar', attrs: { 'aria-label': 'Node details', tabindex: '-1' } });
    this.element.hidden = true;
  }

  clear(): void {
    this.stamp++;
    this.element.replaceChildren();
    this.element.hidden = true;
  }

  /** Shows a leaf (node or graph input/output) or a group (item ≥ leafCount). */
  show(model: GraphModel, hier: Hierarchy, item: number, expanded: boolean): void {
    this.stamp++;
    this.element.hidden = false;
    const L = model.leafCount;
    if (item >= L) this.showGroup(model, hier, item - L, expanded);
    else if (item >= model.nodeCount) this.showIo(model, item);
    else this.showNode(model, item);
    this.element.scrollTop = 0;
  }

  private section(title: string, ...body: (Node | null)[]): HTMLElement {
    return h('section', {}, h('h3', { text: title }), ...body);
  }

  private link(model: GraphModel, leaf: number): HTMLElement {
    const name = model.names[leaf];
    const op = leaf < model.nodeCount ? model.payload.nodes[leaf].opType : model.leafKind[leaf] === 1 ? 'input' : 'output';
    const a = h('a', { class: 'node-link', attrs: { href: '#', 'data-leaf': String(leaf), title: name } }, h('span', { class: 'op', text: op }), ' ', h('span', { text: name }));
    a.addEventListener('click', (e) => { e.preventDefault(); this.actions.goTo(leaf); });
    return a;
  }

  private valueRow(model: GraphModel, vid: number, side: 'in' | 'out'): HTMLElement {
    const p = model.payload;
    const v = p.values[vid];
    const m = this.measured?.get(vid);
    const type = m ? measuredTypeRow(v, m) : h('span', { class: 'type', text: typeLabel(v.dtype, v.shape) });
    if (v.inferred && !m) type.append(h('span', { class: 'inferred', text: ' inferred', attrs: { title: 'Computed by shape inference; the file stores no shape here' } }));
    const li = h('li', { attrs: { 'data-value': String(vid) } }, h('div', { class: 'value-name mono', text: v.name }), type);
    const links = h('div', { class: 'links' });
    if (side === 'in') {
      if (v.producer >= 0) links.append('from ', this.link(model, v.producer));
      else {
        const io = model.ioValue.indexOf(vid);
        if (io >= 0) links.append('from ', this.link(model, io));
      }
    } else {
      const to = [...v.consumers];
      const out = model.ioValue.indexOf(vid);
      if (out >= 0 && model.leafKind[out] === 2) to.push(out);
      to.slice(0, 12).forEach((c, k) => { links.append(k ? ', ' : 'to ', this.link(model, c)); });
      if (to.length > 12) links.append(` and ${to.length - 12} more`);
    }
    if (links.childNodes.length) li.append(links);
    return li;
  }

  /** A weight's row; `from` is the folded constant node (Constant, or the end of an Identity/Cast chain) that holds it. */
  private weightRow(w: WeightInfo, from: { opType: string; name: string } | null = null): HTMLElement {
    const open = h('a', { attrs: { href: '#', title: 'Show this weight in the Parameters tab' }, text: 'histogram' });
    open.addEventListener('click', (e) => { e.preventDefault(); this.actions.showWeight(w.id); });
    const stats = h('div', { class: 'mini-stats' });
    const li = h('li', { attrs: { 'data-weight': String(w.id) } },
      h('div', { class: 'value-name mono', text: w.name }),
      h('span', { class: 'type', text: `${w.dtype} [${w.shape.join(', ')}] · ${w.elementCount.toLocaleString('en-US')} values · ${formatBytes(w.byteLength)}` }),
      h('div', { class: 'links' }, open), stats);
    if (from) li.insertBefore(h('div', { class: 'folded muted', text: `folded ${from.opType} ${from.name}` }), li.querySelector('.links'));
    const stamp = this.stamp;
    // The stats engine answers when it is there; without it the row stays as it is.
    this.bus.request('params.tensor', { weightId: w.id }).then((r) => {
      if (stamp !== this.stamp) return;
      const s = ((r as { stats?: unknown })?.stats ?? r) as Record<string, unknown>;
      if (!s || typeof s !== 'object' || typeof s.min !== 'number') return;
      stats.append(h('span', { text: `min ${num(s.min)}  max ${num(s.max)}  mean ${num(s.mean)}  std ${num(s.std)}${typeof s.sparsity === 'number' ? `  zeros ${(100 * s.sparsity).toFixed(1)}%` : ''}` }));
      const counts = (s.histogram as { counts?: ArrayLike<number> } | undefined)?.counts;
      if (counts && counts.length) stats.append(sparkline(Array.from(counts)));
    }).catch(() => {});
    return li;
  }

  private showNode(model: GraphModel, id: number): void {
    const p = model.payload;
    const n = p.nodes[id];
    const domain = n.domain || 'ai.onnx';
    const opset = this.summary.opsets.find((o) => (o.domain || 'ai.onnx') === domain)?.version;
    const desc = opDescription(n.opType);
    const body: (Node | null)[] = [
      h('header', {}, h('h2', { class: 'op-type', text: n.opType }), h('span', { class: `chip cat-${opCategory(n.opType)}`, text: opCategory(n.opType) })),
      desc ? h('p', { class: 'op-description', text: desc }) : h('p', { class: 'op-description muted', text: 'No description for this operator yet.' }),
      h('dl', {},
        h('dt', { text: 'Name' }), h('dd', { class: 'mono node-name', text: n.name || '(unnamed)' }),
        h('dt', { text: 'Domain' }), h('dd', { text: opset !== undefined ? `${domain} · opset ${opset}` : domain })),
    ];
    if (n.docString) body.push(h('p', { class: 'doc muted', text: n.docString }));
    if (n.attributes.length) {
      const dl = h('dl', { class: 'attributes' });
      for (const a of n.attributes) dl.append(h('dt', { text: a.name, attrs: { title: a.type } }), h('dd', { attrs: { 'data-attr': a.name } }, attrValue(a), h('span', { class: 'attr-type', text: ` ${a.type}` })));
      body.push(this.section('Attributes', dl));
    }
    const ins = h('ul', { class: 'values' });
    const weights = h('ul', { class: 'values' });
    for (const vid of n.inputs) {
      if (vid < 0) { ins.append(h('li', { class: 'muted', text: '(optional input not given)' })); continue; }
      const w = model.valueWeight[vid];
      if (w >= 0) weights.append(this.weightRow(p.weights[w], model.foldedFrom[vid] >= 0 ? p.nodes[model.foldedFrom[vid]] : null));
      else ins.append(this.valueRow(model, vid, 'in'));
    }
    for (const a of n.attributes) if (a.weight !== undefined && a.weight >= 0) weights.append(this.weightRow(p.weights[a.weight]));
    if (ins.childNodes.length) body.push(this.section('Inputs', ins));
    if (weights.childNodes.length) body.push(this.section('Weights', weights));
    const outs = h('ul', { class: 'values' });
    for (const vid of n.outputs) outs.append(this.valueRow(model, vid, 'out'));
    if (outs.childNodes.length) body.push(this.section('Outputs', outs));
    if (n.subgraphs.length) body.push(this.section('Subgraphs', h('ul', {}, ...n.subgraphs.map((g) => h('li', { text: `${p.graphs[g].label}: ${p.graphs[g].name} (${p.graphs[g].nodes.length} nodes)` })))));
    this.element.replaceChildren(...body.filter((x): x is Node => !!x));
  }

  private showIo(model: GraphModel, leaf: number): void {
    const vid = model.ioValue[leaf];
    const kind = model.leafKind[leaf] === 1 ? 'Graph input' : 'Graph output';
    const list = h('ul', { class: 'values' }, this.valueRow(model, vid, model.leafKind[leaf] === 1 ? 'out' : 'in'));
    this.element.replaceChildren(h('header', {}, h('h2', { class: 'op-type', text: kind })), this.section('Value', list));
  }

  private showGroup(model: GraphModel, hier: Hierarchy, g: number, expanded: boolean): void {
    const ops = new Map<string, number>();
    for (let leaf = 0; leaf < model.nodeCount; leaf++) {
      let a = hier.leafParent[leaf];
      while (a >= 0 && a !== g) a = hier.groupParent[a];
      if (a === g) { const op = model.payload.nodes[leaf].opType; ops.set(op, (ops.get(op) ?? 0) + 1); }
    }
    const toggle = h('button', { class: 'graph-button', text: expanded ? 'Collapse group' : 'Expand group' });
    toggle.addEventListener('click', () => this.actions.toggleGroup(g));
    const top = [...ops].sort((a, b) => b[1] - a[1]).slice(0, 12);
    this.element.replaceChildren(
      h('header', {}, h('h2', { class: 'op-type', text: hier.groupLabel[g] }), h('span', { class: 'chip', text: 'group' })),
      h('dl', {}, h('dt', { text: 'Scope' }), h('dd', { class: 'mono', text: hier.groupKey[g].replace(/^\//, '') }),
        h('dt', { text: 'Nodes' }), h('dd', { class: 'group-caption', text: groupCaption(hier, g, (leaf) => (leaf < model.nodeCount ? model.payload.nodes[leaf].opType : '')) })),
      toggle,
      this.section('Operators', h('ul', { class: 'op-counts' }, ...top.map(([op, c]) => h('li', {}, h('span', { class: 'op', text: op }), ` × ${c}`)))));
  }
}

function sparkline(counts: number[]): HTMLElement {
  const max = Math.max(...counts, 1);
  const bins = 32;
  const step = counts.length / bins;
  const bars = h('div', { class: 'sparkline', attrs: { 'aria-hidden': 'true' } });
  for (let b = 0; b < Math.min(bins, counts.length); b++) {
    let s = 0;
    for (let i = Math.floor(b * step); i < Math.floor((b + 1) * step) || i === Math.floor(b * step); i++) s += counts[i] ?? 0;
    const bar = h('span');
    bar.style.height = `${Math.max(1, Math.round((24 * s) / (max * Math.max(1, step))))}px`;
    bars.append(bar);
  }
  return bars;
}
