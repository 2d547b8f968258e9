import * as vscode from 'vscode';
import type { Model } from '../core/ir/graph.js';
import type { ModelSummary } from '../core/model-view-types.js';
import { RpcError } from '../protocol.js';
import { readSettings } from './settings.js';

/** What a feature's request handler gets besides its params. */
export interface RequestContext {
  /** The model of the editor that sent the request (shared by every editor on the file). */
  readonly model: Model;
  readonly summary: ModelSummary;
  readonly uri: vscode.Uri;
  /** Aborted when the webview cancels the request, the panel closes or the file reloads. */
  readonly signal: AbortSignal;
  /** Whether the workspace is trusted (running a model needs it; viewing does not). */
  readonly trusted: boolean;
  /** Sends a fire-and-forget `notify` to the requesting webview (progress, partial results). */
  notify(topic: string, data: unknown): void;
  /** Asks the user to trust the workspace when needed; resolves with whether it is trusted. */
  requireTrust(): Promise<boolean>;
  readonly log: vscode.LogOutputChannel;
  /** In a compare panel: the second model (B); `model` is then A, the reference. */
  readonly other?: { readonly model: Model; readonly summary: ModelSummary; readonly uri: vscode.Uri };
}

/**
 * Handles one request method. `params` is whatever the webview sent: validate every field
 * before use (src/protocol-validate.ts) — a compromised webview must not steer the host.
 */
export type RequestHandler = (params: unknown, ctx: RequestContext) => unknown | Promise<unknown>;

const handlers = new Map<string, RequestHandler>();

/**
 * Registers the host side of a webview request (`params.tensor`, `run.infer`…). Features call
 * this from their own module at activation; the editor routes requests here without knowing them.
 */
export function registerRequestHandler(method: string, handler: RequestHandler): vscode.Disposable {
  if (handlers.has(method)) throw new Error(`request method '${method}' is already registered`);
  handlers.set(method, handler);
  return new vscode.Disposable(() => {
    if (handlers.get(method) === handler) handlers.delete(method);
  });
}

/**
 * Registers a feature's handlers (`create<Feature>Handlers()`), each called with the context
 * `adapt` builds from the editor's request context.
 */
export function registerHandlers<C>(
  featureHandlers: Record<string, (params: unknown, ctx: C) => Promise<unknown>>,
  adapt: (ctx: RequestContext) => C,
): vscode.Disposable[] {
  return Object.entries(featureHandlers).map(([method, handler]) => registerRequestHandler(method, (params, ctx) => handler(params, adapt(ctx))));
}

/** The context a runtime-backed feature (run, function) gets: the model, its session key, trust, provider. */
export function runtimeRequestContext(ctx: RequestContext) {
  return { model: ctx.model, key: ctx.uri.toString(), signal: ctx.signal, trusted: ctx.trusted, provider: readSettings(ctx.uri).runtime.provider, notify: ctx.notify };
}

export function getRequestHandler(method: string): RequestHandler | undefined {
  return handlers.get(method);
}

/** Thrown by handlers for a request that cannot be served; its message reaches the webview. */
export function requestError(message: string, code = 'bad-request'): RpcError {
  return new RpcError(message, code);
}
