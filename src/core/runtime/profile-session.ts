// The profiled run, inside the runtime process: a second session with ORT's profiler on (it can
// only be switched on when a session is created), warm-up runs, one profiled run, and the trace
// read back and deleted. What ORT wrote stays in a private temporary folder that is always removed.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { disposeValues } from './ort-values.js';
import { parseTrace, type TraceRun } from './profile.js';

/** The profiled run's kernels, and its time as the caller saw it (ms). */
export interface ProfiledRun extends TraceRun {
  wallMs: number;
}

/**
 * Runs `feeds` `warmup` times (at least once: the first run allocates), then once more, on a
 * session created from `create` with profiling on; returns the last run's kernels.
 */
export async function profiledRun(
  create: (options: Ort.InferenceSession.SessionOptions) => Promise<Ort.InferenceSession>,
  feeds: Record<string, Ort.Tensor>,
  warmup: number,
): Promise<ProfiledRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'model-lens-profile-'));
  let session: Ort.InferenceSession | null = null;
  try {
    session = await create({ enableProfiling: true, profileFilePrefix: path.join(dir, 'trace') });
    for (let i = 0; i < Math.max(1, warmup); i++) disposeValues(await session.run(feeds));
    const t0 = performance.now();
    disposeValues(await session.run(feeds));
    const wallMs = performance.now() - t0;
    session.endProfiling();
    const file = (await readdir(dir)).find((f) => f.endsWith('.json'));
    if (!file) throw new Error('onnxruntime wrote no profile');
    return { ...parseTrace(await readFile(path.join(dir, file), 'utf8')), wallMs };
  } finally {
    await session?.release();
    await rm(dir, { recursive: true, force: true });
  }
}
