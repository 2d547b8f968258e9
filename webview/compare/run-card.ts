// Run both: the same generated inputs through A and B, then what the numbers say — the first node
// whose output diverged (with a button to go there), and the outputs side by side with top-1
// agreement. A side that failed to run says so; the structure and weights above still stand.
import type { DiffReport } from '../../src/features/compare/protocol.js';
import { h } from '../shell/dom.js';
import { db, num } from './diff-list.js';

export interface RunCardHost {
  run(): Promise<DiffReport>;
  goTo(nodeA: string): void;
  /** The run's report arrived (the view colours the graphs by divergence). */
  ran(r: DiffReport): void;
}

export class RunCard {
  readonly element: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly result: HTMLElement;

  constructor(private readonly host: RunCardHost) {
    this.button = h('button', { class: 'compare-button', attrs: { id: 'compare-run', type: 'button', title: 'Run A and B on the same random inputs (seed 0) and compare every matched activation' } },
      h('span', { class: 'codicon codicon-play', attrs: { 'aria-hidden': 'true' } }), ' Run both');
    this.button.addEventListener('click', () => void this.start());
    this.result = h('div', { class: 'compare-run-result', attrs: { id: 'compare-run-result', 'aria-live': 'polite' } });
    this.element = h('div', { class: 'compare-card compare-run', attrs: { 'data-state': 'idle' } },
      h('div', { class: 'compare-card-title' }, h('span', { text: 'Numbers' }), this.button), this.result);
  }

  private async start(): Promise<void> {
    this.element.dataset.state = 'running';
    this.button.disabled = true;
    this.result.replaceChildren(h('div', { class: 'muted', text: 'Running A and B…' }));
    try {
      const r = await this.host.run();
      this.show(r);
      this.element.dataset.state = r.runError ? 'error' : 'done';
      this.host.ran(r);
    } catch (e) {
      this.element.dataset.state = 'error';
      this.result.replaceChildren(h('div', { class: 'compare-error', text: (e as Error).message }));
    } finally {
      this.button.disabled = false;
    }
  }

  private show(r: DiffReport): void {
    const parts: HTMLElement[] = [];
    if (r.runError) parts.push(h('div', { class: 'compare-error', attrs: { 'data-side': r.runError.side }, text: `${r.runError.side.toUpperCase()} could not run: ${r.runError.message}` }));
    const fd = r.firstDivergence;
    if (fd) {
      const go = h('button', { class: 'compare-link', attrs: { type: 'button', id: 'compare-goto-divergence' }, text: fd.node });
      go.addEventListener('click', () => this.host.goTo(fd.node));
      parts.push(h('div', { class: 'compare-first-divergence', attrs: { id: 'compare-first-divergence', 'data-node': fd.node } },
        'First divergence: ', go, ` — ${fd.value} differs beyond float rounding (SQNR ${db(fd.sqnrDb)})`));
    } else if (r.activations) {
      parts.push(h('div', { class: 'compare-first-divergence', attrs: { id: 'compare-first-divergence', 'data-node': '' }, text: `Every compared value agrees up to float rounding (${r.activationsCompared ?? r.activations.length} compared).` }));
    }
    if (r.outputs?.length) {
      const rows = r.outputs.map((o) => h('tr', { attrs: { 'data-output': o.name } },
        h('td', { text: o.name }), h('td', { text: num(o.maxAbs) }), h('td', { text: o.cosine.toFixed(5) }),
        h('td', { class: 'top1', text: o.top1Agreement === undefined ? '—' : `${(o.top1Agreement * 100).toFixed(0)} %` })));
      parts.push(h('table', { class: 'compare-outputs', attrs: { id: 'compare-outputs' } },
        h('thead', {}, h('tr', {}, ...['Output', 'Max abs', 'Cosine', 'Top-1 agree'].map((t) => h('th', { text: t })))), h('tbody', {}, ...rows)));
    }
    this.result.replaceChildren(...parts);
  }
}
