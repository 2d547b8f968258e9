// The caller's side of the runtime: starts the runtime process, forwards load/run to it, and
// survives whatever happens there (crash, out-of-memory, cancel, timeout) with a clear error.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import * as path from 'node:path';
import { ModelError } from '../ir/errors.js';
import type { Backend, LoadOptions, LoadResult, RunOptions, RunResult } from './backend.js';
import { RuntimeError, type RuntimeErrorCode } from './errors.js';
import type { GraphValueNames, ProviderListing, RunPhase, RuntimeMessage, RuntimeReplies, SerializedError } from './ipc.js';
import { packTensors, unpackTensors } from './tensor-pack.js';
import { unpackSummaries } from './summary-pack.js';
import type { RuntimeTensor } from './tensor-value.js';

export interface RuntimeHostOptions {
  /** The bundled runtime process script (default: runtime-process.js next to this bundle, else dist/). */
  processPath?: string;
  /** Executable that runs it (default: the current Node; Electron hosts run it as Node). */
  execPath?: string;
  /** Resident memory limit of the runtime process, MB (default: 75% of the machine's memory). */
  memoryLimitMb?: number;
  /** V8 heap limit of the runtime process, MB (default 4096). */
  heapLimitMb?: number;
  /** How long to wait for the process to start, ms (default 20000). */
  startTimeoutMs?: number;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  phase?: (p: RunPhase | null) => void;
}

/** Result of a run as seen by the caller: adds the full round trip time, ms (IPC included). */
export interface HostRunResult extends RunResult {
  roundTripMs: number;
}

/** Runs models in a separate process through the Backend interface. */
export class RuntimeHost implements Backend {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stopReason: { code: RuntimeErrorCode; message: string } | null = null;
  private stderrTail = '';
  private lastLoad: { modelPath: string; options: LoadOptions } | null = null;
  private loadedInChild = false;
  private memTimer: NodeJS.Timeout | null = null;
  private reportedRss = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly memoryLimitBytes: number;

  private constructor(private readonly options: RuntimeHostOptions) {
    this.memoryLimitBytes = (options.memoryLimitMb ?? Math.floor((totalmem() / 2 ** 20) * 0.75)) * 2 ** 20;
  }

  /** Starts the runtime process and waits until it is ready. */
  static async start(options: RuntimeHostOptions = {}): Promise<RuntimeHost> {
    const host = new RuntimeHost(options);
    await host.ensureChild();
    return host;
  }

  /** The runtime process id (undefined between a crash and the next call). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Loads a model, choosing the execution provider (see LoadResult.provider / fallbackReason). */
  load(modelPath: string, options: LoadOptions = {}): Promise<LoadResult> {
    return this.serial(async () => {
      const absolute = path.resolve(modelPath);
      this.lastLoad = { modelPath: absolute, options };
      this.loadedInChild = false;
      const r = await this.request('load', { modelPath: absolute, options });
      this.loadedInChild = true;
      return r;
    });
  }

  /** Runs the loaded model: warm-up runs, then timed runs; returns the last run's outputs. */
  run(inputs: RuntimeTensor[], options: RunOptions = {}): Promise<HostRunResult> {
    return this.serial(async () => {
      if (options.signal?.aborted) throw new RuntimeError('cancelled', 'the run was cancelled');
      await this.reloadIfRestarted();
      const t0 = performance.now();
      const { signal, timeoutMs, onPhase, ...rest } = options;
      const r = await this.request('run', { inputs: packTensors(inputs), options: rest }, { signal, timeoutMs, onPhase });
      const { summaries, ...reply } = r;
      return { ...reply, outputs: unpackTensors(r.outputs), captured: unpackTensors(r.captured), ...(summaries ? { summaries: unpackSummaries(summaries) } : {}), roundTripMs: performance.now() - t0 };
    });
  }

  /** Value names of the loaded model's main graph (what `captureValues` accepts). */
  valueNames(): Promise<GraphValueNames> {
    return this.serial(async () => {
      await this.reloadIfRestarted();
      return this.request('valueNames', {});
    });
  }

  /** Execution providers compiled into onnxruntime-node (not a promise that they work). */
  providers(): Promise<ProviderListing[]> {
    return this.serial(() => this.request('providers', {}));
  }

  /** Releases the sessions and ends the runtime process. The host cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const child = this.child;
    if (child?.connected) {
      const done = new Promise<void>((res) => child.once('exit', () => res()));
      child.disconnect(); // the process exits on disconnect
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await done;
      clearTimeout(timer);
    }
    this.stopMonitor();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async reloadIfRestarted(): Promise<void> {
    await this.ensureChild();
    if (!this.loadedInChild) {
      if (!this.lastLoad) throw new RuntimeError('no-model', 'no model is loaded');
      await this.request('load', this.lastLoad);
      this.loadedInChild = true;
    }
  }

  private ensureChild(): Promise<void> {
    if (this.disposed) return Promise.reject(new RuntimeError('disposed', 'the runtime was disposed'));
    if (this.child && this.ready) return this.ready;
    const processPath = this.options.processPath ?? defaultProcessPath();
    if (!existsSync(processPath)) return Promise.reject(new RuntimeError('failed', `runtime process script not found: ${processPath}`));
    const heap = this.options.heapLimitMb ?? 4096;
    const child = fork(processPath, [], {
      execPath: this.options.execPath,
      execArgv: [`--max-old-space-size=${heap}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this.child = child;
    this.stopReason = null;
    this.stderrTail = '';
    this.loadedInChild = false;
    this.reportedRss = 0;
    child.stderr?.on('data', (d: Buffer) => { this.stderrTail = (this.stderrTail + d.toString()).slice(-4000); });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill('failed', 'the runtime process did not start in time');
        reject(new RuntimeError('failed', 'the runtime process did not start in time'));
      }, this.options.startTimeoutMs ?? 20000);
      child.on('message', (m: RuntimeMessage) => {
        if (m.type === 'ready') { clearTimeout(timer); resolve(); }
        else if (m.type === 'rss') this.reportedRss = m.bytes;
        else if (m.type === 'reply') this.settle(m);
        else if (m.type === 'phase') this.pending.get(m.id)?.phase?.(m.phase);
      });
      child.on('error', (e) => { clearTimeout(timer); reject(new RuntimeError('failed', `cannot start the runtime process: ${e.message}`)); });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        const err = this.exitError(code, signal);
        reject(err);
        if (this.child === child) { this.child = null; this.ready = null; this.loadedInChild = false; this.stopMonitor(); }
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
    });
    this.ready.catch(() => undefined);
    this.startMonitor(child);
    return this.ready;
  }

  private exitError(code: number | null, signal: NodeJS.Signals | null): RuntimeError {
    if (this.stopReason) return new RuntimeError(this.stopReason.code, this.stopReason.message);
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const last = lastMeaningfulLine(this.stderrTail);
    return new RuntimeError('crashed', `the runtime process ${how}${last ? ` (${last})` : ''}; the caller is unaffected and the next run starts a new process`);
  }

  private kill(code: RuntimeErrorCode, message: string): void {
    if (!this.child) return;
    this.stopReason ??= { code, message };
    this.child.kill('SIGKILL');
  }

  private settle(m: Extract<RuntimeMessage, { type: 'reply' }>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(deserializeError(m.error));
  }

  private async request<K extends keyof RuntimeReplies>(op: K, payload: object, control: { signal?: AbortSignal; timeoutMs?: number; onPhase?: (p: RunPhase | null) => void } = {}): Promise<RuntimeReplies[K]> {
    await this.ensureChild();
    const child = this.child!;
    const id = this.nextId++;
    return new Promise<RuntimeReplies[K]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let grace: NodeJS.Timeout | undefined;
      let phase: RunPhase | null = null;
      const onAbort = () => {
        // Compiling GPU kernels is one native call that cannot stop halfway: end the process now.
        if (phase === 'compiling') { this.kill('cancelled', 'the run was cancelled while compiling GPU kernels'); return; }
        // Ask nicely first (a series of runs stops between runs and keeps the session), then kill.
        child.send({ id: this.nextId++, op: 'cancel', target: id });
        grace = setTimeout(() => this.kill('cancelled', 'the run was cancelled'), 300);
      };
      const cleanup = () => {
        clearTimeout(timer);
        clearTimeout(grace);
        control.signal?.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        resolve: (v) => { cleanup(); resolve(v as RuntimeReplies[K]); },
        reject: (e) => { cleanup(); reject(e); },
        phase: (p) => { phase = p; control.onPhase?.(p); },
      });
      control.signal?.addEventListener('abort', onAbort, { once: true });
      if (control.timeoutMs) timer = setTimeout(() => this.kill('timeout', `the run took longer than ${control.timeoutMs} ms and was stopped`), control.timeoutMs);
      child.send({ id, op, ...payload }, (err) => {
        if (err && this.pending.has(id)) { this.pending.delete(id); cleanup(); reject(new RuntimeError('failed', `cannot reach the runtime process: ${err.message}`)); }
      });
    });
  }

  // Memory guard: RSS from /proc on Linux (works while the process is busy in native code), else
  // the process's own reports. Over the limit, the process is killed with a clear error.
  private startMonitor(child: ChildProcess): void {
    this.stopMonitor();
    this.memTimer = setInterval(() => {
      const rss = process.platform === 'linux' && child.pid ? procRss(child.pid) : this.reportedRss;
      if (rss > this.memoryLimitBytes) {
        this.kill('memory', `the runtime process used ${formatMb(rss)} of memory, over the ${formatMb(this.memoryLimitBytes)} limit, and was stopped`);
      }
    }, 200);
    this.memTimer.unref();
  }

  private stopMonitor(): void {
    if (this.memTimer) clearInterval(this.memTimer);
    this.memTimer = null;
  }
}

function procRss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function formatMb(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.round(bytes / 2 ** 20)} MB`;
}

function lastMeaningfulLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at '));
  const last = lines[lines.length - 1] ?? '';
  return last.length > 200 ? `${last.slice(0, 197)}...` : last;
}

function deserializeError(e: SerializedError): Error {
  if (e.name === 'ModelError' && e.place && e.detail !== undefined) return new ModelError(e.code as ModelError['code'], e.detail, e.place);
  if (e.name === 'RuntimeError') return new RuntimeError(e.code as RuntimeErrorCode, e.message);
  return new RuntimeError('failed', e.message);
}


function defaultProcessPath(): string {
  const candidates: string[] = [];
  if (typeof __dirname === 'string') candidates.push(path.join(__dirname, 'runtime-process.js'), path.join(__dirname, '..', 'dist', 'runtime-process.js'));
  candidates.push(path.resolve('dist', 'runtime-process.js'));
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}
