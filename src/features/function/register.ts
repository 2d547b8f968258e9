// Host side of the Function tab: registers the function.* request handlers (features/function/handlers,
// VS Code–free) with what only VS Code provides: trust, the provider setting, the save dialog, and
// the per-document runtime processes shared with the run panel (src/vscode/runtime-sessions.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createFunctionHandlers } from './handlers.js';
import { registerHandlers, runtimeRequestContext } from '../../vscode/requests.js';
import { runtimeSessions } from '../../vscode/runtime-sessions.js';

async function pickSavePath(suggestedName: string, modelPath: string): Promise<string | null> {
  const ext = path.extname(suggestedName).slice(1) || 'onnx';
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(path.dirname(modelPath), suggestedName)),
    filters: { [vscode.l10n.t('Model')]: [ext] },
    title: vscode.l10n.t('Save the modified model as'),
  });
  return target?.fsPath ?? null;
}

/** Registers function.* (formula, model-formula, cost, hand, featuremaps, sweep, edit, restore, save-as). */
export function registerFunctionFeature(_context: vscode.ExtensionContext): vscode.Disposable[] {
  const handlers = createFunctionHandlers({ sessions: runtimeSessions(), pickSavePath });
  return registerHandlers(handlers, (ctx) => ({ ...runtimeRequestContext(ctx), requireTrust: () => ctx.requireTrust() }));
}
