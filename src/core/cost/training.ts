// One training step ≈ forward + backward, the backward pass costing about twice the forward (one
// product for the input gradient, one for the weight gradient): 3× forward FLOPs. Memory: fp32
// weights, their gradients, optimizer state (Adam keeps two more fp32 copies: m and v), and every
// activation of the forward pass, kept for the backward pass.

export type Optimizer = 'adam' | 'sgd' | 'sgd-momentum';

export interface TrainingOptions {
  /** Examples in the training set (default 10 000). */
  datasetSize?: number;
  /** Passes over the training set (default 10). */
  epochs?: number;
  optimizer?: Optimizer;
}

export interface TrainingInputs {
  forwardFlopsPerExample: number;
  trainableParameters: number;
  /** Bytes of weights training does not update (integer tensors). */
  frozenParameterBytes: number;
  /** All activations of one forward pass at `batch`. */
  activationBytesPerStep: number;
  batch: number;
}

export interface TrainingCost {
  optimizer: Optimizer;
  batch: number;
  datasetSize: number;
  epochs: number;
  /** Forward + backward for one example: 3 × forward. */
  flopsPerExample: number;
  flopsPerStep: number;
  stepsPerEpoch: number;
  steps: number;
  flopsPerRun: number;
  /** One training run expressed in inferences of one example: flopsPerRun / forward FLOPs per example. */
  inferencesPerRun: number;
  memoryBytes: { total: number; weights: number; gradients: number; optimizerState: number; activations: number };
}

const OPTIMIZER_COPIES: Record<Optimizer, number> = { adam: 2, 'sgd-momentum': 1, sgd: 0 };

/** Training step, run and memory from a forward pass's numbers. */
export function trainingCost(t: TrainingInputs, options: TrainingOptions = {}): TrainingCost {
  const datasetSize = options.datasetSize ?? 10_000;
  const epochs = options.epochs ?? 10;
  const optimizer = options.optimizer ?? 'adam';
  const flopsPerExample = 3 * t.forwardFlopsPerExample;
  const stepsPerEpoch = Math.ceil(datasetSize / t.batch);
  const steps = stepsPerEpoch * epochs;
  const flopsPerRun = flopsPerExample * datasetSize * epochs;
  const weights = t.trainableParameters * 4 + t.frozenParameterBytes;
  const gradients = t.trainableParameters * 4;
  const optimizerState = t.trainableParameters * 4 * OPTIMIZER_COPIES[optimizer];
  const activations = t.activationBytesPerStep;
  return {
    optimizer, batch: t.batch, datasetSize, epochs, flopsPerExample, flopsPerStep: flopsPerExample * t.batch, stepsPerEpoch, steps,
    flopsPerRun,
    inferencesPerRun: t.forwardFlopsPerExample > 0 ? flopsPerRun / t.forwardFlopsPerExample : 3 * datasetSize * epochs,
    memoryBytes: { total: weights + gradients + optimizerState + activations, weights, gradients, optimizerState, activations },
  };
}

/** What a measured latency implies: achieved GFLOPS, and a training run's time at that speed. */
export function latencyImplications(forwardFlopsPerExample: number, batch: number, measuredMs: number, training: Pick<TrainingCost, 'flopsPerRun'>): { achievedGflops: number; trainingRunSeconds: number } {
  const achieved = measuredMs > 0 ? (forwardFlopsPerExample * batch) / (measuredMs / 1000) / 1e9 : 0;
  return { achievedGflops: achieved, trainingRunSeconds: achieved > 0 ? training.flopsPerRun / (achieved * 1e9) : Infinity };
}
