// The shapes a run made known, packed for the host → webview hop and the run panel → graph view one:
// one entry per value of the main graph (its id in the GraphPayload), how it is known, and its dims.
// DOM- and Node-free: the host packs it after an ONNX run, the webview after a TF.js run.
import type { GraphPayload } from '../model-view-types.js';

/** How a value's shape after a run is known. */
export const RUN_SHAPE = {
  /** The run produced this tensor (a graph output, or a captured activation) and it had these dims. */
  measured: 1,
  /** Not produced as a tensor (fused by ONNX Runtime, or not captured): the shape rules on the run's input dims. */
  fromInputs: 2,
} as const;
export type RunShapeSource = (typeof RUN_SHAPE)[keyof typeof RUN_SHAPE];

/** Packed: entry i is value `values[i]`, known as `source[i]`, with dims `dims[start[i] .. start[i + 1])`. */
export interface RunShapes {
  values: Int32Array;
  source: Uint8Array;
  start: Int32Array;
  dims: Float64Array;
}

export interface RunShapeEntry { value: number; source: RunShapeSource; shape: readonly number[] }

/** Packs entries (value ids must be distinct) into the typed arrays that cross the message hops. */
export function packRunShapes(entries: readonly RunShapeEntry[]): RunShapes {
  const start = new Int32Array(entries.length + 1);
  entries.forEach((e, i) => { start[i + 1] = start[i] + e.shape.length; });
  const dims = new Float64Array(start[entries.length]);
  entries.forEach((e, i) => dims.set(e.shape, start[i]));
  return { values: Int32Array.from(entries, (e) => e.value), source: Uint8Array.from(entries, (e) => e.source), start, dims };
}

/** The entries of packed shapes, by value id; malformed entries (ids outside `valueCount`, bad ranges) are dropped. */
export function unpackRunShapes(s: RunShapes, valueCount: number): Map<number, { source: RunShapeSource; shape: number[] }> {
  const out = new Map<number, { source: RunShapeSource; shape: number[] }>();
  const n = Math.min(s.values.length, s.source.length, s.start.length - 1);
  for (let i = 0; i < n; i++) {
    const id = s.values[i], src = s.source[i], a = s.start[i], b = s.start[i + 1];
    if (id < 0 || id >= valueCount || (src !== RUN_SHAPE.measured && src !== RUN_SHAPE.fromInputs) || a < 0 || b < a || b > s.dims.length) continue;
    out.set(id, { source: src, shape: Array.from(s.dims.subarray(a, b)) });
  }
  return out;
}

/** Main-graph value ids by name (what a runtime's tensor names refer to). */
export function mainValueIds(payload: Pick<GraphPayload, 'values'>): Map<string, number> {
  const ids = new Map<string, number>();
  for (const v of payload.values) if (v.graph === 0 && !ids.has(v.name)) ids.set(v.name, v.id);
  return ids;
}

/** Measured entries for the tensors a run returned (a TF.js run's outputs), matched to values by name. */
export function measuredEntries(payload: Pick<GraphPayload, 'values'>, tensors: readonly { name: string; shape: readonly number[] }[]): RunShapeEntry[] {
  const ids = mainValueIds(payload);
  const out: RunShapeEntry[] = [];
  const seen = new Set<number>();
  for (const t of tensors) {
    const id = ids.get(t.name);
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    out.push({ value: id, source: RUN_SHAPE.measured, shape: t.shape });
  }
  return out;
}

/**
 * Measured entries for a run's outputs, in the model's output order: by name where the runtime's
 * name is a value's (`Identity:0` read as `Identity`), else the graph output at the same position.
 */
export function outputEntries(payload: Pick<GraphPayload, 'values' | 'graphs'>, outputs: readonly { name: string; shape: readonly number[] }[]): RunShapeEntry[] {
  const ids = mainValueIds(payload);
  const graphOutputs = payload.graphs[0]?.outputs ?? [];
  const seen = new Set<number>();
  const out: RunShapeEntry[] = [];
  outputs.forEach((t, i) => {
    const id = ids.get(t.name) ?? ids.get(t.name.replace(/:0$/, '')) ?? (outputs.length === graphOutputs.length ? graphOutputs[i] : undefined);
    if (id === undefined || seen.has(id)) return;
    seen.add(id);
    out.push({ value: id, source: RUN_SHAPE.measured, shape: t.shape });
  });
  return out;
}
