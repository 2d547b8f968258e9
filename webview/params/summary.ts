// The model-wide part of the Parameters tab: totals as cards, parameters and bytes by dtype, name
// scope and op type, the largest tensors, the histogram of all float weights, and the flags.
import type { ModelSummary } from '../../src/core/model-view-types.js';
import type { GroupTotal } from '../../src/core/stats/stats-types.js';
import type { ModelStatsResult } from '../../src/features/params/protocol.js';
import { h, icon } from '../shell/dom.js';
import { humanBytes, humanCount } from '../shell/format.js';
import { HistogramChart } from './histogram-chart.js';
import { fmt } from './format.js';

const TOP = 8;

export class SummaryPanel {
  readonly element: HTMLElement;
  private readonly cards: HTMLElement;
  private readonly groups: HTMLElement;
  private readonly flags: HTMLElement;
  readonly histogram = new HistogramChart('Histogram of all float weights of the model');

  constructor(private readonly summary: ModelSummary, private readonly onPick: (weightId: number) => void) {
    this.cards = h('div', { class: 'cards' });
    this.groups = h('div', { class: 'groups' });
    this.flags = h('div', { class: 'flags' });
    const histBox = h('section', { class: 'group model-hist', attrs: { 'aria-label': 'Histogram of all float weights' } }, h('h3', { text: 'All float weights' }), this.histogram.element);
    this.element = h('section', { class: 'params-summary', attrs: { 'aria-label': 'Model-wide statistics' } }, this.cards, this.flags, h('div', { class: 'groups-row' }, this.groups, histBox));
    this.set(null);
  }

  set(r: ModelStatsResult | null): void {
    const s = this.summary;
    const totals = r?.totals ?? { tensors: s.weightTensors, parameters: s.parameters, bytes: s.parameterBytes };
    const errors = r?.flags.filter((f) => f.severity === 'error').length ?? 0;
    const warnings = r ? r.flags.length - errors : 0;
    this.cards.replaceChildren(
      card('Parameters', humanCount(totals.parameters), totals.parameters.toLocaleString('en-US'), 'parameters'),
      card('Size', humanBytes(totals.bytes), `${totals.bytes.toLocaleString('en-US')} bytes`, 'bytes'),
      card('Tensors', totals.tensors.toLocaleString('en-US'), '', 'tensors'),
      card('Flags', r ? String(r.flags.length) : '…', r ? `${errors} errors, ${warnings} warnings or notes` : 'statistics are being computed', 'flags'),
      card('Mean ± std', r && r.model.finite ? `${fmt(r.model.mean)} ± ${fmt(r.model.std)}` : '—', r ? `over ${r.model.finite.toLocaleString('en-US')} finite float values` : '', 'moments'),
    );
    const byDtype: GroupTotal[] = r?.byDtype ?? Object.entries(s.parametersByDtype).map(([key, v]) => ({ key, tensors: v.tensors, parameters: v.elements, bytes: v.bytes }));
    const largest = r?.largest.slice(0, TOP) ?? [];
    this.groups.replaceChildren(
      groupTable('By type', byDtype, totals.bytes),
      ...(r ? [groupTable('By name scope', r.byScope, totals.bytes), groupTable('By op type', r.byOpType, totals.bytes)] : []),
      ...(largest.length ? [this.largestList(largest)] : []),
    );
    this.histogram.set(r && r.model.histogram.counts.length ? [{ label: 'model', ...r.model.histogram }] : [], false);
    this.flags.replaceChildren();
    if (r && r.flags.length) {
      const list = h('ul', { class: 'flag-list' });
      for (const f of r.flags) {
        const name = h('button', { class: 'link mono', text: f.tensor, attrs: { type: 'button', title: 'Show this tensor' } });
        if (f.weightId >= 0) name.addEventListener('click', () => this.onPick(f.weightId));
        else name.disabled = true;
        list.append(h('li', { class: `sev-${f.severity}`, attrs: { 'data-kind': f.kind } },
          icon(f.severity === 'info' ? 'info' : f.severity, f.severity), name, h('span', { class: 'flag-kind', text: f.kind }), h('span', { text: f.message })));
      }
      const det = h('details', { class: 'flag-details' }, h('summary', { text: `${r.flags.length} flag${r.flags.length > 1 ? 's' : ''}: values worth a look` }), list);
      if (r.flags.length <= 6) det.open = true;
      this.flags.append(det);
    }
    if (r?.skipped.length) {
      this.flags.append(h('p', { class: 'muted', text: `${r.skipped.length} tensor(s) without statistics: ${r.skipped.slice(0, 5).map((k) => `${k.name} (${k.reason})`).join('; ')}${r.skipped.length > 5 ? '…' : ''}` }));
    }
  }

  private largestList(items: ModelStatsResult['largest']): HTMLElement {
    const ol = h('ol', { class: 'largest' });
    for (const l of items) {
      const b = h('button', { class: 'link mono', text: l.name, attrs: { type: 'button', title: `${l.dtype} [${l.shape.join('×')}]` } });
      if (l.weightId >= 0) b.addEventListener('click', () => this.onPick(l.weightId));
      ol.append(h('li', {}, b, h('span', { class: 'muted', text: ` ${humanBytes(l.bytes)}` })));
    }
    return h('section', { class: 'group' }, h('h3', { text: 'Largest tensors' }), ol);
  }
}

function card(label: string, value: string, title: string, key: string): HTMLElement {
  return h('div', { class: 'card', attrs: { 'data-card': key, ...(title ? { title } : {}) } }, h('div', { class: 'card-value', text: value }), h('div', { class: 'card-label muted', text: label }));
}

function groupTable(title: string, rows: GroupTotal[], totalBytes: number): HTMLElement {
  const table = h('table', { class: 'group-table', attrs: { 'aria-label': title } },
    h('thead', {}, h('tr', {}, h('th', { text: title.replace(/^By /, '') }), h('th', { class: 'num', text: 'Tensors' }), h('th', { class: 'num', text: 'Params' }), h('th', { class: 'num', text: 'Bytes' }))));
  const body = h('tbody');
  const shown = rows.slice(0, TOP);
  for (const g of shown) {
    const bar = h('span', { class: 'share', attrs: { 'aria-hidden': 'true' } });
    bar.style.width = `${totalBytes ? Math.max(1, (100 * g.bytes) / totalBytes) : 0}%`;
    body.append(h('tr', { attrs: { 'data-key': g.key } },
      h('td', { class: 'mono key', attrs: { title: g.key } }, bar, h('span', { text: g.key })),
      h('td', { class: 'num', text: g.tensors.toLocaleString('en-US') }),
      h('td', { class: 'num', text: humanCount(g.parameters), attrs: { title: g.parameters.toLocaleString('en-US') } }),
      h('td', { class: 'num', text: humanBytes(g.bytes) })));
  }
  if (rows.length > TOP) body.append(h('tr', {}, h('td', { class: 'muted', attrs: { colspan: '4' }, text: `and ${rows.length - TOP} more` })));
  table.append(body);
  return h('section', { class: 'group' }, h('h3', { text: title }), table);
}
