import type { DataType } from '../ir/dtype.js';
import type { Dim } from '../ir/shape.js';
import type { AutoDecision } from './auto-provider.js';
import type { FusedValue } from './capture-fused.js';
import type { ValueSummary } from './output-stats.js';
import type { ProfiledRun } from './profile-session.js';
import type { RuntimeTensor } from './tensor-value.js';

/** Which execution provider to use; 'auto' tries GPU providers first and falls back to CPU. */
export type ProviderChoice = 'auto' | 'cpu' | 'webgpu' | 'cuda' | 'dml' | 'coreml';
/** An execution provider that can actually run a session. */
export type ExecutionProvider = Exclude<ProviderChoice, 'auto'>;

export const PROVIDER_CHOICES: readonly ProviderChoice[] = ['auto', 'cpu', 'webgpu', 'cuda', 'dml', 'coreml'];

/** A model input or output as the runtime sees it (dims may be symbolic or null). */
export interface RuntimeValueInfo {
  name: string;
  /** undefined for non-tensor values (sequences, maps). */
  dtype?: DataType;
  shape: Dim[] | null;
  isTensor: boolean;
}

export interface LoadOptions {
  provider?: ProviderChoice;
}

/** One provider that was tried and failed, and why. */
export interface ProviderAttempt {
  provider: ExecutionProvider;
  error: string;
}

export interface LoadResult {
  /** The provider the session runs on. */
  provider: ExecutionProvider;
  /** Why earlier providers were passed over ("webgpu: …; cuda: …"), or null when the first choice worked. */
  fallbackReason: string | null;
  attempts: ProviderAttempt[];
  inputs: RuntimeValueInfo[];
  outputs: RuntimeValueInfo[];
  /** Time to create the session, ms. */
  loadMs: number;
}

export interface RunOptions {
  /** Timed runs (default 1). */
  runs?: number;
  /** Untimed runs before the timed ones (default 0). */
  warmup?: number;
  /** Cancels the run; the runtime process is stopped if it does not stop by itself. */
  signal?: AbortSignal;
  /** Intermediate values to return too: names of node outputs of the main graph, or ['*'] for all. */
  captureValues?: string[];
  /**
   * Captured values that ONNX Runtime fused away (capture taps the optimized graph): 'compute' (the
   * default) computes them on the source graph, once, outside the timed runs; 'report' only lists
   * them in RunResult.fused.
   */
  fusedValues?: 'compute' | 'report';
  /**
   * 'summaries': the overview — RunResult.summaries holds min/max/mean/std and NaN/Inf counts of
   * every captured value, reduced in the graph where worth it (capture-reduce.ts; those say
   * `from: 'graph'`), and `captured` is empty then (with few values, no reduction: the tensors). Default 'tensors'.
   */
  captureAs?: 'tensors' | 'summaries';
  /** 'source' taps the source graph (the earlier path: every value an extra output, fusion undone); for comparisons and benchmarks. */
  captureGraph?: 'optimized' | 'source';
  /** Kills the run after this long (ms). */
  timeoutMs?: number;
  /** After the timed runs, one more run with ORT's profiler on (a session of its own): RunResult.trace. */
  profile?: boolean;
  /** Called when the run enters or leaves a phase ('compiling': the first GPU run); stays in the caller's process. */
  onPhase?: (phase: 'compiling' | null) => void;
}

/** Latency summary of the timed runs, milliseconds. */
export interface LatencyStats {
  min: number;
  p50: number;
  p90: number;
  mean: number;
  max: number;
  runs: number;
}

export interface RunResult {
  /** The model's outputs, in declaration order. */
  outputs: RuntimeTensor[];
  /** Captured intermediate values (same form as outputs), in graph order. */
  captured: RuntimeTensor[];
  /** With captureAs 'summaries': one per captured value (fused ones too when computed), in graph order. */
  summaries?: ValueSummary[];
  /** Captured values the optimized graph does not compute on its own, and where they went (CPU capture). */
  fused?: FusedValue[];
  latencyMs: LatencyStats;
  provider: ExecutionProvider;
  /** The profiled run's kernels, when `profile` was asked for (map them with attributeProfile). */
  trace?: ProfiledRun;
  /** The first run on a GPU provider with these input shapes (kernel compilation), ms; not in `latencyMs`. */
  firstRunMs?: number;
  /** What 'auto' decided after timing the GPU against the CPU (see auto-provider.ts). */
  auto?: AutoDecision;
}

/** A model runner. The onnxruntime backend runs in the runtime process; RuntimeHost forwards to it. */
export interface Backend {
  load(modelPath: string, options?: LoadOptions): Promise<LoadResult>;
  run(inputs: RuntimeTensor[], options?: RunOptions): Promise<RunResult>;
  dispose(): Promise<void>;
}
