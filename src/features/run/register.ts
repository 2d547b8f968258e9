// Host side of the Run panel: registers the run.* request handlers (features/run/handlers, VS
// Code–free) with what only VS Code provides: trust, the provider setting, open/save dialogs, and
// the per-document runtime processes of src/vscode/runtime-sessions.ts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createRunHandlers } from './handlers.js';
import { registerHandlers, runtimeRequestContext } from '../../vscode/requests.js';
import { saveWithDialog, type SaveFilters } from '../../vscode/save-dialog.js';
import { registerRuntimeSessions, runtimeSessions } from '../../vscode/runtime-sessions.js';

const INPUT_FILTERS = {
  [vscode.l10n.t('Tensors and images')]: ['npy', 'json', 'pb', 'png', 'jpg', 'jpeg'],
  [vscode.l10n.t('All files')]: ['*'],
};
const SAVE_FILTERS: SaveFilters = {
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

/** Registers run.* (providers, defaults, pickInput, infer, activations, profile, activationHistogram, compare, export, cancel). */
export function registerRunFeature(_context: vscode.ExtensionContext): vscode.Disposable[] {
  const handlers = createRunHandlers({
    sessions: runtimeSessions(),
    pickFile,
    save: (fileName, data, modelPath) => saveWithDialog(fileName, data, modelPath, SAVE_FILTERS),
  });
  return [
    ...registerRuntimeSessions(),
    ...registerHandlers(handlers, runtimeRequestContext),
  ];
}
