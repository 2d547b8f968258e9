// The Run panel's profile: one run with ONNX Runtime's profiler, as a sortable table of the
// top-level nodes (op type, node, time, % of the run, provider), the verdict on which provider ran
// what, and the times painted on the graph as a heat overlay (ViewContext.setNodeOverlay).
// Automation hook: .run-profile with data-sort; rows carry data-node (the node id).
import type { ProfileResult, ProfileRow } from '../../src/features/run/protocol.js';
import type { ViewContext } from '../view.js';
import { h, icon } from '../shell/dom.js';
import { fmtMs } from './decode.js';

type SortKey = 'op' | 'node' | 'ms' | 'provider';
const COLUMNS: { key: SortKey | null; label: string }[] = [
  { key: 'op', label: 'Op type' }, { key: 'node', label: 'Node' }, { key: 'ms', label: 'Time' }, { key: null, label: '% of run' }, { key: 'provider', label: 'Provider' },
];
export const PROFILE_LEGEND_TITLE = 'Time per node';
export const PLACEMENT_LEGEND_TITLE = 'Ran on: CPU (0) or GPU (1)';

const label = (p: string) => p.replace(/ExecutionProvider$/, '');

export class ProfileCard {
  readonly element = h('div', { class: 'run-profile' });
  private result: ProfileResult | null = null;
  private sort: { key: SortKey; desc: boolean } = { key: 'ms', desc: true };

  constructor(private readonly ctx: ViewContext) {
    this.element.hidden = true;
  }

  show(r: ProfileResult): void {
    this.result = r;
    this.element.hidden = false;
    this.render();
    this.paint();
  }

  /** The per-node times on the graph; fused and folded nodes have no time of their own (no colour). */
  paint(): void {
    const r = this.result;
    if (!r) return;
    const values = new Float32Array(this.ctx.graph.nodes.length).fill(NaN);
    const main = this.ctx.graph.graphs[0]?.nodes ?? [];
    let max = 0;
    for (const row of r.rows) {
      const id = main[row.index] ?? row.index;
      if (row.fusedInto || !row.provider || id >= values.length) continue;
      values[id] = row.ms;
      max = Math.max(max, row.ms);
    }
    this.ctx.setNodeOverlay({ values, legend: { title: PROFILE_LEGEND_TITLE, unit: 'ms', min: 0, max: max || 1, scale: 'sequential' } });
  }

  /** Placement on the graph: 1 for a node a GPU provider ran, 0 for one the CPU ran, no colour for fused/folded ones. */
  paintPlacement(): void {
    const r = this.result;
    if (!r) return;
    const values = new Float32Array(this.ctx.graph.nodes.length).fill(NaN);
    const main = this.ctx.graph.graphs[0]?.nodes ?? [];
    for (const row of r.rows) {
      const id = main[row.index] ?? row.index;
      if (row.fusedInto || !row.provider || id >= values.length) continue;
      values[id] = row.provider === 'CPUExecutionProvider' ? 0 : 1;
    }
    this.ctx.setNodeOverlay({ values, legend: { title: PLACEMENT_LEGEND_TITLE, min: 0, max: 1, scale: 'sequential' } });
  }

  private clear(): void {
    const title = this.ctx.nodeOverlay()?.legend.title;
    if (title === PROFILE_LEGEND_TITLE || title === PLACEMENT_LEGEND_TITLE) this.ctx.setNodeOverlay(null);
  }

  private sorted(rows: ProfileRow[]): ProfileRow[] {
    const { key, desc } = this.sort;
    const val = (r: ProfileRow) => (key === 'ms' ? r.ms : key === 'provider' ? r.fusedInto ? `~${r.fusedInto}` : r.provider ?? '~' : r[key]);
    return [...rows].sort((a, b) => {
      const x = val(a), y = val(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return (desc ? -c : c) || a.index - b.index;
    });
  }

  private render(): void {
    const r = this.result!;
    const pct = (ms: number) => (r.runMs > 0 ? `${((100 * ms) / r.runMs).toFixed(1)}%` : '–');
    const head = h('tr', {}, ...COLUMNS.map((c) => {
      const th = h('th', { attrs: { scope: 'col' } });
      if (!c.key) { th.textContent = c.label; return th; }
      const active = this.sort.key === c.key;
      th.setAttribute('aria-sort', active ? (this.sort.desc ? 'descending' : 'ascending') : 'none');
      const b = h('button', { class: 'run-sort', attrs: { type: 'button', 'data-sort': c.key } }, c.label, active ? icon(this.sort.desc ? 'arrow-down' : 'arrow-up') : null);
      b.addEventListener('click', () => {
        this.sort = { key: c.key!, desc: active ? !this.sort.desc : c.key === 'ms' };
        this.render();
      });
      th.append(b);
      return th;
    }));
    const rows = this.sorted(r.rows).map((row) => {
      const own = !row.fusedInto && !!row.provider;
      const tr = h('tr', { attrs: { 'data-node': String(row.index) } },
        h('td', { class: 'mono', text: row.ranAs ? `${row.op} (as ${row.ranAs})` : row.op }),
        h('td', { class: 'mono', text: row.node }),
        h('td', { class: 'val', text: own ? fmtMs(row.ms) : '–' }),
        h('td', { class: 'val', text: own ? pct(row.ms) : '–' }),
        h('td', { text: row.fusedInto ? `fused into ${row.fusedInto}` : row.provider ? label(row.provider) : 'folded at load' }));
      tr.addEventListener('click', () => this.ctx.selectNode(this.ctx.graph.graphs[0]?.nodes[row.index] ?? row.index, 'run'));
      return tr;
    });
    const inserted = r.inserted.map((k) => h('tr', { class: 'run-profile-inserted' },
      h('td', { class: 'mono', text: k.op }), h('td', { class: 'mono', text: `${k.kernel} (added by ORT)` }),
      h('td', { class: 'val', text: fmtMs(k.ms) }), h('td', { class: 'val', text: pct(k.ms) }), h('td', { text: label(k.provider) })));
    const clearBtn = h('button', { class: 'ml-button', attrs: { type: 'button' } }, icon('clear-all'), 'Clear colours');
    clearBtn.addEventListener('click', () => this.clear());
    const showBtn = h('button', { class: 'ml-button', attrs: { type: 'button' } }, icon('flame'), 'Colour graph by time');
    showBtn.addEventListener('click', () => this.paint());
    const onGpu = r.rows.some((row) => row.provider && row.provider !== 'CPUExecutionProvider');
    const placeBtn = onGpu ? h('button', { class: 'ml-button run-colour-provider', attrs: { type: 'button' } }, icon('server-process'), 'Colour graph by provider') : null;
    placeBtn?.addEventListener('click', () => this.paintPlacement());
    this.element.dataset.sort = `${this.sort.key}-${this.sort.desc ? 'desc' : 'asc'}`;
    this.element.replaceChildren(h('section', { class: 'run-section', attrs: { 'aria-label': 'Profile' } },
      h('h2', { text: 'Profile' }),
      h('p', { class: 'run-verdict', text: r.verdict }),
      h('p', { class: 'run-note', text: `One run after warm-up with ONNX Runtime's profiler: kernels sum ${fmtMs(r.sumMs)} of the profiled run's ${fmtMs(r.runMs)}; the unprofiled runs took ${fmtMs(r.latency.p50)} (p50). The graph is coloured by each node's time.` }),
      h('div', { class: 'run-controls' }, showBtn, placeBtn, clearBtn),
      h('table', { class: 'run-table run-profile-table', attrs: { 'aria-label': 'Time per node' } }, h('thead', {}, head), h('tbody', {}, ...rows, ...inserted))));
  }
}
