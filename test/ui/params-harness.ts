// A page that hosts the Parameters view (and, when a test follows "show in graph", the graph view)
// over a real bus: requests travel to the Node side of the test (params-page.ts), which answers
// them with the extension's own stats handlers. Bundled on demand by params-page.ts (not a test).
import type { ModelLensSettings, TabId } from '../../src/protocol.js';
import type { GraphPayload, ModelSummary } from '../../src/core/model-view-types.js';
import { createBus } from '../../webview/bus.js';
import type { RunShapes } from '../../src/core/runtime/run-shapes.js';
import { createParamsView } from '../../webview/params/index.js';
import { createGraphView } from '../../webview/graph/index.js';
import type { NodeOverlay, View, ViewContext } from '../../webview/view.js';

type Listener<T extends unknown[]> = (...a: T) => void;
function emitter<T extends unknown[]>() {
  const set = new Set<Listener<T>>();
  return { on: (cb: Listener<T>) => { set.add(cb); return { dispose: () => set.delete(cb) }; }, fire: (...a: T) => set.forEach((cb) => cb(...a)) };
}

interface Wire { enc(v: unknown): unknown; dec(v: unknown): unknown }
const w = window as unknown as { __mlWire: Wire; __paramsToHost(m: unknown): void; __paramsDeliver?: (m: unknown) => void; __paramsHarness?: unknown; __params?: unknown };

let previous: { views: Partial<Record<TabId, View>>; bus: { dispose(): void } } | null = null;

w.__paramsHarness = {
  open(payload: GraphPayload, summary: ModelSummary) {
    if (previous) {
      for (const v of Object.values(previous.views)) v?.dispose();
      previous.bus.dispose();
      document.getElementById('params-host')!.replaceChildren();
      document.getElementById('graph-host')!.replaceChildren();
    }
    const bus = createBus((m) => w.__paramsToHost(w.__mlWire.enc(m)), (listener) => {
      w.__paramsDeliver = (m) => listener(w.__mlWire.dec(m));
    });
    const store: Record<string, unknown> = {};
    const state = {
      persisted<T>(key: string, d: T) { return { get: () => (key in store ? store[key] as T : d), set: (v: T) => { store[key] = v; } }; },
      scoped() { return state; },
    };
    const sel = emitter<[number | null, string]>();
    const wsel = emitter<[number | null, string]>();
    const ov = emitter<[NodeOverlay | null]>();
    const rs = emitter<[RunShapes | null]>();
    let shapes: RunShapes | null = null;
    let node: number | null = null, weight: number | null = null, overlay: NodeOverlay | null = null;
    const shown: TabId[] = [];
    const selections: { kind: 'node' | 'weight'; id: number | null; source: string }[] = [];
    const exports = new Map<string, () => Promise<unknown>>();
    const settings: ModelLensSettings = { graph: { direction: 'TB', collapseAbove: 400 }, runtime: { provider: 'auto' }, stats: { histogramBins: 16 }, parse: { timeBudgetSeconds: 60 } };
    const panes = { params: document.getElementById('params-host')!, graph: document.getElementById('graph-host')! };
    const views: Partial<Record<TabId, View>> = {};
    const ctx: ViewContext = {
      bus, summary, graph: payload, settings, onSettingsChanged: () => ({ dispose() {} }), trusted: true, onTrustChanged: () => ({ dispose() {} }),
      state, workerUrl: async (name: string) => new URL(`/dist/${name}.js`, location.href).href,
      startWorker: async (name: string) => new Worker(new URL(`/dist/${name}.js`, location.href).href),
      showTab: (t) => { shown.push(t); show(t); },
      selectNode: (id, source) => { node = id; selections.push({ kind: 'node', id, source }); sel.fire(id, source); }, selectedNode: () => node,
      onSelectNode: (cb) => sel.on(cb as Listener<[number | null, string]>),
      selectWeight: (id, source) => { weight = id; selections.push({ kind: 'weight', id, source }); wsel.fire(id, source); }, selectedWeight: () => weight,
      onSelectWeight: (cb) => wsel.on(cb as Listener<[number | null, string]>),
      setNodeOverlay: (o) => { overlay = o; ov.fire(o); }, nodeOverlay: () => overlay, onNodeOverlay: (cb) => ov.on(cb),
      setRunShapes: (s) => { shapes = s; rs.fire(s); }, runShapes: () => shapes, onRunShapes: (cb) => rs.on(cb),
      provideExport: (format, produce) => { exports.set(format, produce); return { dispose: () => exports.delete(format) }; },
      reportPainted: () => {},
    };
    const show = (t: TabId) => {
      if (t !== 'params' && t !== 'graph') return;
      if (!views[t]) {
        const v = t === 'params' ? createParamsView(ctx) : createGraphView(ctx);
        views[t] = v;
        panes[t].append(v.element);
      }
      for (const k of ['params', 'graph'] as const) { panes[k].hidden = k !== t; if (k !== t) views[k]?.hide(); }
      views[t]!.show();
    };
    previous = { views, bus };
    show('params');
    w.__params = { ctx, shown, selections, exports, views, show };
  },
};
