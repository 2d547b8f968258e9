// Messages between the graph view and its layout worker. Typed arrays travel by transfer.
import type { Hierarchy } from '../../src/core/layout/hierarchy.js';
import type { Scene } from '../../src/core/layout/compound.js';

export interface WorkerInit {
  type: 'init';
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
  direction: 'TB' | 'LR';
  /** Groups to open by key (restored view state); null: choose a readable overview. */
  expandedKeys: string[] | null;
  /** 'none' lays out every node flat, without groups. */
  grouping: 'scope' | 'none';
  budget: number;
}

export interface WorkerLayout {
  type: 'layout';
  seq: number;
  expanded: Uint8Array;
  direction: 'TB' | 'LR';
}

export type ToWorker = WorkerInit | WorkerLayout;

/** The worker's group tree (its count is groupParent.length) with each group's collapsed size. */
export interface HierarchyMessage extends Omit<Hierarchy, 'groupCount'> {
  type: 'hierarchy';
  groupW: Float32Array;
  groupH: Float32Array;
  /** What each closed group's box says under its name (see groupCaption). */
  groupCaption: string[];
  expanded: Uint8Array;
  ms: number;
}

export interface SceneMessage {
  type: 'scene';
  seq: number;
  scene: Scene;
  ms: number;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type FromWorker = HierarchyMessage | SceneMessage | ErrorMessage;
