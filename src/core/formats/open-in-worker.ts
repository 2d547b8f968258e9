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
  /** Describing the tensors for the trip. */
  wireMs: number;
}

/** Worker → host: the model (its big tables sent ahead in parts), or why it could not be opened. */
export type ParseWorkerReply =
  | { type: 'model'; wire: ModelWire; view: { summary: ModelSummary; graph: GraphPayload } | null; phases: WorkerPhases }
  | { type: 'error'; error: ErrorWire };

/** The tables of the 'model' reply that travel ahead of it in parts (wire-parts.ts). */
export const REPLY_TABLES = [
  'wire.graphs', 'wire.nodes', 'wire.values', 'wire.tensors',
  'view.graph.graphs', 'view.graph.nodes', 'view.graph.values', 'view.graph.weights',
];

export interface WorkerOpenOptions {
  /** Aborting terminates the worker; the promise rejects with ModelError 'cancelled'. */
  signal?: AbortSignal;
  /** Also return the summary and graph payload, with shapes inferred (default true). */
  view?: boolean;
  /** Path of parse-worker.js (default: next to the running bundle). Missing → opened on this thread. */
  workerPath?: string;
  /** Heap limits of the worker (a model too big for them fails the open, not the host). */
  resourceLimits?: ResourceLimits;
  /** Called with the worker once started (tests watch it exit). */
  onWorker?: (worker: Worker) => void;
}

/** What openModelInWorker returns: the model as openModel gives it, and the view when asked. */
export interface WorkerOpened {
  model: Model;
  view: { summary: ModelSummary; graph: GraphPayload } | null;
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
    return { model, view, phases, inWorker: false };
  }
  return new Promise<WorkerOpened>((resolve, reject) => {
    const worker = new Worker(workerPath, options.resourceLimits ? { resourceLimits: options.resourceLimits } : {});
    options.onWorker?.(worker);
    let settled = false;
    let received = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => finish(() => reject(cancelled()));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const parts = new PartCollector();
    worker.on('message', (m: ParseWorkerReply | WirePart) => {
      if (m.type === 'part') {
        parts.add(m);
        // Ask for the next part in a later turn, so that other work on this thread runs in between.
        setImmediate(() => { if (!settled) worker.postMessage({ type: 'next' }); });
        return;
      }
      if (m.type === 'error') { finish(() => reject(errorFromWire(m.error))); return; }
      parts.restore(m);
      // The worker has nothing left to send: end it now; a cancel from here on still rejects.
      received = true;
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      modelFromWire(m.wire, async () => {
        await new Promise<void>((r) => setImmediate(r));
        if (options.signal?.aborted) throw cancelled();
      }).then((model) => {
        const { shapesMs, payloadMs } = m.phases;
        const total = performance.now() - t0;
        const phases = { parseMs: total - shapesMs - payloadMs, shapesMs, payloadMs };
        const inside = m.phases.parseMs + shapesMs + payloadMs + m.phases.wireMs;
        const startMs = onlineAt - t0;
        finish(() => resolve({ model, view: m.view, phases, inWorker: true, worker: { ...m.phases, startMs, transferMs: total - startMs - inside } }));
      }, (e) => finish(() => reject(e)));
    });
    // A throw the worker did not catch, a heap it outgrew, an exit: the open fails, the host goes on.
    worker.on('error', (e) => { if (!received) finish(() => reject(new Error(`the parse worker failed: ${e.message}`))); });
    worker.on('exit', (code) => { if (!received) finish(() => reject(new Error(`the parse worker stopped (exit code ${code}) before it finished reading`))); });
    let onlineAt = t0;
    worker.once('online', () => { onlineAt = performance.now(); });
    worker.postMessage({ file: full, view: wantView } satisfies ParseWorkerRequest);
  });
}
