// worker_threads entry (bundled to dist/stats-worker.js): computes one tensor's statistics per
// request, reading file-backed tensors straight from their files.
import { parentPort } from 'node:worker_threads';
import { ModelError } from '../ir/errors.js';
import { FileRangesData, MemoryData } from '../io/tensor-data.js';
import type { StatsWorkerReply, StatsWorkerRequest } from './stats-pool.js';
import { statsOfData } from './stats-tensor.js';

const port = parentPort;
if (!port) throw new Error('stats-worker must run in a worker thread');

port.on('message', async (req: StatsWorkerRequest) => {
  let lastPost = 0;
  try {
    const data = req.ranges ? new FileRangesData(req.ranges) : new MemoryData(req.bytes ?? new Uint8Array(0));
    const r = await statsOfData(req.meta, data, {
      ...req.options,
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - lastPost < 50 && done < total) return;
        lastPost = now;
        port.postMessage({ id: req.id, type: 'progress', done, total } satisfies StatsWorkerReply);
      },
    });
    const reply: StatsWorkerReply = { id: req.id, type: 'result', stats: r.stats, keys: r.keys, m2: r.m2 };
    port.postMessage(reply, r.keys ? [r.keys.index.buffer as ArrayBuffer, r.keys.count.buffer as ArrayBuffer] : []);
  } catch (e) {
    const err = e as Error;
    const error = e instanceof ModelError
      ? { message: e.message, code: e.code, detail: e.detail, place: e.place }
      : { message: err?.message ?? String(e) };
    port.postMessage({ id: req.id, type: 'error', error } satisfies StatsWorkerReply);
  }
});
