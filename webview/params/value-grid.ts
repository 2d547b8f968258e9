// A page of a tensor's values as a grid (16 per line, each line labelled by the index of its first
// element), fetched from the host one page at a time so a huge tensor is never sent whole.
import type { Bus } from '../bus.js';
import type { WeightInfo } from '../../src/core/model-view-types.js';
import type { ValuesResult } from '../../src/features/params/protocol.js';
import { h } from '../shell/dom.js';
import { fmt } from './format.js';

const PAGE = 256;
const PER_LINE = 16;

function indexOf(flat: number, shape: number[]): string {
  if (shape.length <= 1) return String(flat);
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) { idx.unshift(flat % shape[d]); flat = Math.floor(flat / shape[d]); }
  return idx.join(',');
}

export class ValueGrid {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly label: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private weight: WeightInfo | null = null;
  private offset = 0;
  private stamp = 0;

  constructor(private readonly bus: Bus) {
    this.prev = h('button', { class: 'ml-button secondary', text: '‹ Previous', attrs: { type: 'button', 'aria-label': 'Previous page of values' } });
    this.next = h('button', { class: 'ml-button secondary', text: 'Next ›', attrs: { type: 'button', 'aria-label': 'Next page of values' } });
    this.label = h('span', { class: 'muted' });
    this.prev.addEventListener('click', () => this.load(Math.max(0, this.offset - PAGE)));
    this.next.addEventListener('click', () => this.load(this.offset + PAGE));
    this.body = h('div', { class: 'value-grid-body' });
    this.element = h('div', { class: 'value-grid' }, h('div', { class: 'value-grid-nav' }, this.prev, this.next, this.label), this.body);
  }

  show(w: WeightInfo | null): void {
    this.weight = w;
    this.offset = 0;
    if (w && w.elementCount > 0) void this.load(0);
    else { this.body.replaceChildren(h('p', { class: 'muted', text: 'No values.' })); this.label.textContent = ''; }
  }

  private async load(offset: number): Promise<void> {
    const w = this.weight;
    if (!w || offset >= w.elementCount) return;
    const stamp = ++this.stamp;
    this.offset = offset;
    const count = Math.min(PAGE, w.elementCount - offset);
    this.label.textContent = `${offset.toLocaleString('en-US')}–${(offset + count - 1).toLocaleString('en-US')} of ${w.elementCount.toLocaleString('en-US')}`;
    this.prev.disabled = offset === 0;
    this.next.disabled = offset + count >= w.elementCount;
    try {
      const r = await this.bus.request('params.values', { weightId: w.id, offset, count }) as ValuesResult;
      if (stamp !== this.stamp) return;
      const vals = new Float64Array(r.values);
      const deq = r.dequantized ? new Float64Array(r.dequantized) : null;
      const table = h('table', { class: 'mono', attrs: { 'aria-label': `Values of ${w.name} from index ${offset}` } });
      for (let i = 0; i < vals.length; i += PER_LINE) {
        const tr = h('tr', {}, h('th', { attrs: { scope: 'row' }, text: `[${indexOf(offset + i, w.shape)}]` }));
        for (let j = i; j < Math.min(vals.length, i + PER_LINE); j++) {
          const td = h('td', { text: fmt(vals[j]) });
          if (deq) td.title = `dequantized ${fmt(deq[j])}`;
          if (Number.isNaN(vals[j]) || !Number.isFinite(vals[j])) td.classList.add('bad');
          tr.append(td);
        }
        table.append(tr);
      }
      this.body.replaceChildren(table);
      this.element.dataset.offset = String(offset);
    } catch (e) {
      if (stamp === this.stamp) this.body.replaceChildren(h('p', { class: 'error-text', text: (e as Error).message }));
    }
  }
}
