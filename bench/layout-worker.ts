// Worker thread of bench/layout-bench.ts, in one of two roles (workerData.role):
// 'ours'  — the webview's own layout worker (webview/graph/layout-worker.ts), unchanged, with `self`
//           standing in for the Web Worker global, so the bench gets exactly the scene the view gets;
// 'dagre' — one dagre layout of the drawing it is sent; the bench terminates it past its time budget.
import { parentPort, workerData } from 'node:worker_threads';
import dagre from 'dagre';

export interface DagreRequest {
  /** Per box: size, and the index of the open group (cluster) holding it, -1 at top level. */
  w: Float32Array;
  h: Float32Array;
  parent: Int32Array;
  /** 1 for open groups: dagre sizes those itself around their children. */
  cluster: Uint8Array;
  edgeA: Int32Array;
  edgeB: Int32Array;
  options: { nodesep: number; ranksep: number; ranker: 'network-simplex' };
}

export interface DagreResult { ms: number; x: Float32Array; y: Float32Array; w: Float32Array; h: Float32Array; edgeStart: Int32Array; points: Float32Array }

const port = parentPort!;
if (workerData?.role === 'ours') {
  const g = globalThis as unknown as { self: { postMessage(m: unknown, t?: Transferable[]): void; onmessage?: (ev: { data: unknown }) => void } };
  g.self = { postMessage: (m, t) => port.postMessage(m, (t ?? []) as never) };
  await import('../webview/graph/layout-worker.js');
  port.on('message', (data) => g.self.onmessage!({ data }));
} else {
  port.on('message', (r: DagreRequest) => {
    const n = r.w.length;
    const graph = new dagre.graphlib.Graph({ compound: true });
    graph.setGraph({ rankdir: 'TB', ...r.options });
    graph.setDefaultEdgeLabel(() => ({}));
    for (let i = 0; i < n; i++) graph.setNode(String(i), r.cluster[i] ? {} : { width: r.w[i], height: r.h[i] });
    for (let i = 0; i < n; i++) if (r.parent[i] >= 0) graph.setParent(String(i), String(r.parent[i]));
    for (let e = 0; e < r.edgeA.length; e++) graph.setEdge(String(r.edgeA[e]), String(r.edgeB[e]));
    const t0 = performance.now();
    dagre.layout(graph);
    const ms = performance.now() - t0;
    const x = new Float32Array(n), y = new Float32Array(n), w = new Float32Array(n), h = new Float32Array(n);
    for (let i = 0; i < n; i++) { const v = graph.node(String(i)); x[i] = v.x; y[i] = v.y; w[i] = v.width; h[i] = v.height; }
    const edgeStart = new Int32Array(r.edgeA.length + 1);
    const pts: number[] = [];
    for (let e = 0; e < r.edgeA.length; e++) {
      for (const p of graph.edge(String(r.edgeA[e]), String(r.edgeB[e])).points) pts.push(p.x, p.y);
      edgeStart[e + 1] = pts.length / 2;
    }
    const res: DagreResult = { ms, x, y, w, h, edgeStart, points: Float32Array.from(pts) };
    port.postMessage(res);
  });
}
