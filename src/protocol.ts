// The envelope, the RPC and the shell's messages (init, loading, errors, tabs, settings, export).
// Each feature declares its own requests in src/features/<feature>/protocol.ts. Imported by both
// sides; types and pure helpers only (no Node, no DOM, no vscode), importing only types from core.

import type { ProviderChoice } from './core/runtime/backend.js';
import type { CompareFailed, CompareInit } from './features/compare/protocol.js';
import type { GraphPayload, ModelSummary } from './core/model-view-types.js';

/** Bumped when a message changes incompatibly; both sides check it on `ready`/`init`. */
export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Settings, tabs, errors
// ---------------------------------------------------------------------------------------------

/** The `modelLens.runtime.provider` setting: the runtime's provider choice. */
export type RuntimeProvider = ProviderChoice;

/** The `modelLens.*` settings the webview needs, read by the host (the webview cannot read them). */
export interface ModelLensSettings {
  graph: { direction: 'TB' | 'LR'; collapseAbove: number };
  runtime: { provider: RuntimeProvider };
  stats: { histogramBins: number };
  parse: { timeBudgetSeconds: number };
}

export const TAB_IDS = ['graph', 'params', 'run', 'overview', 'function'] as const;
export type TabId = (typeof TAB_IDS)[number];

export function isTabId(x: unknown): x is TabId {
  return typeof x === 'string' && (TAB_IDS as readonly string[]).includes(x);
}

/** A failure to open a model, ready for the error view: what, which file, where in it. */
export interface ErrorInfo {
  /** ModelError code (`truncated`, `missing-file`…), or `internal` for a bug. */
  code: string;
  /** The full message: file, place and detail. */
  message: string;
  /** The detail alone, without the file and place prefix. */
  detail: string;
  file: string;
  place: { offset?: number; field?: string; tensor?: string };
}

/** What the Export… command can produce; a view declares the ones it can make. */
export const EXPORT_FORMATS = ['graph-svg', 'graph-png', 'stats-csv', 'stats-json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(x: unknown): x is ExportFormat {
  return typeof x === 'string' && (EXPORT_FORMATS as readonly string[]).includes(x);
}

/** A produced export: text (SVG, CSV, JSON) or bytes (PNG) as an exact ArrayBuffer. */
export interface ExportResult {
  /** Suggested file name, without folder (the host asks the user where to save). */
  fileName: string;
  data: string | ArrayBuffer;
}

// ---------------------------------------------------------------------------------------------
// Messages. Every message travels in an Envelope; requests get a response whose `inReplyTo` is
// the request's id. Either side may send requests (webview → host: feature data; host → webview:
// exports) and fire-and-forget events.
// ---------------------------------------------------------------------------------------------

export interface Envelope<B = MessageBody> {
  v: typeof PROTOCOL_VERSION;
  /** Unique per sender, increasing. */
  id: number;
  /** Set on `response` bodies: the id of the request answered. */
  inReplyTo?: number;
  body: B;
}

/** A call into the other side's request registry. `method` names a handler; params are validated there. */
export interface RequestBody { type: 'request'; method: string; params: unknown }
/** Answer to a request: exactly one of result / error. */
export interface ResponseBody { type: 'response'; result?: unknown; error?: { message: string; code?: string } }
/** Asks the other side to abort the request with this envelope id (its handler sees an aborted signal). */
export interface CancelBody { type: 'cancel'; requestId: number }
/** A fire-and-forget event for a feature (`run.progress`…), routed by topic. */
export interface NotifyBody { type: 'notify'; topic: string; data: unknown }

type RpcBody = RequestBody | ResponseBody | CancelBody | NotifyBody;

/** Host → webview. */
export type HostMessage =
  | {
      type: 'init';
      summary: ModelSummary;
      graph: GraphPayload;
      settings: ModelLensSettings;
      /** Workspace trust: viewing works untrusted; running a model needs trust. */
      trusted: boolean;
      viewType: string;
      /** Increases each time the host re-reads the model (file changed on disk, Retry). */
      generation: number;
      /** Date.now() when the host posted this message (the webview times the transfer). */
      sentAt?: number;
    }
  | { type: 'loading'; fileName: string; message: string; /** 0..1 when known. */ fraction?: number }
  | { type: 'error'; error: ErrorInfo; generation: number }
  | { type: 'show-tab'; tab: TabId }
  | { type: 'reveal-node'; nodeId: number }
  | { type: 'settings-changed'; settings: ModelLensSettings }
  | { type: 'trust-changed'; trusted: boolean }
  /** The compare panel's page (features/compare/protocol.ts). */
  | CompareInit
  | CompareFailed
  | RpcBody;

/** Webview → host. */
export type WebviewMessage =
  | { type: 'ready' }
  /** The webview's visible state, so commands (Export…, Reveal) act on what the user sees. */
  | { type: 'set-state'; tab: TabId; selectedNode: number | null; selectedWeight: number | null }
  /** Retry after an error: re-read the file. */
  | { type: 'reload' }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** Once per init: where the webview's time went until the graph was first painted (ms). */
  | { type: 'open-phases'; generation: number; transferMs: number; graphModelMs: number; layoutMs: number; drawMs: number; paintedMs: number }
  | RpcBody;

export type MessageBody = HostMessage | WebviewMessage;

/**
 * Requests the host answers for the webview, by method. Features register their handlers with
 * `registerRequestHandler` (src/vscode/requests.ts); list their params/result types here.
 */
export interface HostRequests {
  /** Opens VS Code's workspace-trust dialog; resolves with whether the workspace is trusted now. */
  'trust.request': { params: Record<string, never>; result: { trusted: boolean } };
  /** Opens the Settings UI filtered to one `modelLens.*` setting. */
  'settings.open': { params: { key: string }; result: null };
}

/** Requests the webview answers for the host. */
export interface WebviewRequests {
  /** Which export formats the open views can produce right now. */
  'export.list': { params: Record<string, never>; result: { formats: ExportFormat[] } };
  'export.produce': { params: { format: ExportFormat }; result: ExportResult };
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Checks the envelope shape (not the body's fields: each receiver validates those it uses). */
export function isEnvelope(x: unknown): x is Envelope<{ type: string }> {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  if (e.v !== PROTOCOL_VERSION || !Number.isSafeInteger(e.id)) return false;
  if (e.inReplyTo !== undefined && !Number.isSafeInteger(e.inReplyTo)) return false;
  const b = e.body as Record<string, unknown> | null;
  return typeof b === 'object' && b !== null && typeof b.type === 'string';
}

/** A request handler: gets validated-by-itself params and an abort signal; returns the result. */
export type RpcHandler = (params: unknown, signal: AbortSignal) => unknown | Promise<unknown>;

export class RpcError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'RpcError';
  }
}

/**
 * The symmetric request/response machinery shared by host and webview: ids, pending promises,
 * cancellation, and dispatch of incoming requests to a handler lookup. Transport-agnostic.
 */
export class RpcEndpoint<Out extends { type: string }> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly running = new Map<number, AbortController>();

  constructor(
    private readonly send: (env: Envelope<Out | RpcBody>) => void,
    private readonly lookup: (method: string) => RpcHandler | undefined,
  ) {}

  /** Sends a fire-and-forget message. */
  post(body: Out | NotifyBody): void {
    this.send({ v: PROTOCOL_VERSION, id: this.nextId++, body });
  }

  /** Sends a request and resolves with the other side's result (rejects with its error). */
  request(method: string, params: unknown, signal?: AbortSignal): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new RpcError('cancelled', 'cancelled'));
      this.pending.set(id, { resolve, reject });
      signal?.addEventListener('abort', () => {
        if (!this.pending.delete(id)) return;
        this.send({ v: PROTOCOL_VERSION, id: this.nextId++, body: { type: 'cancel', requestId: id } });
        reject(new RpcError('cancelled', 'cancelled'));
      }, { once: true });
      this.send({ v: PROTOCOL_VERSION, id, body: { type: 'request', method, params } });
    });
  }

  /**
   * Handles an incoming envelope if it is RPC traffic (request, response, cancel) and returns
   * true; returns false for everything else, which the caller routes by type.
   */
  handle(env: Envelope<{ type: string }>): boolean {
    const body = env.body as RpcBody | { type: string };
    switch (body.type) {
      case 'response': {
        const p = env.inReplyTo === undefined ? undefined : this.pending.get(env.inReplyTo);
        if (!p) return true; // late answer to a cancelled request
        this.pending.delete(env.inReplyTo!);
        const r = body as ResponseBody;
        if (r.error) p.reject(new RpcError(typeof r.error.message === 'string' ? r.error.message : 'request failed', typeof r.error.code === 'string' ? r.error.code : undefined));
        else p.resolve(r.result);
        return true;
      }
      case 'cancel': {
        const id = (body as CancelBody).requestId;
        if (Number.isSafeInteger(id)) this.running.get(id)?.abort();
        return true;
      }
      case 'request': {
        void this.answer(env.id, body as RequestBody);
        return true;
      }
      default:
        return false;
    }
  }

  private async answer(id: number, req: RequestBody): Promise<void> {
    const reply = (body: ResponseBody) => this.send({ v: PROTOCOL_VERSION, id: this.nextId++, inReplyTo: id, body });
    const handler = typeof req.method === 'string' ? this.lookup(req.method) : undefined;
    if (!handler) return reply({ type: 'response', error: { message: `unknown request method '${String(req.method)}'`, code: 'unknown-method' } });
    const ctl = new AbortController();
    this.running.set(id, ctl);
    try {
      const result = await handler(req.params, ctl.signal);
      reply({ type: 'response', result: result === undefined ? null : result });
    } catch (e) {
      const err = e as { message?: unknown; code?: unknown };
      reply({ type: 'response', error: { message: typeof err?.message === 'string' ? err.message : String(e), code: typeof err?.code === 'string' ? err.code : undefined } });
    } finally {
      this.running.delete(id);
    }
  }

  /** Rejects every pending request (the other side went away). */
  dispose(reason = 'closed'): void {
    for (const p of this.pending.values()) p.reject(new RpcError(reason, 'closed'));
    this.pending.clear();
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }
}
