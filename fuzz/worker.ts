// Fuzz worker thread: runs one input at a time through exerciseModel with the fs spy on, and
// answers with the outcome, the accesses that left the input's folder, the time and the memory.
import { parentPort } from 'node:worker_threads';
import { exerciseModel } from './exercise.js';
import { installFsSpy, outsideAccesses, takeAccesses } from './fs-spy.js';

/** A request: open `file`, whose folder is `folder` (the only place it may touch). */
export interface FuzzJob {
  id: number;
  file: string;
  folder: string;
}

/** The answer to a job. */
export interface FuzzReply {
  id: number;
  outcome: 'error' | 'open';
  code?: string;
  escapes: { stage: string; name: string; message: string; stack?: string }[];
  outside: { op: string; path: string }[];
  ms: number;
  heapMb: number;
  externalMb: number;
}

const port = parentPort;
if (!port) throw new Error('fuzz/worker must run in a worker thread');
installFsSpy();

port.on('message', async (job: FuzzJob) => {
  takeAccesses();
  const t = performance.now();
  const o = await exerciseModel(job.file, job.folder);
  const ms = performance.now() - t;
  const outside = outsideAccesses(takeAccesses(), job.folder);
  const mem = process.memoryUsage();
  const reply: FuzzReply = {
    id: job.id, outcome: o.outcome, code: o.outcome === 'error' ? o.code : undefined, escapes: o.escapes, outside, ms,
    heapMb: mem.heapUsed / 2 ** 20, externalMb: mem.external / 2 ** 20,
  };
  port.postMessage(reply);
});
