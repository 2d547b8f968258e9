// Camera moves: fit, zoom about a point, centre on an item. Pure arithmetic over the scene.
import type { Camera, SceneState } from './scene-state.js';

export const ZOOM_MIN = 0.005;
export const ZOOM_MAX = 4;

/** The camera that shows the whole scene in a viewport, with a margin; never above 1.25× zoom. */
export function fitCamera(st: Pick<SceneState, 'scene'>, w: number, h: number, margin = 24): Camera {
  const sw = Math.max(1, st.scene.width), sh = Math.max(1, st.scene.height);
  const s = Math.max(ZOOM_MIN, Math.min(1.25, (w - 2 * margin) / sw, (h - 2 * margin) / sh));
  return { s, tx: (w - sw * s) / 2, ty: Math.max(margin, (h - sh * s) / 2) };
}

/** Zooms by `factor` keeping the world point under (px, py) in place. */
export function zoomAt(c: Camera, factor: number, px: number, py: number): Camera {
  const s = Math.max(ZOOM_MIN, Math.min(ZOOM_MAX, c.s * factor));
  const k = s / c.s;
  return { s, tx: px - (px - c.tx) * k, ty: py - (py - c.ty) * k };
}

/** Centres scene item `i` (scene index); zooms in to at least `minScale` so its text is readable. */
export function centreOn(st: Pick<SceneState, 'scene' | 'camera'>, i: number, w: number, h: number, minScale = 0.9): Camera {
  const s = Math.min(ZOOM_MAX, Math.max(st.camera.s, minScale, ZOOM_MIN));
  return { s, tx: w / 2 - st.scene.x[i] * s, ty: h / 2 - st.scene.y[i] * s };
}

/** Scene index of the drawn item under a world point: the innermost box, -1 for the background. */
export function hitTest(st: Pick<SceneState, 'scene'>, wx: number, wy: number): number {
  const { scene } = st;
  let frame = -1;
  for (let i = scene.items.length - 1; i >= 0; i--) {
    if (Math.abs(wx - scene.x[i]) > scene.w[i] / 2 || Math.abs(wy - scene.y[i]) > scene.h[i] / 2) continue;
    if (scene.kind[i] !== 2) return i;
    // Open groups: the innermost (emitted last) frame that contains the point.
    if (frame < 0) frame = i;
  }
  return frame;
}

/**
 * The camera a model opens with: the whole scene when that is still readable, else the top of it
 * at a readable zoom (a 300-layer chain fitted whole is a hairline).
 */
export function openingCamera(st: Pick<SceneState, 'scene'>, w: number, h: number, margin = 24): Camera {
  const fit = fitCamera(st, w, h, margin);
  if (fit.s >= 0.3) return fit;
  const sw = Math.max(1, st.scene.width);
  const s = Math.max(fit.s, Math.min(1, (w - 2 * margin) / sw, 0.8));
  return { s, tx: (w - sw * s) / 2, ty: margin };
}
