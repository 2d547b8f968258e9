// One side (A or B) of the compare panel: the editor's own graph view on that model, with the
// ViewContext the compare view gives it (selection and overlay local to the side, no tabs).
import type { CompareSide } from '../../src/features/compare/protocol.js';
import type { ModelLensSettings } from '../../src/protocol.js';
import type { Bus } from '../bus.js';
import { createGraphView } from '../graph/index.js';
import { h } from '../shell/dom.js';
import { Emitter } from '../shell/model-shell.js';
import { startWorker, workerUrl } from '../shell/workers.js';
import type { PersistedState } from '../state.js';
import type { NodeOverlay, SelectionSource, ViewContext } from '../view.js';

export type SideId = 'a' | 'b';

export class CompareGraphSide {
  readonly element: HTMLElement;
  readonly graph: ReturnType<typeof createGraphView>;
  /** Main-graph node id by the report's name for it (an unnamed node is `<op>#<id>`). */
  readonly idOf = new Map<string, number>();
  /** The report's name of each main-graph node id. */
  readonly nameOf = new Map<number, string>();
  private selected: number | null = null;
  private revealing: number | null = null;
  private overlay: NodeOverlay | null = null;
  private readonly nodeEv = new Emitter<[number | null, SelectionSource]>();
  private readonly overlayEv = new Emitter<[NodeOverlay | null]>();
  /** The user selected a node on this side (not a programmatic reveal's echo). */
  onUserSelect: ((id: number | null) => void) | null = null;
  /** The graph painted its first frame. */
  onPainted: (() => void) | null = null;

  constructor(readonly side: SideId, readonly data: CompareSide, bus: Bus, settings: ModelLensSettings, state: PersistedState) {
    for (const n of data.graph.nodes) {
      if (n.graph !== 0) continue;
      const name = n.name || `${n.opType}#${n.id}`;
      this.idOf.set(name, n.id);
      this.nameOf.set(n.id, name);
    }
    const none = { dispose: () => {} };
    const ctx: ViewContext = {
      bus, summary: data.summary, graph: data.graph, settings, trusted: false, state: state.scoped(`compare-${side}`),
      onSettingsChanged: () => none, onTrustChanged: () => none, workerUrl, startWorker, showTab: () => {},
      selectNode: (id, source) => {
        this.selected = id;
        this.element.dataset.selected = id === null ? '' : this.nameOf.get(id) ?? '';
        // The graph echoes a reveal as its own selection: only other choices are the user's.
        if (id !== null && id === this.revealing) { this.revealing = null; return; }
        if (source === 'graph') this.onUserSelect?.(id);
      },
      selectedNode: () => this.selected,
      onSelectNode: (cb) => this.nodeEv.on(cb),
      selectWeight: () => {}, selectedWeight: () => null, onSelectWeight: () => none,
      setNodeOverlay: (o) => { this.overlay = o; this.overlayEv.fire(o); },
      nodeOverlay: () => this.overlay,
      onNodeOverlay: (cb) => this.overlayEv.on(cb),
      // The compare panel runs nothing: its sides get no run shapes.
      setRunShapes: () => {}, runShapes: () => null, onRunShapes: () => ({ dispose() {} }),
      reportPainted: () => { this.element.dataset.painted = 'true'; this.onPainted?.(); },
      provideExport: () => none,
    };
    const label = side === 'a' ? 'A' : 'B';
    const title = h('div', { class: 'compare-side-title' }, h('span', { class: 'compare-side-badge', text: label }), h('span', { class: 'compare-side-file', text: data.summary.fileName }));
    this.graph = createGraphView(ctx);
    this.graph.element.removeAttribute('id');
    const stage = h('div', { class: 'compare-side-graph' }, this.graph.element);
    this.element = h('section', { class: 'compare-side', attrs: { id: `compare-side-${side}`, 'data-side': side, 'aria-label': `Model ${label}: ${data.summary.fileName}` } }, title, stage);
    this.ctx = ctx;
  }

  private readonly ctx: ViewContext;

  /** Selects and centres a node (by name) without reporting it as the user's choice. */
  reveal(name: string): boolean {
    const id = this.idOf.get(name);
    if (id === undefined) return false;
    this.revealing = id;
    this.graph.reveal(id);
    return true;
  }

  selectedName(): string | null {
    return this.selected === null ? null : this.nameOf.get(this.selected) ?? null;
  }

  setOverlay(o: NodeOverlay | null): void {
    this.ctx.setNodeOverlay(o);
  }

  show(): void { this.graph.show(); }
  dispose(): void { this.graph.dispose(); this.nodeEv.clear(); this.overlayEv.clear(); }
}
