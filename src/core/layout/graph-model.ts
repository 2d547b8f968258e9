// The graph as the view draws it: leaves (every node, plus the main graph's inputs and outputs),
// edges between leaves (one per consumer of a value; weights live inside their node), box texts and
// sizes. Built from the payload in slices so a 200k-node model never blocks the UI thread for long.
// DOM-free: the webview builds it on the UI thread, the `layout` CLI and the tests in Node.
import type { GraphPayload } from '../model-view-types.js';
import { nodeText, textSize, typeLabel, type NodeText } from './node-text.js';
import { foldConstants } from './constant-fold.js';

export interface GraphModel {
  payload: GraphPayload;
  nodeCount: number;
  leafCount: number;
  /** For leaves past the nodes: the value id of the graph input/output they stand for. */
  ioValue: Int32Array;
  /** 0 node, 1 graph input, 2 graph output. */
  leafKind: Uint8Array;
  names: string[];
  graphOf: Int32Array;
  texts: NodeText[];
  leafW: Float32Array;
  leafH: Float32Array;
  edgeSrc: Int32Array;
  edgeDst: Int32Array;
  /** Value carried by each edge. */
  edgeValue: Int32Array;
  /** Leaf adjacency (edge ids), for keyboard moves and the sidebar's links. */
  outStart: Int32Array;
  outEdges: Int32Array;
  inStart: Int32Array;
  inEdges: Int32Array;
  /** 1 for nodes folded into their consumers (constants): leaves that are not drawn. */
  folded: Uint8Array;
  /** Per folded node: the drawn node that shows it, else -1. */
  foldTarget: Int32Array;
  /** Per value: the weight its consumers show it as (initializers and folded constants), else -1. */
  valueWeight: Int32Array;
  /** Per value: the folded node that produced it, else -1. */
  foldedFrom: Int32Array;
}

export interface GraphModelOptions {
  /** Fold constant-only nodes into their consumers (the default); false draws them as nodes. */
  foldConstants?: boolean;
}

/** Builds the drawable model; `pause` is awaited between slices (pass one that yields to the event loop). */
export async function buildGraphModel(p: GraphPayload, pause: () => Promise<void> = async () => {}, options: GraphModelOptions = {}): Promise<GraphModel> {
  const N = p.nodes.length;
  const fold = foldConstants(p, options.foldConstants ?? true);
  await pause();
  const weightOf = (vid: number) => fold.valueWeight[vid];
  const main = p.graphs[0];
  const ins = main ? main.inputs.filter((v) => p.values[v].weight < 0) : [];
  const outs = main ? main.outputs : [];
  const L = N + ins.length + outs.length;
  const names: string[] = new Array(L);
  const graphOf = new Int32Array(L).fill(-1);
  const texts: NodeText[] = new Array(L);
  const leafW = new Float32Array(L);
  const leafH = new Float32Array(L);
  const ioValue = new Int32Array(L).fill(-1);
  const leafKind = new Uint8Array(L);
  // Slices small enough that no single task holds the UI thread near 100 ms on a slow machine.
  const SLICE = 1000;
  for (let i = 0; i < N; i++) {
    const n = p.nodes[i];
    names[i] = n.name || `${n.opType}_${i}`;
    graphOf[i] = n.graph;
    texts[i] = nodeText(p, n, weightOf);
    [leafW[i], leafH[i]] = textSize(texts[i]);
    if (i % SLICE === SLICE - 1) await pause();
  }
  const io = (leaf: number, vid: number, kind: 1 | 2) => {
    const v = p.values[vid];
    names[leaf] = v.name;
    ioValue[leaf] = vid;
    leafKind[leaf] = kind;
    texts[leaf] = { title: kind === 1 ? 'input' : 'output', lines: [v.name.length > 34 ? `${v.name.slice(0, 33)}…` : v.name, typeLabel(v.dtype, v.shape)] };
    [leafW[leaf], leafH[leaf]] = textSize(texts[leaf]);
  };
  ins.forEach((vid, k) => io(N + k, vid, 1));
  outs.forEach((vid, k) => io(N + ins.length + k, vid, 2));

  const inputLeaf = new Map<number, number>();
  ins.forEach((vid, k) => inputLeaf.set(vid, N + k));
  const src: number[] = [], dst: number[] = [], val: number[] = [];
  for (let vid = 0; vid < p.values.length; vid++) {
    const v = p.values[vid];
    if (fold.valueWeight[vid] >= 0) continue;
    const from = v.producer >= 0 ? v.producer : inputLeaf.get(vid) ?? -1;
    if (from < 0) continue;
    for (const c of v.consumers) { src.push(from); dst.push(c); val.push(vid); }
    if (vid % (SLICE * 4) === 0) await pause();
  }
  outs.forEach((vid, k) => {
    const from = p.values[vid].producer >= 0 ? p.values[vid].producer : inputLeaf.get(vid) ?? -1;
    if (from >= 0) { src.push(from); dst.push(N + ins.length + k); val.push(vid); }
  });
  await pause();
  const edgeSrc = Int32Array.from(src), edgeDst = Int32Array.from(dst);
  const adj = (from: Int32Array) => {
    const start = new Int32Array(L + 1);
    for (let e = 0; e < from.length; e++) start[from[e] + 1]++;
    for (let i = 0; i < L; i++) start[i + 1] += start[i];
    const fill = start.slice(0, L);
    const edges = new Int32Array(from.length);
    for (let e = 0; e < from.length; e++) edges[fill[from[e]]++] = e;
    return { start, edges };
  };
  const o = adj(edgeSrc), i = adj(edgeDst);
  return {
    payload: p, nodeCount: N, leafCount: L, ioValue, leafKind, names, graphOf, texts, leafW, leafH,
    edgeSrc, edgeDst, edgeValue: Int32Array.from(val), outStart: o.start, outEdges: o.edges, inStart: i.start, inEdges: i.edges,
    folded: fold.folded, foldTarget: fold.foldTarget, valueWeight: fold.valueWeight, foldedFrom: fold.foldedFrom,
  };
}
