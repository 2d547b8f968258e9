/**
 * Exports: one tensor as a NumPy .npy file, and the statistics table as CSV or JSON.
 */
import type { DataType } from '../ir/dtype.js';
import { ModelError } from '../ir/errors.js';
import type { Quantization, Tensor } from '../ir/tensor.js';
import { elementDecoder } from './decode.js';
import { dequantizedValues } from './stats-tensor.js';
import type { ModelStats, TensorStats, ValueStats } from './stats-types.js';

export interface NpyOptions {
  /** 'raw' (default): the stored values; 'dequantized': scale · (q − zeroPoint) as float32. */
  variant?: 'raw' | 'dequantized';
  /** Quantization for a tensor without its own (e.g. from quantizationFromGraph). */
  quantization?: Quantization;
  /** The model file, for error messages. */
  file?: string;
}

// Stored dtype → npy descr, for types whose bytes are written unchanged.
const DIRECT: Partial<Record<DataType, string>> = {
  float32: '<f4', float64: '<f8', float16: '<f2', int8: '|i1', uint8: '|u1', int16: '<i2', uint16: '<u2',
  int32: '<i4', uint32: '<u4', int64: '<i8', uint64: '<u8', bool: '|b1', complex64: '<c8', complex128: '<c16',
};

/** An .npy (format 1.0) file: magic, header dict padded to 64 bytes, then the little-endian data. */
export function npyFile(descr: string, shape: number[], data: Uint8Array): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

/**
 * One tensor as .npy. float16 stays '<f2'; bfloat16 and float8/float4 become float32; 4- and 2-bit
 * integers are unpacked to int8/uint8; quantized tensors give their stored integers ('raw') or
 * float32 dequantized values ('dequantized').
 */
export async function tensorToNpy(tensor: Tensor, options: NpyOptions = {}): Promise<Uint8Array> {
  const file = options.file ?? tensor.location;
  const q = tensor.quantization ?? options.quantization;
  const dec = elementDecoder(tensor.dtype);
  if (options.variant === 'dequantized') {
    if (!q) throw new ModelError('unsupported', 'the tensor is not quantized: there are no dequantized values', { file, tensor: tensor.name });
    if (!dec) throw new ModelError('unsupported', `${tensor.dtype} tensors cannot be dequantized`, { file, tensor: tensor.name });
    const values = await dequantizedValues(tensor, q, file);
    return npyFile('<f4', tensor.shape, new Uint8Array(values.buffer));
  }
  const direct = DIRECT[tensor.dtype];
  const bytes = await tensor.data.read();
  if (direct) return npyFile(direct, tensor.shape, bytes);
  if (!dec) throw new ModelError('unsupported', `${tensor.dtype} tensors cannot be written as .npy`, { file, tensor: tensor.name });
  const n = tensor.elementCount;
  if (tensor.dtype === 'int4' || tensor.dtype === 'int2' || tensor.dtype === 'uint4' || tensor.dtype === 'uint2') {
    const vals = new Float32Array(n);
    dec.decode(bytes, 0, n, vals);
    const signed = tensor.dtype.startsWith('int');
    const out = signed ? Int8Array.from(vals) : Uint8Array.from(vals);
    return npyFile(signed ? '|i1' : '|u1', tensor.shape, new Uint8Array(out.buffer));
  }
  const vals = new Float32Array(n); // bfloat16, float8 variants, float4: exact in float32
  dec.decode(bytes, 0, n, vals);
  return npyFile('<f4', tensor.shape, new Uint8Array(vals.buffer));
}

/** What the JSON export holds: compact (figures and histogram counts) or with every detail. */
export interface StatsJsonOptions {
  /** Add percentiles, histogram edges, the log-magnitude histogram, outliers and per-row figures. */
  detail?: boolean;
}

/**
 * The figures the CLI and the JSON export give for a set of values. Compact: the linear histogram
 * is its ends and its counts as a plain array (its bins are equal: edge i = lo + (hi − lo)·i/bins).
 */
export function valueStatsJson(s: ValueStats, options: StatsJsonOptions = {}): Record<string, unknown> {
  const h = s.histogram;
  const base = {
    count: s.count, min: s.min, max: s.max, mean: s.mean, std: s.std, absMax: s.absMax,
    zeros: s.zeros, sparsity: s.sparsity, nan: s.nan, inf: s.inf, posInf: s.posInf, negInf: s.negInf,
  };
  if (!options.detail) {
    return { ...base, histogram: h.counts.length ? { lo: h.edges[0], hi: h.edges[h.edges.length - 1], counts: h.counts } : { counts: [] } };
  }
  return {
    ...base, percentiles: s.percentiles, histogram: h, logHistogram: s.logHistogram, outliers: s.outliers,
    ...(s.rows ? { rows: s.rows } : {}),
  };
}

/** The JSON export: one entry per weight (dequantized figures, stored integers under `raw`), the model entry, flags. */
export function statsToJson(stats: ModelStats, options: StatsJsonOptions = {}): Record<string, unknown> {
  const tensor = (t: TensorStats) => ({
    name: t.name, dtype: t.dtype, shape: t.shape, ...valueStatsJson(t, options),
    ...(t.quantization ? { quantization: t.quantization } : {}),
    ...(t.raw ? { raw: valueStatsJson(t.raw, options) } : {}),
  });
  return {
    file: stats.path,
    tensors: [
      ...stats.tensors.map(tensor),
      ...stats.skipped.map((s) => ({ name: s.name, dtype: s.dtype, skipped: s.reason })),
    ],
    model: valueStatsJson(stats.model, options),
    totals: stats.totals,
    byDtype: stats.byDtype,
    flags: stats.flags,
  };
}

/** JSON text with each top-level field, and each tensor, on a line of its own (no line per number). */
export function statsJsonText(json: Record<string, unknown>): string {
  const lines = Object.entries(json).map(([k, v]) => {
    const key = JSON.stringify(k);
    if (Array.isArray(v) && v.length) return `${key}: [\n${v.map((x) => '  ' + JSON.stringify(x)).join(',\n')}\n ]`;
    return `${key}: ${JSON.stringify(v)}`;
  });
  return `{\n ${lines.join(',\n ')}\n}\n`;
}

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'number' && Number.isNaN(v) ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const CSV_COLUMNS = ['name', 'dtype', 'shape', 'count', 'bytes', 'min', 'max', 'mean', 'std', 'absMax', 'zeros', 'sparsity',
  'nan', 'posInf', 'negInf', 'p1', 'p5', 'p25', 'p50', 'p75', 'p95', 'p99', 'quantized', 'rawMin', 'rawMax', 'deadRows', 'rangeRatio', 'flags'];

/** The statistics table as CSV, one row per tensor (header first). */
export function statsToCsv(stats: ModelStats): string {
  const flagsBy = new Map<string, string[]>();
  for (const f of stats.flags) flagsBy.set(f.tensor, [...(flagsBy.get(f.tensor) ?? []), f.kind]);
  const rows = stats.tensors.map((t) => {
    const p = t.percentiles;
    return [t.name, t.dtype, `[${t.shape.join('x')}]`, t.count, t.bytes, t.min, t.max, t.mean, t.std, t.absMax, t.zeros, t.sparsity,
      t.nan, t.posInf, t.negInf, p?.p1, p?.p5, p?.p25, p?.p50, p?.p75, p?.p95, p?.p99, t.quantization ? 'yes' : '',
      t.raw?.min, t.raw?.max, t.rows?.deadRows, t.rows?.rangeRatio, (flagsBy.get(t.name) ?? []).join(' ')].map(csvField).join(',');
  });
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
