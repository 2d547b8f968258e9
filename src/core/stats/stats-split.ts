/**
 * One large tensor computed by several workers at once: a tensor on the code path (stats-codes.ts)
 * is cut into spans of whole blocks; each worker counts its span's codes and row figures, and the
 * host adds the counts and merges the rows. Counts add exactly, so the figures are the ones a single
 * pass gives, whatever the number of parts.
 */
import { ModelError } from '../ir/errors.js';
import { CodeAccumulator, codeFigures, codePlan, mergeCodeStates, type CodeConfig, type CodeState } from './stats-codes.js';
import { BLOCK, MAX_BINS } from './stats-kernel.js';
import { codeKernel } from './stats-kernel-wasm.js';
import { guardRead, RangeReader, tensorStatsResult, type TensorBytes, type TensorMeta, type TensorStatsResult } from './stats-tensor.js';
import type { TensorStatsOptions } from './stats-types.js';

/** Tensors from this size up are split when there are workers to share them; parts are at least half of it (a part costs a message and a 65536-counter merge). */
export const SPLIT_MIN_BYTES = 32 << 20;
/** Bytes read per step of a part. */
const READ_BYTES = 16 << 20;
let spare = new Uint8Array(0);

function configOf(meta: TensorMeta, options: TensorStatsOptions): CodeConfig {
  const bins = options.bins ?? 256;
  if (!(bins >= 1 && bins <= MAX_BINS && Number.isInteger(bins))) throw new RangeError(`bins must be an integer from 1 to ${MAX_BINS}`);
  return { count: meta.elementCount, bins, outlierSigma: options.outlierSigma ?? 10, shape: meta.shape, byteLength: meta.byteLength };
}

/** Element spans [from, to) to split a tensor into for `workers` workers, or null to compute it whole. */
export function splitSpans(meta: TensorMeta, workers: number, minBytes = SPLIT_MIN_BYTES): [number, number][] | null {
  if (workers < 2 || meta.byteLength < minBytes || !codePlan(meta)) return null;
  const parts = Math.min(workers, Math.floor(meta.byteLength / (minBytes / 2)));
  const blocks = Math.ceil(meta.elementCount / BLOCK);
  const per = Math.ceil(blocks / parts);
  const spans: [number, number][] = [];
  for (let b = 0; b < blocks; b += per) spans.push([b * BLOCK, Math.min(meta.elementCount, (b + per) * BLOCK)]);
  return spans.length > 1 ? spans : null;
}

/** Counts the codes of elements [from, to) of a tensor (`from` a multiple of BLOCK). */
export async function codePartOfData(meta: TensorMeta, data: TensorBytes, from: number, to: number, options: TensorStatsOptions = {}): Promise<CodeState> {
  const plan = codePlan(meta);
  if (!plan) throw new Error(`${meta.name} does not take the code path`);
  const bytesOf = (e: number) => Math.ceil((e * plan.bits) / 8);
  const end = bytesOf(to);
  if (data.byteLength < end) {
    throw new ModelError('truncated', `tensor data ended after ${data.byteLength} of ${bytesOf(meta.elementCount)} bytes`, { file: meta.file, tensor: meta.name });
  }
  const acc = new CodeAccumulator(plan, codeKernel(options.kernel ?? 'auto'), configOf(meta, options), { from, to });
  const step = Math.max(1, Math.floor(READ_BYTES / bytesOf(BLOCK))) * BLOCK; // whole blocks per read
  // File-backed bytes go into one reused buffer (a fresh 16 MB buffer per read costs page faults and leaves garbage).
  const ranges = data.fileRanges?.() ?? null;
  const reader = ranges ? new RangeReader(ranges) : null;
  if (reader && spare.length < bytesOf(step)) spare = new Uint8Array(bytesOf(step));
  try {
    for (let e = from; e < to; e += step) {
      if (options.signal?.aborted) throw new ModelError('cancelled', 'statistics cancelled', { file: meta.file, tensor: meta.name });
      const stop = Math.min(to, e + step);
      const pos = bytesOf(e), len = bytesOf(stop) - pos;
      let bytes: Uint8Array;
      if (reader) {
        bytes = spare.subarray(0, len);
        await guardRead(meta, pos, len, () => reader.read(pos, bytes));
      } else {
        bytes = await guardRead(meta, pos, len, () => data.read(pos, len));
      }
      if (bytes.length < len) throw new ModelError('truncated', `tensor data ended after ${pos + bytes.length} of ${bytesOf(meta.elementCount)} bytes`, { file: meta.file, tensor: meta.name });
      for (let b = e; b < stop; b += BLOCK) acc.block(bytes, bytesOf(b - e), Math.min(BLOCK, stop - b), b);
    }
  } catch (err) {
    acc.state(false); // hands the counters back
    throw err;
  } finally {
    await reader?.close();
  }
  return acc.state();
}

/** The result of a tensor from the states of its parts. */
export function mergeCodeParts(meta: TensorMeta, parts: CodeState[], kernel: 'wasm' | 'js', options: TensorStatsOptions = {}): TensorStatsResult {
  const cfg = configOf(meta, options);
  const { value, raw } = codeFigures(codePlan(meta)!, cfg, mergeCodeStates(cfg, parts));
  return tensorStatsResult(meta, value, raw, kernel);
}
