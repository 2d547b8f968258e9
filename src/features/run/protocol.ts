// The Run panel's request params and results (webview ⇄ host). Types and constants only, shared by
// the webview (webview/run/) and the host handlers (handlers.ts).
import type { RuntimeProvider } from '../../protocol.js';
import type { Histogram, OutputPayload, TensorStatsSummary } from '../../core/runtime/tensor-summary.js';
import type { ProfileReport, ProfileRow } from '../../core/runtime/profile.js';
import type { RunShapes } from '../../core/runtime/run-shapes.js';

export type { Histogram, OutputPayload, TensorStatsSummary, ProfileRow };

/** 'default': the model's own default for the input (run.defaults says which, and why). */
export const FILL_KINDS = ['default', 'random', 'uniform', 'zeros', 'ones', 'range', 'constant'] as const;
export type RunFillKind = (typeof FILL_KINDS)[number];

/** How one input gets its values: generated, or a file the host read after its open dialog. */
export type InputSpec =
  | { name: string; source: 'fill'; kind: RunFillKind; seed?: number; value?: number; low?: number; high?: number }
  | { name: string; source: 'file'; token: number };

/** run.defaults (params: { dims }): the sizes and fills a run uses where the user sets none, each with its reason. */
export interface RunDefaultsResult {
  inputs: {
    name: string;
    shape: number[] | null;
    /** Every open dim: the key the dims map sets it by (a name, or `input:axis`). */
    dims: { axis: number; key: string; value: number; reason: string; byDefault?: { value: number; reason: string } }[];
    /** `check`: a guess (a scalar setting) the user should confirm. */
    fill: { kind: Exclude<RunFillKind, 'default'>; reason: string; value?: number; low?: number; high?: number; check?: true };
  }[];
  /** Config files next to the model that could not be read. */
  warnings: string[];
}

export interface InferParams {
  inputs: InputSpec[];
  /** Sizes of symbolic dims by name (`batch`) or `input:axis`. */
  dims: Record<string, number>;
  runs: number;
  warmup: number;
}

export interface LatencySummary { min: number; p50: number; p90: number; mean: number; max: number; runs: number }

/** Notified while a run is in a phase the user should see (the first GPU run compiling its kernels); null when it ends. */
export const RUN_PHASE_TOPIC = 'run.phase';
export interface RunPhaseEvent { phase: 'compiling' | null }

export interface InferResult {
  provider: string;
  /** Which provider was asked for (the setting). */
  requested: RuntimeProvider;
  fallbackReason: string | null;
  loadMs: number;
  latency: LatencySummary;
  outputs: OutputPayload[];
  /** The first run on a GPU provider with these shapes (kernel compilation), ms; not in `latency`. */
  firstRunMs?: number;
  /** What 'auto' decided after timing the GPU against the CPU: "CPU chosen: 17 ms against 1.7 s on WebGPU". */
  autoReason?: string;
  /** After a GPU run: where the nodes ran ("WebGPU ran 61 of 64 nodes; 3 fell back to the CPU: …"). */
  placement?: string;
  /** The shapes this run made known (measured, or the shape rules on its input dims), for the graph view. */
  shapes?: RunShapes;
}

export interface ActivationStat {
  nodeId: number;
  value: string;
  dtype: string;
  shape: number[];
  mean: number | null;
  absMax: number | null;
  nan: number;
  /**
   * Present when ONNX Runtime fused this value into another node (the source node named, null:
   * folded at load): no statistics come with it; run.activationHistogram computes it on request.
   */
  fusedInto?: string | null;
}

export interface ActivationsResult extends InferResult {
  activations: ActivationStat[];
  /** Selected nodes that have no capturable output (inside subgraphs, non-tensor). */
  skipped: number;
  /** Captured values ONNX Runtime fused into another node (computed on the source graph for the panel). */
  fused?: { value: string; into: string | null; blocked?: true }[];
}

export interface ProviderInfo { name: string; bundled: boolean }
export interface ProvidersResult { configured: RuntimeProvider; available: ProviderInfo[]; runsInPanel: boolean }

export interface CompareRow { name: string; maxAbsDiff: number | null; maxRelDiff: number | null; cosine: number; mismatched: number; shapeMatches: boolean }
export interface CompareResult {
  reference: { provider: string; latency: LatencySummary };
  other: { provider: string; latency: LatencySummary; fallbackReason: string | null } | null;
  /** Why no second provider could run, when `other` is null. */
  unavailable: string | null;
  rows: CompareRow[];
}

export interface PickedFile { token: number; fileName: string; dtype: string; shape: number[] }


/**
 * run.profile (params: InferParams): the timed runs, then one run with ORT's profiler on. `rows`
 * holds every top-level node in graph order; a row's `index` is its node id in the main graph.
 */
export interface ProfileResult extends InferResult, Omit<ProfileReport, 'latencyMs'> {}
