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
  // Dummies are light: a real node never moves for a long edge passing by; the edge moves. Its run
  // still comes out straight, because each dummy follows the rest of its chain.
  const weight = new Float64Array(total);
  for (let v = 0; v < total; v++) weight[v] = v < n ? 1 : 0.002;
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
  // The ends of a dummy chain give way to real nodes: beside the source's successor is the only place
  // a skip edge can start, and a chain end as heavy as its interior pushes the main column sideways
  // at every skip (the staircase). Interior dummies stay heavy, so the run itself stays straight.
  for (let v = n; v < total; v++) {
    const ends = (s: { start: Int32Array; adj: Int32Array }) => { for (let k = s.start[v]; k < s.start[v + 1]; k++) if (s.adj[k] < n) return true; return false; };
    if (ends(o.up) || ends(o.down)) weight[v] = 0.00001;
  }
  // Dummies with another dummy beside them in the chain (chainLength 1: the chain is one dummy).
  const chainLength = new Int32Array(total - n);
  for (let v = n; v < total; v++) {
    let k = 0;
    for (let q = o.up.start[v]; q < o.up.start[v + 1]; q++) if (o.up.adj[q] >= n) k++;
    for (let q = o.down.start[v]; q < o.down.start[v + 1]; q++) if (o.down.adj[q] >= n) k++;
    chainLength[v - n] = k > 0 ? 2 : 1;
  }
  /** Whether v has a neighbour on the pulling side(s) that is a real node and not a satellite. */
  const hasRealNeighbour = (v: number, up: boolean, down: boolean): boolean => {
    if (up) for (let k = o.up.start[v]; k < o.up.start[v + 1]; k++) { const u = o.up.adj[k]; if (u < n && degree[u] !== 1) return true; }
    if (down) for (let k = o.down.start[v]; k < o.down.start[v + 1]; k++) { const u = o.down.adj[k]; if (u < n && degree[u] !== 1) return true; }
    return false;
  };
  const pull = (l: number, up: boolean, down: boolean) => {
    const s = o.layerStart[l], e = o.layerStart[l + 1];
    for (let i = s; i < e; i++) {
      const v = o.order[i];
      // The median, not the mean: one far neighbour (a skip connection) must not drag a node sideways.
      // Satellites (constants and other nodes whose one edge leads here) follow their node and do not
      // pull it: otherwise a BatchNorm with four parameter inputs would shift off its main input, and
      // a chain of such blocks would drift sideways.
      // A real node lines up with its real neighbours; the dummies of a skip edge passing by are
      // routed beside it instead of pulling it halfway (which drew U-Nets and ResNets as staircases).
      let c = 0, sat = 0;
      const realOnly = v < n && hasRealNeighbour(v, up, down);
      // A dummy follows the rest of its chain, never a real end: wanting its source's place, the
      // first dummy of a skip edge would push the source's successor aside at every skip.
      if (v >= n && chainLength[v - n] > 1) {
        let d = 0;
        if (up) for (let k = o.up.start[v]; k < o.up.start[v + 1]; k++) if (o.up.adj[k] >= n) near[d++] = x[o.up.adj[k]];
        if (down) for (let k = o.down.start[v]; k < o.down.start[v + 1]; k++) if (o.down.adj[k] >= n) near[d++] = x[o.down.adj[k]];
        if (d > 0) { desired[v] = d === 1 ? near[0] : (near[0] + near[1]) / 2; continue; }
      }
      if (up) for (let k = o.up.start[v], k1 = o.up.start[v + 1]; k < k1; k++) {
        const u = o.up.adj[k];
        if (degree[u] === 1) sat++; else if (!realOnly || u < n) near[c++] = x[u];
      }
      if (down) for (let k = o.down.start[v], k1 = o.down.start[v + 1]; k < k1; k++) {
        const u = o.down.adj[k];
        if (degree[u] === 1) sat++; else if (!realOnly || u < n) near[c++] = x[u];
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
  // Satellites last: the pass above placed each before its node took its final place (a BatchNorm's
  // parameter nodes sit in the layer above it), so they would stay where the node used to be.
  for (let l = 0; l < layers; l++) {
    const s = o.layerStart[l], e = o.layerStart[l + 1];
    let any = false;
    for (let i = s; i < e; i++) {
      const v = o.order[i];
      desired[v] = x[v];
      if (v >= n || degree[v] !== 1) continue;
      desired[v] = x[o.up.start[v + 1] > o.up.start[v] ? o.up.adj[o.up.start[v]] : o.down.adj[o.down.start[v]]];
      any = true;
    }
    if (any) placeRow(o.order, s, e, desired, weight, half, gapFor, x, scratch);
  }
  shear(g, o, x, half);
  straightenChains(g, o, x, half, gapFor);
  return x;
}

/**
 * Puts each long edge's run of dummies on one line, as far out as its widest neighbour pushed it:
 * light dummies hug the boxes beside them, so a run would jog in and out with their widths. Runs only
 * move outward (away from their source) and each stays between its current neighbours, so order and
 * gaps are kept, and moving an outer run first makes room for the inner ones; two passes settle them.
 */
function straightenChains(g: LayeredGraph, o: Ordering, x: Float64Array, half: Float32Array, gapFor: (p: number, q: number) => number): void {
  const { n, total } = g;
  for (let pass = 0; pass < 2; pass++) {
    for (let d = n; d < total;) {
      let end = d + 1;
      while (end < total && o.up.start[end + 1] - o.up.start[end] === 1 && o.up.adj[o.up.start[end]] === end - 1) end++;
      if (end - d > 1) {
        let lo = -Infinity, hi = Infinity, min = Infinity, max = -Infinity;
        for (let v = d; v < end; v++) {
          const l = g.layer[v], i = o.layerStart[l] + o.pos[v];
          if (i > o.layerStart[l]) { const p = o.order[i - 1]; lo = Math.max(lo, x[p] + half[p] + half[v] + gapFor(p, v)); }
          if (i + 1 < o.layerStart[l + 1]) { const q = o.order[i + 1]; hi = Math.min(hi, x[q] - half[q] - half[v] - gapFor(v, q)); }
          min = Math.min(min, x[v]); max = Math.max(max, x[v]);
        }
        const source = o.up.adj[o.up.start[d]];
        const right = source === undefined || (min + max) / 2 >= x[source];
        if (lo <= hi) { const at = Math.min(hi, Math.max(lo, right ? max : min)); for (let v = d; v < end; v++) x[v] = at; }
      }
      d = end;
    }
  }
}

/**
 * Removes the overall lean: a long chain of asymmetric blocks can settle with each block a little to
 * one side of the last. Shifting every layer by the fitted trend straightens the drawing; inside a
 * layer all nodes move alike, so order and gaps are kept. Only a lean that makes the drawing much
 * wider counts: a slight trend comes from side nodes, and shearing it away would tilt straight chains.
 */
function shear(g: LayeredGraph, o: Ordering, x: Float64Array, half: Float32Array): void {
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
  const extent = (s: number) => {
    let lo = Infinity, hi = -Infinity;
    for (let v = 0; v < x.length; v++) { const c = x[v] - s * g.layer[v]; lo = Math.min(lo, c - half[v]); hi = Math.max(hi, c + half[v]); }
    return hi - lo;
  };
  if (extent(slope) > 0.5 * extent(0)) return;
  for (let v = 0; v < x.length; v++) x[v] -= slope * g.layer[v];
}
