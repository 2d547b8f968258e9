// `npm run bench:open-stall`: how long the opening thread's event loop stalls while a model opens —
// the extension host's, in the editor — with the model read, parsed, shape-inferred and turned into
// the graph payload on that thread (openModel + describeModelForView, the editor before) against a
// parse worker (openModelInWorker, the editor now). A 1 ms ticker records the longest gap between
// its turns; both ways run in the same process, alternating, and the ratio is printed per model.
// Models: the generated 10k-node transformer and 20k-node chain (../shared/bench/gen-onnx.mjs) and
// the largest real ONNX and TF.js models under ../shared/models (each skipped when absent).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openModel } from '../src/core/formats/index.js';
import { openModelInWorker } from '../src/core/formats/open-in-worker.js';
import { describeModelForView } from '../src/core/model-view.js';

// Bundled to bench/out/ by run-ts.mjs.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(root, '../shared');
const workerPath = path.join(root, 'dist/parse-worker.js');
const REPS = Number(process.env.BENCH_REPS ?? 3);

/** Runs `work` while a 1 ms ticker watches the event loop; returns the longest gap and the wall time. */
async function stallOf(work: () => Promise<unknown>): Promise<{ stallMs: number; wallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 20));
  worst = 0;
  last = performance.now();
  const t0 = performance.now();
  await work();
  const wallMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(tick);
  worst = Math.max(worst, performance.now() - last);
  return { stallMs: worst, wallMs };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Each measurement starts with the previous one's garbage collected, so that neither way pays the other's.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function largest(dir: string, pick: (f: string) => boolean): string | null {
  if (!existsSync(dir)) return null;
  let best: { f: string; size: number } | null = null;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (pick(p)) {
        // A TF.js model's size is its shards' too: the folder's bytes.
        const size = p.endsWith('.json') ? readdirSync(d).reduce((a, n) => a + statSync(path.join(d, n)).size, 0) : statSync(p).size;
        if (!best || size > best.size) best = { f: p, size };
      }
    }
  };
  walk(dir);
  return (best as { f: string } | null)?.f ?? null;
}

async function main(): Promise<void> {
  if (!existsSync(workerPath)) { console.log('bench:open-stall: dist/parse-worker.js is missing (run `node esbuild.mjs`)'); return; }
  const tmp = mkdtempSync(path.join(tmpdir(), 'open-stall-'));
  const models: { label: string; file: string }[] = [];
  const gen = path.join(shared, 'bench/gen-onnx.mjs');
  if (existsSync(gen)) {
    for (const [label, args, name] of [
      ['transformer 10k nodes', ['transformer', '--layers', '333', '--hidden', '64'], 't10k.onnx'],
      ['chain 20k nodes, 200 MB', ['chain', '--nodes', '20000', '--mb', '200'], 'c20k.onnx'],
    ] as const) {
      const out = path.join(tmp, name);
      execFileSync(process.execPath, [gen, ...args, '--out', out], { stdio: 'ignore' });
      models.push({ label, file: out });
    }
  }
  const onnx = largest(path.join(shared, 'models/onnx'), (f) => f.endsWith('.onnx'));
  if (onnx) models.push({ label: `largest shared ONNX (${path.relative(shared, onnx)})`, file: onnx });
  const tfjs = largest(path.join(shared, 'models/tfjs'), (f) => path.basename(f) === 'model.json' && !f.includes('incomplete'));
  if (tfjs) models.push({ label: `largest shared TF.js (${path.relative(shared, tfjs)})`, file: tfjs });
  // Real models of the size users open most (200–1,800 nodes), where a worker's start-up and the
  // copy back are weighed against a short stall.
  for (const rel of ['onnx/silero-vad-github/silero_vad_16k_op15.onnx', 'onnx/ort-extensions-tests/FastestDet.onnx', 'onnx-backend-tests/light/light_inception_v2.onnx', 'onnx-backend-tests/light/light_densenet121.onnx', 'tfjs/vscode-languagedetection/model.json']) {
    const f = path.join(shared, 'models', rel);
    if (existsSync(f)) models.push({ label: rel, file: f });
  }
  if (!models.length) { console.log('bench:open-stall: no models (../shared/bench and ../shared/models are absent)'); return; }
  try {
    console.log(`longest event-loop stall of the opening thread (median of ${REPS}), main thread vs parse worker, same run\n`);
    for (const m of models) {
      const before: number[] = [], after: number[] = [], idle: number[] = [], wallBefore: number[] = [], wallAfter: number[] = [];
      for (let i = 0; i < REPS; i++) {
        gc();
        const a = await stallOf(async () => { const model = await openModel(m.file); await describeModelForView(model); await model.close(); });
        gc();
        const b = await stallOf(async () => { const o = await openModelInWorker(m.file, { workerPath }); await o.model.close(); });
        gc();
        // The machine's own noise: the ticker alone, as long as the worker's open took.
        const c = await stallOf(() => new Promise((r) => setTimeout(r, b.wallMs)));
        before.push(a.stallMs); wallBefore.push(a.wallMs); after.push(b.stallMs); wallAfter.push(b.wallMs); idle.push(c.stallMs);
      }
      const [sb, sa] = [median(before), median(after)];
      console.log(`${m.label}\n  main thread: stall ${sb.toFixed(0)} ms (open ${median(wallBefore).toFixed(0)} ms) · worker: stall ${sa.toFixed(0)} ms (open ${median(wallAfter).toFixed(0)} ms) · ` +
        `idle ticker: ${median(idle).toFixed(0)} ms · stall ratio main thread / worker ${(sb / Math.max(sa, 0.001)).toFixed(1)}×`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
