// Every value's real shape after one run: the tensors the run returned (graph outputs, captured
// activations) are measured; every other main-graph value (fused inside ONNX Runtime's kernels, or
// not captured) gets the source graph's shape rules run again with the run's concrete input dims.
import type { Model } from '../ir/graph.js';
import type { GraphPayload } from '../model-view-types.js';
import { resolveShapes } from '../shapes/resolve.js';
import { mainValueIds, measuredEntries, packRunShapes, RUN_SHAPE, type RunShapeEntry, type RunShapes } from './run-shapes.js';

/**
 * The dims map a run's fed tensors imply: each graph input's symbolic or unknown dim, by its name
 * (`batch`) or as `input[axis]`, sized as the tensor fed for it.
 */
export function runInputDims(model: Model, fed: readonly { name: string; shape: readonly number[] }[]): Record<string, number> {
  const dims: Record<string, number> = {};
  for (const v of model.graph.inputs) {
    const t = fed.find((f) => f.name === v.name);
    const shape = v.type?.shape;
    if (!t || !shape || shape.length !== t.shape.length) continue;
    shape.forEach((d, j) => {
      if (typeof d === 'number' && d > 0) return;
      dims[typeof d === 'string' && d ? d : `${v.name}[${j}]`] ??= t.shape[j];
    });
  }
  return dims;
}

/**
 * What the graph view shows after a run: `produced` (outputs and captured tensors) as measured,
 * the rest of the main graph's values (weights excepted) from the shape rules under the fed dims.
 * A model the rules cannot follow still gets its measured entries.
 */
export async function measureRunShapes(
  model: Model, payload: GraphPayload,
  fed: readonly { name: string; shape: readonly number[] }[], produced: readonly { name: string; shape: readonly number[] }[],
): Promise<RunShapes> {
  const entries: RunShapeEntry[] = measuredEntries(payload, produced);
  const done = new Set(entries.map((e) => e.value));
  // The fed inputs are what the run measured first.
  for (const e of measuredEntries(payload, fed)) if (!done.has(e.value)) { entries.push(e); done.add(e.value); }
  try {
    const r = await resolveShapes(model, { dims: runInputDims(model, fed) });
    const ids = mainValueIds(payload);
    for (const [v, k] of r.known) {
      const id = ids.get(v.name);
      if (id === undefined || done.has(id) || v.tensor || model.graph.values.get(v.name) !== v || payload.values[id].weight >= 0) continue;
      const shape = k.shape;
      if (!shape || !shape.every((d): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) continue;
      entries.push({ value: id, source: RUN_SHAPE.fromInputs, shape });
      done.add(id);
    }
  } catch {
    // The rules could not follow this graph: the measured shapes stand alone.
  }
  return packRunShapes(entries);
}
