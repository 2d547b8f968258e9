// The fuzz harness (issue #8): mutates seed models and feeds each input, in a worker thread, to
// openModel, the IR walks and the statistics engine (fuzz/exercise.ts). Properties checked per
// input: only ModelErrors escape; no input runs past the timeout (the worker is killed, the input
// re-run once in a fresh worker to confirm); the worker stays under its memory limit; no file
// outside the input's folder is opened, stat'ed or written (fs spy). Inputs that break a property
// are saved under the crash folder (a temp dir unless --crash-dir) and listed in the summary.
//   node fuzz/run.mjs fuzz --iterations 1000 --seed 1 [--reader onnx|tfjs|all] [--workers 2]
//        [--timeout-ms 5000] [--memory-mb 1024] [--time-limit-s 0] [--no-real] [--json]
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SECRET_BYTES, SECRET_NAME } from '../test/fixtures/bad/corpus.js';
import { mulberry32 } from '../test/fixtures/bad/shared.js';
import { mutateBytes, mutateJson, type InputSet, type Rng } from './mutate.js';
import { loadSeeds, type Reader, type Seed } from './seeds.js';
import type { FuzzJob, FuzzReply } from './worker.js';

interface Options {
  iterations: number; seed: number; readers: Reader[]; workers: number; timeoutMs: number; memoryMb: number;
  timeLimitS: number; real: boolean; json: boolean; crashDir: string; progressEvery: number;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string, dflt: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
  };
  const reader = get('reader', 'all');
  const seed = Number(get('seed', '1'));
  return {
    iterations: Number(get('iterations', '1000')), seed,
    readers: reader === 'all' ? ['onnx', 'tfjs'] : [reader as Reader],
    workers: Number(get('workers', String(Math.max(1, Math.min(2, availableParallelism()))))),
    timeoutMs: Number(get('timeout-ms', '5000')), memoryMb: Number(get('memory-mb', '1024')),
    timeLimitS: Number(get('time-limit-s', '0')), real: !argv.includes('--no-real'), json: argv.includes('--json'),
    crashDir: get('crash-dir', path.join(tmpdir(), `model-lens-fuzz-crashes-${seed}-${process.pid}`)),
    progressEvery: Number(get('progress-every', '5000')),
  };
}

/** Per-reader tallies; `crashes` lists what broke a property. */
interface ReaderReport {
  reader: Reader; seeds: number; iterations: number; opened: number; rejected: Record<string, number>;
  crashes: Crash[];
  /** Inputs that ran past the timeout once and finished on the re-run (machine stalls, not hangs). */
  stalls: string[];
  maxMs: number; maxMsInput: string; maxHeapMb: number; maxExternalMb: number; totalMs: number;
}

interface Crash { kind: 'escape' | 'hang' | 'outside' | 'worker-died'; reader: Reader; iteration: number; how: string; seed: string; detail: string; saved: string }

/** One generated input: its files and how it was made. */
interface Input { reader: Reader; iteration: number; seed: Seed; set: InputSet; how: string }

function generate(reader: Reader, seeds: Seed[], rnd: Rng, iteration: number): Input {
  const seed = seeds[Math.floor(rnd() * seeds.length)];
  const donor = seeds[Math.floor(rnd() * seeds.length)];
  const files = new Map(seed.files);
  const hows: string[] = [];
  // Mostly one edit, so that many inputs still parse far enough to reach the deeper code.
  const rounds = rnd() < 0.7 ? 1 : 2 + Math.floor(rnd() * 2);
  for (let r = 0; r < rounds; r++) {
    const names = [...files.keys()].filter((k) => files.get(k) instanceof Uint8Array);
    const target = rnd() < 0.8 || names.length < 2 ? seed.main : names[Math.floor(rnd() * names.length)];
    const bytes = files.get(target);
    if (!(bytes instanceof Uint8Array)) continue;
    if (reader === 'tfjs' && target === seed.main && rnd() < 0.6) {
      const m = mutateJson(rnd, Buffer.from(bytes).toString('utf8'));
      if (m) { files.set(target, new TextEncoder().encode(m.text)); hows.push(`${target}:${m.how}`); continue; }
    }
    const donorBytes = [...donor.files.values()].find((b): b is Uint8Array => b instanceof Uint8Array) ?? bytes;
    const m = mutateBytes(rnd, bytes, donorBytes);
    files.set(target, m.bytes);
    hows.push(`${target}:${m.how}`);
  }
  if (reader === 'tfjs') {
    // Targets for hostile shard paths: links out of the folder and onto a device.
    if (!files.has('link.bin')) files.set('link.bin', { symlink: '../secret.bin' });
    if (!files.has('dev.bin')) files.set('dev.bin', { symlink: '/dev/zero' });
  }
  return { reader, iteration, seed, set: { main: seed.main, files }, how: hows.join(' | ') };
}

/** Writes an input into `root/m/` (emptied first) next to the decoy; returns the main file's path. */
function writeInput(root: string, set: InputSet): string {
  const folder = path.join(root, 'm');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const [rel, f] of set.files) {
    const p = path.join(folder, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    if (f instanceof Uint8Array) writeFileSync(p, f);
    else symlinkSync(f.symlink, p);
  }
  return path.join(folder, set.main);
}

/** A worker slot: one worker thread, restarted after a hang or a death. */
class Slot {
  private worker: Worker | null = null;
  private pending: { resolve: (r: FuzzReply | { died: string }) => void } | null = null;
  readonly root: string;

  constructor(private readonly script: string, private readonly memoryMb: number, base: string, index: number) {
    this.root = path.join(base, `w${index}`);
    mkdirSync(this.root, { recursive: true });
    writeFileSync(path.join(this.root, SECRET_NAME), SECRET_BYTES);
  }

  private start(): Worker {
    const w = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: 64 }, stdout: true, stderr: true });
    w.on('message', (r: FuzzReply) => { const p = this.pending; this.pending = null; p?.resolve(r); });
    w.on('error', (e) => { const p = this.pending; this.pending = null; this.worker = null; p?.resolve({ died: `${e.name}: ${e.message}` }); });
    w.on('exit', (code) => { if (this.worker === w) this.worker = null; const p = this.pending; this.pending = null; p?.resolve({ died: `worker exited with code ${code}` }); });
    w.stdout.resume();
    w.stderr.resume();
    return w;
  }

  async run(job: FuzzJob, timeoutMs: number): Promise<FuzzReply | { died: string } | { hang: true }> {
    this.worker ??= this.start();
    const w = this.worker;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<FuzzReply | { died: string }>((resolve) => { this.pending = { resolve }; });
    const hang = new Promise<{ hang: true }>((resolve) => { timer = setTimeout(() => resolve({ hang: true }), timeoutMs); });
    w.postMessage(job);
    const r = await Promise.race([reply, hang]);
    clearTimeout(timer);
    if ('hang' in r) await this.kill();
    return r;
  }

  async kill(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    const p = this.pending;
    this.pending = null;
    p?.resolve({ died: 'terminated' });
    if (w) await w.terminate();
  }
}

function saveCrash(opts: Options, input: Input, slotRoot: string, kind: Crash['kind'], detail: string): Crash {
  const dir = path.join(opts.crashDir, `${input.reader}-${input.iteration}-${kind}`);
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(slotRoot, 'm'), path.join(dir, 'm'), { recursive: true, verbatimSymlinks: true });
  const crash: Crash = { kind, reader: input.reader, iteration: input.iteration, how: input.how, seed: input.seed.name, detail, saved: dir };
  writeFileSync(path.join(dir, 'crash.json'), JSON.stringify(crash, null, 1));
  return crash;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'model-lens-fuzz-')));
  const script = path.join(__dirname, 'fuzz-worker.cjs');
  const shared = path.resolve(process.cwd(), '..', 'shared', 'models');
  const slots = Array.from({ length: opts.workers }, (_, i) => new Slot(script, opts.memoryMb, base, i));
  const reports: ReaderReport[] = [];
  let stopped = false;
  try {
    for (const reader of opts.readers) {
      const seeds = loadSeeds(reader, opts.real ? { shared } : {});
      const rnd = mulberry32(opts.seed * 7919 + (reader === 'onnx' ? 1 : 2));
      const rep: ReaderReport = { reader, seeds: seeds.length, iterations: 0, opened: 0, rejected: {}, crashes: [], stalls: [], maxMs: 0, maxMsInput: '', maxHeapMb: 0, maxExternalMb: 0, totalMs: 0 };
      reports.push(rep);
      let next = 0;
      let lastProgress = Date.now();
      const work = async (slot: Slot) => {
        while (next < opts.iterations && !stopped) {
          if (opts.timeLimitS > 0 && Date.now() - started > opts.timeLimitS * 1000) { stopped = true; break; }
          const input = generate(reader, seeds, rnd, next++);
          const file = writeInput(slot.root, input.set);
          const job: FuzzJob = { id: input.iteration, file, folder: path.dirname(file) };
          let r = await slot.run(job, opts.timeoutMs);
          if ('hang' in r) {
            // Confirm in a fresh worker with three times the time: a machine busy with other work
            // (2 shared cores here) can stall one run; an input that really loops stalls every time.
            r = await slot.run(job, 3 * opts.timeoutMs);
            if ('hang' in r) rep.crashes.push(saveCrash(opts, input, slot.root, 'hang', `no answer in ${opts.timeoutMs} ms, then none in ${3 * opts.timeoutMs} ms in a fresh worker`));
            else rep.stalls.push(`${input.seed.name} ${input.how}: over ${opts.timeoutMs} ms once, ${r && 'ms' in r ? r.ms.toFixed(0) : '?'} ms on the re-run`);
          }
          rep.iterations++;
          if ('died' in r) { rep.crashes.push(saveCrash(opts, input, slot.root, 'worker-died', r.died)); continue; }
          if ('hang' in r) continue;
          if (r.outcome === 'open') rep.opened++;
          else rep.rejected[r.code ?? '?'] = (rep.rejected[r.code ?? '?'] ?? 0) + 1;
          rep.totalMs += r.ms;
          if (r.ms > rep.maxMs) { rep.maxMs = r.ms; rep.maxMsInput = `${input.seed.name} ${input.how}`; }
          rep.maxHeapMb = Math.max(rep.maxHeapMb, r.heapMb);
          rep.maxExternalMb = Math.max(rep.maxExternalMb, r.externalMb);
          if (r.escapes.length) rep.crashes.push(saveCrash(opts, input, slot.root, 'escape', r.escapes.map((e) => `${e.stage}: ${e.name}: ${e.message}\n${e.stack ?? ''}`).join('\n')));
          if (r.outside.length) rep.crashes.push(saveCrash(opts, input, slot.root, 'outside', r.outside.map((a) => `${a.op} ${a.path}`).join('\n')));
          if (!opts.json && (rep.iterations % opts.progressEvery === 0 || Date.now() - lastProgress > 60_000)) {
            lastProgress = Date.now();
            console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${reader}: ${rep.iterations} inputs, ${rep.opened} opened, ${rep.crashes.length} crashes, longest ${rep.maxMs.toFixed(0)} ms`);
          }
        }
      };
      await Promise.all(slots.map(work));
    }
  } finally {
    for (const s of slots) await s.kill();
    rmSync(base, { recursive: true, force: true });
  }
  const summary = {
    seed: opts.seed, iterationsAsked: opts.iterations, timeoutMs: opts.timeoutMs, memoryMb: opts.memoryMb, workers: opts.workers,
    elapsedS: (Date.now() - started) / 1000, stoppedByTimeLimit: stopped, crashDir: opts.crashDir,
    readers: reports.map((r) => ({ ...r, meanMs: r.iterations ? r.totalMs / r.iterations : 0 })),
  };
  if (opts.json) console.log(JSON.stringify(summary));
  else {
    for (const r of summary.readers) {
      console.log(`${r.reader}: ${r.iterations} inputs from ${r.seeds} seeds; ${r.opened} opened; rejected ${JSON.stringify(r.rejected)}; ${r.crashes.length} crashes; longest ${r.maxMs.toFixed(1)} ms (${r.maxMsInput}); mean ${r.meanMs.toFixed(2)} ms; max heap ${r.maxHeapMb.toFixed(0)} MB, external ${r.maxExternalMb.toFixed(0)} MB`);
      for (const st of r.stalls) console.log(`  stall (not a hang): ${st}`);
      for (const c of r.crashes) console.log(`  ${c.kind} #${c.iteration} (${c.seed}; ${c.how}) → ${c.saved}\n    ${c.detail.split('\n').slice(0, 4).join('\n    ')}`);
    }
    console.log(`done in ${summary.elapsedS.toFixed(0)} s${stopped ? ' (time limit reached)' : ''}`);
  }
  if (reports.some((r) => r.crashes.length)) process.exitCode = 1;
}

main().catch((e) => { console.error(e); process.exitCode = 2; });
