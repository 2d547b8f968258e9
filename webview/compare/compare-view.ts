// The compare panel: A and B side by side (the editor's graph view twice, linked), nodes coloured by
// status or, after a run, by divergence; the list of differences, the weight summary, a weight's
// two histograms, and the run's numbers. Automation hook: the root is #compare with data-state
// (loading → ready, or error) and the counts on #compare-counts.
import type { DiffReport, CompareInit, CompareRequests, NodeStatus } from '../../src/features/compare/protocol.js';
import { nodeStatuses } from '../../src/core/compare/node-status.js';
import type { Bus } from '../bus.js';
import { adoptStylesheet, h } from '../shell/dom.js';
import type { PersistedState } from '../state.js';
import type { NodeOverlay } from '../view.js';
import { diffEntries, num, db, renderDiffList, type DiffEntry } from './diff-list.js';
import { renderOverlaidHistograms } from './histogram.js';
import { followCamera, linkSides, type Pairs } from './link.js';
import { RunCard } from './run-card.js';
import { CompareGraphSide } from './side.js';
import compareCss from './compare.css';

type Classes = NonNullable<NodeOverlay['legend']['classes']>;
const STATUS_CLASS: Record<NodeStatus, number> = { unchanged: 0, attributes: 1, weights: 2, added: 3, removed: 3 };
const STATUS_VARS = ['--vscode-descriptionForeground', '--vscode-charts-yellow', '--vscode-charts-orange'];
const DIVERGENCE: Classes = [
  { label: 'close (≥ 40 dB)', colourVar: '--vscode-charts-green' },
  { label: 'drifting (30–40 dB)', colourVar: '--vscode-charts-yellow' },
  { label: 'diverged (< 30 dB)', colourVar: '--vscode-charts-red' },
];

/** Typed requests of this feature (the result type comes from the request map). */
function request<M extends keyof CompareRequests>(bus: Bus, method: M, params: CompareRequests[M]['params']): Promise<CompareRequests[M]['result']> {
  return bus.request(method, params) as Promise<CompareRequests[M]['result']>;
}

export class CompareView {
  readonly element: HTMLElement;
  private readonly a: CompareGraphSide;
  private readonly b: CompareGraphSide;
  private readonly counts = h('div', { class: 'compare-counts', attrs: { id: 'compare-counts', 'aria-live': 'polite' }, text: 'Comparing…' });
  private readonly summary = h('div', { class: 'compare-card compare-summary', attrs: { id: 'compare-weight-summary' } });
  private readonly detail = h('div', { class: 'compare-card compare-detail', attrs: { id: 'compare-detail' } });
  private readonly listHost = h('div', { class: 'compare-card compare-list-card' });
  private readonly colour = h('select', { class: 'compare-select', attrs: { id: 'compare-colour', 'aria-label': 'Colour the nodes by' } });
  private readonly run: RunCard;
  private report: DiffReport | null = null;
  private pairs: Pairs = { ab: new Map(), ba: new Map() };
  private entries: DiffEntry[] = [];

  constructor(private readonly init: CompareInit, private readonly bus: Bus, state: PersistedState) {
    adoptStylesheet(compareCss);
    this.a = new CompareGraphSide('a', init.a, bus, init.settings, state);
    this.b = new CompareGraphSide('b', init.b, bus, init.settings, state);
    this.colour.append(new Option('Status', 'status'), new Option('Divergence (after a run)', 'divergence'));
    this.colour.addEventListener('change', () => this.paintStatus());
    this.run = new RunCard({
      run: () => this.runBoth(),
      goTo: (node) => this.select(node, this.pairs.ab.get(node) ?? null),
      ran: (r) => { this.report = r; (this.colour.querySelector('option[value="divergence"]') as HTMLOptionElement).disabled = false; this.colour.value = 'divergence'; this.paintStatus(); },
    });
    (this.colour.querySelector('option[value="divergence"]') as HTMLOptionElement).disabled = true;
    const header = h('header', { class: 'compare-header' },
      h('div', { class: 'compare-files' }, h('span', { class: 'compare-side-badge', text: 'A' }), h('span', { text: init.a.summary.fileName }), h('span', { class: 'muted', text: '↔' }), h('span', { class: 'compare-side-badge', text: 'B' }), h('span', { text: init.b.summary.fileName })),
      this.counts, h('label', { class: 'compare-colour' }, 'Colour by ', this.colour));
    this.element = h('div', { class: 'compare-view', attrs: { id: 'compare', 'data-state': 'loading' } }, header,
      h('div', { class: 'compare-body' }, h('div', { class: 'compare-graphs' }, this.a.element, this.b.element),
        h('aside', { class: 'compare-panel', attrs: { 'aria-label': 'Differences' } }, this.summary, this.run.element, this.detail, this.listHost)));
    this.detail.hidden = true;
  }

  /** Call once the element is in the document. */
  async start(): Promise<void> {
    this.a.show();
    this.b.show();
    try {
      this.setReport(await request(this.bus, 'compare.report', {}));
      this.element.dataset.state = 'ready';
    } catch (e) {
      this.element.dataset.state = 'error';
      this.counts.textContent = `Could not compare: ${(e as Error).message}`;
      this.counts.classList.add('compare-error');
    }
  }

  dispose(): void { this.a.dispose(); this.b.dispose(); this.element.remove(); }

  private setReport(r: DiffReport): void {
    this.report = r;
    this.pairs = { ab: new Map(r.matches.map((m) => [m.a, m.b])), ba: new Map(r.matches.map((m) => [m.b, m.a])) };
    const weights = r.matches.filter((m) => m.status === 'weights').length, attrs = r.matches.filter((m) => m.status === 'attributes').length;
    Object.assign(this.counts.dataset, { matched: String(r.matched), added: String(r.added.length), removed: String(r.removed.length), weights: String(weights), attributes: String(attrs) });
    // A node counts as "changed weights" only beyond what the dtype change explains (fp16, int8 rounding);
    // the tensors that differ at all are counted apart so a pure quantization does not read as "nothing".
    const differ = r.changedWeights.length;
    const within = differ && !weights ? ` (${differ} weight tensor${differ === 1 ? '' : 's'} differ only by rounding)` : '';
    this.counts.textContent = `${r.matched} matched · ${r.added.length} added · ${r.removed.length} removed · ${weights} with weights changed beyond rounding${within} · ${attrs} with changed attributes`;
    const note = r.structureOnly ?? r.message;
    this.summary.replaceChildren(h('div', { class: 'compare-card-title', text: 'Weights' }), h('div', { class: 'compare-summary-words', text: r.weightSummary.words }),
      ...(r.weightSummary.beyondRounding.length ? [h('div', { class: 'compare-warning', text: `Beyond rounding: ${r.weightSummary.beyondRounding.join(', ')}` })] : []),
      ...(note ? [h('div', { class: 'compare-warning', text: note })] : []));
    this.entries = diffEntries(r, this.init.a.graph, this.pairs.ab);
    this.listHost.replaceChildren(h('div', { class: 'compare-card-title', text: 'Differences' }), renderDiffList(r, this.entries, (e) => this.choose(e)));
    linkSides(this.a, this.b, this.pairs, (na, nb) => this.highlight(na, nb));
    this.paintStatus();
    // Each side opens on its own fit; once both are drawn, B starts where A looks.
    const align = () => {
      const cam = this.a.graph.scene()?.camera;
      const c = cam && this.b.graph.scene() ? followCamera(this.a, this.b, this.pairs.ab, cam) : null;
      if (c) this.b.graph.setCamera(c);
    };
    this.a.onPainted = this.b.onPainted = align;
    if (this.a.element.dataset.painted && this.b.element.dataset.painted) align();
  }

  private async runBoth(): Promise<DiffReport> {
    if (!this.init.trusted) {
      const { trusted } = await this.bus.request('trust.request', {});
      if (!trusted) throw new Error('Running a model needs a trusted workspace.');
    }
    return request(this.bus, 'compare.run', {});
  }

  /** Colours both graphs: status classes, or divergence of each matched node's output after a run. */
  private paintStatus(): void {
    const r = this.report;
    if (!r) return;
    const byDivergence = this.colour.value === 'divergence' && !!r.activations;
    const statuses = nodeStatuses(r);
    for (const side of [this.a, this.b]) {
      const values = new Float32Array(side.data.graph.nodes.length).fill(NaN);
      const counts = [0, 0, 0, 0];
      const put = (name: string, cls: number) => { const id = side.idOf.get(name); if (id !== undefined) { values[id] = cls; counts[cls]++; } };
      if (byDivergence) {
        for (const x of r.activations!) {
          const name = side.side === 'a' ? x.node : this.pairs.ab.get(x.node);
          if (name) put(name, x.sqnrDb >= 40 ? 0 : x.sqnrDb >= 30 ? 1 : 2);
        }
      } else {
        for (const [n, st] of statuses[side.side]) put(n, STATUS_CLASS[st]);
      }
      const classes: Classes = byDivergence ? DIVERGENCE.map((c, i) => ({ ...c, count: counts[i] })) : [
        ...['unchanged', 'changed attributes', 'weights beyond rounding'].map((label, i) => ({ label, colourVar: STATUS_VARS[i], count: counts[i] })),
        side.side === 'a' ? { label: 'removed (not in B)', colourVar: '--vscode-charts-red', count: counts[3] } : { label: 'added (not in A)', colourVar: '--vscode-charts-green', count: counts[3] },
      ];
      side.setOverlay({ values, legend: { title: byDivergence ? 'Activation SQNR' : 'Compared with the other side', min: 0, max: 3, scale: 'categorical', classes } });
      side.element.dataset.colouredBy = byDivergence ? 'divergence' : 'status';
    }
  }

  /** Selects a node on both sides (either may be null) and centres it. */
  private select(nameA: string | null, nameB: string | null): void {
    if (nameA) this.a.reveal(nameA);
    if (nameB) this.b.reveal(nameB);
    this.highlight(nameA, nameB);
  }

  private choose(e: DiffEntry): void {
    this.select(e.nodeA, e.nodeB);
    if (e.weight) void this.showWeight(e);
  }

  /** Marks the list entries of the selected node; a weight entry's detail opens with it. */
  private highlight(nameA: string | null, nameB: string | null): void {
    let weightEntry: DiffEntry | undefined;
    for (const el of this.listHost.querySelectorAll<HTMLElement>('.compare-item')) {
      const on = (!!nameA && el.dataset.nodeA === nameA) || (!!nameB && el.dataset.nodeB === nameB);
      el.classList.toggle('selected', on);
      if (on) el.setAttribute('aria-current', 'true'); else el.removeAttribute('aria-current');
      if (on && el.dataset.weight && !weightEntry) weightEntry = this.entries.find((x) => x.weight?.name === el.dataset.weight);
    }
    this.element.dataset.selectedA = nameA ?? '';
    this.element.dataset.selectedB = nameB ?? '';
    if (weightEntry && this.detail.dataset.weight !== weightEntry.weight!.name) void this.showWeight(weightEntry);
  }

  private async showWeight(e: DiffEntry): Promise<void> {
    const w = e.weight!;
    this.detail.hidden = false;
    this.detail.dataset.weight = w.name;
    const facts = h('div', { class: 'compare-facts' },
      ...[['dtype', w.dtype], ['shape', `[${w.shapeA.join(', ')}] → [${w.shapeB.join(', ')}]`], ['max abs', num(w.maxAbs)], ['max rel', num(w.maxRel)], ['cosine', w.cosine.toFixed(6)], ['SQNR', db(w.sqnrDb)]]
        .map(([k, v]) => h('div', { class: 'fact' }, h('dt', { text: k }), h('dd', { text: v }))));
    const plot = h('div', { class: 'muted', text: 'Reading both tensors…' });
    this.detail.replaceChildren(h('div', { class: 'compare-card-title', text: w.name }), facts, plot);
    try {
      const r = await request(this.bus, 'compare.histograms', { weight: w.name, ...(w.nameB ? { weightB: w.nameB } : {}) });
      if (this.detail.dataset.weight === w.name) plot.replaceWith(renderOverlaidHistograms(r));
    } catch (err) {
      plot.textContent = (err as Error).message;
      plot.className = 'compare-error';
    }
  }
}
