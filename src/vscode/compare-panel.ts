// The compare panel: one webview holding two models side by side (A = the reference, B = the
// candidate). It reads both files, sends them in one `compare-init`, and answers the page's requests
// with the handlers features registered (compare.*), whose context carries both models.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { packEnvelope } from '../core/envelope-pack.js';
import { openModelInWorker } from '../core/formats/open-in-worker.js';
import type { Model } from '../core/ir/graph.js';
import { describeModelForView } from '../core/model-view.js';
import type { ModelSummary } from '../core/model-view-types.js';
import { COMPARE_BUNDLE, COMPARE_VIEW_TYPE, type CompareInit } from '../features/compare/protocol.js';
import { isEnvelope, RpcEndpoint, RpcError, type Envelope, type HostMessage } from '../protocol.js';
import { Disposable } from './disposable.js';
import { requireTrust } from './editor-session.js';
import { output } from './output.js';
import { getRequestHandler, type RequestContext } from './requests.js';
import { readSettings } from './settings.js';
import { buildWebviewHtml, localResourceRoots } from './webview-html.js';

type Loaded = { model: Model; summary: ModelSummary; init: CompareInit['a'] };

/** Every open compare panel (the tests and the `Compare with…` command look here). */
const panels = new Set<ComparePanel>();

export class ComparePanel extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly rpc: RpcEndpoint<HostMessage>;
  private readonly lifetime = new AbortController();
  private readonly loaded: Promise<[Loaded | Error, Loaded | Error]>;

  static open(a: vscode.Uri, b: vscode.Uri, extensionUri: vscode.Uri): ComparePanel {
    return new ComparePanel(a, b, extensionUri);
  }

  static all(): ComparePanel[] {
    return [...panels];
  }

  private constructor(readonly a: vscode.Uri, readonly b: vscode.Uri, extensionUri: vscode.Uri) {
    super();
    const title = vscode.l10n.t('{0} ↔ {1}', path.basename(a.fsPath), path.basename(b.fsPath));
    this.panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, title, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) });
    const webview = this.panel.webview;
    this.rpc = new RpcEndpoint<HostMessage>((env) => void webview.postMessage(packEnvelope(env)), (method) => this.lookup(method));
    this.loaded = Promise.all([this.load(a), this.load(b)]);
    panels.add(this);
    this._register({ dispose: () => { panels.delete(this); this.lifetime.abort(); this.rpc.dispose('the compare panel was closed'); } });
    this._register(webview.onDidReceiveMessage((m) => this.receive(m)));
    this._register(this.panel.onDidDispose(() => this.dispose()));
    this._register({ dispose: () => void this.loaded.then((all) => { for (const l of all) if (!(l instanceof Error)) void l.model.close(); }) });
    webview.html = buildWebviewHtml(webview, extensionUri, COMPARE_BUNDLE);
  }

  private async load(uri: vscode.Uri): Promise<Loaded | Error> {
    try {
      const { model, view: opened } = await openModelInWorker(uri.fsPath, { signal: this.lifetime.signal });
      const view = opened ?? (await describeModelForView(model));
      return { model, summary: view.summary, init: view };
    } catch (e) {
      output().error(`Compare: could not read ${uri.fsPath}: ${(e as Error).message}`);
      return e instanceof Error ? e : new Error(String(e));
    }
  }

  private async sendState(): Promise<void> {
    const [a, b] = await this.loaded;
    if (this.isDisposed) return;
    for (const [side, l] of [['a', a], ['b', b]] as const) {
      if (l instanceof Error) { this.rpc.post({ type: 'compare-error', side, message: l.message }); return; }
    }
    const [la, lb] = [a as Loaded, b as Loaded];
    this.rpc.post({ type: 'compare-init', a: la.init, b: lb.init, settings: readSettings(this.a), trusted: vscode.workspace.isTrusted });
  }

  private receive(raw: unknown): void {
    if (!isEnvelope(raw)) return;
    const env = raw as Envelope<{ type: string }>;
    if (this.rpc.handle(env)) return;
    const body = env.body as { type?: unknown; level?: unknown; message?: unknown };
    if (body.type === 'ready') void this.sendState();
    else if (body.type === 'log' && typeof body.message === 'string') output().warn(`[compare webview] ${body.message.slice(0, 8192)}`);
  }

  private lookup(method: string) {
    if (method === 'trust.request') return async () => ({ trusted: await requireTrust() });
    const handler = getRequestHandler(method);
    if (!handler || !method.startsWith('compare.')) return undefined;
    return async (params: unknown, signal: AbortSignal) => {
      const [a, b] = await this.loaded;
      if (a instanceof Error || b instanceof Error) throw new RpcError(vscode.l10n.t('The models are not loaded.'), 'not-ready');
      const ctx: RequestContext = {
        model: a.model, summary: a.summary, uri: this.a,
        other: { model: b.model, summary: b.summary, uri: this.b },
        signal: AbortSignal.any([signal, this.lifetime.signal]),
        trusted: vscode.workspace.isTrusted,
        notify: (topic, data) => this.rpc.post({ type: 'notify', topic, data }),
        requireTrust: () => requireTrust(),
        log: output(),
      };
      return handler(params, ctx);
    };
  }
}
