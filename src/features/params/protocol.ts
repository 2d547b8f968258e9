// The Parameters view's requests (webview → host) and their results. Types and constants only,
// imported by both sides (no Node, no DOM, no vscode). Numeric columns travel as ArrayBuffers.
import type { GroupTotal, StatsFlag, TensorStats, ValueStats } from '../../core/stats/stats-types.js';

/** Bins of the per-row sparkline histograms sent with the table. */
export const SPARK_BINS = 24;
/** Most values one `params.values` page may ask for. */
export const MAX_VALUES_PAGE = 4096;
/** Most output channels `params.channels` answers for. */
export const MAX_CHANNELS = 65536;

/**
 * Per-tensor numbers of the table, one Float64Array column per name, indexed by row. Rows are the
 * weights that got statistics, identified by `weightIds[row]` (GraphPayload weight ids).
 */
export const TABLE_COLUMNS = ['count', 'bytes', 'min', 'max', 'mean', 'std', 'absMax', 'sparsity', 'nan', 'inf', 'maxAbsZ', 'deadRows', 'rangeRatio'] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];

export interface ModelStatsResult {
  /** Weight id of each row (Int32Array buffer). */
  weightIds: ArrayBuffer;
  /** TABLE_COLUMNS.length × rows float64 values, column-major: column c of row r at c·rows + r. */
  columns: ArrayBuffer;
  rows: number;
  /** rows × SPARK_BINS bin heights scaled to 0..255 (Uint8Array buffer). */
  sparklines: ArrayBuffer;
  /** Model-wide figures of all float weights; histogram included. */
  model: ValueStats;
  totals: { tensors: number; parameters: number; bytes: number };
  byDtype: GroupTotal[];
  byScope: GroupTotal[];
  byOpType: GroupTotal[];
  largest: { weightId: number; name: string; dtype: string; shape: number[]; parameters: number; bytes: number }[];
  /** Flags with the weight id they belong to (−1 when the name matched none). */
  flags: (StatsFlag & { weightId: number })[];
  skipped: { weightId: number; name: string; dtype: string; reason: string }[];
  options: { bins: number; outlierSigma: number; spreadRatio: number };
  elapsedMs: number;
  fromCache: boolean;
}

/** `notify` topic of model-pass progress. */
export const STATS_PROGRESS_TOPIC = 'params.progress';
export interface StatsProgressEvent { bytesDone: number; bytesTotal: number; tensorsDone: number; tensorsTotal: number }

/**
 * `notify` topic of rows finished while the model pass runs, sent in batches (about every 100 ms)
 * before the pass's result: the table fills in as tensors finish; the summary waits for the result.
 */
export const STATS_ROWS_TOPIC = 'params.rows';
export type StatsRowsEvent = Pick<ModelStatsResult, 'weightIds' | 'columns' | 'rows' | 'sparklines' | 'flags'>;

export interface TensorStatsResult { weightId: number; stats: TensorStats }

export interface ValuesResult {
  weightId: number;
  offset: number;
  count: number;
  /** The decoded stored values, Float64Array buffer (exactly `count` elements). */
  values: ArrayBuffer;
  /** Dequantized values when the tensor is quantized (Float64Array buffer), else null. */
  dequantized: ArrayBuffer | null;
}

export interface ChannelsResult {
  weightId: number;
  /** Size of axis 0 and the values per row. */
  rows: number;
  rowSize: number;
  /** Per-row min / max of the finite values (NaN for rows without any), Float64Array buffers. */
  min: ArrayBuffer;
  max: ArrayBuffer;
}

export type StatsExportKind = 'npy' | 'csv' | 'json';
export const STATS_EXPORT_KINDS: readonly StatsExportKind[] = ['npy', 'csv', 'json'];

/** `save: true` asks the user where to save and writes it; `false` returns the file instead. */
export interface StatsExportParams { kind: StatsExportKind; weightId?: number; save: boolean }
export type StatsExportResult =
  | { saved: true; path: string }
  | { saved: false; cancelled: true }
  | { saved: false; cancelled?: false; fileName: string; data: string | ArrayBuffer };

/** The requests of this feature, as HostRequests entries (see src/protocol.ts). */
export interface StatsRequests {
  'params.model': { params: { bins?: number }; result: ModelStatsResult };
  'params.tensor': { params: { weightId: number; bins?: number }; result: TensorStatsResult };
  'params.values': { params: { weightId: number; offset: number; count: number }; result: ValuesResult };
  'params.channels': { params: { weightId: number }; result: ChannelsResult };
  'params.export': { params: StatsExportParams; result: StatsExportResult };
}
