// Canvas 2D drawing of a scene with level of detail: at a glance boxes in their family's colour,
// closer in the op type, closer still attributes, weights and edge shapes. One path per colour and
// per edge style, and only what the viewport shows, so 10k visible nodes stay within a frame.
import { FONT, typeLabel } from '../../src/core/layout/node-text.js';
import { CATEGORIES, type SceneState } from './scene-state.js';
import type { GraphTheme } from './theme.js';
import { measuredKind, measuredLabel } from './measured-shapes.js';

/** Zoom levels where detail appears. */
export const LOD = { title: 0.32, detail: 0.6, edgeLabels: 0.85 };

export interface DrawStats { nodes: number; edges: number; ms: number }

export function drawScene(ctx: CanvasRenderingContext2D, st: SceneState, theme: GraphTheme, cssW: number, cssH: number, dpr: number): DrawStats {
  const t0 = performance.now();
  const { scene, camera: cam } = st;
  const L = st.model.leafCount;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, cssW, cssH);
  ctx.setTransform(dpr * cam.s, 0, 0, dpr * cam.s, dpr * cam.tx, dpr * cam.ty);
  const wx0 = -cam.tx / cam.s, wy0 = -cam.ty / cam.s;
  const wx1 = wx0 + cssW / cam.s, wy1 = wy0 + cssH / cam.s;
  const px = 1 / cam.s;
  const n = scene.items.length;
  const inView = (i: number) => {
    const hw = scene.w[i] / 2, hh = scene.h[i] / 2;
    return scene.x[i] + hw >= wx0 && scene.x[i] - hw <= wx1 && scene.y[i] + hh >= wy0 && scene.y[i] - hh <= wy1;
  };
  const visible: number[] = [];
  for (let i = 0; i < n; i++) if (inView(i)) visible.push(i);

  // Open groups first (outermost first: they were emitted parents first), as frames behind the rest.
  ctx.lineWidth = px;
  for (const i of visible) {
    if (scene.kind[i] !== 2) continue;
    const x = scene.x[i] - scene.w[i] / 2, y = scene.y[i] - scene.h[i] / 2;
    ctx.globalAlpha = 0.5;
    ctx.fillStyle = theme.groupFill;
    ctx.fillRect(x, y, scene.w[i], scene.h[i]);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = theme.groupBorder;
    ctx.strokeRect(x, y, scene.w[i], scene.h[i]);
    if (cam.s >= LOD.title * 0.7) {
      ctx.fillStyle = theme.muted;
      ctx.font = `11px ${theme.fontFamily}`;
      ctx.textBaseline = 'middle';
      ctx.fillText(`▾ ${st.hier.groupLabel[scene.items[i] - L]}`, x + 6, y + 11, scene.w[i] - 12);
    }
  }

  // Edges: one stroke for all, then the selection's edges on top.
  const lr = st.direction === 'LR';
  const E = scene.edgeA.length;
  let edges = 0;
  const sel = st.selected;
  const curved = cam.s >= LOD.title * 0.5;
  ctx.beginPath();
  const selEdges: number[] = [];
  for (let e = 0; e < E; e++) {
    const b = e * 4;
    if (st.edgeBox[b + 2] < wx0 || st.edgeBox[b] > wx1 || st.edgeBox[b + 3] < wy0 || st.edgeBox[b + 1] > wy1) continue;
    if (sel >= 0 && (scene.edgeA[e] === sel || scene.edgeB[e] === sel)) selEdges.push(e);
    traceEdge(ctx, scene.points, scene.edgeStart[e], scene.edgeStart[e + 1], lr, curved);
    edges++;
  }
  ctx.strokeStyle = theme.edge;
  ctx.lineWidth = curved ? Math.max(px, 1.1) : px;
  ctx.stroke();
  if (selEdges.length) {
    ctx.beginPath();
    for (const e of selEdges) traceEdge(ctx, scene.points, scene.edgeStart[e], scene.edgeStart[e + 1], lr, curved);
    ctx.strokeStyle = theme.focus;
    ctx.lineWidth = Math.max(2 * px, 2);
    ctx.stroke();
  }
  if (cam.s >= LOD.title) drawArrowheads(ctx, st, theme, wx0, wy0, wx1, wy1);

  // Boxes of leaves and closed groups, batched by fill colour.
  const detailed = cam.s >= LOD.title;
  const byCat: number[][] = CATEGORIES.map(() => []);
  const overlaid: number[] = [];
  for (const i of visible) {
    if (scene.kind[i] === 2) continue;
    if (st.overlayFill && st.overlayFill[i]) overlaid.push(i);
    else byCat[st.itemCat[i]].push(i);
  }
  const rect = (i: number) => ctx.rect(scene.x[i] - scene.w[i] / 2, scene.y[i] - scene.h[i] / 2, scene.w[i], scene.h[i]);
  if (detailed) {
    ctx.beginPath();
    for (const list of byCat) for (const i of list) rect(i);
    ctx.fillStyle = theme.nodeFill;
    ctx.fill();
    ctx.lineWidth = px;
    ctx.strokeStyle = theme.nodeBorder;
    ctx.stroke();
  }
  byCat.forEach((list, c) => {
    if (!list.length) return;
    ctx.beginPath();
    if (detailed) for (const i of list) {
      const top = scene.y[i] - scene.h[i] / 2;
      if (scene.kind[i] === 1) ctx.rect(scene.x[i] - scene.w[i] / 2, top, 4, scene.h[i]);
      else ctx.rect(scene.x[i] - scene.w[i] / 2, top, scene.w[i], FONT.titleHeight);
    } else for (const i of list) rect(i);
    ctx.fillStyle = theme.category[CATEGORIES[c]];
    ctx.globalAlpha = detailed ? 0.35 : 0.8;
    ctx.fill();
    ctx.globalAlpha = 1;
  });
  for (const i of overlaid) {
    ctx.fillStyle = st.overlayFill![i]!;
    ctx.fillRect(scene.x[i] - scene.w[i] / 2, scene.y[i] - scene.h[i] / 2, scene.w[i], scene.h[i]);
  }
  if (detailed) drawTexts(ctx, st, theme, visible);
  // Found and selected on top, as outlines thick enough to see at any zoom.
  if (st.found.size) {
    ctx.beginPath();
    for (const it of st.found) { const i = st.itemIndex[it]; if (i >= 0) rect(i); }
    ctx.strokeStyle = theme.find;
    ctx.lineWidth = Math.max(2 * px, 2);
    ctx.stroke();
  }
  if (sel >= 0 && st.itemIndex[sel] >= 0) {
    const i = st.itemIndex[sel];
    ctx.beginPath();
    const pad = 3 * px;
    ctx.rect(scene.x[i] - scene.w[i] / 2 - pad, scene.y[i] - scene.h[i] / 2 - pad, scene.w[i] + 2 * pad, scene.h[i] + 2 * pad);
    ctx.strokeStyle = theme.focus;
    ctx.lineWidth = Math.max(2.5 * px, 2.5);
    ctx.stroke();
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return { nodes: visible.length, edges, ms: performance.now() - t0 };
}

/** Source port → (vertical runs through dummy bands) → target port, with S-curves at both ends. */
export function traceEdge(ctx: { moveTo(x: number, y: number): void; lineTo(x: number, y: number): void; bezierCurveTo(a: number, b: number, c: number, d: number, e: number, f: number): void },
  pts: Float32Array, s: number, e: number, lr: boolean, curved = true): void {
  if (e - s < 2) return;
  ctx.moveTo(pts[2 * s], pts[2 * s + 1]);
  // Zoomed out, curves are invisible and cost the rasterizer far more than lines.
  if (!curved) { for (let p = s + 1; p < e; p++) ctx.lineTo(pts[2 * p], pts[2 * p + 1]); return; }
  for (let p = s + 1; p < e; p++) {
    const x0 = pts[2 * p - 2], y0 = pts[2 * p - 1], x1 = pts[2 * p], y1 = pts[2 * p + 1];
    // Inside a dummy run (both points at one cross position) the edge is straight.
    if ((lr ? y0 === y1 : x0 === x1) && p > s + 1 && p < e - 1) { ctx.lineTo(x1, y1); continue; }
    if (lr) { const m = (x1 - x0) / 2; ctx.bezierCurveTo(x0 + m, y0, x1 - m, y1, x1, y1); }
    else { const m = (y1 - y0) / 2; ctx.bezierCurveTo(x0, y0 + m, x1, y1 - m, x1, y1); }
  }
}

function drawArrowheads(ctx: CanvasRenderingContext2D, st: SceneState, theme: GraphTheme, wx0: number, wy0: number, wx1: number, wy1: number): void {
  const { scene } = st;
  const lr = st.direction === 'LR';
  ctx.beginPath();
  for (let e = 0; e < scene.edgeA.length; e++) {
    const p = scene.edgeStart[e + 1] - 1;
    if (p <= scene.edgeStart[e]) continue;
    const x = scene.points[2 * p], y = scene.points[2 * p + 1];
    if (x < wx0 || x > wx1 || y < wy0 || y > wy1) continue;
    if (lr) { ctx.moveTo(x, y); ctx.lineTo(x - 6, y - 3.5); ctx.lineTo(x - 6, y + 3.5); }
    else { ctx.moveTo(x, y); ctx.lineTo(x - 3.5, y - 6); ctx.lineTo(x + 3.5, y - 6); }
    ctx.closePath();
  }
  ctx.fillStyle = theme.edge;
  ctx.fill();
}

function drawTexts(ctx: CanvasRenderingContext2D, st: SceneState, theme: GraphTheme, visible: number[]): void {
  const { scene, model, camera } = st;
  const L = model.leafCount;
  const full = camera.s >= LOD.detail;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillStyle = theme.foreground;
  ctx.font = `600 ${FONT.titlePx}px ${theme.fontFamily}`;
  for (const i of visible) {
    if (scene.kind[i] === 2) continue;
    const it = scene.items[i];
    const x = scene.x[i] - scene.w[i] / 2 + FONT.pad, y = scene.y[i] - scene.h[i] / 2;
    if (it < L) ctx.fillText(model.texts[it].title, x, y + FONT.titleHeight / 2, scene.w[i] - 2 * FONT.pad);
    else ctx.fillText(`⊞ ${st.hier.groupLabel[it - L]}`, x, y + FONT.titleHeight / 2 + 2, scene.w[i] - 2 * FONT.pad);
  }
  if (!full) return;
  ctx.font = `${FONT.linePx}px ${theme.fontFamily}`;
  ctx.fillStyle = theme.muted;
  for (const i of visible) {
    if (scene.kind[i] === 2) continue;
    const it = scene.items[i];
    const x = scene.x[i] - scene.w[i] / 2 + FONT.pad, y = scene.y[i] - scene.h[i] / 2 + FONT.titleHeight + FONT.lineHeight / 2 + 1;
    if (it >= L) {
      ctx.fillText(st.hier.groupCaption[it - L], x + 4, y + 2, scene.w[i] - 2 * FONT.pad);
      continue;
    }
    const lines = model.texts[it].lines;
    for (let k = 0; k < lines.length; k++) ctx.fillText(lines[k], x, y + k * FONT.lineHeight, scene.w[i] - 2 * FONT.pad);
  }
  if (camera.s < LOD.edgeLabels) return;
  // Shapes beside the producer's output port, once per value: edges into one node would stack
  // their labels at its input, while a value leaves its producer in one place.
  const lr = st.direction === 'LR';
  ctx.font = `${FONT.linePx - 1}px ${theme.fontFamily}`;
  ctx.fillStyle = theme.muted;
  const vis = new Set(visible);
  const done = new Set<number>();
  for (let e = 0; e < scene.edgeA.length; e++) {
    const ia = st.itemIndex[scene.edgeA[e]];
    if (!vis.has(ia)) continue;
    const vid = model.edgeValue[scene.edgeFirst[e]];
    const key = vid * 4 + Math.min(3, scene.edgeCount[e] > 1 ? 1 : 0);
    if (done.has(key)) continue;
    done.add(key);
    const label = edgeLabel(st, e);
    if (!label) continue;
    const m = st.measured?.get(vid);
    ctx.fillStyle = !m ? theme.muted : measuredKind(m) === 'differs' ? theme.differs : measuredKind(m) === 'measured' ? theme.measured : theme.muted;
    const fill = ctx.fillStyle;
    // Under the producer, no wider than its box plus most of the gap: neighbours' labels never meet.
    const lx = lr ? scene.x[ia] + scene.w[ia] / 2 + 4 : scene.x[ia] - scene.w[ia] / 2 + 2;
    const ly = lr ? scene.y[ia] - 8 : scene.y[ia] + scene.h[ia] / 2 + 9;
    const maxW = lr ? Infinity : scene.w[ia] + 12;
    // On a knockout of the background, so the edge leaving through the label does not read as a '|' in it.
    ctx.fillStyle = theme.background;
    ctx.fillRect(lx - 1, ly - FONT.linePx + 2, Math.min(ctx.measureText(label).width, maxW) + 2, FONT.linePx);
    ctx.fillStyle = fill;
    if (lr) ctx.fillText(label, lx, ly);
    else ctx.fillText(label, lx, ly, maxW);
  }
}

/** `float32 [1, 64, 56, 56]` (with a ~ when inferred, ◆/◇ and the run's dims after a run) for the value an edge carries. */
export function edgeLabel(st: Pick<SceneState, 'scene' | 'model' | 'measured'>, e: number): string {
  const vid = st.model.edgeValue[st.scene.edgeFirst[e]];
  const v = st.model.payload.values[vid];
  const m = st.measured?.get(vid);
  if (!v || (!m && v.shape === null && v.dtype === null)) return '';
  const more = st.scene.edgeCount[e] > 1 ? ` (+${st.scene.edgeCount[e] - 1})` : '';
  return `${m ? measuredLabel(v, m) : `${v.inferred ? '~' : ''}${typeLabel(v.dtype, v.shape)}`}${more}`;
}
