// Host side of the Function tab: registers the explain.* request handlers (core/explain-service,
// VS Code–free) with what only VS Code provides: trust, the provider setting, the save dialog, and
// the per-document runtime processes shared with the run panel (runtime-session.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createExplainHandlers } from '../../core/explain-service/explain-handlers.js';
import { registerRequestHandler } from '../requests.js';
import { readSettings } from '../settings.js';
import { runtimeSessions } from './runtime-session.js';

async function pickSavePath(suggestedName: string, modelPath: string): Promise<string | null> {
  const ext = path.extname(suggestedName).slice(1) || 'onnx';
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(path.dirname(modelPath), suggestedName)),
    filters: { [vscode.l10n.t('Model')]: [ext] },
    title: vscode.l10n.t('Save the modified model as'),
  });
  return target?.fsPath ?? null;
}

/** Registers explain.* (formula, model-formula, cost, hand, featuremaps, sweep, edit, restore, save-as). */
export function registerExplainFeature(_context: vscode.ExtensionContext): vscode.Disposable[] {
  const handlers = createExplainHandlers({ sessions: runtimeSessions(), pickSavePath });
  return Object.entries(handlers).map(([method, handler]) => registerRequestHandler(method, (params, ctx) => handler(params, {
    model: ctx.model,
    key: ctx.uri.toString(),
    signal: ctx.signal,
    trusted: ctx.trusted,
    provider: readSettings(ctx.uri).runtime.provider,
    requireTrust: () => ctx.requireTrust(),
  })));
}
