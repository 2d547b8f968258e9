// Opening a model on a worker thread (dist/parse-worker.js), so that reading a multi-hundred-MB file
// or inferring the shapes of a 10k-node graph does not block the thread that asked: in the editor,
// the extension host's, which every other extension shares. The worker posts the parsed IR back
// once (model-wire.ts: tensors as file ranges, weights still on disk) and ends; tensor reads then
// happen on the host exactly as after openModel. Cancelling terminates the worker.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { errorFromWire, ModelError, type ErrorWire } from '../ir/errors.js';
import type { Model } from '../ir/graph.js';
import type { GraphPayload, ModelSummary } from '../model-view-types.js';
import { describeModelForView } from '../model-view.js';
import { openModel } from './index.js';
import { modelFromWire, type ModelWire } from './model-wire.js';
import { PartCollector, type WirePart } from './wire-parts.js';
import { PackedGraph } from '../packed-graph.js';

/** Host → worker: the one request a parse worker gets. */
export interface ParseWorkerRequest {
  file: string;
  /** Also run shape inference and build the summary and graph payload (what the editor shows). */
  view: boolean;
}

/** Time of each step inside the worker, in milliseconds. */
export interface WorkerPhases {
  parseMs: number;
  shapesMs: number;
  payloadMs: number;
  /** Packing the graph payload and describing the tensors for the trip. */
  wireMs: number;
}

/**
 * Worker → host: the view when asked (first, with the phases so far), then the model (its big
 * tables sent ahead in parts), or why it could not be opened.
 */
export type ParseWorkerReply =
  | { type: 'view'; view: { summary: ModelSummary; /** graph-payload-pack.ts */ graph: Uint8Array }; phases: Omit<WorkerPhases, 'wireMs'> }
  | { type: 'model'; wire: ModelWire; phases: WorkerPhases }
  | { type: 'error'; error: ErrorWire };

/** The tables of the 'model' reply that travel ahead of it in parts (wire-parts.ts). */
export const REPLY_TABLES = ['wire.graphs', 'wire.nodes', 'wire.values', 'wire.tensors'];

export interface WorkerOpenOptions {
  /** Aborting terminates the worker; the promise rejects with ModelError 'cancelled'. */
  signal?: AbortSignal;
  /** Also return the summary and graph payload, with shapes inferred (default true). */
  view?: boolean;
  /** Path of parse-worker.js (default: next to the running bundle). Missing → opened on this thread. */
  workerPath?: string;
  /** Heap limits of the worker (a model too big for them fails the open, not the host). */
  resourceLimits?: ResourceLimits;
  /**
   * Called with the view as soon as the worker has it, before the model is on this thread (what
   * the editor draws does not wait for the IR's trip); the promise still resolves with both.
   */
  onView?: (view: OpenedView) => void;
  /** Called with the worker once started (tests watch it exit). */
  onWorker?: (worker: Worker) => void;
}

/** The summary and graph payload of an opened model (the graph a PackedGraph when it came from a worker). */
export interface OpenedView {
  summary: ModelSummary;
  graph: GraphPayload;
}

/** What openModelInWorker returns: the model as openModel gives it, and the view when asked. */
export interface WorkerOpened {
  model: Model;
  view: OpenedView | null;
  /** Host-side phases: `parseMs` is everything but shapes and payload (worker start, read, parse, transfer). */
  phases: { parseMs: number; shapesMs: number; payloadMs: number };
  /** True when the model was opened in a worker (false: no worker bundle, opened on this thread). */
  inWorker: boolean;
  /** The worker's steps: its start, its own phases, and the trip of the reply (parts, relinking here). */
  worker?: WorkerPhases & { startMs: number; transferMs: number };
}

/** parse-worker.js next to the running CJS bundle, when there is one. */
export function defaultParseWorkerPath(): string | undefined {
  const dir = typeof __dirname === 'string' ? __dirname : undefined;
  const p = dir ? path.join(dir, 'parse-worker.js') : undefined;
  return p && existsSync(p) ? p : undefined;
}

// A worker takes ~60 ms to start (load and compile its bundle) and runs the parser cold (its JIT
// starts empty), as long as a whole open of a 200-node model on the host. So a worker that finished
// an open stays as the spare for the next one, idle and unreferenced; one is started ahead when the
// editor asks (prewarmParseWorker). An open takes the spare when the worker path matches.
let spare: { path: string; worker: Worker; online: boolean } | null = null;

function keepSpare(workerPath: string, worker: Worker, online: boolean): void {
  if (spare) { void worker.terminate(); return; }
  const s = { path: workerPath, worker, online };
  if (!online) worker.once('online', () => { s.online = true; });
  // A spare that dies before use is just dropped; it never holds the host's loop open.
  worker.once('exit', () => { if (spare === s) spare = null; });
  worker.once('error', () => undefined);
  worker.unref();
  spare = s;
}

function takeSpare(workerPath: string): { worker: Worker; online: boolean } | null {
  const s = spare;
  if (!s || s.path !== workerPath) return null;
  spare = null;
  s.worker.removeAllListeners('exit').removeAllListeners('error').removeAllListeners('online');
  s.worker.ref();
  return s;
}

/** Starts the spare parse worker now, so the next open does not wait for a worker to boot. */
export function prewarmParseWorker(workerPath = defaultParseWorkerPath()): void {
  if (workerPath && !spare) keepSpare(workerPath, new Worker(workerPath), false);
}

/** Ends the spare parse worker (on deactivation). */
export function disposeSpareParseWorker(): void {
  void spare?.worker.terminate();
  spare = null;
}

/** Opens a model on a worker thread; the model behaves as openModel's, errors are the same ModelErrors. */
export async function openModelInWorker(file: string, options: WorkerOpenOptions = {}): Promise<WorkerOpened> {
  const full = path.resolve(file);
  const wantView = options.view ?? true;
  const cancelled = () => new ModelError('cancelled', 'reading was cancelled', { file: full });
  if (options.signal?.aborted) throw cancelled();
  const workerPath = options.workerPath ?? defaultParseWorkerPath();
  const t0 = performance.now();
  if (!workerPath) {
    const model = await openModel(full, { signal: options.signal });
    const phases = { parseMs: performance.now() - t0, shapesMs: 0, payloadMs: 0 };
    const view = wantView ? await describeModelForView(model, phases) : null;
    if (view) options.onView?.(view);
    return { model, view, phases, inWorker: false };
  }
  return new Promise<WorkerOpened>((resolve, reject) => {
    const taken = options.resourceLimits ? null : takeSpare(workerPath);
    const worker = taken?.worker ?? new Worker(workerPath, options.resourceLimits ? { resourceLimits: options.resourceLimits } : {});
    options.onWorker?.(worker);
    let settled = false;
    let received = false;
    let kept = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      if (!kept) void worker.terminate();
      fn();
    };
    const onAbort = () => finish(() => reject(cancelled()));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const parts = new PartCollector();
    let view: OpenedView | null = null;
    const onMessage = (m: ParseWorkerReply | WirePart) => {
      if (m.type === 'part') {
        parts.add(m);
        // Ask for the next part in a later turn, so that other work on this thread runs in between.
        setImmediate(() => { if (!settled) worker.postMessage({ type: 'next' }); });
        return;
      }
      if (m.type === 'error') { finish(() => reject(errorFromWire(m.error))); return; }
      if (m.type === 'view') {
        view = { summary: m.view.summary, graph: PackedGraph.fromBytes(m.view.graph) };
        if (!settled) options.onView?.(view);
        return;
      }
      parts.restore(m);
      // The worker has nothing left to send: it becomes the next open's spare (warm), or ends; a
      // cancel from here on still rejects.
      received = true;
      kept = !options.resourceLimits;
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (kept) keepSpare(workerPath, worker, true); else void worker.terminate();
      modelFromWire(m.wire, async () => {
        await new Promise<void>((r) => setImmediate(r));
        if (options.signal?.aborted) throw cancelled();
      }).then((model) => {
        const { shapesMs, payloadMs } = m.phases;
        const total = performance.now() - t0;
        const phases = { parseMs: total - shapesMs - payloadMs, shapesMs, payloadMs };
        const inside = m.phases.parseMs + shapesMs + payloadMs + m.phases.wireMs;
        const startMs = onlineAt - t0;
        finish(() => resolve({ model, view, phases, inWorker: true, worker: { ...m.phases, startMs, transferMs: total - startMs - inside } }));
      }, (e) => finish(() => reject(e)));
    };
    // A throw the worker did not catch, a heap it outgrew, an exit: the open fails, the host goes on.
    const onError = (e: Error) => { if (!received) finish(() => reject(new Error(`the parse worker failed: ${e.message}`))); };
    const onExit = (code: number) => { if (!received) finish(() => reject(new Error(`the parse worker stopped (exit code ${code}) before it finished reading`))); };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    let onlineAt = t0;
    if (!taken?.online) worker.once('online', () => { onlineAt = performance.now(); });
    worker.postMessage({ file: full, view: wantView } satisfies ParseWorkerRequest);
  });
}
