// Host side of the Parameters view: registers the params.* request handlers (handlers.ts,
// VS Code–free) with what only VS Code provides: the cache folder in global storage, a cancellable
// progress notification for long model passes, and the save dialog for exports.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../../vscode/settings.js';
import { registerHandlers } from '../../vscode/requests.js';
import { saveWithDialog, type SaveFilters } from '../../vscode/save-dialog.js';
import { createParamsHandlers, type StatsPass } from './handlers.js';

/** A pass still running after this long gets a progress notification (short ones would only flash). */
const NOTIFY_AFTER_MS = 1500;

const FILTERS: SaveFilters = {
  npy: { 'NumPy array': ['npy'] },
  csv: { 'CSV table': ['csv'] },
  json: { JSON: ['json'] },
};

function showPassProgress(pass: StatsPass): void {
  let finished = false;
  void pass.done.then(() => { finished = true; });
  setTimeout(() => {
    if (finished) return;
    void vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Model Lens: weight statistics of {0}', pass.fileName),
      cancellable: true,
    }, (progress, token) => {
      token.onCancellationRequested(() => pass.cancel());
      let reported = 0;
      pass.onProgress((p) => {
        const pct = p.bytesTotal ? (100 * p.bytesDone) / p.bytesTotal : (100 * p.tensorsDone) / Math.max(1, p.tensorsTotal);
        progress.report({ increment: Math.max(0, pct - reported), message: vscode.l10n.t('{0} of {1} tensors', p.tensorsDone, p.tensorsTotal) });
        reported = Math.max(reported, pct);
      });
      return pass.done;
    });
  }, NOTIFY_AFTER_MS);
}

/** Registers params.model, params.tensor, params.values, params.channels and params.export for the extension's lifetime. */
export function registerParamsFeature(context: vscode.ExtensionContext): vscode.Disposable {
  const handlers = createParamsHandlers({
    cacheDir: path.join(context.globalStorageUri.fsPath, 'stats-cache'),
    bins: () => readSettings().stats.histogramBins,
    passStarted: showPassProgress,
    save: (fileName, data, modelPath) => saveWithDialog(fileName, data, modelPath, FILTERS),
  });
  return vscode.Disposable.from(...registerHandlers(handlers, (ctx) => ctx));
}
