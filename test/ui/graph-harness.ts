// A page that hosts the graph view alone, for the graph ui tests and bench:graph (bench/run-ts.mjs): a ViewContext
// stand-in over a payload the Node side built with the real core. Bundled on demand by
// test/ui/graph-page.ts (not a test itself).
import type { ModelLensSettings } from '../../src/protocol.js';
import type { GraphPayload, ModelSummary } from '../../src/core/model-view-types.js';
import { createGraphView } from '../../webview/graph/index.js';
import type { NodeOverlay, ViewContext } from '../../webview/view.js';
import type { RunShapes } from '../../src/core/runtime/run-shapes.js';
import type { Bus } from '../../webview/bus.js';
import { PackedGraph } from '../../src/core/packed-graph.js';

type Listener<T extends unknown[]> = (...a: T) => void;

function emitter<T extends unknown[]>() {
  const set = new Set<Listener<T>>();
  return { on: (cb: Listener<T>) => { set.add(cb); return { dispose: () => set.delete(cb) }; }, fire: (...a: T) => set.forEach((cb) => cb(...a)) };
}

interface OpenOptions { settings?: Partial<ModelLensSettings['graph']>; stats?: Record<number, unknown> }

const graphHarness = {
  /** As the editor page does with an init: the graph arrives packed and is decoded in turns first. */
  async openPacked(bytes: Uint8Array, summary: ModelSummary, opts: OpenOptions = {}): Promise<number> {
    const graph = PackedGraph.fromBytes(bytes);
    await graph.decodeInTurns(() => new Promise((r) => setTimeout(r, 0)));
    return graphHarness.open(graph, summary, opts);
  },
  open(payload: GraphPayload, summary: ModelSummary, opts: OpenOptions = {}) {
    const t0 = performance.now();
    const store: Record<string, unknown> = {};
    const state = {
      persisted<T>(key: string, d: T) { return { get: () => (key in store ? store[key] as T : d), set: (v: T) => { store[key] = v; } }; },
      scoped() { return state; },
    };
    const requests: string[] = [];
    const bus = {
      request: (method: string, params: { weightId?: number }) => {
        requests.push(method);
        if (method === 'params.tensor' && opts.stats && params.weightId !== undefined && opts.stats[params.weightId]) return Promise.resolve(opts.stats[params.weightId]);
        return Promise.reject(new Error(`unknown method ${method}`));
      },
      post: () => {}, on: () => ({ dispose() {} }), onNotify: () => ({ dispose() {} }), handle: () => ({ dispose() {} }), dispose() {},
    } as unknown as Bus;
    const sel = emitter<[number | null, string]>();
    const wsel = emitter<[number | null, string]>();
    const ov = emitter<[NodeOverlay | null]>();
    const rs = emitter<[RunShapes | null]>();
    let shapes: RunShapes | null = null;
    let node: number | null = null, weight: number | null = null, overlay: NodeOverlay | null = null;
    const exports = new Map<string, () => Promise<unknown>>();
    const shown: string[] = [];
    const settings: ModelLensSettings = {
      graph: { direction: 'TB', collapseAbove: 400, ...opts.settings }, runtime: { provider: 'auto' } as ModelLensSettings['runtime'],
      stats: { histogramBins: 64 }, parse: { timeBudgetSeconds: 60 },
    };
    const ctx: ViewContext = {
      bus, summary, graph: payload, settings, onSettingsChanged: () => ({ dispose() {} }), trusted: true, onTrustChanged: () => ({ dispose() {} }),
      state, workerUrl: async (name: string) => new URL(`/dist/${name}.js`, location.href).href,
      startWorker: async (name: string) => new Worker(new URL(`/dist/${name}.js`, location.href).href),
      showTab: (t) => { shown.push(t); },
      selectNode: (id, source) => { node = id; sel.fire(id, source); }, selectedNode: () => node, onSelectNode: (cb) => sel.on(cb as Listener<[number | null, string]>),
      selectWeight: (id, source) => { weight = id; wsel.fire(id, source); }, selectedWeight: () => weight, onSelectWeight: (cb) => wsel.on(cb as Listener<[number | null, string]>),
      setNodeOverlay: (o) => { overlay = o; ov.fire(o); }, nodeOverlay: () => overlay, onNodeOverlay: (cb) => ov.on(cb),
      setRunShapes: (s) => { shapes = s; rs.fire(s); }, runShapes: () => shapes, onRunShapes: (cb) => rs.on(cb),
      provideExport: (format, produce) => { exports.set(format, produce); return { dispose: () => exports.delete(format) }; },
      reportPainted: (phases) => { (window as unknown as { paintPhases: unknown }).paintPhases = phases; },
    };
    const host = document.getElementById('host')!;
    host.replaceChildren();
    const view = createGraphView(ctx);
    host.append(view.element);
    view.show();
    const h = window as unknown as Record<string, unknown>;
    h.__graph = { view, ctx, requests, shown, exports, openedAt: t0, selectedWeight: () => weight };
    return performance.now() - t0;
  },
};
(window as unknown as Record<string, unknown>).__graphHarness = graphHarness;
