// The one module that writes model bytes: weight edits, graph-output splices, or both in one pass.
export { writeModel, writeModifiedModel, type ModelChanges, type ModifiedModelFiles } from './model-write.js';
export { editModelBytes, replaceWeights, spliceGraphOutputs, type BytePatch } from './edit-bytes.js';
export { appendToGraph, dropGraphInputs, encodeGraphOutputs, encodeNode, float32Constant, int64Constant, intAttribute, intsAttribute, messageField, readDefaultOpset, readGraphNodes, readGraphValueNames, readScalarInitializers, stringField, varintBytes, type WireNode } from './onnx-wire.js';
