// From the graph view's first message to laid-out scenes: the group tree, each closed group's box,
// the expansion the editor opens with, then a layout for any expansion the user picks. One session
// per open model. The webview's layout worker and `model-lens layout` both drive this one module,
// so the CLI prints exactly what the view draws.
import { buildHierarchy, groupCaption, initialExpansion, type Hierarchy } from './hierarchy.js';
import { CompoundLayout, type Scene } from './compound.js';
import type { GraphModel } from './graph-model.js';
import { closedGroupSize } from './node-text.js';

export type LayoutDirection = 'TB' | 'LR';

/** What a session starts from: leaves, sizes, edges, and which leaves are folded away. */
export interface LayoutInit {
  names: string[];
  graphOf: Int32Array;
  graphs: { kind: 'main' | 'subgraph' | 'function'; ownerNode: number; label: string }[];
  leafW: Float32Array;
  leafH: Float32Array;
  edgeSrc: Int32Array;
  edgeDst: Int32Array;
  /** Op type of each leaf ('' for graph inputs/outputs): what a closed control-flow box names. */
  ops: string[];
  /** 1 for leaves not drawn (constants folded into their consumers). */
  hidden: Uint8Array;
  direction: LayoutDirection;
  /** Groups to open by key (restored view state); null: choose a readable overview. */
  expandedKeys: string[] | null;
  /** 'none' lays out every node flat, without groups. */
  grouping: 'scope' | 'none';
  /** Most items the opening overview draws (see openingBudget). */
  budget: number;
}

/** The default of the `modelLens.graph.collapseAbove` setting (package.json). */
export const DEFAULT_COLLAPSE_ABOVE = 400;

/** The opening overview's item budget for a `collapseAbove` setting (0 falls back to 250; at least 20). */
export function openingBudget(collapseAbove: number): number {
  return Math.max(20, collapseAbove || 250);
}

/** The session's first message for a model: the drawable leaves, their sizes and edges. */
export function layoutInit(m: GraphModel, direction: LayoutDirection, expandedKeys: string[] | null, budget: number): LayoutInit {
  const p = m.payload;
  return {
    names: m.names, graphOf: m.graphOf, graphs: p.graphs.map((g) => ({ kind: g.kind, ownerNode: g.ownerNode, label: g.label })),
    leafW: m.leafW, leafH: m.leafH, edgeSrc: m.edgeSrc, edgeDst: m.edgeDst,
    ops: opsOf(m),
    hidden: hiddenOf(m),
    direction, expandedKeys, grouping: 'scope', budget,
  };
}

function opsOf(m: GraphModel): string[] {
  const ops: string[] = new Array(m.leafCount).fill('');
  for (let i = 0; i < m.nodeCount; i++) ops[i] = m.payload.nodes[i].opType;
  return ops;
}

function hiddenOf(m: GraphModel): Uint8Array {
  const hidden = new Uint8Array(m.leafCount);
  hidden.set(m.folded.subarray(0, Math.min(m.nodeCount, m.leafCount)));
  return hidden;
}

/** The group tree as the view reads it, with each closed group's box and the opening expansion. */
export interface SessionHierarchy extends Omit<Hierarchy, 'groupCount'> {
  groupW: Float32Array;
  groupH: Float32Array;
  /** What each closed group's box says under its name (see groupCaption). */
  groupCaption: string[];
  /** The expansion the view opens with. */
  expanded: Uint8Array;
  /** Time to build all of this. */
  ms: number;
}

/** One open model's layout state: its group tree once, then scenes from the per-group cache. */
export class LayoutSession {
  readonly hierarchy: Hierarchy;
  readonly info: SessionHierarchy;
  private readonly compound: CompoundLayout;

  constructor(init: LayoutInit) {
    const t0 = performance.now();
    const h = init.grouping === 'none'
      ? buildHierarchy({ names: init.names.map(() => ''), graphOf: init.graphOf.map(() => -1), graphs: [], hidden: init.hidden })
      : buildHierarchy({ names: init.names, graphOf: init.graphOf, graphs: init.graphs, hidden: init.hidden });
    const captions = Array.from({ length: h.groupCount }, (_, g) => groupCaption(h, g, (leaf) => init.ops[leaf] ?? ''));
    const groupW = new Float32Array(h.groupCount), groupH = new Float32Array(h.groupCount);
    for (let g = 0; g < h.groupCount; g++) [groupW[g], groupH[g]] = closedGroupSize(h.groupLabel[g], captions[g]);
    let expanded: Uint8Array;
    if (init.expandedKeys) {
      const want = new Set(init.expandedKeys);
      expanded = Uint8Array.from(h.groupKey, (k) => (want.has(k) ? 1 : 0));
    } else expanded = initialExpansion(h, init.budget);
    this.hierarchy = h;
    this.compound = new CompoundLayout({ hierarchy: h, leafW: init.leafW, leafH: init.leafH, edgeSrc: init.edgeSrc, edgeDst: init.edgeDst, groupW, groupH, hidden: init.hidden });
    const { groupCount: _count, ...tree } = h;
    this.info = { ...tree, groupW, groupH, groupCaption: captions, expanded, ms: performance.now() - t0 };
  }

  /** Lays out what `expanded` (one flag per group) makes visible; groups that did not change come from the cache. */
  layout(expanded: Uint8Array, direction: LayoutDirection): Scene {
    return this.compound.layout(expanded, direction);
  }

  /** An expansion by name: the opening overview, every group closed, or every group open. */
  expansion(which: 'default' | 'none' | 'all'): Uint8Array {
    if (which === 'default') return this.info.expanded.slice();
    return new Uint8Array(this.hierarchy.groupCount).fill(which === 'all' ? 1 : 0);
  }
}
