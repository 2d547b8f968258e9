// Mouse, wheel and keyboard on the graph canvas: pan, zoom, select, open groups, walk along edges.
import { hitTest, zoomAt } from './camera.js';
import type { SceneState } from './scene-state.js';

export interface InteractionHost {
  state(): SceneState | null;
  redraw(): void;
  select(item: number, reveal: boolean): void;
  toggle(item: number): void;
  fit(): void;
  zoomToSelection(): void;
  clear(): void;
}

/** Wires the canvas; returns a function that unwires it. */
export function attachInteraction(canvas: HTMLCanvasElement, host: InteractionHost): () => void {
  let drag: { x: number; y: number; tx: number; ty: number; moved: boolean; id: number } | null = null;
  const local = (e: MouseEvent) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top] as const; };
  const itemAt = (e: MouseEvent) => {
    const st = host.state();
    if (!st) return -1;
    const [x, y] = local(e);
    const i = hitTest(st, (x - st.camera.tx) / st.camera.s, (y - st.camera.ty) / st.camera.s);
    return i < 0 ? -1 : st.scene.items[i];
  };
  const down = (e: PointerEvent) => {
    const st = host.state();
    if (!st || e.button !== 0) return;
    canvas.focus();
    drag = { x: e.clientX, y: e.clientY, tx: st.camera.tx, ty: st.camera.ty, moved: false, id: e.pointerId };
    canvas.setPointerCapture(e.pointerId);
  };
  const move = (e: PointerEvent) => {
    const st = host.state();
    if (!drag || !st) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    canvas.classList.add('panning');
    st.camera = { ...st.camera, tx: drag.tx + dx, ty: drag.ty + dy };
    host.redraw();
  };
  const up = (e: PointerEvent) => {
    if (!drag) return;
    const wasClick = !drag.moved;
    canvas.releasePointerCapture(drag.id);
    canvas.classList.remove('panning');
    drag = null;
    if (!wasClick) return;
    const it = itemAt(e);
    host.select(it, false);
    // A closed group (a scope, an If with its branches, a function) opens on a click.
    const st = host.state();
    if (st && it >= st.model.leafCount && !st.expanded[it - st.model.leafCount]) host.toggle(it);
  };
  // A double click on an open group's frame closes it (on a closed box the first click opened it).
  const dbl = (e: MouseEvent) => {
    const st = host.state();
    const it = itemAt(e);
    if (!st || it < st.model.leafCount || st.scene.kind[st.itemIndex[it]] !== 2) return;
    host.toggle(it);
  };
  const wheel = (e: WheelEvent) => {
    const st = host.state();
    if (!st) return;
    e.preventDefault();
    const [x, y] = local(e);
    // Pinch and Ctrl+wheel zoom faster; a plain wheel zooms too (a graph has no page to scroll).
    const k = e.deltaMode === 1 ? 0.05 : 0.0015;
    st.camera = zoomAt(st.camera, Math.exp(-e.deltaY * k * (e.ctrlKey ? 2 : 1)), x, y);
    host.redraw();
  };
  const key = (e: KeyboardEvent) => {
    const st = host.state();
    if (!st) return;
    const sel = st.selected;
    const lr = st.direction === 'LR';
    const along = (forward: boolean) => neighbourAlongEdges(st, sel, forward);
    const across = (dir: 1 | -1) => neighbourInRank(st, sel, dir);
    let target = -2;
    switch (e.key) {
      case 'ArrowDown': target = lr ? across(1) : along(true); break;
      case 'ArrowUp': target = lr ? across(-1) : along(false); break;
      case 'ArrowRight': target = lr ? along(true) : across(1); break;
      case 'ArrowLeft': target = lr ? along(false) : across(-1); break;
      case 'Enter': if (sel >= st.model.leafCount) host.toggle(sel); else if (sel >= 0) host.zoomToSelection(); break;
      case 'Backspace': {
        const g = sel < 0 ? -1 : sel < st.model.leafCount ? st.hier.leafParent[sel] : st.hier.groupParent[sel - st.model.leafCount];
        if (g >= 0) host.toggle(st.model.leafCount + g);
        break;
      }
      case 'Escape': host.clear(); break;
      case '+': case '=': st.camera = zoomAt(st.camera, 1.25, canvas.clientWidth / 2, canvas.clientHeight / 2); host.redraw(); break;
      case '-': st.camera = zoomAt(st.camera, 0.8, canvas.clientWidth / 2, canvas.clientHeight / 2); host.redraw(); break;
      case '0': host.fit(); break;
      default: return;
    }
    e.preventDefault();
    if (target >= 0) host.select(target, true);
  };
  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('dblclick', dbl);
  canvas.addEventListener('wheel', wheel, { passive: false });
  canvas.addEventListener('keydown', key);
  return () => {
    canvas.removeEventListener('pointerdown', down);
    canvas.removeEventListener('pointermove', move);
    canvas.removeEventListener('pointerup', up);
    canvas.removeEventListener('dblclick', dbl);
    canvas.removeEventListener('wheel', wheel);
    canvas.removeEventListener('keydown', key);
  };
}

/** The drawn item one edge away (a consumer when forward, else a producer), nearest in the cross axis. */
export function neighbourAlongEdges(st: SceneState, item: number, forward: boolean): number {
  const { scene } = st;
  if (item < 0) return scene.items.length ? scene.items[firstLeafIndex(st)] : -1;
  const i = st.itemIndex[item];
  if (i < 0) return -1;
  const lr = st.direction === 'LR';
  let best = -1, bestD = Infinity;
  for (let e = 0; e < scene.edgeA.length; e++) {
    const from = forward ? scene.edgeA[e] : scene.edgeB[e];
    if (from !== item) continue;
    const to = forward ? scene.edgeB[e] : scene.edgeA[e];
    const j = st.itemIndex[to];
    const d = lr ? Math.abs(scene.y[j] - scene.y[i]) : Math.abs(scene.x[j] - scene.x[i]);
    if (d < bestD) { bestD = d; best = to; }
  }
  return best;
}

/** The nearest drawn box beside the item in its rank (same band), in direction `dir`. */
export function neighbourInRank(st: SceneState, item: number, dir: 1 | -1): number {
  const { scene } = st;
  const i = item < 0 ? -1 : st.itemIndex[item];
  if (i < 0) return -1;
  const lr = st.direction === 'LR';
  let best = -1, bestD = Infinity;
  for (let j = 0; j < scene.items.length; j++) {
    if (j === i || scene.kind[j] === 2) continue;
    const band = lr ? Math.abs(scene.x[j] - scene.x[i]) : Math.abs(scene.y[j] - scene.y[i]);
    if (band > (lr ? scene.w[i] : scene.h[i]) / 2 + 1) continue;
    const d = (lr ? scene.y[j] - scene.y[i] : scene.x[j] - scene.x[i]) * dir;
    if (d > 0 && d < bestD) { bestD = d; best = scene.items[j]; }
  }
  return best;
}

function firstLeafIndex(st: SceneState): number {
  for (let i = 0; i < st.scene.items.length; i++) if (st.scene.kind[i] !== 2) return i;
  return 0;
}
