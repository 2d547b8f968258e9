// Saving what a feature produced (an export, a tensor) where the user picks, next to the model by default.
import * as path from 'node:path';
import * as vscode from 'vscode';

/** Save dialog filters by file extension. */
export type SaveFilters = Record<string, Record<string, string[]>>;

/** Asks where to save `fileName` (starting in the model's folder) and writes it; null when cancelled. */
export async function saveWithDialog(fileName: string, data: string | Uint8Array, modelPath: string, filters: SaveFilters): Promise<string | null> {
  const ext = path.extname(fileName).slice(1);
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(path.dirname(modelPath), fileName)),
    filters: filters[ext],
    title: vscode.l10n.t('Save {0}', fileName),
  });
  if (!target) return null;
  await vscode.workspace.fs.writeFile(target, typeof data === 'string' ? new TextEncoder().encode(data) : data);
  return target.fsPath;
}
