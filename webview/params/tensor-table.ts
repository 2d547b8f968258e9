// Every weight of the model in one virtualized, sortable, filterable table: only the rows in view
// exist in the DOM (10k+ tensors scroll smoothly), each with a sparkline of its histogram.
import type { GraphPayload, WeightInfo } from '../../src/core/model-view-types.js';
import { SPARK_BINS, TABLE_COLUMNS, type ModelStatsResult, type StatsRowsEvent, type TableColumn } from '../../src/features/params/protocol.js';
import { h, icon } from '../shell/dom.js';
import { humanBytes } from '../shell/format.js';
import { fmt, pct, themeColor } from './format.js';

export const ROW_HEIGHT = 22;

type SortKey = 'name' | 'dtype' | 'params' | 'bytes' | 'min' | 'max' | 'mean' | 'std' | 'sparsity' | 'flags';

interface Col { key: SortKey | 'shape' | 'hist'; title: string; num?: boolean; help?: string }
const COLS: Col[] = [
  { key: 'name', title: 'Name' },
  { key: 'dtype', title: 'Type' },
  { key: 'shape', title: 'Shape' },
  { key: 'params', title: 'Params', num: true },
  { key: 'bytes', title: 'Bytes', num: true },
  { key: 'min', title: 'Min', num: true },
  { key: 'max', title: 'Max', num: true },
  { key: 'mean', title: 'Mean', num: true },
  { key: 'std', title: 'Std', num: true, help: 'population standard deviation' },
  { key: 'sparsity', title: 'Zeros', num: true },
  { key: 'hist', title: 'Histogram' },
  { key: 'flags', title: 'Flags' },
];

export interface TableFlag { kind: string; severity: string; message: string }

export class TensorTable {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsEl: HTMLElement;
  private readonly header: HTMLElement;
  private readonly weights: WeightInfo[];
  private stats: ModelStatsResult | null = null;
  private statRow = new Map<number, number>();
  private cols: Float64Array = new Float64Array(0);
  private spark: Uint8Array = new Uint8Array(0);
  private flags = new Map<number, TableFlag[]>();
  /** Rows streamed in while the pass runs (weight id → its columns and sparkline), until the result. */
  private partial = new Map<number, { cols: Float64Array; spark: Uint8Array }>();
  private resort = 0;
  private order: number[] = [];
  private filter = { text: '', flaggedOnly: false, only: null as Set<number> | null };
  private sort: { key: SortKey; dir: 1 | -1 } = { key: 'bytes', dir: -1 };
  private selected: number | null = null;
  private frame = 0;

  constructor(graph: GraphPayload, private readonly onSelect: (weightId: number) => void) {
    this.weights = graph.weights;
    this.header = h('div', { class: 'ttable-row ttable-head', attrs: { role: 'row' } });
    for (const c of COLS) {
      const sortable = c.key !== 'shape' && c.key !== 'hist';
      const cell = h('div', { class: `ttable-cell c-${c.key}${c.num ? ' num' : ''}`, attrs: { role: 'columnheader', 'data-col': c.key } });
      if (sortable) {
        const b = h('button', { class: 'ttable-sort', text: c.title, attrs: { type: 'button', title: `Sort by ${c.title.toLowerCase()}${c.help ? ` (${c.help})` : ''}` } });
        b.addEventListener('click', () => this.setSort(c.key as SortKey));
        cell.append(b);
      } else cell.textContent = c.title;
      this.header.append(cell);
    }
    this.spacer = h('div', { class: 'ttable-spacer' });
    this.rowsEl = h('div', { class: 'ttable-rows', attrs: { role: 'rowgroup' } });
    this.scroller = h('div', { class: 'ttable-scroll', attrs: { tabindex: '0', role: 'grid', 'aria-label': 'Weights of the model', 'aria-multiselectable': 'false' } },
      this.spacer, this.rowsEl);
    this.element = h('div', { class: 'ttable' }, this.header, this.scroller);
    this.scroller.addEventListener('scroll', () => this.schedule());
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.rowsEl.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.ttable-row');
      if (row?.dataset.weight) this.choose(Number(row.dataset.weight), false);
    });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.refresh();
  }

  setStats(r: ModelStatsResult | null): void {
    this.stats = r;
    this.statRow.clear();
    this.flags.clear();
    this.partial.clear();
    if (r) {
      const ids = new Int32Array(r.weightIds);
      ids.forEach((id, row) => { if (id >= 0) this.statRow.set(id, row); });
      this.cols = new Float64Array(r.columns);
      this.spark = new Uint8Array(r.sparklines);
      this.element.dataset.filled = String(this.statRow.size);
      for (const f of r.flags) {
        if (f.weightId < 0) continue;
        const l = this.flags.get(f.weightId) ?? [];
        l.push(f);
        this.flags.set(f.weightId, l);
      }
    }
    this.refresh();
  }

  /** Rows finished while the pass runs: their cells fill in; rows move only when sorted by a statistic. */
  addRows(ev: StatsRowsEvent): void {
    const ids = new Int32Array(ev.weightIds), cols = new Float64Array(ev.columns), spark = new Uint8Array(ev.sparklines), n = ev.rows;
    if (ids.length !== n || cols.length !== n * TABLE_COLUMNS.length || spark.length !== n * SPARK_BINS) return;
    for (let r = 0; r < n; r++) {
      const id = ids[r];
      if (!this.weights[id] || this.statRow.has(id)) continue;
      const c = new Float64Array(TABLE_COLUMNS.length);
      for (let ci = 0; ci < c.length; ci++) c[ci] = cols[ci * n + r];
      this.partial.set(id, { cols: c, spark: spark.slice(r * SPARK_BINS, (r + 1) * SPARK_BINS) });
      this.flags.delete(id); // a pass run again replaces the row's flags
    }
    for (const f of ev.flags ?? []) {
      if (!this.weights[f.weightId]) continue;
      const l = this.flags.get(f.weightId) ?? [];
      l.push(f);
      this.flags.set(f.weightId, l);
    }
    this.element.dataset.filled = String(this.statRow.size + this.partial.size);
    const byName = this.sort.key === 'name' || this.sort.key === 'dtype' || this.sort.key === 'params' || this.sort.key === 'bytes';
    if (byName && !this.filter.flaggedOnly) { this.schedule(); return; }
    this.resort ||= requestAnimationFrame(() => { this.resort = 0; this.refresh(); });
  }

  setFilter(text: string, flaggedOnly: boolean, only: Set<number> | null): void {
    this.filter = { text: text.trim().toLowerCase(), flaggedOnly, only };
    this.refresh();
  }

  /** Weight ids in their shown order. */
  visibleIds(): readonly number[] {
    return this.order;
  }

  select(id: number | null, scroll: boolean): void {
    this.selected = id;
    if (scroll && id !== null) {
      const i = this.order.indexOf(id);
      if (i >= 0) {
        const top = i * ROW_HEIGHT, view = this.scroller.clientHeight;
        if (top < this.scroller.scrollTop || top + ROW_HEIGHT > this.scroller.scrollTop + view) this.scroller.scrollTop = Math.max(0, top - view / 2);
      }
    }
    this.render();
  }

  /** A stats column of one weight (NaN until stats arrive). */
  value(id: number, c: TableColumn): number {
    const row = this.statRow.get(id);
    if (row === undefined || !this.stats) return this.partial.get(id)?.cols[TABLE_COLUMNS.indexOf(c)] ?? NaN;
    return this.cols[TABLE_COLUMNS.indexOf(c) * this.stats.rows + row];
  }

  flagsOf(id: number): TableFlag[] {
    return this.flags.get(id) ?? [];
  }

  private setSort(key: SortKey): void {
    this.sort = this.sort.key === key ? { key, dir: (-this.sort.dir) as 1 | -1 } : { key, dir: key === 'name' || key === 'dtype' ? 1 : -1 };
    this.refresh();
  }

  private sortValue(id: number): number | string {
    const w = this.weights[id];
    switch (this.sort.key) {
      case 'name': return w.name;
      case 'dtype': return w.dtype;
      case 'params': return w.elementCount;
      case 'bytes': return w.byteLength;
      case 'flags': return this.flagsOf(id).length;
      default: return this.value(id, this.sort.key);
    }
  }

  private refresh(): void {
    const { text, flaggedOnly, only } = this.filter;
    const ids: number[] = [];
    for (const w of this.weights) {
      if (only && !only.has(w.id)) continue;
      if (flaggedOnly && !this.flags.has(w.id)) continue;
      if (text && !w.name.toLowerCase().includes(text) && w.dtype !== text) continue;
      ids.push(w.id);
    }
    const keys = new Map(ids.map((id) => [id, this.sortValue(id)]));
    const dir = this.sort.dir;
    ids.sort((a, b) => {
      const x = keys.get(a)!, y = keys.get(b)!;
      if (typeof x === 'string' || typeof y === 'string') return dir * String(x).localeCompare(String(y)) || a - b;
      // NaN (no stats) sorts last either way.
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? a - b : 1) : -1;
      return dir * (x - y) || a - b;
    });
    this.order = ids;
    this.spacer.style.height = `${ids.length * ROW_HEIGHT}px`;
    this.scroller.setAttribute('aria-rowcount', String(ids.length));
    this.element.dataset.rows = String(ids.length);
    for (const cell of this.header.querySelectorAll<HTMLElement>('[data-col]')) {
      const on = cell.dataset.col === this.sort.key;
      cell.setAttribute('aria-sort', on ? (dir > 0 ? 'ascending' : 'descending') : 'none');
      cell.classList.toggle('sorted', on);
    }
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  private render(): void {
    const top = this.scroller.scrollTop, view = this.scroller.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - 4);
    const last = Math.min(this.order.length, Math.ceil((top + view) / ROW_HEIGHT) + 4);
    const frag = document.createDocumentFragment();
    const blue = themeColor(this.scroller, '--vscode-charts-blue');
    for (let i = first; i < last; i++) frag.append(this.row(this.order[i], i, blue));
    this.rowsEl.replaceChildren(frag);
    const sel = this.selected === null ? null : this.rowsEl.querySelector<HTMLElement>(`[data-weight="${this.selected}"]`);
    if (sel) this.scroller.setAttribute('aria-activedescendant', sel.id);
    else this.scroller.removeAttribute('aria-activedescendant');
  }

  private row(id: number, index: number, color: string): HTMLElement {
    const w = this.weights[id];
    const v = (c: TableColumn) => this.value(id, c);
    const flags = this.flagsOf(id);
    const cell = (key: string, text: string, num = false) => h('div', { class: `ttable-cell c-${key}${num ? ' num' : ''}`, attrs: { role: 'gridcell' }, text });
    const row = h('div', { class: 'ttable-row', attrs: { role: 'row', id: `ml-weight-row-${id}`, 'data-weight': String(id), 'aria-rowindex': String(index + 1), 'aria-selected': String(id === this.selected) } },
      cell('name', w.name), cell('dtype', w.dtype), cell('shape', `[${w.shape.join('×')}]`),
      cell('params', w.elementCount.toLocaleString('en-US'), true), cell('bytes', humanBytes(w.byteLength), true),
      cell('min', fmt(v('min')), true), cell('max', fmt(v('max')), true), cell('mean', fmt(v('mean')), true),
      cell('std', fmt(v('std')), true), cell('sparsity', pct(v('sparsity')), true));
    row.style.top = `${index * ROW_HEIGHT}px`;
    row.firstElementChild!.setAttribute('title', w.name);
    const histCell = h('div', { class: 'ttable-cell c-hist', attrs: { role: 'gridcell' } });
    const sr = this.statRow.get(id);
    const bins = sr !== undefined ? this.spark.subarray(sr * SPARK_BINS, (sr + 1) * SPARK_BINS) : this.partial.get(id)?.spark;
    if (bins) histCell.append(sparkline(bins, color));
    const flagCell = h('div', { class: 'ttable-cell c-flags', attrs: { role: 'gridcell' } });
    if (flags.length) {
      const worst = flags.some((f) => f.severity === 'error') ? 'error' : flags.some((f) => f.severity === 'warning') ? 'warning' : 'info';
      const label = flags.map((f) => f.message).join('\n');
      flagCell.append(icon(worst === 'info' ? 'info' : worst, `${flags.length} flag${flags.length > 1 ? 's' : ''}: ${label}`), h('span', { text: flags.map((f) => f.kind).join(', ') }));
      flagCell.title = label;
      flagCell.classList.add(`sev-${worst}`);
    }
    row.append(histCell, flagCell);
    return row;
  }

  private choose(id: number, scroll: boolean): void {
    this.select(id, scroll);
    this.onSelect(id);
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.order.length) return;
    const i = this.selected === null ? -1 : this.order.indexOf(this.selected);
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    let next: number;
    switch (e.key) {
      case 'ArrowDown': next = Math.min(this.order.length - 1, i + 1); break;
      case 'ArrowUp': next = Math.max(0, i - 1); break;
      case 'PageDown': next = Math.min(this.order.length - 1, i + page); break;
      case 'PageUp': next = Math.max(0, i - page); break;
      case 'Home': next = 0; break;
      case 'End': next = this.order.length - 1; break;
      default: return;
    }
    e.preventDefault();
    this.choose(this.order[next], true);
  }
}

/** A tiny bar chart of SPARK_BINS heights (0..255) drawn as an inline SVG-free canvas. */
function sparkline(bins: Uint8Array, color: string): HTMLCanvasElement {
  const c = document.createElement('canvas');
  const w = 72, ht = 16, dpr = window.devicePixelRatio || 1;
  c.width = w * dpr; c.height = ht * dpr;
  c.style.width = `${w}px`; c.style.height = `${ht}px`;
  c.setAttribute('aria-hidden', 'true');
  c.dataset.bins = Array.from(bins).join(',');
  const g = c.getContext('2d');
  if (g) {
    g.scale(dpr, dpr);
    g.fillStyle = color;
    const bw = w / bins.length;
    for (let i = 0; i < bins.length; i++) {
      const hh = (bins[i] / 255) * ht;
      if (hh > 0) g.fillRect(i * bw, ht - hh, Math.max(1, bw - 0.5), hh);
    }
  }
  return c;
}
