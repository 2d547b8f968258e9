// One tensor in depth: its figures, a histogram (hover for bins, log-y, overlay of a pinned tensor),
// per-output-channel ranges for ≥2-D weights, a paged value grid, and links to its consumers.
import type { Bus } from '../bus.js';
import type { GraphPayload, WeightInfo } from '../../src/core/model-view-types.js';
import type { TensorStats } from '../../src/core/stats/stats-types.js';
import type { ChannelsResult, StatsExportResult, TensorStatsResult } from '../../src/features/params/protocol.js';
import { MAX_CHANNELS } from '../../src/features/params/protocol.js';
import { h, icon } from '../shell/dom.js';
import { humanBytes } from '../shell/format.js';
import { ChannelChart } from './channel-chart.js';
import { fmt, pct } from './format.js';
import { HistogramChart } from './histogram-chart.js';
import type { TableFlag } from './tensor-table.js';
import { ValueGrid } from './value-grid.js';

export interface DetailActions {
  showInGraph(nodeId: number): void;
  flagsOf(weightId: number): TableFlag[];
  bins(): number;
  log(on: boolean): void;
  logOn(): boolean;
}

export class DetailPane {
  readonly element: HTMLElement;
  private readonly head = h('div', { class: 'detail-head' });
  private readonly actions = h('div', { class: 'detail-actions' });
  private readonly figures = h('div', { class: 'detail-figures' });
  private readonly histBox: HTMLElement;
  private readonly chart = new HistogramChart('Histogram of the selected tensor');
  private readonly channels = new ChannelChart();
  private readonly channelBox: HTMLElement;
  private readonly grid: ValueGrid;
  private readonly logBox: HTMLInputElement;
  private weight: WeightInfo | null = null;
  private stats: TensorStats | null = null;
  private pinned: { weight: WeightInfo; stats: TensorStats } | null = null;
  private stamp = 0;
  private readonly consumers: Map<number, number[]>;

  constructor(private readonly graph: GraphPayload, private readonly bus: Bus, private readonly act: DetailActions) {
    this.consumers = consumersByWeight(graph);
    this.logBox = h('input', { attrs: { type: 'checkbox', id: 'ml-params-log' } });
    this.logBox.checked = act.logOn();
    this.logBox.addEventListener('change', () => { act.log(this.logBox.checked); this.drawHistogram(); });
    this.histBox = h('section', { class: 'detail-section', attrs: { 'aria-label': 'Histogram' } },
      h('div', { class: 'section-head' }, h('h3', { text: 'Histogram' }),
        h('label', { class: 'check' }, this.logBox, h('span', { text: 'log count' }))),
      this.chart.element);
    this.channelBox = h('section', { class: 'detail-section', attrs: { 'aria-label': 'Output channels' } }, h('h3', { text: 'Output channels (axis 0): min … max' }), this.channels.element);
    this.grid = new ValueGrid(bus);
    this.element = h('div', { class: 'params-detail', attrs: { role: 'region', 'aria-label': 'Selected tensor' } },
      this.head, this.actions, this.figures, this.histBox, this.channelBox,
      h('section', { class: 'detail-section', attrs: { 'aria-label': 'Values' } }, h('h3', { text: 'Values' }), this.grid.element));
    this.show(null);
  }

  show(w: WeightInfo | null): void {
    const stamp = ++this.stamp;
    this.weight = w;
    this.stats = null;
    this.element.dataset.weight = w ? String(w.id) : '';
    this.element.dataset.state = w ? 'loading' : 'empty';
    this.figures.replaceChildren();
    this.actions.replaceChildren();
    this.channelBox.hidden = true;
    this.histBox.hidden = !w;
    if (!w) {
      this.head.replaceChildren(h('p', { class: 'muted', text: 'Select a tensor in the table (or a node in the graph) to see its histogram, channels and values.' }));
      this.grid.element.parentElement!.hidden = true;
      this.chart.set([], false);
      return;
    }
    this.grid.element.parentElement!.hidden = false;
    this.head.replaceChildren(
      h('h2', { class: 'mono', text: w.name }),
      h('div', { class: 'muted', text: `${w.dtype}${w.logicalType ? ` (${w.logicalType})` : ''} [${w.shape.join('×')}] · ${w.elementCount.toLocaleString('en-US')} values · ${humanBytes(w.byteLength)} · ${w.role}` }),
      h('div', { class: 'muted small', text: w.location }));
    this.renderActions(w);
    this.grid.show(w);
    this.bus.request('params.tensor', { weightId: w.id, bins: this.act.bins() }).then((r) => {
      if (stamp !== this.stamp) return;
      this.stats = (r as TensorStatsResult).stats;
      this.renderFigures(w, this.stats);
      this.drawHistogram();
      this.element.dataset.state = 'ready';
    }).catch((e: Error) => {
      if (stamp !== this.stamp) return;
      this.figures.replaceChildren(h('p', { class: 'error-text', text: e.message }));
      this.element.dataset.state = 'error';
    });
    if (w.shape.length >= 2 && w.shape[0] > 1 && w.shape[0] <= MAX_CHANNELS && w.elementCount > 0) {
      this.bus.request('params.channels', { weightId: w.id }).then((r) => {
        if (stamp !== this.stamp) return;
        const c = r as ChannelsResult;
        this.channelBox.hidden = false;
        this.channels.set(new Float64Array(c.min), new Float64Array(c.max));
      }).catch(() => undefined);
    }
  }

  /** Redraws canvases (after a theme change or a resize). */
  redraw(): void {
    this.chart.draw();
    this.channels.draw();
  }

  private drawHistogram(): void {
    if (!this.weight || !this.stats) return;
    const series = [{ label: this.weight.name, ...this.stats.histogram }];
    if (this.pinned && this.pinned.weight.id !== this.weight.id) series.push({ label: this.pinned.weight.name, ...this.pinned.stats.histogram });
    this.chart.set(series, this.logBox.checked);
  }

  private renderActions(w: WeightInfo): void {
    const consumers = this.consumers.get(w.id) ?? [];
    const exp = button('save', 'Export .npy', `Save ${w.name} as a NumPy .npy file`);
    exp.addEventListener('click', () => {
      this.bus.request('params.export', { kind: 'npy', weightId: w.id, save: true }).then((r) => {
        const res = r as StatsExportResult;
        if (res.saved) exp.title = `Saved to ${res.path}`;
      }).catch((e: Error) => { exp.title = e.message; });
    });
    const pin = button('pin', this.pinned?.weight.id === w.id ? 'Unpin' : 'Pin to compare', 'Keep this histogram as an outline over the next tensors you select');
    pin.addEventListener('click', () => {
      if (this.pinned?.weight.id === w.id) this.pinned = null;
      else if (this.stats) this.pinned = { weight: w, stats: this.stats };
      this.renderActions(w);
      this.drawHistogram();
    });
    const row: (HTMLElement | string)[] = [];
    if (consumers.length) {
      const g = button('type-hierarchy', consumers.length === 1 ? 'Show in graph' : `Show in graph (${consumers.length} users)`, 'Select the node that uses this tensor in the Graph tab');
      g.classList.add('show-in-graph');
      g.addEventListener('click', () => this.act.showInGraph(consumers[0]));
      row.push(g);
    }
    row.push(pin, exp);
    if (this.pinned && this.pinned.weight.id !== w.id) {
      const chip = h('span', { class: 'chip overlay-chip', text: `compared with ${this.pinned.weight.name}` });
      const clear = button('close', '', 'Stop comparing');
      clear.addEventListener('click', () => { this.pinned = null; this.renderActions(w); this.drawHistogram(); });
      row.push(chip, clear);
    }
    this.actions.replaceChildren(...row);
    if (consumers.length > 1) {
      const list = h('div', { class: 'consumers muted' }, 'Used by ');
      consumers.slice(0, 12).forEach((n, i) => {
        const node = this.graph.nodes[n];
        const a = h('button', { class: 'link mono', text: node.name || node.opType, attrs: { type: 'button', title: `${node.opType} — show in graph` } });
        a.addEventListener('click', () => this.act.showInGraph(n));
        list.append(i ? ', ' : '', a);
      });
      if (consumers.length > 12) list.append(` and ${consumers.length - 12} more`);
      this.actions.append(list);
    }
  }

  private renderFigures(w: WeightInfo, s: TensorStats): void {
    const dl = h('dl', { class: 'figures' });
    const add = (k: string, v: string, key?: string) => dl.append(h('dt', { text: k }), h('dd', { class: 'mono', text: v, attrs: key ? { 'data-fig': key } : {} }));
    add('min', fmt(s.min), 'min'); add('max', fmt(s.max), 'max'); add('mean', fmt(s.mean), 'mean'); add('std', fmt(s.std), 'std');
    add('|x| max', fmt(s.absMax), 'absMax');
    add('zeros', `${s.zeros.toLocaleString('en-US')} (${pct(s.sparsity)})`, 'zeros');
    if (s.nan || s.inf) add('NaN / Inf', `${s.nan} / ${s.inf}`, 'nonfinite');
    const p = s.percentiles;
    if (p) add(p.exact ? 'percentiles' : 'percentiles ≈', `p1 ${fmt(p.p1)} · p25 ${fmt(p.p25)} · p50 ${fmt(p.p50)} · p75 ${fmt(p.p75)} · p99 ${fmt(p.p99)}`, 'percentiles');
    if (s.outliers) add(`beyond ${s.outliers.sigma}σ`, `${s.outliers.below + s.outliers.above} (max |z| ${fmt(s.outliers.maxAbsZ)})`, 'outliers');
    if (s.rows) add('rows', `${s.rows.rows} × ${s.rows.rowSize} · dead ${s.rows.deadRows}${s.rows.rangeRatio !== null ? ` · range spread ${fmt(s.rows.rangeRatio)}×` : ''}`, 'rows');
    if (s.quantization) add('quantized', `scale ${s.quantization.scale.length > 1 ? `${s.quantization.scale.length} values (axis ${s.quantization.axis})` : fmt(s.quantization.scale[0])} · zero point ${s.quantization.zeroPoint.length > 1 ? '…' : fmt(s.quantization.zeroPoint[0] ?? 0)} · ${s.quantization.origin}`, 'quant');
    if (s.raw) add('stored ints', `${fmt(s.raw.min)} … ${fmt(s.raw.max)}`, 'raw');
    const flags = this.act.flagsOf(w.id);
    const fl = flags.length ? h('ul', { class: 'flag-list' }, ...flags.map((f) => h('li', { class: `sev-${f.severity}` }, icon(f.severity === 'info' ? 'info' : f.severity, f.severity), h('span', { text: f.message })))) : null;
    this.figures.replaceChildren(dl, ...(fl ? [fl] : []));
  }
}

function button(codicon: string, text: string, title: string): HTMLButtonElement {
  const b = h('button', { class: 'ml-button secondary', attrs: { type: 'button', title, ...(text ? {} : { 'aria-label': title }) } }, icon(codicon));
  if (text) b.append(h('span', { text }));
  return b;
}

/** Nodes that read each weight: consumers of values holding it, and nodes holding it as an attribute. */
export function consumersByWeight(g: GraphPayload): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const add = (w: number, n: number) => { const l = out.get(w); if (!l) out.set(w, [n]); else if (!l.includes(n)) l.push(n); };
  for (const v of g.values) if (v.weight >= 0) for (const c of v.consumers) add(v.weight, c);
  for (const n of g.nodes) for (const a of n.attributes) if (a.weight !== undefined && a.weight >= 0) add(a.weight, n.id);
  return out;
}
