// Layout of a graph with collapsible groups: every open group is laid out on its own (its children
// are leaves and closed or open child groups), innermost first, and cached. Opening or closing a
// group re-lays out that group and its ancestors only; everything else comes from the cache.
import type { Hierarchy } from './hierarchy.js';
import { layoutDag, reversePairs } from './layout-dag.js';
import { defaultDagOptions, type DagLayout } from './types.js';

export interface CompoundInput {
  hierarchy: Hierarchy;
  leafW: Float32Array;
  leafH: Float32Array;
  edgeSrc: Int32Array;
  edgeDst: Int32Array;
  /** Size of a closed group's box. */
  groupW: Float32Array;
  groupH: Float32Array;
  /** 1 for leaves not drawn (constants folded into their consumers); their edges are dropped. */
  hidden?: Uint8Array;
}

/** What the renderer draws. Item ids: leaf i is i, group g is leafCount + g. */
export interface Scene {
  items: Int32Array;
  /** Centre and size of each item, parallel to `items`. */
  x: Float32Array;
  y: Float32Array;
  w: Float32Array;
  h: Float32Array;
  /** 0 leaf, 1 closed group, 2 open group. */
  kind: Uint8Array;
  /** Drawn edges between visible items, each standing for `edgeCount` model edges, the first being `edgeFirst`. */
  edgeA: Int32Array;
  edgeB: Int32Array;
  edgeFirst: Int32Array;
  edgeCount: Int32Array;
  edgeStart: Int32Array;
  points: Float32Array;
  width: number;
  height: number;
  /** Groups laid out afresh for this scene (the rest came from the cache). */
  relaid: number;
}

const PAD = 14;
const HEADER = 22;
/** The layer gap layoutDag uses by default (the channel bends halfway into it). */
const LAYER_GAP = defaultDagOptions.layerGap;

interface Cached { signature: number; layout: DagLayout; children: Int32Array; w: number; h: number; edgeA: Int32Array; edgeB: Int32Array; pairs: Map<number, number> }

/** Holds the per-group layout cache between calls; one per open model. */
export class CompoundLayout {
  private cache = new Map<number, Cached>();
  private direction: 'TB' | 'LR' = 'TB';
  constructor(private readonly input: CompoundInput) {}

  /** Lays out what `expanded` makes visible; reuses every group whose content did not change. */
  layout(expanded: Uint8Array, direction: 'TB' | 'LR'): Scene {
    if (direction !== this.direction) { this.cache.clear(); this.direction = direction; }
    const { hierarchy: h, leafW, leafH, edgeSrc, edgeDst, groupW, groupH } = this.input;
    const L = h.leafParent.length;
    const G = h.groupCount;
    // Closed ancestor that hides each group (-1: none), parents first (ids are parents-first).
    const hidden = new Int32Array(G);
    for (let g = 0; g < G; g++) {
      const p = h.groupParent[g];
      hidden[g] = p >= 0 && (hidden[p] >= 0 || !expanded[p]) ? (hidden[p] >= 0 ? hidden[p] : p) : -1;
    }
    const visOf = (leaf: number) => {
      const p = h.leafParent[leaf];
      if (p < 0) return leaf;
      if (hidden[p] >= 0) return L + hidden[p];
      return expanded[p] ? leaf : L + p;
    };
    const parentOf = (item: number) => (item < L ? h.leafParent[item] : h.groupParent[item - L]);
    const depthOf = (item: number) => (item < L ? (h.leafParent[item] < 0 ? 0 : h.groupDepth[h.leafParent[item]] + 1) : h.groupDepth[item - L]);

    // Children of each open container (-1 = top level is container index G).
    const kids: number[][] = Array.from({ length: G + 1 }, () => []);
    const hiddenLeaf = this.input.hidden;
    for (let i = 0; i < L; i++) {
      if (hiddenLeaf?.[i]) continue;
      const p = h.leafParent[i];
      if (p < 0) kids[G].push(i);
      else if (hidden[p] < 0 && expanded[p]) kids[p].push(i);
    }
    for (let g = 0; g < G; g++) {
      const p = h.groupParent[g];
      if (hidden[g] >= 0) continue;
      if (p < 0) kids[G].push(L + g);
      else kids[p].push(L + g);
    }
    // Bucket every model edge by the container holding both ends' visible items.
    const M = edgeSrc.length;
    const edgeContainer = new Int32Array(M).fill(-1);
    const edgeA = new Int32Array(M);
    const edgeB = new Int32Array(M);
    const edgeVisA = new Int32Array(M);
    const edgeVisB = new Int32Array(M);
    for (let e = 0; e < M; e++) {
      if (hiddenLeaf && (hiddenLeaf[edgeSrc[e]] || hiddenLeaf[edgeDst[e]])) continue;
      let a = visOf(edgeSrc[e]);
      let b = visOf(edgeDst[e]);
      if (a === b) continue;
      edgeVisA[e] = a; edgeVisB[e] = b;
      let da = depthOf(a), db = depthOf(b);
      while (da > db) { a = L + parentOf(a); da--; }
      while (db > da) { b = L + parentOf(b); db--; }
      while (parentOf(a) !== parentOf(b)) { a = L + parentOf(a); b = L + parentOf(b); }
      if (a === b) continue;
      const c = parentOf(a);
      edgeContainer[e] = c < 0 ? G : c;
      edgeA[e] = a; edgeB[e] = b;
    }
    // Edges by container as one compressed list (arrays of arrays would churn the collector).
    const bcStart = new Int32Array(G + 2);
    for (let e = 0; e < M; e++) if (edgeContainer[e] >= 0) bcStart[edgeContainer[e] + 1]++;
    for (let c = 0; c <= G; c++) bcStart[c + 1] += bcStart[c];
    const bcFill = bcStart.slice(0, G + 1);
    const bcEdges = new Int32Array(bcStart[G + 1]);
    for (let e = 0; e < M; e++) if (edgeContainer[e] >= 0) bcEdges[bcFill[edgeContainer[e]]++] = e;
    const byContainer = { start: bcStart, edges: bcEdges };

    // Open containers, innermost first.
    const open: number[] = [];
    for (let g = 0; g < G; g++) if (hidden[g] < 0 && expanded[g]) open.push(g);
    open.sort((p, q) => h.groupDepth[q] - h.groupDepth[p]);
    open.push(G);
    const size = (item: number): [number, number] => {
      if (item < L) return [leafW[item], leafH[item]];
      const g = item - L;
      if (!expanded[g]) return [groupW[g], groupH[g]];
      const c = this.cache.get(g)!;
      return [c.w, c.h];
    };
    let relaid = 0;
    const seen = new Set<number>();
    // Each visible item sits in exactly one container: its index there, for all containers at once.
    const localIdx = new Int32Array(L + G);
    for (const c of open) { const list = kids[c]; for (let i = 0; i < list.length; i++) localIdx[list[i]] = i; }
    for (const c of open) {
      seen.add(c);
      const children = Int32Array.from(kids[c]);
      const pairs = new Map<number, number>();
      const ea: number[] = [], eb: number[] = [];
      for (let q = byContainer.start[c]; q < byContainer.start[c + 1]; q++) {
        const e = byContainer.edges[q];
        const la = localIdx[edgeA[e]], lb = localIdx[edgeB[e]];
        const k = la * children.length + lb;
        if (!pairs.has(k)) { pairs.set(k, ea.length); ea.push(la); eb.push(lb); }
      }
      const w = new Float32Array(children.length);
      const hh = new Float32Array(children.length);
      let sig = 2166136261 ^ children.length;
      const mix = (v: number) => { sig = Math.imul(sig ^ (v | 0), 16777619); };
      for (let i = 0; i < children.length; i++) {
        [w[i], hh[i]] = size(children[i]);
        mix(children[i]); mix(w[i] * 8); mix(hh[i] * 8);
      }
      for (let i = 0; i < ea.length; i++) { mix(ea[i]); mix(eb[i]); }
      const prev = this.cache.get(c);
      if (prev && prev.signature === sig) continue;
      relaid++;
      const lay = layoutDag({ n: children.length, w, h: hh, src: Int32Array.from(ea), dst: Int32Array.from(eb) }, { direction, ...iterationsFor(children.length) });
      const top = c === G;
      this.cache.set(c, {
        signature: sig, layout: lay, children, edgeA: Int32Array.from(ea), edgeB: Int32Array.from(eb), pairs,
        w: top ? lay.width : Math.max(lay.width + 2 * PAD, h.groupLabel[c].length * 7 + 2 * PAD),
        h: top ? lay.height : lay.height + PAD + HEADER,
      });
    }
    for (const k of [...this.cache.keys()]) if (!seen.has(k)) this.cache.delete(k);
    return this.assemble(expanded, byContainer, edgeVisA, edgeVisB, localIdx, relaid);
  }

  private assemble(expanded: Uint8Array, byContainer: { start: Int32Array; edges: Int32Array },
    edgeVisA: Int32Array, edgeVisB: Int32Array, localIdx: Int32Array, relaid: number): Scene {
    const { hierarchy: h, leafW, leafH, groupW, groupH } = this.input;
    const L = h.leafParent.length;
    const G = h.groupCount;
    const items: number[] = [], xs: number[] = [], ys: number[] = [], ws: number[] = [], hs: number[] = [], kinds: number[] = [];
    const where = new Int32Array(L + G).fill(-1);
    // Content origin of each open container; top level at 0,0. Walk parents first.
    const originX = new Float64Array(G + 1), originY = new Float64Array(G + 1);
    const stack = [G];
    while (stack.length) {
      const c = stack.pop()!;
      const cached = this.cache.get(c)!;
      const lay = cached.layout;
      for (let i = 0; i < cached.children.length; i++) {
        const it = cached.children[i];
        const cx = originX[c] + lay.x[i], cy = originY[c] + lay.y[i];
        let w: number, hh: number, kind: number;
        if (it < L) { w = leafW[it]; hh = leafH[it]; kind = 0; }
        else if (!expanded[it - L]) { w = groupW[it - L]; hh = groupH[it - L]; kind = 1; }
        else {
          const sub = this.cache.get(it - L)!;
          w = sub.w; hh = sub.h; kind = 2;
          originX[it - L] = cx - w / 2 + PAD + (w - 2 * PAD - sub.layout.width) / 2;
          originY[it - L] = cy - hh / 2 + HEADER;
          stack.push(it - L);
        }
        where[it] = items.length;
        items.push(it); xs.push(cx); ys.push(cy); ws.push(w); hs.push(hh); kinds.push(kind);
      }
    }
    // Drawn edges: one per pair of visible items, routed by the container that holds both.
    const lr = this.direction === 'LR';
    const drawn = new Map<number, number>();
    const span = L + G;
    const eA: number[] = [], eB: number[] = [], eFirst: number[] = [], eCount: number[] = [], eStart: number[] = [0], pts: number[] = [];
    // An edge into (or out of) an open group runs down a channel inside the group's frame, beside its
    // content, to the band above (below) the item it reaches: a straight line from the frame's port
    // would cross the group's other boxes. Main axis: y top-down, x left-right.
    const bands = new Map<number, { lo: Float64Array; hi: Float64Array }>();
    const bandOf = (g: number) => {
      let b = bands.get(g);
      if (b) return b;
      const cached = this.cache.get(g)!;
      b = { lo: new Float64Array(cached.layout.layers).fill(Infinity), hi: new Float64Array(cached.layout.layers).fill(-Infinity) };
      for (let i = 0; i < cached.children.length; i++) {
        const w = where[cached.children[i]], l = cached.layout.layer[i];
        const m = lr ? xs[w] : ys[w], ext = lr ? ws[w] : hs[w];
        b.lo[l] = Math.min(b.lo[l], m - ext / 2);
        b.hi[l] = Math.max(b.hi[l], m + ext / 2);
      }
      bands.set(g, b);
      return b;
    };
    const put = (main: number, cross: number) => { if (lr) pts.push(main, cross); else pts.push(cross, main); };
    /**
     * Where on its box a leaf inside an open group takes an edge that runs down the group's channel
     * (entering: it comes in from a channel beside the content; leaving: it goes out to one): the
     * box's side nearest that channel, so the run in from the channel ends before the box's centre,
     * where the edges from above arrive, instead of crossing them. NaN: the centre (no channel).
     */
    const channelPort = (leaf: number, entering: boolean): number => {
      const p = parentOf(h, L, leaf);
      if (p < 0) return NaN;
      const cached = this.cache.get(p)!;
      const layer = cached.layout.layer[localIdx[leaf]];
      if (layer === (entering ? 0 : cached.layout.layers - 1)) return NaN;
      const ig = where[L + p], ii = where[leaf];
      const ic = lr ? ys[ii] : xs[ii], ext = lr ? hs[ii] : ws[ii];
      const gc = lr ? ys[ig] : xs[ig];
      const inset = Math.min(8, ext / 4);
      return ic < gc ? ic - ext / 2 + inset : ic + ext / 2 - inset;
    };
    /** Points from outer group `outer`'s port to the item `leaf` inside it (entering), or back (leaving). */
    const passGroups = (leaf: number, outer: number, entering: boolean) => {
      const path: number[] = [];
      for (let it = leaf; it !== outer; it = L + parentOf(h, L, it)) path.push(it);
      path.push(outer);
      // path: leaf, its group, …, outer. Each step crosses one frame, from path[k+1] to path[k].
      const steps: number[][] = [];
      for (let k = path.length - 2; k >= 0; k--) {
        const g = path[k + 1] - L, inner = path[k];
        const ig = where[path[k + 1]], ii = where[inner];
        const cached = this.cache.get(g)!;
        const layer = cached.layout.layer[localIdx[inner]];
        const gm = lr ? xs[ig] : ys[ig], gExt = lr ? ws[ig] : hs[ig];
        const out: number[] = [];
        const edgeLayer = entering ? 0 : cached.layout.layers - 1;
        const ic = lr ? ys[ii] : xs[ii];
        const band = bandOf(g);
        // Beside the item's band, in the layer gap, then straight along its own column (nothing
        // else of its layer is in that column): no box is crossed.
        const near = entering ? band.lo[layer] - LAYER_GAP / 2 : band.hi[layer] + LAYER_GAP / 2;
        const frame = entering ? gm - gExt / 2 + (lr ? PAD / 2 : HEADER / 2) : gm + gExt / 2 - PAD / 2;
        if (layer === edgeLayer) out.push(entering ? Math.max(near, frame) : Math.min(near, frame), ic);
        else {
          const gc = lr ? ys[ig] : xs[ig], cExt = lr ? hs[ig] : ws[ig];
          const ch = ic < gc ? (lr ? gc - cExt / 2 + HEADER - 4 : gc - cExt / 2 + PAD / 2) : gc + cExt / 2 - PAD / 2;
          const port = k === 0 ? channelPort(inner, entering) : NaN;
          const at = Number.isNaN(port) ? ic : port;
          if (entering) out.push(frame, ch, near, ch, near, at); else out.push(near, at, near, ch, frame, ch);
        }
        // The inner item's port, when it is a group in turn (the leaf's own port is the caller's).
        if (k > 0) {
          const im = lr ? xs[ii] : ys[ii], iExt = lr ? ws[ii] : hs[ii];
          if (entering) out.push(im - iExt / 2, ic); else out.unshift(im + iExt / 2, ic);
        }
        steps.push(out);
      }
      // Leaving walks the frames inside out; each step's points already run in drawing order.
      const order = entering ? steps : steps.reverse();
      const o = where[outer];
      const om = lr ? xs[o] : ys[o], oExt = lr ? ws[o] : hs[o], oc = lr ? ys[o] : xs[o];
      // The outer frame's own port: where the container's route ends (entering) or starts (leaving).
      if (entering) put(om - oExt / 2, oc);
      for (const st of order) for (let q = 0; q < st.length; q += 2) put(st[q], st[q + 1]);
      if (!entering) put(om + oExt / 2, oc);
    };
    // Per container, the routes that walk a whole dummy chain, by local source (built when first asked).
    const walkers = new Map<number, Map<number, number[]>>();
    /** The route from local item `src` of container `c` that walks the chain through (bx, by); -1 if none. */
    const chainOf = (c: number, cached: Cached, src: number, bx: number, by: number): number => {
      let bySrc = walkers.get(c);
      if (!bySrc) {
        bySrc = new Map();
        const lay = cached.layout;
        for (let q = 0; q < cached.edgeA.length; q++) {
          if (lay.fromChain[q] || lay.edgeStart[q + 1] - lay.edgeStart[q] <= 2) continue;
          const list = bySrc.get(cached.edgeA[q]);
          if (list) list.push(q); else bySrc.set(cached.edgeA[q], [q]);
        }
        walkers.set(c, bySrc);
      }
      const lay = cached.layout;
      for (const q of bySrc.get(src) ?? []) {
        for (let p = lay.edgeStart[q]; p < lay.edgeStart[q + 1]; p++) if (lay.points[2 * p] === bx && lay.points[2 * p + 1] === by) return q;
      }
      return -1;
    };
    for (let c = 0; c <= G; c++) {
      const cached = this.cache.get(c);
      if (!cached) continue;
      const lay = cached.layout;
      for (let q = byContainer.start[c]; q < byContainer.start[c + 1]; q++) {
        const e = byContainer.edges[q];
        const a = edgeVisA[e], b = edgeVisB[e];
        const k = a * span + b;
        const d = drawn.get(k);
        if (d !== undefined) { eCount[d]++; continue; }
        drawn.set(k, eA.length);
        eA.push(a); eB.push(b); eFirst.push(e); eCount.push(1);
        const ia = where[a], ib = where[b];
        // Find the container-level route between the children that hold a and b.
        let A = a, B = b;
        while (parentOf(h, L, A) !== (c === G ? -1 : c)) A = L + parentOf(h, L, A);
        while (parentOf(h, L, B) !== (c === G ? -1 : c)) B = L + parentOf(h, L, B);
        const r = cached.pairs.get(localIdx[A] * cached.children.length + localIdx[B]);
        // A box's top (head) or bottom (tail) port, at its centre or at `cross` when given.
        const head = (i: number, cross = NaN) => { const c = Number.isNaN(cross) ? (lr ? ys[i] : xs[i]) : cross; pts.push(lr ? xs[i] - ws[i] / 2 : c, lr ? c : ys[i] - hs[i] / 2); };
        const tail = (i: number, cross = NaN) => { const c = Number.isNaN(cross) ? (lr ? ys[i] : xs[i]) : cross; pts.push(lr ? xs[i] + ws[i] / 2 : c, lr ? c : ys[i] + hs[i] / 2); };
        const interior = () => {
          if (r === undefined) return;
          for (let p = lay.edgeStart[r] + (lay.fromChain[r] ? 0 : 1); p < lay.edgeStart[r + 1] - 1; p++) pts.push(originX[c] + lay.points[2 * p], originY[c] + lay.points[2 * p + 1]);
        };
        if (r !== undefined && lay.layer[localIdx[A]] > lay.layer[localIdx[B]]) {
          // An edge that closes a cycle (a group feeds a node above it that feeds the group back) runs
          // upwards: out of its source's top, through the frames' tops, along its route, into the
          // target's bottom. Leaving by the bottom would draw it straight up across both boxes.
          head(ia, A !== a ? channelPort(a, true) : NaN);
          let mark = pts.length;
          if (A !== a) { passGroups(a, A, true); reversePairs(pts, mark, pts.length); }
          interior();
          mark = pts.length;
          if (B !== b) { passGroups(b, B, false); reversePairs(pts, mark, pts.length); }
          tail(ib, B !== b ? channelPort(b, false) : NaN);
          eStart.push(pts.length / 2);
          continue;
        }
        // A route that leaves a shared chain starts on the chain, not at the source's port, when the
        // source itself walks the chain. From a leaf inside a group, the chain is another leaf's: this
        // edge leaves its own frame, then follows the chain to where it branches off.
        if (r === undefined || !lay.fromChain[r]) {
          tail(ia, A !== a ? channelPort(a, false) : NaN);
          if (A !== a) passGroups(a, A, false);
        } else if (A !== a) {
          tail(ia, channelPort(a, false));
          passGroups(a, A, false);
          const full = chainOf(c, cached, localIdx[A], lay.points[2 * lay.edgeStart[r]], lay.points[2 * lay.edgeStart[r] + 1]);
          if (full >= 0) {
            const bx = lay.points[2 * lay.edgeStart[r]], by = lay.points[2 * lay.edgeStart[r] + 1];
            for (let p = lay.edgeStart[full] + 1; p < lay.edgeStart[full + 1] - 1; p++) {
              if (lay.points[2 * p] === bx && lay.points[2 * p + 1] === by) break;
              pts.push(originX[c] + lay.points[2 * p], originY[c] + lay.points[2 * p + 1]);
            }
          }
        }
        interior();
        if (B !== b) passGroups(b, B, true);
        head(ib, B !== b ? channelPort(b, true) : NaN);
        eStart.push(pts.length / 2);
      }
    }
    const top = this.cache.get(G)!;
    return {
      items: Int32Array.from(items), x: Float32Array.from(xs), y: Float32Array.from(ys), w: Float32Array.from(ws), h: Float32Array.from(hs),
      kind: Uint8Array.from(kinds), edgeA: Int32Array.from(eA), edgeB: Int32Array.from(eB), edgeFirst: Int32Array.from(eFirst),
      edgeCount: Int32Array.from(eCount), edgeStart: Int32Array.from(eStart), points: Float32Array.from(pts),
      width: top.w, height: top.h, relaid,
    };
  }
}

function parentOf(h: Hierarchy, L: number, item: number): number {
  return item < L ? h.leafParent[item] : h.groupParent[item - L];
}

/** Fewer sweeps on huge flat graphs: the layout stays within its time budget, the picture barely changes. */
export function iterationsFor(n: number): { orderIterations: number; coordIterations: number } {
  if (n > 30000) return { orderIterations: 2, coordIterations: 3 };
  if (n > 8000) return { orderIterations: 3, coordIterations: 4 };
  return { orderIterations: 4, coordIterations: 6 };
}
