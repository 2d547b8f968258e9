// The Run tab's side of the TF.js worker: fetches the model's files from the host once
// (run.tfjsArtifacts), starts dist/tfjs-runner.js as a worker on first use, and runs requests.
import type { IoInfo } from '../../src/core/model-view-types.js';
import type { TfjsArtifacts } from '../../src/core/runtime/tfjs-artifacts.js';
import type { InferResult, InputSpec } from '../../src/features/run/protocol.js';
import type { RuntimeTensor } from '../../src/core/runtime/tensor-value.js';
import type { ViewContext } from '../view.js';
import type { TfjsRunReply, TfjsRunRequest } from './tfjs-runner.js';

export interface TfjsRun { result: InferResult; outputs: RuntimeTensor[] }

export class TfjsClient {
  private worker: Promise<Worker> | null = null;
  private sent = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(r: TfjsRun): void; reject(e: Error): void }>();

  constructor(private readonly ctx: ViewContext) {}

  private start(): Promise<Worker> {
    return (this.worker ??= this.ctx.workerUrl('tfjs-runner').then((url) => {
      const w = new Worker(url);
      w.onmessage = (e: MessageEvent<TfjsRunReply>) => {
        const p = this.pending.get(e.data.id);
        if (!p) return;
        this.pending.delete(e.data.id);
        if (e.data.ok) p.resolve({ result: e.data.result, outputs: e.data.outputs });
        else p.reject(new Error(e.data.message));
      };
      w.onerror = (e) => {
        for (const p of this.pending.values()) p.reject(new Error(`the TF.js runner failed: ${e.message}`));
        this.pending.clear();
      };
      return w;
    }));
  }

  /** Runs the model in the worker on `backend` ('auto': WebGPU, else WebGL, else CPU; 'gpu': the first GPU backend that works). */
  async run(backend: TfjsRunRequest['backend'], ios: IoInfo[], p: { inputs: InputSpec[]; dims: Record<string, number>; runs: number; warmup: number }, signal: AbortSignal): Promise<TfjsRun> {
    const w = await this.start();
    let artifacts: TfjsArtifacts | undefined;
    if (!this.sent) artifacts = (await this.ctx.bus.request('run.tfjsArtifacts', {}, { signal })) as TfjsArtifacts;
    const id = this.nextId++;
    const req: TfjsRunRequest = { id, artifacts, backend, ios, ...p };
    return new Promise<TfjsRun>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A running TF.js model cannot be interrupted: cancel ends the worker; the next run starts a new one.
      signal.addEventListener('abort', () => {
        if (!this.pending.delete(id)) return;
        void w.terminate();
        this.worker = null;
        this.sent = false;
        reject(Object.assign(new Error('cancelled'), { code: 'cancelled' }));
      }, { once: true });
      w.postMessage(req, artifacts ? [artifacts.weightData] : []);
      this.sent = true;
    });
  }

  dispose(): void {
    void this.worker?.then((w) => w.terminate());
    this.worker = null;
  }
}
