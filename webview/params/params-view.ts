// The Parameters tab: progress of the model-wide statistics pass, the summary, the tensor table and
// the selected tensor's detail, linked both ways with the graph's selection.
import type { ExportResult } from '../../src/protocol.js';
import type { WeightInfo } from '../../src/core/model-view-types.js';
import { STATS_PROGRESS_TOPIC, STATS_ROWS_TOPIC, type ModelStatsResult, type StatsExportResult, type StatsProgressEvent, type StatsRowsEvent } from '../../src/features/params/protocol.js';
import type { Disposable } from '../bus.js';
import { adoptStylesheet, h, icon } from '../shell/dom.js';
import type { View, ViewContext } from '../view.js';
import { consumersByWeight, DetailPane } from './detail.js';
import { SummaryPanel } from './summary.js';
import { TensorTable } from './tensor-table.js';
import paramsCss from './params.css';

export class ParamsView implements View {
  readonly element: HTMLElement;
  private readonly table: TensorTable;
  private readonly detail: DetailPane;
  private readonly summary: SummaryPanel;
  private readonly bar: HTMLElement;
  private readonly barFill: HTMLElement;
  private readonly status: HTMLElement;
  private readonly cancelBtn: HTMLButtonElement;
  private readonly retryBtn: HTMLButtonElement;
  private readonly nodeChip: HTMLElement;
  private readonly filterInput: HTMLInputElement;
  private readonly flaggedBox: HTMLInputElement;
  private readonly subs: Disposable[] = [];
  private stats: ModelStatsResult | null = null;
  private running: AbortController | null = null;
  private started = false;
  private nodeFilter: Set<number> | null = null;
  private readonly persistedLog;
  private readonly persistedFilter;
  private readonly observers: { disconnect(): void }[] = [];

  constructor(private readonly ctx: ViewContext) {
    adoptStylesheet(paramsCss);
    this.persistedLog = ctx.state.persisted('logY', false);
    this.persistedFilter = ctx.state.persisted('filter', '');
    this.barFill = h('div', { class: 'bar-fill' });
    this.bar = h('div', { class: 'params-progress', attrs: { role: 'progressbar', 'aria-label': 'Statistics progress', 'aria-valuemin': '0', 'aria-valuemax': '100' } }, this.barFill);
    this.status = h('span', { class: 'params-status muted', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.cancelBtn = toolButton('debug-stop', 'Cancel', 'Stop computing statistics');
    this.cancelBtn.addEventListener('click', () => this.running?.abort());
    this.retryBtn = toolButton('refresh', 'Compute statistics', 'Compute the statistics of every weight');
    this.retryBtn.addEventListener('click', () => void this.load());
    this.filterInput = h('input', { class: 'params-filter', attrs: { type: 'search', placeholder: 'Filter by name or type', 'aria-label': 'Filter tensors by name or type' } });
    this.filterInput.value = this.persistedFilter.get();
    this.filterInput.addEventListener('input', () => { this.persistedFilter.set(this.filterInput.value); this.applyFilter(); });
    this.flaggedBox = h('input', { attrs: { type: 'checkbox', id: 'ml-params-flagged' } });
    this.flaggedBox.addEventListener('change', () => this.applyFilter());
    this.nodeChip = h('span', { class: 'chip node-chip' });
    this.nodeChip.hidden = true;
    const csv = toolButton('table', 'CSV', 'Save the statistics table as CSV');
    csv.addEventListener('click', () => void this.saveTable('csv', csv));
    const json = toolButton('json', 'JSON', 'Save the statistics as JSON');
    json.addEventListener('click', () => void this.saveTable('json', json));
    const toolbar = h('div', { class: 'params-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Parameters' } },
      this.filterInput, h('label', { class: 'check' }, this.flaggedBox, h('span', { text: 'flagged only' })), this.nodeChip,
      h('span', { class: 'spacer' }), this.status, this.cancelBtn, this.retryBtn, csv, json);

    this.summary = new SummaryPanel(ctx.summary, (id) => this.pick(id, true));
    this.table = new TensorTable(ctx.graph, (id) => this.pick(id, false));
    this.detail = new DetailPane(ctx.graph, ctx.bus, {
      showInGraph: (nodeId) => { ctx.selectNode(nodeId, 'params'); ctx.showTab('graph'); },
      flagsOf: (id) => this.table.flagsOf(id),
      bins: () => ctx.settings.stats.histogramBins,
      log: (on) => this.persistedLog.set(on),
      logOn: () => this.persistedLog.get(),
    });
    const summaryBox = h('details', { class: 'params-summary-box' }, h('summary', { text: 'Model summary' }), this.summary.element);
    summaryBox.open = true;
    this.element = h('div', { class: 'params-view', attrs: { id: 'params' } }, this.bar, toolbar, summaryBox,
      h('div', { class: 'params-main' }, this.table.element, this.detail.element));
    this.setRunning(false);

    this.subs.push(
      ctx.bus.onNotify(STATS_PROGRESS_TOPIC, (d) => this.progress(d as StatsProgressEvent)),
      ctx.bus.onNotify(STATS_ROWS_TOPIC, (d) => { if (this.running && d && typeof d === 'object') this.table.addRows(d as StatsRowsEvent); }),
      ctx.onSelectWeight((id, source) => { if (source !== 'params') this.pick(id, true, false); }),
      ctx.onSelectNode((nodeId, source) => { if (source !== 'params') this.showNodeWeights(nodeId); }),
      ctx.provideExport('stats-csv', () => this.exportTable('csv')),
      ctx.provideExport('stats-json', () => this.exportTable('json')),
    );
    // Canvases read theme colours when drawn: redraw when the theme (body class) or size changes.
    const mo = new MutationObserver(() => { this.detail.redraw(); this.summary.histogram.draw(); this.table.select(this.ctx.selectedWeight(), false); });
    mo.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    const ro = new ResizeObserver(() => { this.detail.redraw(); this.summary.histogram.draw(); });
    ro.observe(this.detail.element);
    this.observers.push(mo, ro);
    this.applyFilter();
  }

  show(): void {
    if (!this.started) {
      this.started = true;
      const w = this.ctx.selectedWeight();
      if (w !== null) this.pick(w, true, false);
      else if (this.ctx.selectedNode() !== null) this.showNodeWeights(this.ctx.selectedNode());
      void this.load();
    }
    requestAnimationFrame(() => { this.detail.redraw(); this.summary.histogram.draw(); this.table.select(this.ctx.selectedWeight(), false); });
  }

  hide(): void {
    // Nothing animates; the pass keeps running so the tab is ready when shown again.
  }

  dispose(): void {
    this.running?.abort();
    for (const s of this.subs) s.dispose();
    for (const o of this.observers) o.disconnect();
  }

  private async load(): Promise<void> {
    if (this.running) return;
    const ctl = new AbortController();
    this.running = ctl;
    this.setRunning(true);
    this.status.textContent = 'Computing statistics…';
    this.element.dataset.stats = 'running';
    try {
      const r = await this.ctx.bus.request('params.model', { bins: this.ctx.settings.stats.histogramBins }, { signal: ctl.signal }) as ModelStatsResult;
      this.stats = r;
      this.table.setStats(r);
      this.summary.set(r);
      this.applyFilter();
      this.status.textContent = r.fromCache ? `${r.rows} tensors · from cache` : `${r.rows} tensors · ${(r.elapsedMs / 1000).toFixed(1)} s`;
      this.element.dataset.stats = 'ready';
    } catch (e) {
      const cancelled = ctl.signal.aborted || (e as { code?: string }).code === 'cancelled';
      this.status.textContent = cancelled ? 'Statistics cancelled.' : `Statistics failed: ${(e as Error).message}`;
      this.element.dataset.stats = cancelled ? 'cancelled' : 'error';
    } finally {
      this.running = null;
      this.setRunning(false);
    }
  }

  private setRunning(on: boolean): void {
    this.cancelBtn.hidden = !on;
    this.retryBtn.hidden = on || this.stats !== null;
    this.bar.hidden = !on;
    if (on) { this.barFill.style.width = '0%'; this.bar.setAttribute('aria-valuenow', '0'); }
  }

  private progress(p: StatsProgressEvent): void {
    if (!this.running || typeof p?.bytesDone !== 'number') return;
    const f = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.tensorsTotal > 0 ? p.tensorsDone / p.tensorsTotal : 0;
    const v = Math.round(100 * Math.min(1, Math.max(0, f)));
    this.barFill.style.width = `${v}%`;
    this.bar.setAttribute('aria-valuenow', String(v));
    this.status.textContent = `Computing statistics… ${p.tensorsDone} of ${p.tensorsTotal} tensors`;
  }

  private pick(id: number | null, scroll: boolean, announce = true): void {
    const w: WeightInfo | null = id === null ? null : this.ctx.graph.weights[id] ?? null;
    if (w && this.nodeFilter && !this.nodeFilter.has(w.id)) this.clearNodeFilter();
    this.table.select(w ? w.id : null, scroll);
    this.detail.show(w);
    if (announce) this.ctx.selectWeight(w ? w.id : null, 'params');
  }

  private showNodeWeights(nodeId: number | null): void {
    if (nodeId === null || !this.ctx.graph.nodes[nodeId]) { this.clearNodeFilter(); return; }
    const node = this.ctx.graph.nodes[nodeId];
    const ids = new Set<number>();
    for (const v of node.inputs) { const w = v >= 0 ? this.ctx.graph.values[v]?.weight : -1; if (w !== undefined && w >= 0) ids.add(w); }
    for (const a of node.attributes) if (a.weight !== undefined && a.weight >= 0) ids.add(a.weight);
    this.nodeFilter = ids;
    this.nodeChip.replaceChildren(h('span', { text: ids.size ? `weights of ${node.name || node.opType}` : `${node.name || node.opType} has no weights` }));
    const clear = h('button', { class: 'chip-clear', attrs: { type: 'button', 'aria-label': 'Show all tensors', title: 'Show all tensors' } }, icon('close'));
    clear.addEventListener('click', () => this.clearNodeFilter());
    this.nodeChip.append(clear);
    this.nodeChip.hidden = false;
    this.applyFilter();
    const first = [...ids][0];
    if (first !== undefined) this.pick(first, true, false);
  }

  private clearNodeFilter(): void {
    this.nodeFilter = null;
    this.nodeChip.hidden = true;
    this.applyFilter();
  }

  private applyFilter(): void {
    this.table.setFilter(this.filterInput.value, this.flaggedBox.checked, this.nodeFilter);
  }

  private async exportTable(kind: 'csv' | 'json'): Promise<ExportResult> {
    const r = await this.ctx.bus.request('params.export', { kind, save: false }) as StatsExportResult;
    if (r.saved || r.cancelled) throw new Error('nothing to export');
    return { fileName: r.fileName, data: r.data };
  }

  private async saveTable(kind: 'csv' | 'json', b: HTMLButtonElement): Promise<void> {
    try {
      const r = await this.ctx.bus.request('params.export', { kind, save: true }) as StatsExportResult;
      if (r.saved) this.status.textContent = `Saved ${r.path}`;
    } catch (e) {
      b.title = (e as Error).message;
      this.status.textContent = `Export failed: ${(e as Error).message}`;
    }
  }
}

/** Users of a weight (exported for tests and the graph side). */
export { consumersByWeight };

function toolButton(codicon: string, text: string, title: string): HTMLButtonElement {
  return h('button', { class: 'ml-button secondary', attrs: { type: 'button', title } }, icon(codicon), h('span', { text }));
}

