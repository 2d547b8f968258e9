// One RuntimeHost (child process) per open model, started lazily on the first run and loaded with
// the chosen provider; VS Code–free so the ui test host shares it with the extension.
import type { Model } from '../ir/graph.js';
import { ModelError } from '../ir/errors.js';
import type { LoadResult, ProviderChoice } from '../runtime/backend.js';
import { RuntimeHost, type RuntimeHostOptions } from '../runtime/runtime-host.js';

/** A started runtime with the model loaded in it. */
export interface LoadedRuntime {
  host: RuntimeHost;
  load: LoadResult;
}

interface Entry {
  host: Promise<RuntimeHost>;
  /** The load for (model object, provider); a reload of the file gives a new Model object. */
  loaded?: { model: Model; provider: ProviderChoice; result: Promise<LoadResult> };
}

/** Keeps one runtime process per key (the document URI), loading the current model on demand. */
export class RuntimeSessions {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: RuntimeHostOptions = {}) {}

  /** The runtime for `key` with `model` loaded on `provider` (started and loaded when needed). */
  async runtimeFor(key: string, model: Model, provider: ProviderChoice): Promise<LoadedRuntime> {
    if (model.format !== 'onnx') {
      throw new ModelError('unsupported', 'onnxruntime runs ONNX models; TF.js models run in the panel (WebGL/CPU)', { file: model.path });
    }
    let e = this.entries.get(key);
    if (!e) {
      const host = RuntimeHost.start(this.options);
      e = { host };
      this.entries.set(key, e);
      // A failed start must not stick: the next call tries again.
      host.catch(() => { if (this.entries.get(key) === e) this.entries.delete(key); });
    }
    const host = await e.host;
    const l = e.loaded;
    if (!l || l.model !== model || l.provider !== provider) {
      const result = host.load(model.path, { provider });
      const loaded = { model, provider, result };
      e.loaded = loaded;
      result.catch(() => { if (e!.loaded === loaded) e!.loaded = undefined; });
    }
    return { host, load: await e.loaded!.result };
  }

  /** The runtime for `key` if one is started (for cancel and dispose). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Ends the runtime process of `key`. */
  async dispose(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    try { await (await e.host).dispose(); } catch { /* it never started */ }
  }

  /** Ends every runtime process. */
  async disposeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((k) => this.dispose(k)));
  }

  /** Keys with a runtime (open documents that ran something). */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}
