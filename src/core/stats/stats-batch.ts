/**
 * Statistics of many small tensors at once, synchronously: the per-tensor cost of the async path
 * (a file opened and closed, promises, a worker message per tensor) is more than the work on a
 * tensor of a few kilobytes. Files are opened once per batch and neighbouring tensors of one file
 * are read with one read; each tensor still gets its own result or its own error.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ModelError } from '../ir/errors.js';
import type { FileRange } from '../ir/tensor.js';
import { TensorStatsBuilder, type TensorMeta, type TensorStatsResult } from './stats-tensor.js';
import type { TensorStatsOptions } from './stats-types.js';

/** Tensors up to this size go in batches. */
export const BATCH_TENSOR_BYTES = 1 << 20;
/** A batch holds up to this many bytes or BATCH_MAX_TENSORS tensors. */
export const BATCH_BYTES = 4 << 20;
export const BATCH_MAX_TENSORS = 2048;

/** One tensor of a batch: its bytes in files, or handed over. */
export interface BatchItem {
  meta: TensorMeta;
  ranges: FileRange[] | null;
  bytes: Uint8Array | null;
}

/** Groups tensors (already in the order wanted) into batches of at most BATCH_BYTES / BATCH_MAX_TENSORS. */
export function batchesOf<T>(items: T[], bytesOf: (t: T) => number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [], size = 0;
  for (const it of items) {
    const b = bytesOf(it);
    if (cur.length && (size + b > BATCH_BYTES || cur.length >= BATCH_MAX_TENSORS)) { out.push(cur); cur = []; size = 0; }
    cur.push(it);
    size += b;
  }
  if (cur.length) out.push(cur);
  return out;
}

class SyncFiles {
  private readonly fds = new Map<string, number>();
  fd(path: string): number {
    let fd = this.fds.get(path);
    if (fd === undefined) { fd = openSync(path, 'r'); this.fds.set(path, fd); }
    return fd;
  }
  /** Reads up to target.length bytes at `position`; returns how many the file had. */
  read(path: string, position: number, target: Uint8Array): number {
    const fd = this.fd(path);
    let done = 0;
    while (done < target.length) {
      const n = readSync(fd, target, done, target.length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }
  close(): void {
    for (const fd of this.fds.values()) { try { closeSync(fd); } catch { /* already gone */ } }
    this.fds.clear();
  }
}

/** The first target.length bytes of the concatenated ranges (errors as statsOfData's reader words them). */
function readRanges(files: SyncFiles, ranges: FileRange[], target: Uint8Array): void {
  let written = 0;
  for (const r of ranges) {
    if (written >= target.length) break;
    const n = Math.min(r.length, target.length - written);
    const got = files.read(r.path, r.offset, target.subarray(written, written + n));
    if (got < n) throw new Error(`${r.path} ended at byte ${r.offset + got}, ${n - got} bytes short`);
    written += n;
  }
  if (written < target.length) throw new Error(`the file ranges hold ${written} of the ${target.length} bytes asked for`);
}

let spanBuffer = new Uint8Array(0);

/** Both passes over bytes already in memory. */
function statsOfBytes(builder: TensorStatsBuilder, bytes: Uint8Array): TensorStatsResult {
  builder.beginPass(1);
  builder.push(bytes);
  if (builder.endPass()) {
    builder.beginPass(2);
    builder.push(bytes);
    builder.endPass();
  }
  return builder.result();
}

/** What statsOfBatch hands over per item: its result, or the error that stopped it. */
export type BatchOutcome = TensorStatsResult | Error;

/**
 * Statistics of each item, in order, each outcome (its result, or the error that stopped it)
 * handed to `each` as soon as it is computed: a consumer that packs or merges it at once lets its
 * arrays die young (a batch's worth held to the end is promoted and costs full collections).
 */
export function statsOfBatch(items: BatchItem[], options: TensorStatsOptions, each: (r: BatchOutcome, index: number) => void): void {
  const files = new SyncFiles();
  try {
    // One read for the span of the file-backed single-range tensors of one file, when they lie close together.
    const byPath = new Map<string, { lo: number; hi: number; sum: number }>();
    for (const it of items) {
      if (!it.ranges || it.ranges.length !== 1) continue;
      const r = it.ranges[0];
      const s = byPath.get(r.path);
      if (!s) byPath.set(r.path, { lo: r.offset, hi: r.offset + r.length, sum: r.length });
      else { s.lo = Math.min(s.lo, r.offset); s.hi = Math.max(s.hi, r.offset + r.length); s.sum += r.length; }
    }
    const spans = new Map<string, { lo: number; bytes: Uint8Array }>();
    let need = 0;
    for (const s of byPath.values()) if (s.hi - s.lo <= 2 * s.sum + 65536) need += s.hi - s.lo;
    if (need > spanBuffer.length) spanBuffer = new Uint8Array(need);
    let at = 0;
    for (const [p, s] of byPath) {
      if (s.hi - s.lo > 2 * s.sum + 65536) continue;
      try {
        const target = spanBuffer.subarray(at, at + s.hi - s.lo);
        const got = files.read(p, s.lo, target);
        spans.set(p, { lo: s.lo, bytes: target.subarray(0, got) });
        at += s.hi - s.lo;
      } catch {
        // The tensors of this file are read one by one, each reporting its own error.
      }
    }
    const one = (it: BatchItem): BatchOutcome => {
      try {
        const builder = new TensorStatsBuilder(it.meta, options);
        if (it.bytes) return statsOfBytes(builder, it.bytes);
        const ranges = it.ranges ?? [];
        const total = Math.min(builder.byteLength, ranges.reduce((a, r) => a + r.length, 0));
        if (total === 0) return statsOfBytes(builder, new Uint8Array(0));
        const span = ranges.length === 1 ? spans.get(ranges[0].path) : undefined;
        const from = span ? ranges[0].offset - span.lo : 0;
        if (span && from + total <= span.bytes.length) return statsOfBytes(builder, span.bytes.subarray(from, from + total));
        const bytes = new Uint8Array(total);
        try {
          readRanges(files, ranges, bytes);
        } catch (e) {
          throw new ModelError('unreadable', `could not read bytes 0..${total} of the tensor: ${(e as Error).message}`, { file: it.meta.file, tensor: it.meta.name });
        }
        return statsOfBytes(builder, bytes);
      } catch (e) {
        return e instanceof Error ? e : new Error(String(e));
      }
    };
    items.forEach((it, i) => each(one(it), i));
  } finally {
    files.close();
  }
}
