// Crossing reduction: layer-by-layer barycenter sweeps (Sugiyama's second phase), each followed by a
// transpose pass (swap neighbours while that removes crossings with both adjacent layers), keeping
// the best order any sweep reached. Each sweep is O(E + V log V); a fixed number of sweeps, and
// transpose only where its cost stays small, keeps the time predictable on any graph.
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
  const crossings = () => crossingsOf(layerStart, order, pos, down);
  // Transpose costs about Σ deg(u)·deg(v) over neighbours per pass: fine below a few tens of thousands.
  const transposeOn = total <= TRANSPOSE_MAX_NODES;
  let best = order.slice(), bestC = iterations > 0 ? crossings() : 0;
  const keep = () => {
    if (transposeOn) transpose(layerStart, order, pos, up, down);
    const c = crossings();
    if (c < bestC) { bestC = c; best = order.slice(); }
  };
  // First a down sweep to turn the file order into a connected one, then alternate.
  for (let it = 0; it < iterations && bestC > 0; it++) {
    for (let l = 1; l < layers; l++) sortLayer(l, up);
    keep();
    for (let l = layers - 2; l >= 0; l--) sortLayer(l, down);
    keep();
  }
  if (iterations > 0 && bestC > 0) { for (let l = 1; l < layers; l++) sortLayer(l, up); keep(); }
  if (iterations > 0) {
    order.set(best);
    for (let l = 0; l < layers; l++) for (let i = layerStart[l]; i < layerStart[l + 1]; i++) pos[order[i]] = i - layerStart[l];
  }
  return { layerStart, order, pos, up, down };
}

/** Nodes (real and dummy) up to which each sweep is followed by a transpose pass. */
const TRANSPOSE_MAX_NODES = 40000;
/** Transpose passes per sweep at most (each stops early when nothing moved). */
const TRANSPOSE_PASSES = 4;

/** Crossings of segments between u, v and one neighbour layer when u sits left of v. */
function pairCrossings(u: number, v: number, nbr: { start: Int32Array; adj: Int32Array }, pos: Int32Array): number {
  let c = 0;
  for (let i = nbr.start[u]; i < nbr.start[u + 1]; i++) {
    const a = pos[nbr.adj[i]];
    for (let j = nbr.start[v]; j < nbr.start[v + 1]; j++) if (a > pos[nbr.adj[j]]) c++;
  }
  return c;
}

/** Swaps neighbours in a layer while that lowers their crossings with the layers above and below. */
function transpose(layerStart: Int32Array, order: Int32Array, pos: Int32Array, up: { start: Int32Array; adj: Int32Array }, down: { start: Int32Array; adj: Int32Array }): void {
  const layers = layerStart.length - 1;
  for (let pass = 0; pass < TRANSPOSE_PASSES; pass++) {
    let moved = false;
    for (let l = 0; l < layers; l++) {
      for (let i = layerStart[l]; i + 1 < layerStart[l + 1]; i++) {
        const u = order[i], v = order[i + 1];
        const now = pairCrossings(u, v, up, pos) + pairCrossings(u, v, down, pos);
        if (now === 0) continue;
        const swapped = pairCrossings(v, u, up, pos) + pairCrossings(v, u, down, pos);
        if (swapped < now) {
          order[i] = v; order[i + 1] = u;
          pos[v]--; pos[u]++;
          moved = true;
        }
      }
    }
    if (!moved) return;
  }
}

/** Number of crossings between adjacent layers (for tests and the benchmark's quality line). */
export function countCrossings(g: LayeredGraph, o: Ordering): number {
  return crossingsOf(o.layerStart, o.order, o.pos, o.down);
}

function crossingsOf(layerStart: Int32Array, order: Int32Array, pos: Int32Array, down: { start: Int32Array; adj: Int32Array }): number {
  let crossings = 0;
  const lows: number[] = [];
  for (let l = 0; l + 1 < layerStart.length - 1; l++) {
    // Segments leaving layer l, as (upper pos, lower pos) pairs; count inversions with a Fenwick tree.
    const size = layerStart[l + 2] - layerStart[l + 1];
    const tree = new Int32Array(size + 1);
    let seen = 0;
    for (let i = layerStart[l]; i < layerStart[l + 1]; i++) {
      const v = order[i];
      lows.length = 0;
      for (let k = down.start[v]; k < down.start[v + 1]; k++) lows.push(pos[down.adj[k]]);
      if (lows.length > 1) lows.sort((p, q) => p - q);
      for (const w of lows) {
        let greater = seen;
        for (let t = w + 1; t > 0; t -= t & -t) greater -= tree[t];
        crossings += greater;
        for (let t = w + 1; t <= size; t += t & -t) tree[t]++;
        seen++;
      }
    }
  }
  return crossings;
}
