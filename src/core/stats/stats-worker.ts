// worker_threads entry (bundled to dist/stats-worker.js): computes one tensor's statistics per
// request, reading file-backed tensors straight from their files.
import { parentPort } from 'node:worker_threads';
import { FileRangesData, MemoryData } from '../io/tensor-data.js';
import { statsOfBatch } from './stats-batch.js';
import { BatchPacker } from './stats-wire.js';
import { errorToReply, type StatsWorkerReply, type StatsWorkerRequest } from './stats-pool.js';
import { statsOfData } from './stats-tensor.js';
import { codePartOfData } from './stats-split.js';
import { statsKernel } from './stats-kernel-wasm.js';

const port = parentPort;
if (!port) throw new Error('stats-worker must run in a worker thread');

port.on('message', async (req: StatsWorkerRequest) => {
  let lastPost = 0;
  if (req.part) {
    try {
      const { meta, ranges, from, to } = req.part;
      const state = await codePartOfData(meta, new FileRangesData(ranges), from, to, req.options);
      const buffers = [state.counts, state.raw?.rowMin, state.raw?.rowMax, state.raw?.rowZeros, state.value?.rowMin, state.value?.rowMax, state.value?.rowZeros]
        .flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
      port.postMessage({ id: req.id, type: 'part', state, kernel: statsKernel(req.options.kernel ?? 'auto').name } satisfies StatsWorkerReply, buffers);
    } catch (e) {
      port.postMessage({ id: req.id, type: 'error', error: errorToReply(e) } satisfies StatsWorkerReply);
    }
    return;
  }
  if (req.batch) {
    const packer = new BatchPacker(errorToReply);
    statsOfBatch(req.batch, req.options, (r) => packer.add(r));
    const { batch, transfer } = packer.finish();
    port.postMessage({ id: req.id, type: 'batch', batch } satisfies StatsWorkerReply, transfer);
    return;
  }
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
    port.postMessage({ id: req.id, type: 'error', error: errorToReply(e) } satisfies StatsWorkerReply);
  }
});
