import type { GraphPayload, ModelSummary } from '../protocol.js';
import { inferShapes } from './shapes/index.js';
import { buildGraphPayload } from './graph-payload.js';
import type { Model } from './ir/graph.js';
import { summarizeModel } from './model-summary.js';

/**
 * What an editor shows of an opened model: its header facts and its graph, with shapes the file
 * leaves out filled in by shape inference (marked inferred). The one path the editor, the test host
 * and tools take, so they all show the same graph.
 */
export async function describeModelForView(model: Model): Promise<{ summary: ModelSummary; graph: GraphPayload }> {
  await inferShapes(model);
  return { summary: summarizeModel(model), graph: buildGraphPayload(model) };
}
