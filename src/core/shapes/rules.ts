// The rule table a model's nodes are looked up in: ONNX operators, or for TF.js models the TF ops
// and Keras layers on top of the ONNX names both formats share.
import type { Model } from '../ir/graph.js';
import type { ShapeRule } from './fact.js';
import { TFJS_RULES } from './keras-rules.js';
import { ONNX_RULES } from './onnx-rules.js';

/** The shape rules for the model's format, by op type. */
export function rulesFor(model: Model): Readonly<Record<string, ShapeRule>> {
  return model.format === 'onnx' ? ONNX_RULES : TFJS_RULES;
}
