// Messages between the graph view and its layout worker. Typed arrays travel by transfer.
import type { LayoutDirection, LayoutInit, SessionHierarchy } from '../../src/core/layout/layout-session.js';
import type { Scene } from '../../src/core/layout/compound.js';

/**
 * Many strings as one block of UTF-8 that travels by transfer: cloning 200k small strings into a
 * worker held the UI thread ~50 ms, and one joined string still cost ~40 ms to clone.
 */
export interface PackedStrings { bytes: Uint8Array; ends: Int32Array }

export function packStrings(list: readonly string[]): PackedStrings {
  const ends = new Int32Array(list.length);
  let at = 0;
  for (let i = 0; i < list.length; i++) { at += list[i].length; ends[i] = at; }
  return { bytes: new TextEncoder().encode(list.join('')), ends };
}

export function unpackStrings(p: PackedStrings): string[] {
  const text = new TextDecoder().decode(p.bytes);
  const out: string[] = new Array(p.ends.length);
  let from = 0;
  for (let i = 0; i < p.ends.length; i++) { out[i] = text.slice(from, p.ends[i]); from = p.ends[i]; }
  return out;
}

/** The buffers of an init message that can move instead of being copied. */
export function initTransfer(m: WorkerInit): ArrayBuffer[] {
  return [m.names.bytes.buffer as ArrayBuffer, m.names.ends.buffer as ArrayBuffer, m.ops.bytes.buffer as ArrayBuffer, m.ops.ends.buffer as ArrayBuffer];
}

/** The session's start (core/layout/layout-session.ts), sent once per model; names and ops packed. */
export interface WorkerInit extends Omit<LayoutInit, 'names' | 'ops'> {
  type: 'init';
  names: PackedStrings;
  ops: PackedStrings;
}

/** The init message for a LayoutInit. */
export function workerInit(init: LayoutInit): WorkerInit {
  return { ...init, type: 'init', names: packStrings(init.names), ops: packStrings(init.ops) };
}

/** The LayoutInit a worker's init message carries. */
export function layoutInitOf(m: WorkerInit): LayoutInit {
  const { type: _type, ...rest } = m;
  return { ...rest, names: unpackStrings(m.names), ops: unpackStrings(m.ops) };
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
