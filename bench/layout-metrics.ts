// Geometry of a finished drawing, the same for every layout engine it compares: how many times edge
// polylines cross, how long they are in all, and the size of the box around boxes and edges.
// Edges are polylines in one flat list: points (x,y pairs) of edge i are
// points[2*edgeStart[i] .. 2*edgeStart[i+1]) — the shape core/layout's Scene already has.

export interface Polylines {
  edgeStart: ArrayLike<number>;
  points: ArrayLike<number>;
}

/** Boxes by centre and size, plus the edges drawn between them. */
export interface Drawing extends Polylines {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  w: ArrayLike<number>;
  h: ArrayLike<number>;
}

export interface DrawingMetrics {
  crossings: number;
  length: number;
  width: number;
  height: number;
}

/** Sum of the lengths of every edge polyline's segments. */
export function edgeLength(d: Polylines): number {
  let total = 0;
  const n = d.edgeStart.length - 1;
  for (let e = 0; e < n; e++) {
    for (let p = d.edgeStart[e]; p < d.edgeStart[e + 1] - 1; p++) {
      total += Math.hypot(d.points[2 * p + 2] - d.points[2 * p], d.points[2 * p + 3] - d.points[2 * p + 1]);
    }
  }
  return total;
}

/** Width and height of the smallest axis-aligned box holding every box and every edge point. */
export function boundingBox(d: Drawing): { width: number; height: number } {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < d.x.length; i++) {
    x0 = Math.min(x0, d.x[i] - d.w[i] / 2); x1 = Math.max(x1, d.x[i] + d.w[i] / 2);
    y0 = Math.min(y0, d.y[i] - d.h[i] / 2); y1 = Math.max(y1, d.y[i] + d.h[i] / 2);
  }
  const m = d.edgeStart.length ? d.edgeStart[d.edgeStart.length - 1] : 0;
  for (let p = 0; p < m; p++) {
    x0 = Math.min(x0, d.points[2 * p]); x1 = Math.max(x1, d.points[2 * p]);
    y0 = Math.min(y0, d.points[2 * p + 1]); y1 = Math.max(y1, d.points[2 * p + 1]);
  }
  return x1 < x0 ? { width: 0, height: 0 } : { width: x1 - x0, height: y1 - y0 };
}

/**
 * Proper crossings between segments of different edges: the two segments' interiors meet in exactly
 * one point. Touching (a shared end, a bend on the other edge, an end on the other's interior) and
 * collinear overlap (edges sharing a route) are not crossings. Two edges that cross three times count 3.
 * Segments are bucketed in a uniform grid; each pair is tested only in the first grid cell both
 * segments' bounding boxes cover, so no pair is counted twice.
 */
export function edgeCrossings(d: Polylines): number {
  const n = d.edgeStart.length - 1;
  const sx0: number[] = [], sy0: number[] = [], sx1: number[] = [], sy1: number[] = [], edge: number[] = [];
  let span = 0;
  for (let e = 0; e < n; e++) {
    for (let p = d.edgeStart[e]; p < d.edgeStart[e + 1] - 1; p++) {
      const ax = d.points[2 * p], ay = d.points[2 * p + 1], bx = d.points[2 * p + 2], by = d.points[2 * p + 3];
      if (ax === bx && ay === by) continue;
      sx0.push(ax); sy0.push(ay); sx1.push(bx); sy1.push(by); edge.push(e);
      span += Math.max(Math.abs(bx - ax), Math.abs(by - ay));
    }
  }
  const S = edge.length;
  if (S < 2) return 0;
  const cell = Math.max(1, (2 * span) / S);
  let minX = Infinity, minY = Infinity;
  for (let s = 0; s < S; s++) { minX = Math.min(minX, sx0[s], sx1[s]); minY = Math.min(minY, sy0[s], sy1[s]); }
  const cx = (v: number) => Math.floor((v - minX) / cell);
  const cy = (v: number) => Math.floor((v - minY) / cell);
  const c0x = new Int32Array(S), c0y = new Int32Array(S), c1x = new Int32Array(S), c1y = new Int32Array(S);
  const grid = new Map<number, number[]>();
  const key = (i: number, j: number) => i * 4194304 + j;
  for (let s = 0; s < S; s++) {
    c0x[s] = cx(Math.min(sx0[s], sx1[s])); c1x[s] = cx(Math.max(sx0[s], sx1[s]));
    c0y[s] = cy(Math.min(sy0[s], sy1[s])); c1y[s] = cy(Math.max(sy0[s], sy1[s]));
    for (let i = c0x[s]; i <= c1x[s]; i++) {
      for (let j = c0y[s]; j <= c1y[s]; j++) {
        const k = key(i, j);
        let list = grid.get(k);
        if (!list) grid.set(k, (list = []));
        list.push(s);
      }
    }
  }
  let count = 0;
  for (const [k, list] of grid) {
    if (list.length < 2) continue;
    const i = Math.floor(k / 4194304), j = k - i * 4194304;
    for (let a = 0; a < list.length; a++) {
      const s = list[a];
      for (let b = a + 1; b < list.length; b++) {
        const t = list[b];
        if (edge[s] === edge[t]) continue;
        // Only in the lowest cell the two ranges share.
        if (Math.max(c0x[s], c0x[t]) !== i || Math.max(c0y[s], c0y[t]) !== j) continue;
        if (c1x[s] < c0x[t] || c1x[t] < c0x[s] || c1y[s] < c0y[t] || c1y[t] < c0y[s]) continue;
        if (properCrossing(sx0[s], sy0[s], sx1[s], sy1[s], sx0[t], sy0[t], sx1[t], sy1[t])) count++;
      }
    }
  }
  return count;
}

/** True when segments a and b cross at one point inside both (not at an end, not collinear). */
export function properCrossing(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const scale = Math.hypot(bx - ax, by - ay) * Math.hypot(dx - cx, dy - cy) * 1e-9;
  const side = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) => {
    const v = (qx - px) * (ry - py) - (qy - py) * (rx - px);
    return v > scale ? 1 : v < -scale ? -1 : 0;
  };
  const o1 = side(ax, ay, bx, by, cx, cy), o2 = side(ax, ay, bx, by, dx, dy);
  const o3 = side(cx, cy, dx, dy, ax, ay), o4 = side(cx, cy, dx, dy, bx, by);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

export function measureDrawing(d: Drawing): DrawingMetrics {
  return { crossings: edgeCrossings(d), length: edgeLength(d), ...boundingBox(d) };
}
