// Cycle breaking, layer assignment and dummy insertion. Linear time and iterative throughout, so
// a 200k-node model neither takes seconds nor overflows the stack.
import type { DagInput, LayeredGraph } from './types.js';

/** Builds a compressed adjacency list (CSR) of `from → to` over `n` nodes. */
export function csr(n: number, from: Int32Array, to: Int32Array, count = from.length): { start: Int32Array; adj: Int32Array } {
  const start = new Int32Array(n + 1);
  for (let i = 0; i < count; i++) if (from[i] >= 0) start[from[i] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const adj = new Int32Array(start[n]);
  for (let i = 0; i < count; i++) if (from[i] >= 0) adj[fill[from[i]]++] = to[i];
  return { start, adj };
}

/**
 * Topological rank by Kahn's algorithm, taking nodes in index (file) order; when only cycles remain,
 * the lowest-index waiting node is forced, and the edges into it become the reversed ones.
 */
export function topologicalRank(n: number, src: Int32Array, dst: Int32Array): Int32Array {
  const out = csr(n, src, dst);
  const indeg = new Int32Array(n);
  for (let i = 0; i < src.length; i++) if (src[i] !== dst[i]) indeg[dst[i]]++;
  const rank = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let head = 0, tail = 0, next = 0, scan = 0;
  for (let v = 0; v < n; v++) if (indeg[v] === 0) queue[tail++] = v;
  while (next < n) {
    if (head === tail) {
      while (rank[scan] !== -1) scan++;
      queue[tail++] = scan;
      indeg[scan] = 0;
    }
    const u = queue[head++];
    if (rank[u] !== -1) continue;
    rank[u] = next++;
    for (let k = out.start[u]; k < out.start[u + 1]; k++) {
      const v = out.adj[k];
      if (v !== u && rank[v] === -1 && --indeg[v] === 0) queue[tail++] = v;
    }
  }
  return rank;
}

/** Layers by longest path from the sources, then sources moved down next to their first consumer. */
export function layerNodes(input: DagInput): LayeredGraph {
  const { n, src, dst } = input;
  const m = src.length;
  const rank = topologicalRank(n, src, dst);
  const reversed = new Int8Array(m);
  const a = new Int32Array(m);
  const b = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    if (src[i] === dst[i]) { reversed[i] = -1; a[i] = -1; continue; }
    const rev = rank[src[i]] > rank[dst[i]];
    reversed[i] = rev ? 1 : 0;
    a[i] = rev ? dst[i] : src[i];
    b[i] = rev ? src[i] : dst[i];
  }
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) order[rank[v]] = v;
  const out = csr(n, a, b);
  const layer = new Int32Array(n);
  const indeg = new Int32Array(n);
  for (let i = 0; i < m; i++) if (a[i] >= 0) indeg[b[i]]++;
  for (let r = 0; r < n; r++) {
    const u = order[r];
    const next = layer[u] + 1;
    for (let k = out.start[u]; k < out.start[u + 1]; k++) if (layer[out.adj[k]] < next) layer[out.adj[k]] = next;
  }
  // Constants and other sources sit right above their nearest consumer instead of at the very top;
  // so does any node with no more inputs than outputs (Constant → Unsqueeze → far consumer): moving
  // it down shortens at least as many edges as it lengthens. Reverse topological order moves a
  // whole such chain in one pass.
  for (let r = n - 1; r >= 0; r--) {
    const u = order[r];
    const outdeg = out.start[u + 1] - out.start[u];
    if (outdeg === 0 || indeg[u] > outdeg) continue;
    let min = Infinity;
    for (let k = out.start[u]; k < out.start[u + 1]; k++) min = Math.min(min, layer[out.adj[k]]);
    layer[u] = Math.max(layer[u], min - 1);
  }
  let layers = 0;
  for (let v = 0; v < n; v++) if (layer[v] + 1 > layers) layers = layer[v] + 1;

  // One dummy chain per upper node, as long as its longest edge needs.
  const chainLen = new Int32Array(n);
  for (let i = 0; i < m; i++) {
    if (a[i] < 0) continue;
    const need = layer[b[i]] - layer[a[i]] - 1;
    if (need > chainLen[a[i]]) chainLen[a[i]] = need;
  }
  const chainBase = new Int32Array(n);
  let total = n;
  for (let v = 0; v < n; v++) { chainBase[v] = total; total += chainLen[v]; }
  const fullLayer = new Int32Array(total);
  fullLayer.set(layer);
  for (let v = 0; v < n; v++) for (let k = 0; k < chainLen[v]; k++) fullLayer[chainBase[v] + k] = layer[v] + 1 + k;

  const edgeDummy = new Int32Array(m);
  const edgeDummies = new Int32Array(m);
  // Segments: each chain's own links once, the first link once per node, then one last link per edge.
  let segCount = 0;
  for (let v = 0; v < n; v++) if (chainLen[v] > 0) segCount += chainLen[v];
  for (let i = 0; i < m; i++) if (a[i] >= 0) segCount++;
  const segUp = new Int32Array(segCount);
  const segDown = new Int32Array(segCount);
  let s = 0;
  for (let v = 0; v < n; v++) {
    if (chainLen[v] === 0) continue;
    segUp[s] = v; segDown[s++] = chainBase[v];
    for (let k = 1; k < chainLen[v]; k++) { segUp[s] = chainBase[v] + k - 1; segDown[s++] = chainBase[v] + k; }
  }
  for (let i = 0; i < m; i++) {
    if (a[i] < 0) continue;
    const span = layer[b[i]] - layer[a[i]];
    edgeDummy[i] = chainBase[a[i]];
    edgeDummies[i] = span - 1;
    segUp[s] = span > 1 ? chainBase[a[i]] + span - 2 : a[i];
    segDown[s++] = b[i];
  }
  return { total, n, layer: fullLayer, layers, segUp, segDown, edgeDummy, edgeDummies, reversed };
}
