/**
 * A pool of worker_threads running dist/stats-worker.js. Each worker computes one tensor at a time,
 * reading file-backed tensors itself (by file ranges) so the host never copies their bytes.
 */
import { Worker } from 'node:worker_threads';
import { ModelError, type ErrorPlace, type ModelErrorCode } from '../ir/errors.js';
import type { FileRange } from '../ir/tensor.js';
import type { BatchItem } from './stats-batch.js';
import type { CodeState } from './stats-codes.js';
import type { SparseKeys } from './stats-keys.js';
import type { WireBatch } from './stats-wire.js';
import type { TensorMeta, TensorStatsResult } from './stats-tensor.js';
import type { TensorStats, TensorStatsOptions } from './stats-types.js';

/** Options a worker honours (the rest stay on the host). */
export type WorkerStatsOptions = Pick<TensorStatsOptions, 'bins' | 'outlierSigma' | 'kernel' | 'chunkBytes'>;

/** Host → worker: compute one tensor, from file ranges or from bytes handed over; or a batch of small ones. */
export type StatsWorkerRequest =
  | { id: number; meta: TensorMeta; ranges: FileRange[] | null; bytes: Uint8Array | null; options: WorkerStatsOptions; batch?: undefined; part?: undefined }
  | { id: number; batch: BatchItem[]; options: WorkerStatsOptions; part?: undefined }
  | { id: number; part: PartRequest; options: WorkerStatsOptions; batch?: undefined };

/** Elements [from, to) of a file-backed tensor on the code path (stats-split.ts). */
export interface PartRequest { meta: TensorMeta; ranges: FileRange[]; from: number; to: number }

/** An error as it crosses the thread boundary. */
export interface WorkerError { message: string; code?: ModelErrorCode; detail?: string; place?: ErrorPlace }

/** Worker → host. */
export type StatsWorkerReply =
  | { id: number; type: 'progress'; done: number; total: number }
  | { id: number; type: 'result'; stats: TensorStats; keys: SparseKeys | null; m2: number }
  | { id: number; type: 'batch'; batch: WireBatch }
  | { id: number; type: 'part'; state: CodeState; kernel: 'wasm' | 'js' }
  | { id: number; type: 'error'; error: WorkerError };

interface Job {
  request: StatsWorkerRequest;
  resolve(r: unknown): void;
  reject(e: unknown): void;
  onProgress?: (done: number, total: number) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

/** Rebuilds the error a worker reported (ModelErrors keep their code and place). */
export function errorFromReply(e: WorkerError): Error {
  if (e.code && e.place && e.detail !== undefined) return new ModelError(e.code, e.detail, e.place);
  return new Error(e.message);
}

/** An error as a worker reports it. */
export function errorToReply(e: unknown): WorkerError {
  if (e instanceof ModelError) return { message: e.message, code: e.code, detail: e.detail, place: e.place };
  return { message: (e as Error)?.message ?? String(e) };
}

export class StatsWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly workerPath: string, size: number) {
    for (let i = 0; i < Math.max(1, size); i++) this.slots.push(this.spawn());
  }

  get size(): number { return this.slots.length; }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.workerPath), job: null };
    slot.worker.on('message', (m: StatsWorkerReply) => this.onMessage(slot, m));
    slot.worker.on('error', (e) => this.onCrash(slot, e));
    slot.worker.on('exit', (code) => { if (!this.closed && code !== 0) this.onCrash(slot, new Error(`statistics worker exited with code ${code}`)); });
    slot.worker.unref();
    return slot;
  }

  private onMessage(slot: Slot, m: StatsWorkerReply): void {
    const job = slot.job;
    if (!job || job.request.id !== m.id) return;
    if (m.type === 'progress') { job.onProgress?.(m.done, m.total); return; }
    slot.job = null;
    if (m.type === 'result') job.resolve({ stats: m.stats, keys: m.keys, m2: m.m2 });
    else if (m.type === 'batch') job.resolve(m.batch);
    else if (m.type === 'part') job.resolve({ state: m.state, kernel: m.kernel });
    else job.reject(errorFromReply(m.error));
    this.pump();
  }

  private onCrash(slot: Slot, e: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    const job = slot.job;
    slot.job = null;
    void slot.worker.terminate();
    if (this.closed) return;
    this.slots[i] = this.spawn();
    job?.reject(e);
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || !this.queue.length) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      const { request: q } = job;
      const transfer = q.batch ? q.batch.flatMap((it) => (it.bytes ? [it.bytes.buffer as ArrayBuffer] : []))
        : q.part ? [] : q.bytes ? [q.bytes.buffer as ArrayBuffer] : [];
      slot.worker.postMessage(job.request, transfer);
    }
    for (const slot of this.slots) if (!slot.job) slot.worker.unref();
  }

  /** Computes one tensor in a worker. `bytes` (for tensors without file ranges) is transferred, not copied. */
  run(meta: TensorMeta, source: { ranges: FileRange[] | null; bytes: Uint8Array | null }, options: WorkerStatsOptions,
    onProgress?: (done: number, total: number) => void): Promise<TensorStatsResult> {
    if (this.closed) return Promise.reject(new Error('the statistics worker pool is closed'));
    return new Promise((resolve, reject) => {
      const request: StatsWorkerRequest = { id: this.nextId++, meta, ranges: source.ranges, bytes: source.bytes, options };
      this.queue.push({ request, resolve: resolve as (r: unknown) => void, reject, onProgress });
      this.pump();
    });
  }

  /** Computes a batch of small tensors in one worker message: each item's result or its own error (a WorkerError). */
  runBatch(batch: BatchItem[], options: WorkerStatsOptions): Promise<WireBatch> {
    if (this.closed) return Promise.reject(new Error('the statistics worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, batch, options }, resolve: resolve as (r: unknown) => void, reject });
      this.pump();
    });
  }

  /** Counts the codes of one span of a large tensor in a worker (the worker reads the bytes itself). */
  runPart(part: PartRequest, options: WorkerStatsOptions): Promise<{ state: CodeState; kernel: 'wasm' | 'js' }> {
    if (this.closed) return Promise.reject(new Error('the statistics worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, part, options }, resolve: resolve as (r: unknown) => void, reject });
      this.pump();
    });
  }

  /** Stops every worker; jobs still queued or running are rejected with `reason`. */
  async close(reason: unknown = new Error('the statistics worker pool was closed')): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const jobs = [...this.queue, ...this.slots.flatMap((s) => (s.job ? [s.job] : []))];
    this.queue.length = 0;
    for (const j of jobs) j.reject(reason);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
