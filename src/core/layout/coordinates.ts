// Coordinate assignment: every layer is placed as close as possible to where its neighbours pull it,
// keeping the order and the gaps. Per layer that is an isotonic regression, solved exactly in linear
// time by pool-adjacent-violators, so a sweep over 100k nodes takes milliseconds.
import type { Ordering } from './ordering.js';
import type { LayeredGraph } from './types.js';

/** Buffers placeRow reuses, sized for the widest layer (allocation per row would dominate the time). */
export interface RowScratch { offset: Float64Array; bStart: Int32Array; bW: Float64Array; bWT: Float64Array }

export function rowScratch(size: number): RowScratch {
  return { offset: new Float64Array(size), bStart: new Int32Array(size), bW: new Float64Array(size), bWT: new Float64Array(size) };
}

/**
 * Places `items` (in order) at x minimising Σ weight·(x − desired)² subject to
 * x[i+1] − x[i] ≥ gap[i]. Writes the result into `x`.
 */
export function placeRow(items: ArrayLike<number>, s: number, e: number, desired: Float64Array, weight: Float64Array,
  halfWidth: Float32Array, gapFor: (p: number, q: number) => number, x: Float64Array, scratch: RowScratch): void {
  // Shift by the running sum of gaps: the constraint becomes "nondecreasing".
  const count = e - s;
  const { offset, bStart, bW, bWT } = scratch;
  let acc = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0) { const p = items[s + i - 1], q = items[s + i]; acc += halfWidth[p] + halfWidth[q] + gapFor(p, q); }
    offset[i] = acc;
  }
  // Blocks of pooled items: first index, sum of weights, sum of weight × target.
  let top = -1;
  for (let i = 0; i < count; i++) {
    const v = items[s + i];
    const w = weight[v];
    top++;
    bStart[top] = i; bW[top] = w; bWT[top] = w * (desired[v] - offset[i]);
    while (top > 0 && bWT[top - 1] / bW[top - 1] > bWT[top] / bW[top]) {
      bW[top - 1] += bW[top]; bWT[top - 1] += bWT[top]; top--;
    }
  }
  for (let b = 0; b <= top; b++) {
    const end = b < top ? bStart[b + 1] : count;
    const y = bWT[b] / bW[b];
    for (let i = bStart[b]; i < end; i++) x[items[s + i]] = y + offset[i];
  }
}

/**
 * Horizontal positions for every node (real and dummy) of an ordered layered graph: the mean of a
 * left-median and a right-median placement. Either alone slants a long chain of asymmetric blocks
 * (each merge leans one way); their mean cancels the lean, and still keeps every gap because the
 * constraints are linear.
 */
export function assignX(g: LayeredGraph, o: Ordering, width: Float32Array, nodeGap: number, iterations: number): Float64Array {
  const left = placeAll(g, o, width, nodeGap, iterations, false);
  const right = placeAll(g, o, width, nodeGap, iterations, true);
  for (let v = 0; v < left.length; v++) left[v] = (left[v] + right[v]) / 2;
  return left;
}

function placeAll(g: LayeredGraph, o: Ordering, width: Float32Array, nodeGap: number, iterations: number, rightMedian: boolean): Float64Array {
  const { total, n, layers } = g;
  const half = new Float32Array(total);
  for (let v = 0; v < n; v++) half[v] = width[v] / 2;
  for (let v = n; v < total; v++) half[v] = 2;
  const gapFor = (p: number, q: number) => (p < n && q < n ? nodeGap : nodeGap / 2);
  const x = new Float64Array(total);
  const desired = new Float64Array(total);
  // Dummies pull harder: long edges stay straight, which is what keeps skip connections readable.
  const weight = new Float64Array(total);
  for (let v = 0; v < total; v++) weight[v] = v < n ? 1 : 4;
  let widest = 1;
  for (let l = 0; l < layers; l++) widest = Math.max(widest, o.layerStart[l + 1] - o.layerStart[l]);
  const scratch = rowScratch(widest);
  // Start: every layer packed and centred on 0.
  for (let l = 0; l < layers; l++) {
    const s = o.layerStart[l], e = o.layerStart[l + 1];
    let acc = 0;
    for (let i = s; i < e; i++) {
      const v = o.order[i];
      if (i > s) acc += half[o.order[i - 1]] + half[v] + gapFor(o.order[i - 1], v);
      x[v] = acc;
    }
    for (let i = s; i < e; i++) x[o.order[i]] -= acc / 2;
  }
  let maxDeg = 1;
  for (let v = 0; v < total; v++) maxDeg = Math.max(maxDeg, o.up.start[v + 1] - o.up.start[v] + o.down.start[v + 1] - o.down.start[v]);
  const near = new Float64Array(maxDeg);
  const degree = new Int32Array(total);
  for (let v = 0; v < total; v++) {
    degree[v] = o.up.start[v + 1] - o.up.start[v] + o.down.start[v + 1] - o.down.start[v];
    // Satellites give way: their node keeps its place and they pack beside it.
    if (degree[v] <= 1 && v < n) weight[v] = 0.05;
  }
  const pull = (l: number, up: boolean, down: boolean) => {
    const s = o.layerStart[l], e = o.layerStart[l + 1];
    for (let i = s; i < e; i++) {
      const v = o.order[i];
      // The median, not the mean: one far neighbour (a skip connection) must not drag a node sideways.
      // Satellites (constants and other nodes whose one edge leads here) follow their node and do not
      // pull it: otherwise a BatchNorm with four parameter inputs would shift off its main input, and
      // a chain of such blocks would drift sideways.
      let c = 0, sat = 0;
      if (up) for (let k = o.up.start[v], k1 = o.up.start[v + 1]; k < k1; k++) {
        const u = o.up.adj[k];
        if (degree[u] === 1) sat++; else near[c++] = x[u];
      }
      if (down) for (let k = o.down.start[v], k1 = o.down.start[v + 1]; k < k1; k++) {
        const u = o.down.adj[k];
        if (degree[u] === 1) sat++; else near[c++] = x[u];
      }
      if (c === 0 && sat > 0) {
        if (up) for (let k = o.up.start[v], k1 = o.up.start[v + 1]; k < k1; k++) near[c++] = x[o.up.adj[k]];
        if (down) for (let k = o.down.start[v], k1 = o.down.start[v + 1]; k < k1; k++) near[c++] = x[o.down.adj[k]];
      }
      // A node with no edges at all keeps company with its row neighbour instead of staying behind.
      if (c === 0 && degree[v] === 0) desired[v] = i > s ? desired[o.order[i - 1]] : i + 1 < e ? x[o.order[i + 1]] : x[v];
      else if (c === 0) desired[v] = x[v];
      else if (c === 1) desired[v] = near[0];
      else if (c === 2) desired[v] = rightMedian ? Math.max(near[0], near[1]) : Math.min(near[0], near[1]);
      else {
        const sorted = near.subarray(0, c).sort();
        desired[v] = sorted[rightMedian ? c >> 1 : (c - 1) >> 1];
      }
    }
    placeRow(o.order, s, e, desired, weight, half, gapFor, x, scratch);
  };
  for (let it = 0; it < iterations; it++) {
    for (let l = 1; l < layers; l++) pull(l, true, false);
    for (let l = layers - 2; l >= 0; l--) pull(l, false, true);
  }
  for (let l = 0; l < layers; l++) pull(l, true, true);
  shear(g, o, x);
  return x;
}

/**
 * Removes the overall lean: a long chain of asymmetric blocks settles with each block a little to one
 * side of the last. Shifting every layer by the fitted trend straightens the drawing; inside a layer
 * all nodes move alike, so order and gaps are kept.
 */
function shear(g: LayeredGraph, o: Ordering, x: Float64Array): void {
  const { layers, n } = g;
  if (layers < 8) return;
  let sl = 0, sx = 0, sll = 0, slx = 0, cnt = 0;
  for (let l = 0; l < layers; l++) {
    let sum = 0, k = 0;
    for (let i = o.layerStart[l]; i < o.layerStart[l + 1]; i++) if (o.order[i] < n) { sum += x[o.order[i]]; k++; }
    if (!k) continue;
    const m = sum / k;
    sl += l; sx += m; sll += l * l; slx += l * m; cnt++;
  }
  const den = cnt * sll - sl * sl;
  if (cnt < 2 || den === 0) return;
  const slope = (cnt * slx - sl * sx) / den;
  for (let v = 0; v < x.length; v++) x[v] -= slope * g.layer[v];
}
