// The weight statistics engine: per-tensor figures and histograms, model-wide summaries and flags,
// worker-thread computation with progress and cancellation, a disk cache, and exports.
export type {
  Histogram, Percentiles, OutlierStats, RowStats, ValueStats, TensorStats, GroupTotal, StatsFlag, StatsFlagKind,
  SkippedTensor, ModelStats, TensorStatsOptions,
} from './stats-types.js';
export { computeTensorStats, statsOfData, TensorStatsBuilder, tensorMeta, dequantizedValues, type TensorMeta, type TensorStatsResult, type TensorBytes } from './stats-tensor.js';
export { computeModelStats, defaultWorkerPath, MODEL_STATS_VERSION, type ModelStatsOptions, type StatsProgress } from './stats-model.js';
export { quantizationFromGraph, constantTensorOf, readTensorNumbers } from './stats-quantization.js';
export { nameScope, consumingOpTypes, summarizeWeights, flagsFor, DEFAULT_SPREAD_RATIO, DEFAULT_OUTLIER_SIGMA } from './stats-summary.js';
export { tensorToNpy, npyFile, statsToCsv, statsToJson, statsJsonText, valueStatsJson, type NpyOptions, type StatsJsonOptions } from './stats-export.js';
export { statsCacheKey, readStatsCache, writeStatsCache, encodeStatsJson, decodeStatsJson } from './stats-cache.js';
export { statsKernel, wasmKernelAvailable } from './stats-kernel-wasm.js';
export { StatsWorkerPool } from './stats-pool.js';
