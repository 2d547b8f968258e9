// Entry of the runtime process (bundled to dist/runtime-process.js and started by RuntimeHost with
// child_process.fork). It owns the onnxruntime sessions: a native crash, an out-of-memory abort or
// an endless run ends this process, never the caller.
import { ModelError } from '../ir/errors.js';
import type { RuntimeMessage, RuntimeRequest, SerializedError } from './ipc.js';
import { loadOrt, OnnxBackend } from './onnx-backend.js';
import { RuntimeError } from './errors.js';
import { packTensors, unpackTensors } from './tensor-pack.js';
import { packSummaries } from './summary-pack.js';

const backend = new OnnxBackend();
const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();

function send(msg: RuntimeMessage): void {
  process.send?.(msg);
}

function serializeError(e: unknown): SerializedError {
  if (e instanceof ModelError) return { name: 'ModelError', message: e.message, code: e.code, detail: e.detail, place: e.place };
  if (e instanceof RuntimeError) return { name: 'RuntimeError', message: e.message, code: e.code };
  const err = e as Error;
  return { name: err?.name ?? 'Error', message: err?.message ?? String(e) };
}

async function handle(req: RuntimeRequest): Promise<unknown> {
  switch (req.op) {
    case 'load': return backend.load(req.modelPath, req.options);
    case 'run': {
      const r = await backend.run(unpackTensors(req.inputs), req.options, { cancelled: () => cancelled.has(req.id), phase: (phase) => send({ type: 'phase', id: req.id, phase }) });
      return { ...r, outputs: packTensors(r.outputs), captured: packTensors(r.captured), summaries: r.summaries && packSummaries(r.summaries) };
    }
    case 'valueNames': return backend.graphValueNames();
    case 'providers': return loadOrt().listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
    case 'dispose': await backend.dispose(); return null;
    case 'cancel': return null;
  }
}

process.on('message', (req: RuntimeRequest) => {
  if (req.op === 'cancel') { cancelled.add(req.target); return; }
  // One request at a time: sessions are not shared between concurrent runs.
  queue = queue.then(async () => {
    try {
      const result = await handle(req);
      send({ type: 'reply', id: req.id, ok: true, result });
    } catch (e) {
      send({ type: 'reply', id: req.id, ok: false, error: serializeError(e) });
    } finally {
      cancelled.delete(req.id);
    }
  });
});

// The caller going away (editor closed, parent killed) ends this process too.
process.on('disconnect', () => process.exit(0));

// Platforms without /proc: report memory so the caller's guard still works between runs.
if (process.platform !== 'linux') {
  setInterval(() => send({ type: 'rss', bytes: process.memoryUsage.rss() }), 500).unref();
}

send({ type: 'ready', pid: process.pid, versions: { node: process.versions.node } });
