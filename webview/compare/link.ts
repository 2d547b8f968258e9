// Keeps the two sides of the compare panel looking at the same place: when one side's camera moves,
// the matched node nearest its centre is put at the same spot of the other side, at the same zoom;
// a node chosen on one side selects and centres its partner on the other. All inside the page.
import type { Camera, SceneState } from '../graph/scene-state.js';
import type { CompareGraphSide } from './side.js';

export interface Pairs {
  /** A-side node name → B-side node name, and back. */
  ab: Map<string, string>;
  ba: Map<string, string>;
}

function stageSize(side: CompareGraphSide): { w: number; h: number } {
  const stage = side.graph.element.querySelector<HTMLElement>('.graph-stage');
  return { w: Math.max(1, stage?.clientWidth ?? 1), h: Math.max(1, stage?.clientHeight ?? 1) };
}

/** World position of a node (by id) in a scene, or null when it is not drawn. */
function positionOf(st: SceneState, id: number): [number, number] | null {
  const i = id < st.itemIndex.length ? st.itemIndex[id] : -1;
  return i >= 0 ? [st.scene.x[i], st.scene.y[i]] : null;
}

/** The camera of `to` that shows the partner of `from`'s most central matched node where `from` shows it. */
export function followCamera(from: CompareGraphSide, to: CompareGraphSide, partners: Map<string, string>, cam: Camera): Camera | null {
  const a = from.graph.scene(), b = to.graph.scene();
  if (!a || !b) return null;
  const { w, h } = stageSize(from);
  const cx = (w / 2 - cam.tx) / cam.s, cy = (h / 2 - cam.ty) / cam.s;
  let best: { pa: [number, number]; pb: [number, number] } | null = null, bestD = Infinity;
  for (const [na, nb] of partners) {
    const ia = from.idOf.get(na), ib = to.idOf.get(nb);
    if (ia === undefined || ib === undefined) continue;
    const pa = positionOf(a, ia);
    if (!pa) continue;
    const d = (pa[0] - cx) ** 2 + (pa[1] - cy) ** 2;
    if (d >= bestD) continue;
    const pb = positionOf(b, ib);
    if (pb) { best = { pa, pb }; bestD = d; }
  }
  if (!best) return { ...cam };
  const sx = best.pa[0] * cam.s + cam.tx, sy = best.pa[1] * cam.s + cam.ty;
  return { s: cam.s, tx: sx - best.pb[0] * cam.s, ty: sy - best.pb[1] * cam.s };
}

/** Links the cameras and selections of the two sides; `onSelect` hears every user choice (side, A name, B name). */
export function linkSides(a: CompareGraphSide, b: CompareGraphSide, pairs: Pairs, onSelect: (nameA: string | null, nameB: string | null) => void): void {
  a.graph.onCamera = (cam) => { const c = followCamera(a, b, pairs.ab, cam); if (c) b.graph.setCamera(c); };
  b.graph.onCamera = (cam) => { const c = followCamera(b, a, pairs.ba, cam); if (c) a.graph.setCamera(c); };
  a.onUserSelect = (id) => {
    const name = id === null ? null : a.nameOf.get(id) ?? null;
    const other = name === null ? null : pairs.ab.get(name) ?? null;
    if (other !== null && b.selectedName() !== other) b.reveal(other);
    onSelect(name, other);
  };
  b.onUserSelect = (id) => {
    const name = id === null ? null : b.nameOf.get(id) ?? null;
    const other = name === null ? null : pairs.ba.get(name) ?? null;
    if (other !== null && a.selectedName() !== other) a.reveal(other);
    onSelect(other, name);
  };
}
