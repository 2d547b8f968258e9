// "Explain the function": cost, formulas, by-hand computation, sweeps and what-if edits.
export { computeCost, COST_CONVENTION, type CostOptions, type CostReport, type NodeCostEntry } from '../cost/cost.js';
export { trainingCost, latencyImplications, type TrainingCost, type TrainingOptions, type Optimizer } from '../cost/training.js';
export { resolveShapes, topologicalOrder, type DimsOptions, type ShapeResolution, type KnownValue } from '../shapes/index.js';
export { operatorCost, type OpCost, type CostBasis } from '../cost/op-cost.js';
export { activationMemory, type ActivationMemory } from '../cost/memory.js';
export { formatBytes, formatCount, formatSeconds, formatWithUnit } from '../cost/format.js';
export { nodeFormula, isComputedFromWeights, type NodeFormula, type FormulaFamily, type FormulaOptions, type FormulaPart, type FormulaTensor } from './formula/formula.js';
export { formatNumber, formatValues } from './formula/formula-tensors.js';
export { composeModelFormula, type ComposedFormula, type ComposeOptions, type LegendEntry } from './formula/compose.js';
export { handCompute, canHandCompute, unravel, type ArrayValue, type HandComputation, type HandTerm } from './by-hand/hand-compute.js';
export { featureMaps, type FeatureMap, type FeatureMapOptions } from './by-hand/feature-maps.js';
export { editWeight, applyWeightEdit, sliceIndices, type WeightEdit, type EditSlice, type WeightEditResult } from '../edits/weight-edit.js';
export { quantizeInt8, type Int8QuantizeOptions, type Int8Quantized } from '../edits/quantize.js';
export { writeModifiedModel, type ModifiedModelFiles } from '../model-write/index.js';
export { compareWhatIf, activationShift, type OutputChange } from '../edits/output-change.js';
export { buildSweepInputs, sweepSeries, sweepValues, type SweepInputs } from '../edits/sweep.js';
export { readReluMlp, makeMlp, pieceValue, type ReluMlp, type DenseLayer, type CurvePiece } from './by-hand/relu-mlp.js';
export { readTensorNumbers, decodeNumbers, encodeNumbers } from './values/tensor-values.js';
