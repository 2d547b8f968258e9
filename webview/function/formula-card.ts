// Node formula for the selected node (math with its real tensors), one value computed by hand
// after a run, feature maps of Conv outputs, and the whole model as one formula.
import type { FeatureMapsResult, FormulaResult, HandResult, ModelFormulaResult } from '../../src/features/function/protocol.js';
import { h } from '../shell/dom.js';
import type { ViewContext } from '../view.js';
import { drawHeatmap } from './plot.js';
import { button, errorText, fmtNum, table } from './ui.js';

const MAX_GRID = 400;
/** Four significant digits: enough to pick an element, narrow enough for a grid. */
const short = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));

export class FormulaCard {
  readonly element: HTMLElement;
  private readonly nodeSelect: HTMLSelectElement;
  private readonly body = h('div', { class: 'fn-formula-body', attrs: { 'aria-live': 'polite' } });
  private readonly hand = h('div', { class: 'fn-hand' });
  private readonly maps = h('div', { class: 'fn-maps' });
  private readonly modelFormula = h('div', { class: 'fn-model-formula' });
  private nodeId: number | null = null;
  private serial = 0;
  private modelLoaded = false;

  constructor(private readonly ctx: ViewContext) {
    const main = ctx.graph.nodes.filter((n) => n.graph === 0);
    this.nodeSelect = h('select', { class: 'fn-node', attrs: { 'aria-label': 'Node' } });
    for (const n of main) this.nodeSelect.append(h('option', { text: `${n.name || `#${n.id}`} — ${n.opType}`, attrs: { value: String(n.id) } }));
    this.nodeSelect.addEventListener('change', () => ctx.selectNode(Number(this.nodeSelect.value), 'run'));
    this.element = h('section', { class: 'fn-section', attrs: { 'aria-label': 'Node formula', id: 'fn-formula' } },
      h('h2', { text: 'Node formula' }),
      h('div', { class: 'fn-controls' }, h('label', { class: 'fn-field' }, h('span', { text: 'Node' }), this.nodeSelect)),
      this.body, this.hand, this.maps,
      h('h2', { text: 'The model as one formula' }), this.modelFormula);
  }

  /** Shows the formula of `nodeId` (main-graph nodes only; others keep the current one). */
  async showNode(nodeId: number | null): Promise<void> {
    const id = nodeId ?? (this.nodeId ?? Number(this.nodeSelect.value));
    if (!Number.isInteger(id) || this.ctx.graph.nodes[id]?.graph !== 0) return;
    if (id === this.nodeId) return;
    this.nodeId = id;
    this.nodeSelect.value = String(id);
    const serial = ++this.serial;
    this.hand.replaceChildren();
    this.maps.replaceChildren();
    this.body.replaceChildren(h('p', { class: 'fn-note', text: 'Writing the formula…' }));
    try {
      const f = await this.ctx.bus.request('function.formula', { nodeId: id }) as FormulaResult;
      if (serial !== this.serial) return;
      this.renderFormula(f);
    } catch (e) {
      if (serial === this.serial) this.body.replaceChildren(h('p', { class: 'fn-error', text: errorText(e) }));
    }
  }

  async loadModelFormula(): Promise<void> {
    if (this.modelLoaded) return;
    this.modelLoaded = true;
    try {
      const m = await this.ctx.bus.request('function.model-formula', {}) as ModelFormulaResult;
      if (!m.qualifies) { this.modelFormula.replaceChildren(h('p', { class: 'fn-note', text: `Not shown as one formula: ${m.reason ?? 'the graph is too large'}.` })); return; }
      this.modelFormula.replaceChildren(
        h('pre', { class: 'fn-math fn-model-lines', attrs: { 'aria-label': 'Model formula' } }, m.lines.join('\n')),
        ...(m.legend.length ? [table('Formula symbols', ['symbol', 'weight', 'shape', 'values'], m.legend.map((l) => [l.symbol, l.name, `[${l.shape.join(', ')}]`, l.values ? l.values.map(fmtNum).join(', ') : '']))] : []),
      );
    } catch (e) {
      this.modelFormula.replaceChildren(h('p', { class: 'fn-error', text: errorText(e) }));
    }
  }

  private renderFormula(f: FormulaResult): void {
    const math = h('div', { class: 'fn-math fn-formula', attrs: { 'data-node': String(f.nodeId), 'aria-label': `Formula of ${f.name || f.opType}` } });
    for (const p of f.parts) math.append(h('span', { class: `fn-part fn-${p.kind}`, text: p.text, attrs: p.ref ? { title: p.ref } : {} }));
    this.body.replaceChildren(
      h('p', { class: 'fn-note' }, h('strong', { text: f.opType }), ` · ${f.family}${f.name ? ` · ${f.name}` : ''}`),
      math,
      ...(f.notes.length ? [h('ul', { class: 'fn-notes' }, ...f.notes.map((n) => h('li', { text: n })))] : []),
      h('div', { class: 'fn-controls' },
        f.handComputable ? button('fn-hand-run', 'Compute one value by hand', () => void this.runHand(f.nodeId, 0)) : null,
        f.featureMaps ? button('fn-maps-run', 'Show feature maps', () => void this.runMaps(f.nodeId)) : null),
    );
  }

  private async runHand(nodeId: number, index: number): Promise<void> {
    this.hand.setAttribute('data-state', 'running');
    try {
      const r = await this.ctx.bus.request('function.hand', { nodeId, outputIndex: index, fill: 'random' }) as HandResult;
      if (nodeId !== this.nodeId) return;
      this.renderHand(r);
      this.hand.setAttribute('data-state', 'done');
    } catch (e) {
      this.hand.replaceChildren(h('p', { class: 'fn-error', text: errorText(e) }));
      this.hand.setAttribute('data-state', 'error');
    }
  }

  private renderHand(r: HandResult): void {
    // One plane of the output (its last two dims) around the chosen element; a select picks the plane.
    const rank = r.outputShape.length;
    const cols = rank >= 1 ? r.outputShape[rank - 1] : 1;
    const planeSize = rank >= 2 ? cols * r.outputShape[rank - 2] : cols;
    const planes = Math.max(1, Math.ceil(r.output.length / planeSize));
    const plane = Math.floor(r.flatIndex / planeSize);
    const grid = h('div', { class: 'fn-grid', attrs: { role: 'grid', 'aria-label': `Output ${r.outputName}` } });
    grid.style.gridTemplateColumns = `repeat(${Math.min(cols, 16)}, auto)`;
    r.output.slice(plane * planeSize, Math.min((plane + 1) * planeSize, plane * planeSize + MAX_GRID)).forEach((v, k) => {
      const i = plane * planeSize + k;
      const cell = h('button', { class: `fn-cell${i === r.flatIndex ? ' selected' : ''}`, text: short(v), attrs: { type: 'button', 'data-index': String(i), title: `element ${i}` } });
      cell.addEventListener('click', () => void this.runHand(r.nodeId, i));
      grid.append(cell);
    });
    const planeSelect = h('select', { class: 'fn-plane', attrs: { 'aria-label': 'Output plane' } });
    for (let q = 0; q < planes; q++) planeSelect.append(h('option', { text: `plane ${q}`, attrs: { value: String(q) } }));
    planeSelect.value = String(plane);
    planeSelect.addEventListener('change', () => void this.runHand(r.nodeId, Number(planeSelect.value) * planeSize));
    const isPool = r.reduce !== 'sum';
    const rows = r.terms.slice(0, 64).map((t) => [
      `[${t.inputIndex.join(', ')}]${t.padding ? ' (pad)' : ''}`, fmtNum(t.input),
      ...(isPool ? [] : [t.weightIndex ? `[${t.weightIndex.join(', ')}]` : '', fmtNum(t.weight), fmtNum(t.product)]),
    ]);
    const steps: string[] = [];
    const op = r.reduce === 'sum' ? 'Σ products' : r.reduce === 'max' ? 'max' : 'Σ inputs';
    steps.push(`${op} = ${fmtNum(r.sum)}`);
    if (r.alpha !== undefined) steps.push(`α·Σ = ${fmtNum(r.alpha)}·${fmtNum(r.sum)}`);
    if (r.bias !== undefined) steps.push(`+ bias ${r.beta !== undefined ? `${fmtNum(r.beta)}·` : ''}${fmtNum(r.bias)}`);
    if (r.divisor !== undefined) steps.push(`÷ ${r.divisor}`);
    steps.push(`= ${fmtNum(r.result)}`);
    const same = Math.abs(r.result - r.runtime) <= 1e-4 * Math.max(1, Math.abs(r.runtime));
    this.hand.replaceChildren(
      h('h3', { text: `One value of ${r.outputName} by hand` }),
      h('p', { class: 'fn-note', text: `Click an element of the output [${r.outputShape.join(', ')}] (the model ran on a random input, seed 0).` }),
      ...(planes > 1 ? [h('div', { class: 'fn-controls' }, planeSelect)] : []),
      grid,
      h('p', { class: 'fn-note', text: `y[${r.outputIndex.join(', ')}] reads a window of shape [${r.windowShape.join(', ')}]: ${r.terms.length} terms${r.terms.length > 64 ? ' (first 64 shown)' : ''}.` }),
      table('Hand computation terms', isPool ? ['input index', 'input'] : ['input index', 'input', 'weight index', 'weight', 'product'], rows),
      h('p', { class: 'fn-math fn-hand-result', attrs: { 'data-result': String(r.result), 'data-runtime': String(r.runtime) }, text: steps.join('  ') }),
      h('p', { class: same ? 'fn-ok' : 'fn-error', text: `The runtime produced ${fmtNum(r.runtime)} — ${same ? 'the same value' : 'a different value'}.` }),
    );
  }

  private async runMaps(nodeId: number): Promise<void> {
    this.maps.setAttribute('data-state', 'running');
    try {
      const r = await this.ctx.bus.request('function.featuremaps', { nodeId }) as FeatureMapsResult;
      const canvases = r.maps.map((m) => h('canvas', { class: 'fn-map', attrs: { 'aria-label': `channel ${m.channel}: min ${fmtNum(m.min)}, max ${fmtNum(m.max)}` } }));
      const tiles = r.maps.map((m, i) => h('figure', { class: 'fn-map-tile' }, canvases[i], h('figcaption', { text: `c${m.channel} · ${short(m.min)}…${short(m.max)}` })));
      this.maps.replaceChildren(h('h3', { text: `Feature maps of ${r.outputName} [${r.shape.join(', ')}]` }), h('div', { class: 'fn-map-grid' }, ...tiles));
      // Painted once in the document, where the theme's colours resolve.
      r.maps.forEach((m, i) => drawHeatmap(canvases[i], m.values, m.width, m.height));
      this.maps.setAttribute('data-state', 'done');
    } catch (e) {
      this.maps.replaceChildren(h('p', { class: 'fn-error', text: errorText(e) }));
      this.maps.setAttribute('data-state', 'error');
    }
  }
}
