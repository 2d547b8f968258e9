// Host side of the Run panel: registers the run.* request handlers (features/run/handlers, VS
// Code–free) with what only VS Code provides: trust, the provider setting, open/save dialogs, and
// the per-document runtime processes of src/vscode/runtime-sessions.ts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createRunHandlers } from './handlers.js';
import { registerRequestHandler } from '../../vscode/requests.js';
import { readSettings } from '../../vscode/settings.js';
import { registerRuntimeSessions, runtimeSessions } from '../../vscode/runtime-sessions.js';

const INPUT_FILTERS = {
  [vscode.l10n.t('Tensors and images')]: ['npy', 'json', 'pb', 'png', 'jpg', 'jpeg'],
  [vscode.l10n.t('All files')]: ['*'],
};
const SAVE_FILTERS: Record<string, Record<string, string[]>> = {
  npy: { 'NumPy array': ['npy'] },
  json: { JSON: ['json'] },
};

async function pickFile(modelPath: string): Promise<string | null> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: vscode.Uri.file(path.dirname(modelPath)),
    filters: INPUT_FILTERS,
    title: vscode.l10n.t('Choose an input (.npy, .json, ONNX TensorProto .pb, or an image)'),
  });
  return picked?.[0]?.fsPath ?? null;
}

async function saveFile(fileName: string, data: string | Uint8Array, modelPath: string): Promise<string | null> {
  const ext = path.extname(fileName).slice(1);
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(path.dirname(modelPath), fileName)),
    filters: SAVE_FILTERS[ext],
    title: vscode.l10n.t('Save {0}', fileName),
  });
  if (!target) return null;
  await vscode.workspace.fs.writeFile(target, typeof data === 'string' ? new TextEncoder().encode(data) : data);
  return target.fsPath;
}

/** Registers run.* (providers, pickInput, infer, activations, activationHistogram, compare, export, cancel). */
export function registerRunFeature(_context: vscode.ExtensionContext): vscode.Disposable[] {
  const handlers = createRunHandlers({ sessions: runtimeSessions(), pickFile, save: saveFile });
  return [
    ...registerRuntimeSessions(),
    ...Object.entries(handlers).map(([method, handler]) => registerRequestHandler(method, (params, ctx) => handler(params, {
      model: ctx.model,
      key: ctx.uri.toString(),
      signal: ctx.signal,
      trusted: ctx.trusted,
      provider: readSettings(ctx.uri).runtime.provider,
    }))),
  ];
}
