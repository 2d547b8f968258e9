// The layered layout of one DAG: layering → ordering → coordinates → edge routes. Pure and DOM-free:
// it runs in the layout worker and in Node tests and benchmarks alike.
import { assignX } from './coordinates.js';
import { layerNodes } from './layering.js';
import { orderLayers } from './ordering.js';
import { defaultDagOptions, type DagInput, type DagLayout, type DagOptions } from './types.js';

/** Lays out a DAG top-to-bottom (or left-to-right); same input, same output. */
export function layoutDag(input: DagInput, options: Partial<DagOptions> = {}): DagLayout {
  const opt = { ...defaultDagOptions, ...options };
  const lr = opt.direction === 'LR';
  // Left-to-right is top-to-bottom with the axes swapped.
  const w = lr ? input.h : input.w;
  const h = lr ? input.w : input.h;
  const { n } = input;
  const g = layerNodes(input);
  const o = orderLayers(g, opt.orderIterations);
  const xs = assignX(g, o, w, opt.nodeGap, opt.coordIterations);

  // Layer bands: each as tall as its tallest node.
  const bandH = new Float64Array(g.layers);
  for (let v = 0; v < n; v++) bandH[g.layer[v]] = Math.max(bandH[g.layer[v]], h[v]);
  const bandTop = new Float64Array(g.layers + 1);
  for (let l = 0; l < g.layers; l++) bandTop[l + 1] = bandTop[l] + bandH[l] + opt.layerGap;
  let minX = Infinity, maxX = -Infinity;
  for (let v = 0; v < n; v++) { minX = Math.min(minX, xs[v] - w[v] / 2); maxX = Math.max(maxX, xs[v] + w[v] / 2); }
  for (let v = n; v < g.total; v++) { minX = Math.min(minX, xs[v]); maxX = Math.max(maxX, xs[v]); }
  if (n === 0) { minX = 0; maxX = 0; }
  const cx = new Float32Array(n);
  const cy = new Float32Array(n);
  for (let v = 0; v < n; v++) {
    cx[v] = xs[v] - minX;
    cy[v] = bandTop[g.layer[v]] + bandH[g.layer[v]] / 2;
  }
  const width = maxX - minX;
  const height = g.layers ? bandTop[g.layers] - opt.layerGap : 0;

  // Routes: source port, then each dummy as a vertical run through its band, then the target port.
  // Edges that share a dummy chain: only the longest walks the whole chain; the others start where
  // they leave it (otherwise a value read by every layer would cost O(layers²) points).
  const m = input.src.length;
  const longest = new Int32Array(n).fill(-1);
  for (let i = 0; i < m; i++) {
    if (g.reversed[i] !== 0 || g.edgeDummies[i] === 0) continue;
    const a = input.src[i];
    if (longest[a] < 0 || g.edgeDummies[i] > g.edgeDummies[longest[a]]) longest[a] = i;
  }
  const fromChain = new Uint8Array(m);
  for (let i = 0; i < m; i++) if (g.reversed[i] === 0 && g.edgeDummies[i] > 0 && longest[input.src[i]] !== i) fromChain[i] = 1;
  // A box shorter than its layer's band leaves (or is reached) straight down its own column to the
  // band's edge first: nothing else of its layer is in that column, while a diagonal from its port
  // would cut through the taller boxes beside it (a big open group next to a graph input).
  const short = (v: number) => h[v] < bandH[g.layer[v]] - 0.5;
  const upper = (i: number) => (g.reversed[i] === 1 ? input.dst[i] : input.src[i]);
  const lower = (i: number) => (g.reversed[i] === 1 ? input.src[i] : input.dst[i]);
  const edgeStart = new Int32Array(m + 1);
  for (let i = 0; i < m; i++) {
    const extra = g.reversed[i] < 0 ? 0 : (short(lower(i)) ? 1 : 0) + (!fromChain[i] && short(upper(i)) ? 1 : 0);
    edgeStart[i + 1] = edgeStart[i] + (g.reversed[i] < 0 ? 0 : fromChain[i] ? 2 : 2 + 2 * g.edgeDummies[i]) + extra;
  }
  const pts = new Float32Array(edgeStart[m] * 2);
  for (let i = 0; i < m; i++) {
    if (g.reversed[i] < 0) continue;
    const rev = g.reversed[i] === 1;
    const a = rev ? input.dst[i] : input.src[i];
    const b = rev ? input.src[i] : input.dst[i];
    let p = edgeStart[i] * 2;
    const put = (px: number, py: number) => { pts[p++] = px; pts[p++] = py; };
    const reach = () => {
      if (short(b)) put(cx[b], bandTop[g.layer[b]]);
      put(cx[b], cy[b] - h[b] / 2);
    };
    if (fromChain[i]) {
      const d = g.edgeDummy[i] + g.edgeDummies[i] - 1;
      put(xs[d] - minX, bandTop[g.layer[d]] + bandH[g.layer[d]] + opt.layerGap / 2);
      reach();
      continue;
    }
    put(cx[a], cy[a] + h[a] / 2);
    if (short(a)) put(cx[a], bandTop[g.layer[a]] + bandH[g.layer[a]]);
    for (let k = 0; k < g.edgeDummies[i]; k++) {
      const d = g.edgeDummy[i] + k;
      const l = g.layer[d];
      put(xs[d] - minX, bandTop[l] - opt.layerGap / 2);
      put(xs[d] - minX, bandTop[l] + bandH[l] + opt.layerGap / 2);
    }
    reach();
    // Edges that close a cycle are drawn from their real source: flip the point order.
    if (rev) reversePairs(pts, edgeStart[i] * 2, p);
  }
  if (lr) {
    for (let k = 0; k < pts.length; k += 2) { const t = pts[k]; pts[k] = pts[k + 1]; pts[k + 1] = t; }
    return { x: cy, y: cx, width: height, height: width, edgeStart, points: pts, fromChain, layer: g.layer.slice(0, n), layers: g.layers, dummies: g.total - n };
  }
  return { x: cx, y: cy, width, height, edgeStart, points: pts, fromChain, layer: g.layer.slice(0, n), layers: g.layers, dummies: g.total - n };
}

/** Reverses the (x, y) pairs of a[s, e) in place: a route drawn the other way round. */
export function reversePairs(a: { [i: number]: number }, s: number, e: number): void {
  for (let i = s, j = e - 2; i < j; i += 2, j -= 2) {
    const x = a[i], y = a[i + 1];
    a[i] = a[j]; a[i + 1] = a[j + 1];
    a[j] = x; a[j + 1] = y;
  }
}
