// The shape engine: one rule per operator (ONNX ops, TF ops, Keras layers) over dims that may be
// symbolic, run by two drivers — inferShapes for the graph view (the file's own dims) and
// resolveShapes for cost and explain (numbers under a dims map).
export { inferShapes } from './infer.js';
export { resolveShapes, type DimsOptions, type ShapeResolution } from './resolve.js';
export { topologicalOrder } from './order.js';
export { evalDim, evalShape, isExpression, type Dim, type DimsMap } from './dims.js';
export { toDataType, type KnownValue, type ShapeFact, type ShapeRule } from './fact.js';
export { rulesFor } from './rules.js';
