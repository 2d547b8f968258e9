// The Graph tab: owns the layout worker, the canvas, and the panels around it (toolbar, find,
// sidebar, minimap, legend). Automation hook: the root is #graph with data-state
// (loading → layout → painted, or error) and data-visible-nodes.
import type { ViewContext, View, NodeOverlay } from '../view.js';
import type { Disposable } from '../bus.js';
import { adoptStylesheet, h, icon } from '../shell/dom.js';
import { centreOn, fitCamera, openingCamera } from './camera.js';
import { downloadFile, exportFileName, exportPng, exportSvg } from './export.js';
import { createFindBar, type FindBar } from './find.js';
import { buildGraphModel, type GraphModel } from '../../src/core/layout/graph-model.js';
import { layoutInit, openingBudget } from '../../src/core/layout/layout-session.js';
import type { Hierarchy } from '../../src/core/layout/hierarchy.js';
import { attachInteraction } from './interaction.js';
import { Minimap } from './minimap.js';
import { overlayArray, overlayFills, renderLegend, type OverlayLegend } from './overlay.js';
import { drawScene } from './renderer.js';
import { indexScene, itemName, visibleItemOf, type Camera, type SceneState } from './scene-state.js';
import { Sidebar } from './sidebar.js';
import { RunShapesLayer } from './measured-shapes.js';
import { graphToolbar } from './toolbar.js';
import { paintPhases } from './paint-phases.js';
import { readTheme, type GraphTheme } from './theme.js';
import { initTransfer, workerInit, type FromWorker, type HierarchyMessage, type ToWorker } from './worker-protocol.js';
import graphCss from './graph.css';

type State = 'loading' | 'layout' | 'painted' | 'error';

export class GraphView implements View {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly stage: HTMLElement;
  private readonly status: HTMLElement;
  private readonly legendEl: HTMLElement;
  private readonly sidebar: Sidebar;
  private readonly shapes: RunShapesLayer;
  private readonly find: FindBar;
  private readonly minimap: Minimap;
  private worker: Worker | null = null;
  private model: GraphModel | null = null;
  private hier: (HierarchyMessage & Hierarchy) | null = null;
  private st: SceneState | null = null;
  private theme: GraphTheme;
  private seq = 0;
  private pending: { item: number; sx: number; sy: number } | null = null;
  private frame = 0;
  private visible = false;
  private disposed = false;
  private overlay: { values: Float32Array; legend: OverlayLegend } | null = null;
  private readonly subs: Disposable[] = [];
  private readonly cleanups: (() => void)[] = [];
  private readonly expandedState;
  private readonly directionState;
  private direction: 'TB' | 'LR';
  private readonly constantsState;

  constructor(private readonly ctx: ViewContext) {
    adoptStylesheet(graphCss);
    this.expandedState = ctx.state.persisted<string[] | null>('expanded', null);
    this.directionState = ctx.state.persisted<string>('direction', '');
    this.constantsState = ctx.state.persisted<boolean>('showConstants', false);
    const saved = this.directionState.get();
    this.direction = saved === 'TB' || saved === 'LR' ? saved : ctx.settings.graph.direction;
    this.canvas = h('canvas', { class: 'graph-canvas', attrs: { tabindex: '0', role: 'img', 'aria-label': 'Model graph. Arrow keys move along edges, Enter opens a group, Ctrl+F finds.' } });
    this.status = h('div', { class: 'graph-status', attrs: { 'aria-live': 'polite' } });
    this.legendEl = h('div', { class: 'graph-legend' });
    this.legendEl.hidden = true;
    this.minimap = new Minimap((wx, wy) => this.centreWorld(wx, wy));
    this.sidebar = new Sidebar(ctx.bus, ctx.summary, {
      goTo: (leaf) => this.reveal(leaf),
      showWeight: (w) => { ctx.selectWeight(w, 'graph'); ctx.showTab('params'); },
      toggleGroup: (g) => this.toggle((this.model?.leafCount ?? 0) + g),
    });
    this.shapes = new RunShapesLayer(ctx, this.subs, (m) => { this.sidebar.measured = m; if (this.st) { this.st.measured = m; this.showSidebar(this.st.selected); this.redraw(); } });
    this.find = createFindBar(() => this.model, (leaf) => this.model ? `${this.model.texts[leaf].title}  ${this.model.names[leaf]}` : '',
      (leaf) => this.reveal(leaf), (leaves) => this.setFound(leaves), () => this.canvas.focus());
    this.stage = h('div', { class: 'graph-stage' }, this.canvas, this.find.element, this.minimap.element, this.legendEl, this.shapes.legend, this.status);
    this.element = h('div', { class: 'graph-view', attrs: { id: 'graph', 'data-state': 'loading', 'data-visible-nodes': '0' } },
      this.toolbar(), h('div', { class: 'graph-body' }, this.stage, this.sidebar.element));
    this.theme = readTheme(document.body);
    this.cleanups.push(attachInteraction(this.canvas, {
      state: () => this.st,
      redraw: () => this.redraw(),
      select: (item, reveal) => this.selectItem(item, reveal),
      toggle: (item) => this.toggle(item),
      fit: () => this.fit(),
      zoomToSelection: () => this.zoomToSelection(),
      clear: () => { if (this.find.isOpen()) this.find.close(); else this.selectItem(-1, false); this.setFound([]); },
    }));
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f') { e.preventDefault(); e.stopPropagation(); this.find.open(); }
    };
    this.element.addEventListener('keydown', onKey);
    const ro = new ResizeObserver(() => this.redraw());
    ro.observe(this.stage);
    this.cleanups.push(() => ro.disconnect());
    // VS Code swaps the body's theme class; re-read the colours then.
    const mo = new MutationObserver(() => { this.theme = readTheme(document.body); this.applyOverlay(); this.redraw(); });
    mo.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
    this.cleanups.push(() => mo.disconnect());
    this.subs.push(ctx.onSelectNode((id, source) => { if (source !== 'graph' && id !== null) this.reveal(id); }));
    this.subs.push(ctx.onNodeOverlay((o) => this.setOverlay(o ? o.values : null, o?.legend ?? null)));
    const initial = ctx.nodeOverlay();
    if (initial) this.overlay = { values: initial.values, legend: initial.legend };
    this.subs.push(ctx.onSettingsChanged((s) => { if (!this.directionState.get() && s.graph.direction !== this.direction) this.setDirection(s.graph.direction, false); }));
    this.subs.push(ctx.provideExport('graph-svg', async () => ({ fileName: exportFileName(ctx.summary.fileName, 'svg'), data: this.svg() })));
    this.subs.push(ctx.provideExport('graph-png', async () => ({ fileName: exportFileName(ctx.summary.fileName, 'png'), data: await this.png() })));
    void this.start();
  }

  /** Called after a paint whose camera differs from the one painted before (pan, zoom, fit, reveal): a linked view follows. */
  onCamera: ((c: Camera) => void) | null = null;
  private paintedCamera: Camera | null = null;
  /** The laid-out scene (null until the first layout): what a linked view reads positions from. */
  scene(): SceneState | null { return this.st; }
  /** Moves the camera without reporting it through onCamera (a linked view's move). */
  setCamera(c: Camera): void { if (this.st) { this.st.camera = this.paintedCamera = c; this.redraw(); } }

  show(): void { this.visible = true; this.redraw(); }
  hide(): void { this.visible = false; }

  dispose(): void {
    this.disposed = true;
    this.worker?.terminate();
    this.worker = null;
    cancelAnimationFrame(this.frame);
    for (const s of this.subs) s.dispose();
    for (const c of this.cleanups) c();
    this.element.remove();
  }

  /** Overlay hook: per-node values (by node id) coloured on a scale, with a legend; null clears. */
  setOverlay(values: Map<number, number> | Float32Array | null, legend: OverlayLegend | null): void {
    this.overlay = values && legend ? { values: overlayArray(values, this.ctx.graph.nodes.length), legend } : null;
    this.applyOverlay();
    this.redraw();
  }

  /** The current view as SVG text (every drawn node, group and edge). */
  svg(): string { if (!this.st) throw new Error('the graph is not laid out yet'); return exportSvg(this.st, this.theme); }

  async png(): Promise<ArrayBuffer> { if (!this.st) throw new Error('the graph is not laid out yet'); return exportPng(this.st, this.theme); }

  private setState(s: State, detail?: string): void {
    this.element.dataset.state = s;
    if (s === 'painted') this.ctx.reportPainted(paintPhases());
    if (s === 'error') this.status.textContent = detail ?? 'Layout failed';
  }

  private toolbar(): HTMLElement {
    return graphToolbar({
      fit: () => this.fit(),
      zoomToSelection: () => this.zoomToSelection(),
      expandAll: (open) => this.expandAll(open),
      switchDirection: () => this.setDirection(this.direction === 'TB' ? 'LR' : 'TB', true),
      toggleConstants: () => this.setShowConstants(!this.constantsState.get()),
      constantsShown: this.constantsState.get(),
      find: () => this.find.open(),
      download: (kind) => void this.download(kind),
    });
  }

  private async start(): Promise<void> {
    try {
      const pause = () => new Promise<void>((r) => setTimeout(r, 0));
      performance.mark('graph:open');
      this.model = await buildGraphModel(this.ctx.graph, pause, { foldConstants: !this.constantsState.get() });
      performance.mark('graph:model');
      this.worker = this.disposed ? null : await this.ctx.startWorker('layout-worker');
      if (!this.worker || this.disposed) { this.worker?.terminate(); return; }
      this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.onWorker(e.data);
      this.worker.onerror = (e) => this.setState('error', `Layout worker failed: ${e.message}`);
      // Packed and sent in turns of their own: on a 200k-node graph each is tens of ms.
      const msg = await pause().then(() => workerInit(layoutInit(this.model!, this.direction, this.expandedState.get(), openingBudget(this.ctx.settings.graph.collapseAbove))));
      await pause();
      if (!this.disposed) this.worker.postMessage(msg, initTransfer(msg));
      this.setState('layout');
    } catch (e) {
      this.setState('error', (e as Error)?.message ?? String(e));
    }
  }

  private requestLayout(): void {
    if (!this.hier) return;
    const m: ToWorker = { type: 'layout', seq: ++this.seq, expanded: this.expanded().slice(), direction: this.direction };
    this.worker?.postMessage(m);
  }

  private expanded(): Uint8Array { return this.st?.expanded ?? this.hier!.expanded; }

  private onWorker(m: FromWorker): void {
    if (this.disposed || !this.model) return;
    if (m.type === 'error') { this.setState('error', `Layout failed: ${m.message}`); return; }
    if (m.type === 'hierarchy') {
      this.hier = { ...m, groupCount: m.groupLabel.length };
      this.requestLayout();
      return;
    }
    if (m.seq !== this.seq || !this.hier) return;
    performance.mark('graph:scene');
    const first = !this.st;
    const prev = this.st;
    const expanded = m.scene && prev ? prev.expanded : this.hier.expanded;
    this.st = {
      model: this.model, hier: this.hier, expanded, direction: this.direction, scene: m.scene,
      ...indexScene(this.model, this.hier, m.scene),
      camera: prev?.camera ?? { s: 1, tx: 0, ty: 0 }, selected: prev?.selected ?? -1, found: new Set(), overlayFill: null, measured: this.shapes.index,
    };
    // A selection hidden by a closed group moves to that group.
    if (this.st.selected >= 0 && this.st.itemIndex[this.st.selected] < 0 && this.st.selected < this.model.leafCount) this.st.selected = visibleItemOf(this.st, this.st.selected);
    if (prev) this.setFoundItems(this.foundLeaves);
    this.element.dataset.layoutMs = m.ms.toFixed(1);
    this.element.dataset.relaid = String(m.scene.relaid);
    let drawnNodes = 0;
    for (let i = 0; i < m.scene.kind.length; i++) if (m.scene.kind[i] !== 2) drawnNodes++;
    this.element.dataset.visibleNodes = String(drawnNodes);
    this.applyOverlay();
    const { w, h: hh } = this.size();
    if (first || this.afterLayoutFit) {
      this.afterLayoutFit = false;
      this.st.camera = first ? openingCamera(this.st, w, hh) : fitCamera(this.st, w, hh);
      const sel = first ? this.ctx.selectedNode() : null;
      if (sel !== null) this.revealAfter = sel;
    } else if (this.pending) {
      // Keep the group that was opened or closed where it was on screen.
      const i = this.st.itemIndex[this.pending.item];
      if (i >= 0) this.st.camera = { ...this.st.camera, tx: this.pending.sx - this.st.scene.x[i] * this.st.camera.s, ty: this.pending.sy - (this.st.scene.y[i] - this.st.scene.h[i] / 2) * this.st.camera.s };
    }
    this.pending = null;
    if (this.revealAfter !== null) { const r = this.revealAfter; this.revealAfter = null; this.reveal(r); }
    this.redraw(() => { if (this.element.dataset.state !== 'painted') this.setState('painted'); });
  }

  private revealAfter: number | null = null; private foundLeaves: number[] = []; private afterLayoutFit = false;

  private showSidebar(item: number): void {
    if (item < 0 || !this.st || !this.model || !this.hier) this.sidebar.clear();
    else this.sidebar.show(this.model, this.hier, item, item >= this.model.leafCount && !!this.st.expanded[item - this.model.leafCount]);
  }

  private size(): { w: number; h: number } {
    return { w: Math.max(1, this.stage.clientWidth), h: Math.max(1, this.stage.clientHeight) };
  }

  /** Draws on the next animation frame; `after` runs on the frame after that (the pixels are on screen). A later redraw keeps it. */
  redraw(after?: () => void): void {
    if (after) this.afterPaint.push(after);
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      this.paint();
      const done = this.afterPaint.splice(0);
      if (done.length) requestAnimationFrame(() => { for (const f of done) f(); });
    });
  }
  private readonly afterPaint: (() => void)[] = [];

  private paint(): void {
    const st = this.st;
    if (!st) return;
    const { w, h: hh } = this.size();
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(hh * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(hh * dpr);
    }
    const ctx = this.canvas.getContext('2d', { alpha: false })!;
    const stats = drawScene(ctx, st, this.theme, w, hh, dpr);
    if (st.camera !== this.paintedCamera) { this.paintedCamera = st.camera; this.onCamera?.(st.camera); }
    if (this.element.dataset.state !== 'painted') performance.mark('graph:frame');
    this.element.dataset.frameMs = stats.ms.toFixed(2);
    this.minimap.draw(st, this.theme, w, hh);
  }

  private fit(): void {
    if (!this.st) return;
    const { w, h: hh } = this.size();
    this.st.camera = fitCamera(this.st, w, hh);
    this.redraw();
  }

  private centreWorld(wx: number, wy: number): void {
    if (!this.st) return;
    const { w, h: hh } = this.size();
    this.st.camera = { ...this.st.camera, tx: w / 2 - wx * this.st.camera.s, ty: hh / 2 - wy * this.st.camera.s };
    this.redraw();
  }

  private zoomToSelection(): void {
    const st = this.st;
    if (!st || st.selected < 0 || st.itemIndex[st.selected] < 0) return;
    const { w, h: hh } = this.size();
    st.camera = centreOn(st, st.itemIndex[st.selected], w, hh);
    this.redraw();
  }

  private selectItem(item: number, centre: boolean): void {
    const st = this.st;
    if (!st || !this.model || !this.hier) return;
    st.selected = item;
    this.element.dataset.selected = item >= 0 ? itemName(st, item) : '';
    this.showSidebar(item);
    if (item >= 0 && item < this.model.nodeCount) this.ctx.selectNode(item, 'graph');
    else this.ctx.selectNode(null, 'graph');
    if (centre && item >= 0 && st.itemIndex[item] >= 0) {
      const { w, h: hh } = this.size();
      const i = st.itemIndex[item];
      const sx = st.scene.x[i] * st.camera.s + st.camera.tx, sy = st.scene.y[i] * st.camera.s + st.camera.ty;
      if (sx < 40 || sy < 40 || sx > w - 40 || sy > hh - 40) st.camera = centreOn(st, i, w, hh, st.camera.s);
    }
    this.redraw();
  }

  /** Shows a leaf: opens the groups around it, selects it, centres it (a folded constant: the node showing it). */
  reveal(leaf: number): void {
    const st = this.st;
    if (this.model && leaf >= 0 && leaf < this.model.nodeCount && this.model.folded[leaf] && this.model.foldTarget[leaf] >= 0) leaf = this.model.foldTarget[leaf];
    if (!st || !this.hier || leaf < 0 || leaf >= this.model!.leafCount) { if (!st) this.revealAfter = leaf; return; }
    let changed = false;
    const exp = st.expanded.slice();
    for (let g = this.hier.leafParent[leaf]; g >= 0; g = this.hier.groupParent[g]) if (!exp[g]) { exp[g] = 1; changed = true; }
    if (changed) {
      st.expanded = exp;
      this.persistExpanded();
      this.revealAfter = leaf;
      this.requestLayout();
      return;
    }
    this.selectItem(leaf, false);
    const { w, h: hh } = this.size();
    st.camera = centreOn(st, st.itemIndex[leaf], w, hh, Math.max(st.camera.s, 0.9));
    this.redraw();
  }

  private toggle(item: number): void {
    const st = this.st;
    if (!st || !this.model || item < this.model.leafCount) return;
    const g = item - this.model.leafCount;
    const i = st.itemIndex[item];
    if (i >= 0) this.pending = { item, sx: st.scene.x[i] * st.camera.s + st.camera.tx, sy: (st.scene.y[i] - st.scene.h[i] / 2) * st.camera.s + st.camera.ty };
    const exp = st.expanded.slice();
    exp[g] = exp[g] ? 0 : 1;
    st.expanded = exp;
    this.persistExpanded();
    this.requestLayout();
  }

  private expandAll(open: boolean): void {
    const st = this.st;
    if (!st) return;
    st.expanded = new Uint8Array(st.expanded.length).fill(open ? 1 : 0);
    this.persistExpanded();
    this.pending = null;
    this.requestLayout();
    this.afterLayoutFit = true;
  }

  private persistExpanded(): void {
    if (!this.st || !this.hier) return;
    const keys: string[] = [];
    this.st.expanded.forEach((e, g) => { if (e) keys.push(this.hier!.groupKey[g]); });
    this.expandedState.set(keys);
  }

  private setDirection(d: 'TB' | 'LR', remember: boolean): void {
    this.direction = d;
    if (remember) this.directionState.set(d);
    if (this.st) { this.st.direction = d; this.afterLayoutFit = true; }
    this.requestLayout();
  }

  /** Draws constant-only nodes as nodes again (or folds them back): a new model and a new layout. */
  private setShowConstants(show: boolean): void {
    this.constantsState.set(show);
    this.element.querySelector('#graph-show-constants')?.setAttribute('aria-pressed', String(show));
    this.worker?.terminate();
    const sel = this.st && this.st.selected >= 0 && this.st.selected < (this.model?.nodeCount ?? 0) ? this.st.selected : -1;
    [this.worker, this.st, this.hier, this.revealAfter] = [null, null, null, sel >= 0 ? sel : this.revealAfter];
    this.setState('loading');
    void this.start();
  }

  private setFound(leaves: number[]): void { this.foundLeaves = leaves; this.setFoundItems(leaves); this.redraw(); }

  private setFoundItems(leaves: number[]): void {
    if (!this.st) return;
    this.st.found = new Set(leaves.map((l) => visibleItemOf(this.st!, l)));
  }

  private applyOverlay(): void {
    if (!this.st) return;
    this.st.overlayFill = this.overlay ? overlayFills(this.st, this.overlay.values, this.overlay.legend, this.theme) : null;
    renderLegend(this.legendEl, this.overlay?.legend ?? null, this.theme);
  }

  private async download(kind: 'svg' | 'png'): Promise<void> {
    downloadFile(kind === 'svg' ? this.svg() : await this.png(), kind, this.ctx.summary.fileName);
  }
}

export type { NodeOverlay };
