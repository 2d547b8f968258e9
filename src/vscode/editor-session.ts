import * as vscode from 'vscode';
import type { Envelope, HostMessage, NotifyBody, TabId, WebviewRequests } from '../protocol.js';
import { isEnvelope, isTabId, RpcEndpoint, RpcError } from '../protocol.js';
import { packEnvelope } from '../core/envelope-pack.js';
import type { GraphPayload, ModelSummary } from '../core/model-view-types.js';
import { Disposable } from './disposable.js';
import type { ModelDocument } from './model-document.js';
import { formatOpenPhases, takeActivation, WEBVIEW_PHASE_KEYS, type WebviewOpenPhases } from './open-phases.js';
import { output } from './output.js';
import { getRequestHandler, type RequestContext } from './requests.js';
import { readSettings } from './settings.js';
import { buildWebviewHtml, localResourceRoots } from './webview-html.js';
import { record, str } from '../protocol-validate.js';

/** Longest log line accepted from the webview (it is written to the output channel). */
const MAX_LOG_CHARS = 8192;

/** What the webview last reported it shows; commands use it (Export… from the visible tab). */
export interface ViewState {
  tab: TabId;
  selectedNode: number | null;
  selectedWeight: number | null;
}

/**
 * One editor (webview panel) on a ModelDocument: sends it the model, answers its requests,
 * and forwards commands (show tab, reveal node, export) to it.
 */
export class EditorSession extends Disposable {
  private readonly rpc: RpcEndpoint<HostMessage>;
  private webviewReady = false;
  private pending: HostMessage[] = [];
  /** The graph the webview's page got in its latest init (the early view's, then kept on ready). */
  private initSent: GraphPayload | null = null;
  /** The webview's open phases when they came before the model was ready (kept for that moment). */
  private earlyPhases: { body: Record<string, unknown>; paintedAt: number } | null = null;
  private readonly lifetime = new AbortController();
  /** Where the time of the latest open went (the output channel line), once the graph painted. */
  openPhases: string | null = null;
  private readonly createdAt = performance.now();
  private webviewStartMs: number | null = null;
  private firstPaintReported = false;
  viewState: ViewState = { tab: 'graph', selectedNode: null, selectedWeight: null };

  /** Whether the webview has said `ready` and received the model (or error) since it was last shown. */
  get isWebviewReady(): boolean {
    return this.webviewReady;
  }

  constructor(
    readonly document: ModelDocument,
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly viewType: string,
  ) {
    super();
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
    this.rpc = new RpcEndpoint<HostMessage>(
      (env) => void webview.postMessage(packEnvelope(env)),
      (method) => this.lookup(method),
    );
    this._register({ dispose: () => { this.lifetime.abort(); this.rpc.dispose('the editor was closed'); } });
    this._register(webview.onDidReceiveMessage((m) => this.receive(m)));
    this._register(document.onDidChangeState(() => this.sendDocumentState()));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('modelLens', document.uri)) this.post({ type: 'settings-changed', settings: readSettings(document.uri) });
    }));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.post({ type: 'trust-changed', trusted: true })));
    this._register(panel.onDidChangeViewState(() => {
      // A hidden webview's page is destroyed (no retainContextWhenHidden); it says `ready` again when shown.
      if (!panel.visible && this.webviewReady) {
        this.webviewReady = false;
        this.rpc.dispose('the editor was hidden');
      }
    }));
    webview.html = buildWebviewHtml(webview, extensionUri);
  }

  /** Switches the editor to a tab (now, or as soon as the model is shown). */
  showTab(tab: TabId): void {
    this.postWhenReady({ type: 'show-tab', tab });
  }

  revealNode(nodeId: number): void {
    this.postWhenReady({ type: 'reveal-node', nodeId });
  }

  /** Calls a request handler in the webview (exports). Rejects when the webview is not showing a model. */
  request<M extends keyof WebviewRequests>(method: M, params: WebviewRequests[M]['params'], signal?: AbortSignal): Promise<WebviewRequests[M]['result']> {
    if (!this.webviewReady || this.document.state.kind !== 'ready') return Promise.reject(new RpcError(vscode.l10n.t('The model is not shown yet.'), 'not-ready'));
    return this.rpc.request(method, params, signal) as Promise<WebviewRequests[M]['result']>;
  }

  private post(msg: HostMessage): void {
    if (this.webviewReady) this.rpc.post(msg);
  }

  private postWhenReady(msg: HostMessage): void {
    if (this.webviewReady && this.document.state.kind === 'ready') this.rpc.post(msg);
    else this.pending.push(msg);
  }

  private sendDocumentState(): void {
    if (!this.webviewReady) return;
    const s = this.document.state;
    switch (s.kind) {
      case 'loading':
        if (s.view) this.sendInit(s.view.summary, s.view.graph, s.view.generation);
        else {
          this.initSent = null;
          this.rpc.post({ type: 'loading', fileName: this.document.fileName, message: s.message });
        }
        break;
      case 'error':
        this.initSent = null;
        this.rpc.post({ type: 'error', error: s.error, generation: this.document.generation });
        break;
      case 'ready': {
        // The page already shows this graph when it got the early view: only the queue goes.
        if (this.initSent !== s.graph) this.sendInit(s.summary, s.graph, this.document.generation);
        const queued = this.pending;
        this.pending = [];
        for (const m of queued) this.rpc.post(m);
        const early = this.earlyPhases;
        this.earlyPhases = null;
        if (early) this.reportOpenPhases(early.body, early.paintedAt);
        break;
      }
    }
  }

  private sendInit(summary: ModelSummary, graph: GraphPayload, generation: number): void {
    this.initSent = graph;
    this.rpc.post({
      type: 'init', summary, graph, settings: readSettings(this.document.uri),
      trusted: vscode.workspace.isTrusted, viewType: this.viewType, generation, sentAt: Date.now(),
    });
  }

  private receive(raw: unknown): void {
    if (!isEnvelope(raw)) {
      output().warn('Ignored a malformed message from the webview');
      return;
    }
    const env = raw as Envelope<{ type: string }>;
    if (this.rpc.handle(env)) return;
    const body = env.body as Record<string, unknown>;
    switch (body.type) {
      case 'ready':
        // Sent on every (re)load of the page, e.g. after the editor was hidden and shown again.
        this.webviewReady = true;
        this.initSent = null;
        this.webviewStartMs ??= performance.now() - this.createdAt;
        this.sendDocumentState();
        break;
      case 'set-state': {
        const node = body.selectedNode, weight = body.selectedWeight;
        if (!isTabId(body.tab)) return;
        this.viewState = {
          tab: body.tab,
          selectedNode: Number.isSafeInteger(node) && (node as number) >= 0 ? (node as number) : null,
          selectedWeight: Number.isSafeInteger(weight) && (weight as number) >= 0 ? (weight as number) : null,
        };
        break;
      }
      case 'reload':
        void this.document.load();
        break;
      case 'log': {
        if (typeof body.message !== 'string') return;
        const msg = `[webview] ${body.message.slice(0, MAX_LOG_CHARS)}`;
        if (body.level === 'error') output().error(msg);
        else if (body.level === 'warn') output().warn(msg);
        else output().info(msg);
        break;
      }
      case 'open-phases':
        this.reportOpenPhases(body);
        break;
      case 'notify':
        // Webview → host notifications have no host-side listeners yet; ignore them quietly.
        break;
      default:
        output().warn(`Ignored a webview message of unknown type '${String(body.type).slice(0, 64)}'`);
    }
  }

  /**
   * Writes where the time of the open went. Phases of an early view (painted before the model was
   * on the host) wait for the model to be ready, with the time they came.
   */
  private reportOpenPhases(body: Record<string, unknown>, paintedAt = performance.now()): void {
    const s = this.document.state;
    if (s.kind === 'loading' && s.view && body.generation === s.view.generation) { this.earlyPhases = { body, paintedAt }; return; }
    if (s.kind !== 'ready' || body.generation !== this.document.generation) return;
    const webview = Object.fromEntries(WEBVIEW_PHASE_KEYS.map((k) => [k, Number(body[k])]));
    if (!Object.values(webview).every(Number.isFinite)) return;
    const first = !this.firstPaintReported;
    this.firstPaintReported = true;
    this.openPhases = formatOpenPhases({
      fileName: s.summary.fileName, nodes: s.summary.nodes, host: s.phases, webview: webview as unknown as WebviewOpenPhases,
      activationMs: takeActivation(), webviewStartMs: first ? this.webviewStartMs : null, wallMs: first ? paintedAt - this.createdAt : null,
    });
    output().info(this.openPhases);
  }

  private lookup(method: string) {
    const builtIn = this.builtInHandlers[method as keyof typeof this.builtInHandlers];
    if (builtIn) return builtIn;
    const handler = getRequestHandler(method);
    if (!handler) return undefined;
    return async (params: unknown, signal: AbortSignal) => {
      // A page drawn from the early view may ask before the model is on the host: it waits for it.
      const now = this.document.state;
      const s = now.kind === 'loading' && now.view ? await this.document.settled() : now;
      if (s?.kind !== 'ready') throw new RpcError(vscode.l10n.t('The model is not loaded.'), 'not-ready');
      // A reload replaces the model: requests on the old one are cancelled with it.
      const reloaded = new AbortController();
      const sub = this.document.onDidChangeState(() => reloaded.abort());
      const ctx: RequestContext = {
        model: s.model,
        summary: s.summary,
        uri: this.document.uri,
        signal: AbortSignal.any([signal, this.lifetime.signal, reloaded.signal]),
        trusted: vscode.workspace.isTrusted,
        notify: (topic, data) => this.post({ type: 'notify', topic, data } satisfies NotifyBody),
        requireTrust: () => requireTrust(),
        log: output(),
      };
      try {
        return await handler(params, ctx);
      } finally {
        sub.dispose();
      }
    };
  }

  private readonly builtInHandlers = {
    'trust.request': async () => ({ trusted: await requireTrust() }),
    'settings.open': async (params: unknown) => {
      const key = str(record(params), 'key', 200);
      if (!/^modelLens\.[A-Za-z.]+$/.test(key)) throw new RpcError(`not a Model Lens setting: ${key}`, 'bad-request');
      await vscode.commands.executeCommand('workbench.action.openSettings', key);
      return null;
    },
  };
}

/** Opens the workspace-trust dialog when the workspace is not trusted; resolves with the outcome. */
export async function requireTrust(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Running a model executes native code on its graph. Trust this workspace to run models; viewing works without trust.'),
    { modal: true },
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return vscode.workspace.isTrusted;
}
