// The layout bench's drawing metrics (bench/layout-metrics.ts): crossings counted geometrically,
// edge length, and the drawing's bounding box, on drawings small enough to count by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundingBox, edgeCrossings, edgeLength, properCrossing, type Polylines } from '../../bench/layout-metrics.js';

/** Polylines from lists of points: [[x,y], [x,y], ...] per edge. */
function lines(...edges: [number, number][][]): Polylines {
  const edgeStart = [0];
  const points: number[] = [];
  for (const e of edges) { for (const [x, y] of e) points.push(x, y); edgeStart.push(points.length / 2); }
  return { edgeStart, points };
}

test('two segments that cross in an X count one crossing', () => {
  assert.equal(edgeCrossings(lines([[0, 0], [10, 10]], [[0, 10], [10, 0]])), 1);
});

test('parallel, disjoint and collinear overlapping segments do not cross', () => {
  assert.equal(edgeCrossings(lines([[0, 0], [10, 10]], [[1, 0], [11, 10]])), 0);
  assert.equal(edgeCrossings(lines([[0, 0], [0, 10]], [[5, 0], [5, 10]])), 0);
  assert.equal(edgeCrossings(lines([[0, 0], [10, 0]], [[20, -5], [20, 5]])), 0);
  // Two edges sharing a route (one dummy chain) overlap but never cross.
  assert.equal(edgeCrossings(lines([[0, 0], [0, 20]], [[0, 5], [0, 30]])), 0);
});

test('touching is not crossing: a shared end, or an end on the other edge', () => {
  // Fan-out from one port.
  assert.equal(edgeCrossings(lines([[5, 0], [0, 10]], [[5, 0], [10, 10]])), 0);
  // T: one edge ends on the other's interior.
  assert.equal(edgeCrossings(lines([[0, 0], [10, 0]], [[5, 0], [5, 10]])), 0);
});

test('every crossing of two polylines counts, not one per pair of edges', () => {
  const zigzag: [number, number][] = [[0, -5], [10, 5], [20, -5], [30, 5]];
  assert.equal(edgeCrossings(lines(zigzag, [[-1, 0], [31, 0]])), 3);
  // A polyline never crosses itself as far as the metric goes.
  assert.equal(edgeCrossings(lines([[0, 0], [10, 10], [10, 0], [0, 10]])), 0);
});

test('the grid count equals the count over every pair of segments', () => {
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let round = 0; round < 20; round++) {
    const edges: [number, number][][] = [];
    // Integer coordinates on a small grid: many shared points, collinear runs and crossings on cell borders.
    const short = round % 2 === 0;
    for (let e = 0; e < 40; e++) {
      const pts: [number, number][] = [];
      let x = Math.floor(rnd() * 60), y = Math.floor(rnd() * 60);
      pts.push([x, y]);
      for (let k = 0, m = 1 + Math.floor(rnd() * 3); k < m; k++) {
        x = short ? x + Math.floor(rnd() * 9) - 4 : Math.floor(rnd() * 60);
        y = short ? y + Math.floor(rnd() * 9) - 4 : Math.floor(rnd() * 60);
        pts.push([x, y]);
      }
      edges.push(pts);
    }
    let brute = 0;
    for (let a = 0; a < edges.length; a++) {
      for (let b = a + 1; b < edges.length; b++) {
        for (let i = 0; i + 1 < edges[a].length; i++) {
          for (let j = 0; j + 1 < edges[b].length; j++) {
            const [p, q] = [edges[a][i], edges[a][i + 1]], [r, s] = [edges[b][j], edges[b][j + 1]];
            if (properCrossing(p[0], p[1], q[0], q[1], r[0], r[1], s[0], s[1])) brute++;
          }
        }
      }
    }
    assert.ok(brute > 0, 'the random drawing has crossings to count');
    assert.equal(edgeCrossings(lines(...edges)), brute, `round ${round}`);
  }
});

test('edge length sums every segment of every polyline', () => {
  assert.equal(edgeLength(lines([[0, 0], [3, 4]])), 5);
  assert.equal(edgeLength(lines([[0, 0], [3, 4], [3, 10]], [[1, 1], [1, 1]], [[0, 0], [0, -2]])), 5 + 6 + 0 + 2);
  assert.equal(edgeLength(lines()), 0);
});

test('the bounding box holds every box and every edge point', () => {
  const d = { x: [0, 100], y: [0, 50], w: [20, 40], h: [10, 30], ...lines([[0, 5], [-30, 200]]) };
  // x from -30 (edge bend) to 120 (box 2's right side); y from -5 (box 1's top) to 200 (edge end).
  assert.deepEqual(boundingBox(d), { width: 150, height: 205 });
  assert.deepEqual(boundingBox({ x: [], y: [], w: [], h: [], ...lines() }), { width: 0, height: 0 });
});
