// The layout contract a drawn scene keeps, as checks that list every violation (empty: kept):
// edge ends on their boxes' borders, no box overlapping another, chains on one vertical line, no edge
// through a box. Shared by the graph-readable tests; also handy from a scratch script on a real model.
import type { Scene } from '../../src/core/layout/compound.js';
import type { Hierarchy } from '../../src/core/layout/hierarchy.js';
import { traceEdge } from '../../webview/graph/renderer.js';

export interface SceneContext { scene: Scene; hier: Hierarchy; leafCount: number; nodeCount: number }

const EPS = 0.51;

function parentOf(c: SceneContext, item: number): number {
  return item < c.leafCount ? c.hier.leafParent[item] : c.hier.groupParent[item - c.leafCount];
}

function ancestors(c: SceneContext, item: number): Set<number> {
  const out = new Set<number>();
  for (let g = parentOf(c, item); g >= 0; g = c.hier.groupParent[g]) out.add(c.leafCount + g);
  return out;
}

function indexOf(scene: Scene): Map<number, number> {
  const m = new Map<number, number>();
  scene.items.forEach((it, i) => m.set(it, i));
  return m;
}

/**
 * Top-to-bottom scenes: each edge ends on its target's top border and starts on its source's bottom
 * border (or on the shared run of another edge from the same source). An edge that runs upwards (it
 * closes a cycle: its target sits above its source) ends on the target's bottom and starts on the
 * source's top.
 */
export function edgeEndViolations(c: SceneContext): string[] {
  const { scene } = c;
  const at = indexOf(scene);
  const bad: string[] = [];
  const pointsOf = (e: number) => { const p: string[] = []; for (let k = scene.edgeStart[e]; k < scene.edgeStart[e + 1]; k++) p.push(`${scene.points[2 * k].toFixed(2)},${scene.points[2 * k + 1].toFixed(2)}`); return p; };
  const bySource = new Map<number, number[]>();
  for (let e = 0; e < scene.edgeA.length; e++) bySource.set(scene.edgeA[e], [...(bySource.get(scene.edgeA[e]) ?? []), e]);
  for (let e = 0; e < scene.edgeA.length; e++) {
    const a = at.get(scene.edgeA[e])!, b = at.get(scene.edgeB[e])!;
    const s = scene.edgeStart[e], t = scene.edgeStart[e + 1] - 1;
    const [sx, sy, tx, ty] = [scene.points[2 * s], scene.points[2 * s + 1], scene.points[2 * t], scene.points[2 * t + 1]];
    const up = scene.y[b] + scene.h[b] / 2 < scene.y[a] - scene.h[a] / 2;
    const side = up ? 'bottom' : 'top';
    const onTop = Math.abs(ty - (scene.y[b] + (up ? 1 : -1) * scene.h[b] / 2)) < EPS && Math.abs(tx - scene.x[b]) <= scene.w[b] / 2 + EPS;
    if (!onTop) bad.push(`edge ${e} ends at ${tx.toFixed(1)},${ty.toFixed(1)}, off the ${side} of item ${scene.edgeB[e]}`);
    const onBottom = Math.abs(sy - (scene.y[a] + (up ? -1 : 1) * scene.h[a] / 2)) < EPS && Math.abs(sx - scene.x[a]) <= scene.w[a] / 2 + EPS;
    if (onBottom) continue;
    const start = `${sx.toFixed(2)},${sy.toFixed(2)}`;
    const shared = (bySource.get(scene.edgeA[e]) ?? []).some((o) => o !== e && pointsOf(o).includes(start));
    if (!shared) bad.push(`edge ${e} starts at ${start}, off the ${up ? 'top' : 'bottom'} of item ${scene.edgeA[e]} and off any run from it`);
  }
  return bad;
}

/** Pairs of drawn boxes that overlap, an open group and what it holds excepted. */
export function overlapViolations(c: SceneContext): string[] {
  const { scene } = c;
  const bad: string[] = [];
  const n = scene.items.length;
  for (let i = 0; i < n; i++) {
    const up = ancestors(c, scene.items[i]);
    for (let j = i + 1; j < n; j++) {
      if (up.has(scene.items[j]) || ancestors(c, scene.items[j]).has(scene.items[i])) continue;
      const dx = Math.abs(scene.x[i] - scene.x[j]) - (scene.w[i] + scene.w[j]) / 2;
      const dy = Math.abs(scene.y[i] - scene.y[j]) - (scene.h[i] + scene.h[j]) / 2;
      if (dx < -EPS && dy < -EPS) bad.push(`items ${scene.items[i]} and ${scene.items[j]} overlap`);
    }
  }
  return bad;
}

/** Links of a chain (one edge out of a, one into b, both in one container) whose boxes are not on one vertical line. */
export function chainViolations(c: SceneContext): string[] {
  const { scene } = c;
  const at = indexOf(scene);
  const outs = new Map<number, number>(), ins = new Map<number, number>();
  for (let e = 0; e < scene.edgeA.length; e++) {
    outs.set(scene.edgeA[e], (outs.get(scene.edgeA[e]) ?? 0) + 1);
    ins.set(scene.edgeB[e], (ins.get(scene.edgeB[e]) ?? 0) + 1);
  }
  const isIo = (it: number) => it < c.leafCount && it >= c.nodeCount;
  const bad: string[] = [];
  for (let e = 0; e < scene.edgeA.length; e++) {
    const a = scene.edgeA[e], b = scene.edgeB[e];
    if (outs.get(a) !== 1 || ins.get(b) !== 1 || isIo(a) || isIo(b) || parentOf(c, a) !== parentOf(c, b)) continue;
    const d = Math.abs(scene.x[at.get(a)!] - scene.x[at.get(b)!]);
    if (d > 1) bad.push(`chain ${a} → ${b} is ${d.toFixed(1)} off vertical`);
  }
  return bad;
}

/** Edges whose drawn curve passes through a box (a leaf or a closed group) other than its own two ends. */
export function edgeThroughBoxViolations(c: SceneContext): string[] {
  const { scene } = c;
  const pts: [number, number][] = [];
  let last: [number, number] = [0, 0];
  const rec = {
    moveTo(x: number, y: number) { last = [x, y]; pts.push(last); },
    lineTo(x: number, y: number) { for (let k = 1; k <= 8; k++) pts.push([last[0] + ((x - last[0]) * k) / 8, last[1] + ((y - last[1]) * k) / 8]); last = [x, y]; },
    bezierCurveTo(ax: number, ay: number, bx: number, by: number, x: number, y: number) {
      const [x0, y0] = last;
      for (let k = 1; k <= 16; k++) {
        const t = k / 16, u = 1 - t;
        pts.push([u * u * u * x0 + 3 * u * u * t * ax + 3 * u * t * t * bx + t * t * t * x, u * u * u * y0 + 3 * u * u * t * ay + 3 * u * t * t * by + t * t * t * y]);
      }
      last = [x, y];
    },
  };
  const boxes: number[] = [];
  for (let i = 0; i < scene.items.length; i++) if (scene.kind[i] !== 2) boxes.push(i);
  const bad: string[] = [];
  for (let e = 0; e < scene.edgeA.length; e++) {
    pts.length = 0;
    traceEdge(rec, scene.points, scene.edgeStart[e], scene.edgeStart[e + 1], false);
    traceEdge(rec, scene.points, scene.edgeStart[e], scene.edgeStart[e + 1], false, true);
    for (const i of boxes) {
      const it = scene.items[i];
      if (it === scene.edgeA[e] || it === scene.edgeB[e]) continue;
      const hw = scene.w[i] / 2 - 2, hh = scene.h[i] / 2 - 2;
      if (pts.some(([x, y]) => Math.abs(x - scene.x[i]) < hw && Math.abs(y - scene.y[i]) < hh)) { bad.push(`edge ${scene.edgeA[e]} → ${scene.edgeB[e]} crosses item ${it}`); break; }
    }
  }
  return bad;
}
