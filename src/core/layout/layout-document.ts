// The drawing as data: every box the graph view draws (nodes, closed and open groups) with its centre
// and size, and every drawn edge's polyline, as `model-lens layout --json` prints it. Computed by the
// same LayoutSession the webview's layout worker runs, from the same graph model the view builds.
import type { GraphPayload } from '../model-view-types.js';
import { buildGraphModel, type GraphModel } from './graph-model.js';
import { DEFAULT_COLLAPSE_ABOVE, layoutInit, LayoutSession, openingBudget, type LayoutDirection } from './layout-session.js';
import type { Scene } from './compound.js';

export type Expansion = 'none' | 'default' | 'all';

/** A drawn leaf: a node, or a graph input/output. `id` is the scene item id (leaf index); `parent` the open group around it, or -1. */
export interface LayoutNode { id: number; name: string; op: string; x: number; y: number; width: number; height: number; parent: number }
/**
 * A drawn edge between two boxes (node or group ids), standing for `count` model edges. Its points run
 * from the source's border to the target's; where the view draws it branching off another edge's run
 * from the same source, the shared run is repeated here, so every edge is a whole path.
 */
export interface LayoutEdge { from: number; to: number; count: number; points: [number, number][] }
/** A group box; `id` is leafCount + group index. Open groups are frames around their content. */
export interface LayoutGroup {
  id: number; label: string; caption: string; kind: 'scope' | 'control' | 'body' | 'function';
  x: number; y: number; width: number; height: number; collapsed: boolean; parent: number;
}

export interface LayoutDocument {
  direction: LayoutDirection;
  expand: Expansion;
  width: number;
  height: number;
  /** Nodes of the model, and how many of them are constants folded into their consumers (not drawn). */
  modelNodes: number;
  foldedConstants: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  groups: LayoutGroup[];
}

export interface LayoutOptions {
  expand?: Expansion;
  direction?: LayoutDirection;
  /** The `modelLens.graph.collapseAbove` setting: the opening overview's item budget. */
  collapseAbove?: number;
}

/** How long each step took, and the scene itself (for callers that measure or compare). */
export interface LayoutRun { document: LayoutDocument; scene: Scene; session: LayoutSession; model: GraphModel; modelMs: number; hierarchyMs: number; layoutMs: number }

const KINDS = ['scope', 'control', 'body', 'function'] as const;
const round = (v: number) => Math.round(v * 10) / 10;

/** Lays a payload out as the editor would on open (or fully open / fully closed) and describes the drawing. */
export async function layoutPayload(payload: GraphPayload, options: LayoutOptions = {}): Promise<LayoutRun> {
  const direction = options.direction ?? 'TB';
  const expand = options.expand ?? 'default';
  const t0 = performance.now();
  const model = await buildGraphModel(payload);
  const t1 = performance.now();
  const session = new LayoutSession(layoutInit(model, direction, null, openingBudget(options.collapseAbove ?? DEFAULT_COLLAPSE_ABOVE)));
  const t2 = performance.now();
  const scene = session.layout(session.expansion(expand), direction);
  const t3 = performance.now();
  return { document: describeScene(model, session, scene, direction, expand), scene, session, model, modelMs: t1 - t0, hierarchyMs: t2 - t1, layoutMs: t3 - t2 };
}

/** The contract document of one scene. */
export function describeScene(model: GraphModel, session: LayoutSession, scene: Scene, direction: LayoutDirection, expand: Expansion): LayoutDocument {
  const L = model.leafCount;
  const info = session.info, h = session.hierarchy;
  const parentItem = (g: number) => (g < 0 ? -1 : L + g);
  const nodes: LayoutNode[] = [], groups: LayoutGroup[] = [];
  for (let i = 0; i < scene.items.length; i++) {
    const it = scene.items[i];
    const box = { x: round(scene.x[i]), y: round(scene.y[i]), width: round(scene.w[i]), height: round(scene.h[i]) };
    if (it < L) {
      const op = it < model.nodeCount ? model.payload.nodes[it].opType : model.leafKind[it] === 1 ? 'input' : 'output';
      nodes.push({ id: it, name: model.names[it], op, ...box, parent: parentItem(h.leafParent[it]) });
    } else {
      const g = it - L;
      groups.push({ id: it, label: info.groupLabel[g], caption: info.groupCaption[g], kind: KINDS[info.groupKind[g]] ?? 'scope', ...box, collapsed: scene.kind[i] === 1, parent: parentItem(h.groupParent[g]) });
    }
  }
  const edges = drawnEdges(scene);
  let folded = 0;
  for (let i = 0; i < model.nodeCount; i++) folded += model.folded[i];
  return { direction, expand, width: round(scene.width), height: round(scene.height), modelNodes: model.nodeCount, foldedConstants: folded, nodes, edges, groups };
}

/** Every drawn edge as a whole path: an edge the view starts on a shared run gets that run's points first. */
function drawnEdges(scene: Scene): LayoutEdge[] {
  const E = scene.edgeA.length;
  const at = new Map<number, number>();
  scene.items.forEach((it, i) => at.set(it, i));
  const routes: [number, number][][] = [];
  for (let e = 0; e < E; e++) {
    const points: [number, number][] = [];
    for (let p = scene.edgeStart[e]; p < scene.edgeStart[e + 1]; p++) points.push([round(scene.points[2 * p]), round(scene.points[2 * p + 1])]);
    routes.push(points);
  }
  const bySource = new Map<number, number[]>();
  for (let e = 0; e < E; e++) {
    const list = bySource.get(scene.edgeA[e]);
    if (list) list.push(e); else bySource.set(scene.edgeA[e], [e]);
  }
  const onSource = (e: number) => {
    const i = at.get(scene.edgeA[e])!, [x, y] = routes[e][0];
    const d = Math.max(Math.abs(x - scene.x[i]) - scene.w[i] / 2, Math.abs(y - scene.y[i]) - scene.h[i] / 2);
    return Math.abs(d) < 0.6;
  };
  const whole = new Array<[number, number][] | undefined>(E);
  const pathOf = (e: number, depth: number): [number, number][] => {
    const done = whole[e];
    if (done) return done;
    let path = routes[e];
    if (routes[e].length && !onSource(e) && depth < 16) {
      const [sx, sy] = routes[e][0];
      for (const o of bySource.get(scene.edgeA[e])!) {
        const k = o === e ? -1 : routes[o].findIndex(([x, y], i) => i > 0 && x === sx && y === sy);
        if (k <= 0) continue;
        const full = pathOf(o, depth + 1);
        path = [...full.slice(0, full.length - routes[o].length + k), ...routes[e]];
        break;
      }
    }
    whole[e] = path;
    return path;
  };
  return routes.map((_, e) => ({ from: scene.edgeA[e], to: scene.edgeB[e], count: scene.edgeCount[e], points: pathOf(e, 0) }));
}

/** Reading order of a drawing: by leading edge along the flow (top to bottom, or left to right), then across it. */
export function readingOrder<T extends { x: number; y: number; width: number; height: number }>(items: T[], direction: LayoutDirection): T[] {
  const along = direction === 'TB' ? (b: T) => b.y - b.height / 2 : (b: T) => b.x - b.width / 2;
  const across = direction === 'TB' ? (b: T) => b.x : (b: T) => b.y;
  return [...items].sort((a, b) => along(a) - along(b) || across(a) - across(b));
}
