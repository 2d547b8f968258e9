// Messages between RuntimeHost (caller) and the runtime process. Sent with `serialization:
// 'advanced'` (structured clone), so typed arrays cross as bytes, not JSON.
import type { ErrorPlace, ModelErrorCode } from '../ir/errors.js';
import type { LoadOptions, LoadResult, RunResult } from './backend.js';
import type { PackedTensors } from './tensor-pack.js';
import type { PackedSummaries } from './summary-pack.js';
import type { RuntimeErrorCode } from './errors.js';

export interface GraphValueNames {
  /** Outputs of the main graph's nodes, in file order: what can be captured. */
  nodeOutputs: string[];
  /** The main graph's declared outputs. */
  graphOutputs: string[];
}

export interface ProviderListing {
  name: string;
  bundled: boolean;
}

export type RuntimeRequest =
  | { id: number; op: 'load'; modelPath: string; options: LoadOptions }
  | { id: number; op: 'run'; inputs: PackedTensors; options: { runs?: number; warmup?: number; captureValues?: string[]; profile?: boolean } }
  | { id: number; op: 'valueNames' }
  | { id: number; op: 'providers' }
  | { id: number; op: 'dispose' }
  | { id: number; op: 'cancel'; target: number };

/** A run result on the wire: outputs and captured values packed into one buffer each. */
export interface RunReply extends Omit<RunResult, 'outputs' | 'captured' | 'summaries'> {
  outputs: PackedTensors;
  captured: PackedTensors;
  summaries?: PackedSummaries;
}

export interface RuntimeReplies {
  load: LoadResult;
  run: RunReply;
  valueNames: GraphValueNames;
  providers: ProviderListing[];
  dispose: null;
}

export interface SerializedError {
  name: string;
  message: string;
  code?: ModelErrorCode | RuntimeErrorCode;
  detail?: string;
  place?: ErrorPlace;
}

export type RuntimeMessage =
  | { type: 'ready'; pid: number; versions: Record<string, string> }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: SerializedError }
  | { type: 'rss'; bytes: number }
  /** A run entered or left a phase (the first GPU run compiling its kernels); sent before the native call. */
  | { type: 'phase'; id: number; phase: RunPhase | null };

export type RunPhase = 'compiling';
