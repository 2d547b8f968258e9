// The editor for one loaded model: header, the tab strip, and the views behind it, created the
// first time their tab is shown. Holds the shared selection and node overlay the views exchange.
import type { ExportFormat, ExportResult, HostMessage, ModelLensSettings, TabId } from '../../src/protocol.js';
import type { Bus, Disposable } from '../bus.js';
import type { PersistedState } from '../state.js';
import type { RunShapes } from '../../src/core/runtime/run-shapes.js';
import type { NodeOverlay, SelectionSource, View, ViewContext, ViewFactory } from '../view.js';
import { viewFactories } from '../views.js';
import { h, icon, vsc } from './dom.js';
import { renderHeader } from './header.js';
import { createOverviewView } from './overview.js';
import { startWorker, workerUrl } from './workers.js';

type Init = Extract<HostMessage, { type: 'init' }>;

export const TABS: { id: TabId; label: string; icon: string }[] = [
  { id: 'graph', label: 'Graph', icon: 'type-hierarchy' },
  { id: 'params', label: 'Parameters', icon: 'symbol-numeric' },
  { id: 'run', label: 'Run', icon: 'play' },
  { id: 'overview', label: 'Overview', icon: 'info' },
  { id: 'function', label: 'Function', icon: 'symbol-function' },
];

const MISSING_NOTE: Record<string, string> = {
  graph: 'The graph view is not part of this build. The overview below lists the operators the graph uses.',
  params: 'The parameters view is not part of this build. The overview below lists the weights by type.',
  run: 'The run view is not part of this build. The overview below lists the inputs the model takes.',
  function: 'The function view is not part of this build. The overview below lists the inputs the model takes.',
};

/** Listeners of one event; a listener that throws does not stop the others. */
export class Emitter<T extends unknown[]> {
  private readonly cbs = new Set<(...a: T) => void>();
  on(cb: (...a: T) => void): Disposable {
    this.cbs.add(cb);
    return { dispose: () => this.cbs.delete(cb) };
  }
  fire(...a: T): void {
    for (const cb of [...this.cbs]) {
      try { cb(...a); } catch (e) { console.error(e); }
    }
  }
  clear(): void { this.cbs.clear(); }
}

export class ModelShell {
  readonly element: HTMLElement;
  private readonly tabs: HTMLElement & { selectedIndex: number };
  private readonly panels = new Map<TabId, HTMLElement>();
  private readonly views = new Map<TabId, View>();
  private current: TabId | null = null;
  private settings: ModelLensSettings;
  private trusted: boolean;
  private selNode: number | null;
  private selWeight: number | null;
  private overlay: NodeOverlay | null = null;
  private shapes: RunShapes | null = null;
  private readonly exporters = new Map<ExportFormat, () => Promise<ExportResult>>();
  private readonly ev = {
    settings: new Emitter<[ModelLensSettings]>(),
    trust: new Emitter<[boolean]>(),
    node: new Emitter<[number | null, SelectionSource]>(),
    weight: new Emitter<[number | null, SelectionSource]>(),
    overlay: new Emitter<[NodeOverlay | null]>(),
    shapes: new Emitter<[RunShapes | null]>(),
  };
  private readonly tabState;
  private readonly nodeState;
  private readonly weightState;

  constructor(private readonly init: Init, private readonly bus: Bus, private readonly state: PersistedState, private readonly receivedAt = Date.now()) {
    this.settings = init.settings;
    this.trusted = init.trusted;
    this.tabState = state.persisted<string>('tab', 'graph');
    this.nodeState = state.persisted<number>('selectedNode', -1);
    this.weightState = state.persisted<number>('selectedWeight', -1);
    // A restored selection may point past the end when the file changed on disk meanwhile.
    const n = this.nodeState.get(), w = this.weightState.get();
    this.selNode = Number.isInteger(n) && n >= 0 && n < init.graph.nodes.length ? n : null;
    this.selWeight = Number.isInteger(w) && w >= 0 && w < init.graph.weights.length ? w : null;

    this.tabs = vsc('vscode-tabs', { class: 'tabs', 'aria-label': 'Model views' }) as HTMLElement & { selectedIndex: number };
    for (const t of TABS) {
      const header = vsc('vscode-tab-header', { slot: 'header', 'data-tab': t.id, title: `${t.label} (Ctrl+${TABS.indexOf(t) + 1})` }, icon(t.icon), h('span', { text: t.label }));
      const panel = vsc('vscode-tab-panel', { 'data-tab': t.id, 'aria-label': t.label });
      this.panels.set(t.id, panel);
      this.tabs.append(header, panel);
    }
    this.tabs.addEventListener('vsc-tabs-select', (e) => {
      const i = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      if (TABS[i]) this.show(TABS[i].id);
    });
    this.element = h('div', { class: 'model-shell' }, renderHeader(init.summary), this.tabs);
  }

  /** Call after the element is in the document: shows the remembered tab. */
  start(): void {
    const remembered = this.tabState.get();
    this.show((TABS.find((t) => t.id === remembered)?.id ?? 'graph'));
    if (this.selNode !== null) this.ev.node.fire(this.selNode, 'restore');
  }

  show(tab: TabId): void {
    if (this.current === tab) return;
    if (this.current) this.views.get(this.current)?.hide();
    this.current = tab;
    const index = TABS.findIndex((t) => t.id === tab);
    if (this.tabs.selectedIndex !== index) this.tabs.selectedIndex = index;
    let view = this.views.get(tab);
    if (!view) {
      view = this.create(tab);
      this.views.set(tab, view);
      this.panels.get(tab)!.append(view.element);
    }
    view.show();
    this.tabState.set(tab);
    this.report();
  }

  /** Shows that the file is being read again (it changed on disk); the next init replaces this shell. */
  setReloading(on: boolean): void {
    const existing = this.element.querySelector('.reloading');
    if (!on) { existing?.remove(); return; }
    if (existing) return;
    const bar = vsc('vscode-progress-bar', { class: 'reloading', 'aria-label': `Reloading ${this.init.summary.fileName}` });
    this.element.prepend(bar);
  }

  get currentTab(): TabId | null {
    return this.current;
  }

  /** Routes host messages that concern the loaded model. */
  handle(msg: HostMessage): void {
    switch (msg.type) {
      case 'show-tab': this.show(msg.tab); break;
      case 'reveal-node':
        if (Number.isInteger(msg.nodeId) && msg.nodeId >= 0 && msg.nodeId < this.init.graph.nodes.length) {
          this.show('graph');
          this.setNode(msg.nodeId, 'reveal');
        }
        break;
      case 'settings-changed': this.settings = msg.settings; this.ev.settings.fire(msg.settings); break;
      case 'trust-changed': this.trusted = msg.trusted; this.ev.trust.fire(msg.trusted); break;
      default: break;
    }
  }

  exportFormats(): ExportFormat[] {
    return [...this.exporters.keys()];
  }

  produceExport(format: ExportFormat): Promise<ExportResult> {
    const p = this.exporters.get(format);
    return p ? p() : Promise.reject(new Error(`no open view can export ${format}`));
  }

  dispose(): void {
    for (const v of this.views.values()) {
      try { v.dispose(); } catch (e) { console.error(e); }
    }
    this.views.clear();
    for (const e of Object.values(this.ev)) e.clear();
    this.exporters.clear();
    this.element.remove();
  }

  private create(tab: TabId): View {
    const ctx = this.context(tab);
    const factory: ViewFactory | undefined = tab === 'overview' ? undefined : viewFactories[tab];
    try {
      return factory ? factory(ctx) : createOverviewView(ctx, tab === 'overview' ? undefined : MISSING_NOTE[tab]);
    } catch (e) {
      // A view that fails to build must not take the editor down: say so in its tab.
      console.error(e);
      this.bus.post({ type: 'log', level: 'error', message: `The ${tab} view failed to start: ${(e as Error)?.stack ?? String(e)}` });
      const element = h('div', { class: 'status-view error-view', attrs: { role: 'alert' } },
        h('div', { class: 'error-icon' }, icon('error')),
        h('h2', { text: `The ${tab} view failed to start` }),
        h('p', { class: 'error-message', text: (e as Error)?.message ?? String(e) }));
      return { element, show() {}, hide() {}, dispose() { element.remove(); } };
    }
  }

  private painted = false;

  /** Tells the host, once per init, where the time went from its post to the first painted graph. */
  private reportPainted(phases: { graphModelMs: number; layoutMs: number; drawMs: number }): void {
    if (this.painted) return;
    this.painted = true;
    const transferMs = this.init.sentAt !== undefined ? Math.max(0, this.receivedAt - this.init.sentAt) : 0;
    this.bus.post({ type: 'open-phases', generation: this.init.generation, transferMs, ...phases, paintedMs: Date.now() - this.receivedAt });
  }

  private context(tab: TabId): ViewContext {
    const self = this;
    return {
      bus: this.bus,
      summary: this.init.summary,
      graph: this.init.graph,
      reportPainted: (phases) => this.reportPainted(phases),
      get settings() { return self.settings; },
      onSettingsChanged: (cb) => this.ev.settings.on(cb),
      get trusted() { return self.trusted; },
      onTrustChanged: (cb) => this.ev.trust.on(cb),
      state: this.state.scoped(tab),
      workerUrl, startWorker,
      showTab: (t) => this.show(t),
      selectNode: (id, source) => this.setNode(id, source),
      selectedNode: () => this.selNode,
      onSelectNode: (cb) => this.ev.node.on(cb),
      selectWeight: (id, source) => {
        if (id !== null && !(Number.isInteger(id) && id >= 0 && id < this.init.graph.weights.length)) return;
        this.selWeight = id;
        this.weightState.set(id ?? -1);
        this.ev.weight.fire(id, source);
        this.report();
      },
      selectedWeight: () => this.selWeight,
      onSelectWeight: (cb) => this.ev.weight.on(cb),
      setNodeOverlay: (o) => { this.overlay = o; this.ev.overlay.fire(o); },
      nodeOverlay: () => this.overlay,
      onNodeOverlay: (cb) => this.ev.overlay.on(cb),
      setRunShapes: (s) => { this.shapes = s; this.ev.shapes.fire(s); },
      runShapes: () => this.shapes,
      onRunShapes: (cb) => this.ev.shapes.on(cb),
      provideExport: (format, produce) => {
        this.exporters.set(format, produce);
        return { dispose: () => { if (this.exporters.get(format) === produce) this.exporters.delete(format); } };
      },
    };
  }

  private setNode(id: number | null, source: SelectionSource): void {
    if (id !== null && !(Number.isInteger(id) && id >= 0 && id < this.init.graph.nodes.length)) return;
    this.selNode = id;
    this.nodeState.set(id ?? -1);
    this.ev.node.fire(id, source);
    this.report();
  }

  /** Tells the host what is visible, so commands act on it. */
  private report(): void {
    if (!this.current) return;
    this.bus.post({ type: 'set-state', tab: this.current, selectedNode: this.selNode, selectedWeight: this.selWeight });
  }
}
