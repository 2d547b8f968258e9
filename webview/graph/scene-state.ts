// Everything the renderer, the interaction and the exports read: the model, the current scene from
// the worker, and what the user has selected, found and overlaid. DOM-free.
import type { Scene } from '../../src/core/layout/compound.js';
import type { GraphModel } from '../../src/core/layout/graph-model.js';
import { GroupKind } from '../../src/core/layout/hierarchy.js';
import type { HierarchyMessage } from './worker-protocol.js';
import { opCategory, type OpCategory } from './op-category.js';
import type { MeasuredIndex } from './measured-shapes.js';

export const CATEGORIES: OpCategory[] = ['conv', 'linear', 'activation', 'norm', 'pool', 'shape', 'math', 'control', 'constant', 'io', 'group', 'other'];

export interface Camera { s: number; tx: number; ty: number }

export interface SceneState {
  model: GraphModel;
  hier: HierarchyMessage;
  expanded: Uint8Array;
  direction: 'TB' | 'LR';
  scene: Scene;
  /** Scene index of each item id (leaf i, group L+g), -1 when not drawn. */
  itemIndex: Int32Array;
  /** Category index per scene index. */
  itemCat: Uint8Array;
  /** Bounding box per drawn edge: minX, minY, maxX, maxY. */
  edgeBox: Float32Array;
  camera: Camera;
  /** Selected item id, -1 for none. */
  selected: number;
  found: Set<number>;
  /** Fill colour per scene index while an overlay is shown. */
  overlayFill: (string | null)[] | null;
  /** The shapes the last run made known, by value id (edge labels show them); absent before a run. */
  measured?: MeasuredIndex | null;
}

/** Derived lookups for a new scene. */
export function indexScene(model: GraphModel, hier: HierarchyMessage, scene: Scene): Pick<SceneState, 'itemIndex' | 'itemCat' | 'edgeBox'> {
  const L = model.leafCount;
  const itemIndex = new Int32Array(L + hier.groupLabel.length).fill(-1);
  const itemCat = new Uint8Array(scene.items.length);
  for (let i = 0; i < scene.items.length; i++) {
    const it = scene.items[i];
    itemIndex[it] = i;
    let cat: OpCategory = 'other';
    if (it >= L) cat = hier.groupKind[it - L] === GroupKind.control ? 'control' : 'group';
    else if (model.leafKind[it] !== 0) cat = 'io';
    else cat = opCategory(model.payload.nodes[it].opType);
    itemCat[i] = CATEGORIES.indexOf(cat);
  }
  const E = scene.edgeA.length;
  const edgeBox = new Float32Array(E * 4);
  for (let e = 0; e < E; e++) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let p = scene.edgeStart[e]; p < scene.edgeStart[e + 1]; p++) {
      const x = scene.points[2 * p], y = scene.points[2 * p + 1];
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
    edgeBox.set([x0, y0, x1, y1], e * 4);
  }
  return { itemIndex, itemCat, edgeBox };
}

/** Display name of an item: a node's name, an input/output's value name, a group's label. */
export function itemName(st: Pick<SceneState, 'model' | 'hier'>, item: number): string {
  const L = st.model.leafCount;
  return item < L ? st.model.names[item] : st.hier.groupLabel[item - L];
}

/** Leaf → the drawn item that shows it (itself, the node a folded constant shows in, or the closed group hiding it). */
export function visibleItemOf(st: Pick<SceneState, 'model' | 'hier' | 'expanded'>, leaf: number): number {
  const L = st.model.leafCount;
  if (leaf < st.model.nodeCount && st.model.folded[leaf] && st.model.foldTarget[leaf] >= 0) leaf = st.model.foldTarget[leaf];
  let shown = leaf;
  for (let g = st.hier.leafParent[leaf]; g >= 0; g = st.hier.groupParent[g]) if (!st.expanded[g]) shown = L + g;
  return shown;
}
