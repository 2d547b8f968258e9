// Crossing reduction: layer-by-layer barycenter sweeps (Sugiyama's second phase). Each sweep is
// O(E + V log V); a fixed number of sweeps keeps the time predictable on any graph.
import { csr } from './layering.js';
import type { LayeredGraph } from './types.js';

export interface Ordering {
  /** Nodes of layer l are order[layerStart[l] .. layerStart[l+1]), left to right. */
  layerStart: Int32Array;
  order: Int32Array;
  /** Position of each node inside its layer. */
  pos: Int32Array;
  up: { start: Int32Array; adj: Int32Array };
  down: { start: Int32Array; adj: Int32Array };
}

/** Orders each layer so edges between neighbouring layers cross little; deterministic for one input. */
export function orderLayers(g: LayeredGraph, iterations: number): Ordering {
  const { total, layer, layers } = g;
  const up = csr(total, g.segDown, g.segUp);
  const down = csr(total, g.segUp, g.segDown);
  const layerStart = new Int32Array(layers + 1);
  for (let v = 0; v < total; v++) layerStart[layer[v] + 1]++;
  for (let l = 0; l < layers; l++) layerStart[l + 1] += layerStart[l];
  const fill = layerStart.slice(0, layers);
  const order = new Int32Array(total);
  // Initial order: real nodes in file order, each node's dummy chain in the order of its owner.
  for (let v = 0; v < total; v++) order[fill[layer[v]]++] = v;
  const pos = new Int32Array(total);
  for (let l = 0; l < layers; l++) for (let i = layerStart[l]; i < layerStart[l + 1]; i++) pos[order[i]] = i - layerStart[l];

  const key = new Float64Array(total);
  const sortLayer = (l: number, nbr: { start: Int32Array; adj: Int32Array }) => {
    const s = layerStart[l], e = layerStart[l + 1];
    if (e - s < 2) return;
    for (let i = s; i < e; i++) {
      const v = order[i];
      const k0 = nbr.start[v], k1 = nbr.start[v + 1];
      if (k0 === k1) { key[v] = -1; continue; }
      let sum = 0;
      for (let k = k0; k < k1; k++) sum += pos[nbr.adj[k]];
      key[v] = sum / (k1 - k0);
    }
    // Nodes without neighbours on that side keep their slot; the others are sorted around them.
    const movable: number[] = [];
    for (let i = s; i < e; i++) if (key[order[i]] >= 0) movable.push(order[i]);
    movable.sort((p, q) => key[p] - key[q] || pos[p] - pos[q]);
    let j = 0;
    for (let i = s; i < e; i++) if (key[order[i]] >= 0) order[i] = movable[j++];
    for (let i = s; i < e; i++) pos[order[i]] = i - s;
  };
  // First a down sweep to turn the file order into a connected one, then alternate.
  for (let it = 0; it < iterations; it++) {
    for (let l = 1; l < layers; l++) sortLayer(l, up);
    for (let l = layers - 2; l >= 0; l--) sortLayer(l, down);
  }
  if (iterations > 0) for (let l = 1; l < layers; l++) sortLayer(l, up);
  return { layerStart, order, pos, up, down };
}

/** Number of crossings between adjacent layers (for tests and the benchmark's quality line). */
export function countCrossings(g: LayeredGraph, o: Ordering): number {
  let crossings = 0;
  for (let l = 0; l + 1 < o.layerStart.length - 1; l++) {
    // Segments leaving layer l, as (upper pos, lower pos) pairs; count inversions with a Fenwick tree.
    const pairs: number[] = [];
    for (let i = o.layerStart[l]; i < o.layerStart[l + 1]; i++) {
      const v = o.order[i];
      const lows: number[] = [];
      for (let k = o.down.start[v]; k < o.down.start[v + 1]; k++) lows.push(o.pos[o.down.adj[k]]);
      lows.sort((p, q) => p - q);
      for (const w of lows) pairs.push(w);
    }
    const size = o.layerStart[l + 2] - o.layerStart[l + 1];
    const tree = new Int32Array(size + 1);
    let seen = 0;
    for (const w of pairs) {
      let greater = seen;
      for (let i = w + 1; i > 0; i -= i & -i) greater -= tree[i];
      crossings += greater;
      for (let i = w + 1; i <= size; i += i & -i) tree[i]++;
      seen++;
    }
  }
  return crossings;
}
