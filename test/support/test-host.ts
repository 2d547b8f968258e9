// The ui surface's stand-in for the extension host: answers the webview's `ready` with `loading`
// then `init` (or `error`) exactly as src/vscode/editor-session.ts does, with the REAL core
// (openModel → describeModelForView, toErrorInfo) and the same RpcEndpoint, so the
// webview under test sees the messages the editor would send. VS Code–specific parts are replaced:
// settings are the contributed defaults, trust is a flag.
import * as path from 'node:path';
import { openModel } from '../../src/core/formats/index.js';
import type { Model } from '../../src/core/ir/graph.js';
import { describeModelForView } from '../../src/core/model-view.js';
import type { HostMessage, ModelLensSettings } from '../../src/protocol.js';
import type { GraphPayload, ModelSummary } from '../../src/core/model-view-types.js';
import { isEnvelope, RpcEndpoint, RpcError, type Envelope, type RpcHandler } from '../../src/protocol.js';
import { packEnvelope } from '../../src/core/envelope-pack.js';
import { toErrorInfo } from '../../src/vscode/error-info.js';
import type { Posted, WebviewPage } from './webview-harness.js';
import type { CompareHandler } from '../../src/features/compare/handlers.js';

/** The settings the editor sends when the user changed none (package.json contributes' defaults). */
export const DEFAULT_SETTINGS: ModelLensSettings = {
  graph: { direction: 'TB', collapseAbove: 400 },
  runtime: { provider: 'auto' },
  stats: { histogramBins: 64 },
  parse: { timeBudgetSeconds: 60 },
};

/** A request handler of the test host: gets the params and the open model. */
export type TestRequestHandler = (params: unknown, ctx: { model: Model; summary: ModelSummary; signal: AbortSignal }) => unknown | Promise<unknown>;

export interface TestHostOptions {
  settings?: ModelLensSettings;
  trusted?: boolean;
  /** Host-side request handlers by method (features' handlers); unknown methods answer an error. */
  handlers?: Record<string, TestRequestHandler>;
}

export interface LoadedModel { model: Model; summary: ModelSummary; graph: GraphPayload }

/**
 * Serves one model file to one webview page. Every `ready` (first load, reload) is answered with
 * the current state, like EditorSession.sendDocumentState.
 */
export class TestHost {
  readonly rpc: RpcEndpoint<HostMessage>;
  /** Messages other than RPC traffic the webview sent, in order (set-state, log…). */
  readonly received: Posted['body'][] = [];
  /** Host-side request methods the webview called, in order. */
  readonly requests: string[] = [];
  private loaded: Promise<LoadedModel | { error: ReturnType<typeof toErrorInfo> }>;
  private generation = 0;

  constructor(readonly webview: WebviewPage, readonly file: string, private readonly opts: TestHostOptions = {}) {
    this.loaded = this.load();
    this.rpc = new RpcEndpoint<HostMessage>(
      (env) => void webview.deliver(packEnvelope(env)),
      (method) => this.lookup(method),
    );
    webview.onPosted((m) => this.receive(m));
    // The page may have said `ready` before the host attached.
    for (const m of webview.posted) this.receive(m);
  }

  /** The model as the core read it (what the header should show), or the error. */
  result(): Promise<LoadedModel | { error: ReturnType<typeof toErrorInfo> }> {
    return this.loaded;
  }

  /** Sends any host message (show-tab, reveal-node, settings-changed…). */
  post(msg: HostMessage): void {
    this.rpc.post(msg);
  }

  /** Calls a webview request handler (export.list, export.produce). */
  request(method: string, params: unknown): Promise<unknown> {
    return this.rpc.request(method, params);
  }

  async close(): Promise<void> {
    this.rpc.dispose('closed');
    const r = await this.loaded;
    if ('model' in r) await r.model.close();
  }

  private async load(): Promise<LoadedModel | { error: ReturnType<typeof toErrorInfo> }> {
    try {
      const model = await openModel(this.file);
      return { model, ...(await describeModelForView(model)) };
    } catch (e) {
      return { error: toErrorInfo(e, this.file) };
    } finally {
      this.generation++;
    }
  }

  private receive(m: Posted): void {
    const body = m.body;
    if (!isEnvelope(m)) return;
    if (this.rpc.handle(m as Envelope<{ type: string }>)) {
      if (body.type === 'request') this.requests.push(String(body.method));
      return;
    }
    this.received.push(body);
    if (body.type === 'ready') void this.sendState();
  }

  private async sendState(): Promise<void> {
    this.rpc.post({ type: 'loading', fileName: path.basename(this.file), message: `Reading ${path.basename(this.file)}…` });
    const r = await this.loaded;
    if ('error' in r) {
      this.rpc.post({ type: 'error', error: r.error, generation: this.generation });
      return;
    }
    this.rpc.post({
      type: 'init', summary: r.summary, graph: r.graph, settings: this.opts.settings ?? DEFAULT_SETTINGS,
      trusted: this.opts.trusted ?? true, viewType: 'modelLens.editor', generation: this.generation,
    });
  }

  private lookup(method: string): RpcHandler | undefined {
    if (method === 'trust.request') return () => ({ trusted: this.opts.trusted ?? true });
    if (method === 'settings.open') return () => null;
    const h = this.opts.handlers?.[method];
    if (!h) return undefined;
    return async (params, signal) => {
      const r = await this.loaded;
      if ('error' in r) throw new RpcError('The model is not loaded.', 'not-ready');
      return h(params, { model: r.model, summary: r.summary, signal });
    };
  }
}

/**
 * The compare panel's host (src/vscode/compare-panel.ts) for the ui tests: reads both files with the
 * real core, answers `ready` with `compare-init`, and serves compare.* with the REAL handlers
 * (features/compare/handlers); runs go through the engine's runtime process.
 */
export class CompareTestHost {
  readonly rpc: RpcEndpoint<HostMessage>;
  readonly requests: string[] = [];
  private readonly loaded: Promise<[LoadedModel, LoadedModel]>;

  constructor(readonly webview: WebviewPage, readonly fileA: string, readonly fileB: string, private readonly handlers: Record<string, CompareHandler>, private readonly opts: { trusted?: boolean } = {}) {
    const load = async (f: string): Promise<LoadedModel> => { const model = await openModel(f); return { model, ...(await describeModelForView(model)) }; };
    this.loaded = Promise.all([load(fileA), load(fileB)]);
    this.rpc = new RpcEndpoint<HostMessage>((env) => void webview.deliver(packEnvelope(env)), (method) => this.lookup(method));
    webview.onPosted((m) => this.receive(m));
    for (const m of webview.posted) this.receive(m);
  }

  async close(): Promise<void> {
    this.rpc.dispose('closed');
    for (const l of await this.loaded) await l.model.close();
  }

  private receive(m: Posted): void {
    const body = m.body;
    if (!isEnvelope(m)) return;
    if (this.rpc.handle(m as Envelope<{ type: string }>)) {
      if (body.type === 'request') this.requests.push(String(body.method));
      return;
    }
    if (m.body.type === 'ready') void this.loaded.then(([a, b]) => this.rpc.post({
      type: 'compare-init', a: { summary: a.summary, graph: a.graph }, b: { summary: b.summary, graph: b.graph }, settings: DEFAULT_SETTINGS, trusted: this.opts.trusted ?? true,
    }));
  }

  private lookup(method: string): RpcHandler | undefined {
    if (method === 'trust.request') return () => ({ trusted: this.opts.trusted ?? true });
    const h = this.handlers[method];
    if (!h) return undefined;
    return async (params, signal) => {
      const [a, b] = await this.loaded;
      return h(params, { a: a.model, b: b.model, signal, trusted: this.opts.trusted ?? true, provider: 'cpu' });
    };
  }
}
