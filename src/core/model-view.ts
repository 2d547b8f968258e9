import type { GraphPayload, ModelSummary } from './model-view-types.js';
import { inferShapes } from './shapes/index.js';
import { buildGraphPayload } from './graph-payload.js';
import type { Model } from './ir/graph.js';
import { summarizeModel } from './model-summary.js';

/**
 * What an editor shows of an opened model: its header facts and its graph, with shapes the file
 * leaves out filled in by shape inference (marked inferred). The one path the editor, the test host
 * and tools take, so they all show the same graph. `phases`, when given, gets the time of each step.
 */
export async function describeModelForView(model: Model, phases?: { shapesMs: number; payloadMs: number }): Promise<{ summary: ModelSummary; graph: GraphPayload }> {
  const t0 = performance.now();
  await inferShapes(model);
  const t1 = performance.now();
  const view = { summary: summarizeModel(model), graph: buildGraphPayload(model) };
  if (phases) { phases.shapesMs = t1 - t0; phases.payloadMs = performance.now() - t1; }
  return view;
}
