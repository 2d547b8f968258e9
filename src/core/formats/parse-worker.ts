// worker_threads entry (bundled to dist/parse-worker.js): opens one model off the host's main
// thread — read, parse, the model checks, and (when asked) shape inference and the graph payload
// the editor's webview gets — and posts the result back once. One open at a time: the host keeps
// the worker for the next open when the reply came, or terminates it to cancel.
import { parentPort } from 'node:worker_threads';
import { errorToWire } from '../ir/errors.js';
import { packGraphPayload } from '../graph-payload-pack.js';
import { describeModelForView } from '../model-view.js';
import { openModel } from './index.js';
import { modelToWire } from './model-wire.js';
import { takeParts } from './wire-parts.js';
import { REPLY_TABLES, type ParseWorkerReply, type ParseWorkerRequest } from './open-in-worker.js';

const port = parentPort;
if (!port) throw new Error('parse-worker must run in a worker thread');

/** Parts in flight: a few on their way while the host takes one, never a long queue. */
const WINDOW = 4;
let credit = WINDOW;
let waiting: (() => void) | null = null;
const nextRequested = () => new Promise<void>((resolve) => { waiting = resolve; });

port.on('message', async (req: ParseWorkerRequest | { type: 'next' }) => {
  if ('type' in req) { credit++; const w = waiting; waiting = null; w?.(); return; }
  // A worker serves one open at a time, and is kept for the next (open-in-worker.ts).
  credit = WINDOW;
  waiting = null;
  try {
    const t0 = performance.now();
    const model = await openModel(req.file);
    const phases = { parseMs: performance.now() - t0, shapesMs: 0, payloadMs: 0 };
    const described = req.view ? await describeModelForView(model, phases) : null;
    const t1 = performance.now();
    // What the editor shows goes first, as packed bytes that the host forwards to the webview as they
    // are: the webview draws while the IR below is packed, sent and relinked on the host.
    if (described) {
      const view = { summary: described.summary, graph: packGraphPayload(described.graph) };
      port.postMessage({ type: 'view', view, phases } satisfies ParseWorkerReply, [view.graph.buffer as ArrayBuffer]);
    }
    const { wire, transfer } = await modelToWire(model);
    const reply: ParseWorkerReply = { type: 'model', wire, phases: { ...phases, wireMs: performance.now() - t1 } };
    // The tables go first, a slice a message, at most WINDOW ahead of what the host took: messages
    // that queue up are all delivered in one turn of the host's loop, which is the stall to avoid.
    for (const part of takeParts(reply, REPLY_TABLES)) {
      while (credit === 0) await nextRequested();
      credit--;
      port.postMessage(part);
    }
    port.postMessage(reply, transfer);
  } catch (e) {
    port.postMessage({ type: 'error', error: errorToWire(e) } satisfies ParseWorkerReply);
  }
});
