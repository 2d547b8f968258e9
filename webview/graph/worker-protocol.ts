// Messages between the graph view and its layout worker. Typed arrays travel by transfer.
import type { LayoutDirection, LayoutInit, SessionHierarchy } from '../../src/core/layout/layout-session.js';
import type { Scene } from '../../src/core/layout/compound.js';

/** The session's start (core/layout/layout-session.ts), sent once per model. */
export interface WorkerInit extends LayoutInit {
  type: 'init';
}

export interface WorkerLayout {
  type: 'layout';
  seq: number;
  expanded: Uint8Array;
  direction: LayoutDirection;
}

export type ToWorker = WorkerInit | WorkerLayout;

/** The worker's group tree (its count is groupParent.length) with each group's collapsed size and the opening expansion. */
export interface HierarchyMessage extends SessionHierarchy {
  type: 'hierarchy';
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
