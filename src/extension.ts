import * as vscode from 'vscode';
import { disposeSpareParseWorker, prewarmParseWorker } from './core/formats/open-in-worker.js';
import { registerFeatures } from './features/index.js';
import { registerCommands } from './vscode/commands.js';
import { ModelEditorProvider } from './vscode/editor-provider.js';
import { recordActivation } from './vscode/open-phases.js';
import { output } from './vscode/output.js';
import { createTestApi } from './vscode/test-api.js';
import { TfjsJsonOffer } from './vscode/tfjs-json.js';

/** Registers the Model Lens editor, its commands, and the "Open in Model Lens" offer for TF.js JSON. */
export function activate(context: vscode.ExtensionContext): { __test?: ReturnType<typeof createTestApi> } {
  const started = performance.now();
  const provider = ModelEditorProvider.register(context);
  registerCommands(context, provider);
  registerFeatures(context);
  context.subscriptions.push(new TfjsJsonOffer(), output(), { dispose: disposeSpareParseWorker });
  // The extension activates to open a model: its parse worker boots meanwhile (~60 ms saved).
  prewarmParseWorker();
  recordActivation(performance.now() - started);
  // Installed from the marketplace the extension exports nothing; its own test suites get a window in.
  return context.extensionMode === vscode.ExtensionMode.Production ? {} : { __test: createTestApi(provider) };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
