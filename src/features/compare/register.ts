// Host side of the compare panel: the compare.* handlers (VS Code-free, handlers.ts) with the
// panel's two models, and the commands that open it — Select for Compare / Compare with Selected in
// the Explorer, Compare with… from an open Model Lens editor.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ComparePanel } from '../../vscode/compare-panel.js';
import { registerHandlers, requestError, type RequestContext } from '../../vscode/requests.js';
import { readSettings } from '../../vscode/settings.js';
import { createCompareHandlers, type CompareRequestContext } from './handlers.js';

/** The context key the Explorer's "Compare with Selected" shows on. */
const SELECTED_KEY = 'modelLens.compareSelected';
const MODEL_GLOB = '**/{*.onnx,*model*.json}';

function compareContext(ctx: RequestContext): CompareRequestContext {
  if (!ctx.other) throw requestError('compare requests come from a compare panel');
  return {
    a: ctx.model, b: ctx.other.model,
    signal: ctx.signal, trusted: ctx.trusted, provider: readSettings(ctx.uri).runtime.provider,
  };
}

/** The file of the active Model Lens editor, if one is active. */
function activeModelUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType.startsWith('modelLens.editor') ? input.uri : undefined;
}

async function pickOther(a: vscode.Uri): Promise<vscode.Uri | undefined> {
  const found = (await vscode.workspace.findFiles(MODEL_GLOB, '**/node_modules/**', 500)).filter((u) => u.toString() !== a.toString());
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const browse: Item = { label: vscode.l10n.t('$(folder-opened) Browse…') };
  const items: Item[] = [browse, ...found.map((uri) => ({ uri, label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)) }))];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Compare {0} with…', path.basename(a.fsPath)), placeHolder: vscode.l10n.t('The model to compare with (B)'), matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: vscode.Uri.file(path.dirname(a.fsPath)), filters: { [vscode.l10n.t('Models')]: ['onnx', 'json'] } });
  return chosen?.[0];
}

/** Registers compare.* and the modelLens.selectForCompare / compareWithSelected / compareWith commands. */
export function registerCompareFeature(context: vscode.ExtensionContext): vscode.Disposable[] {
  const handlers = createCompareHandlers();
  let selected: vscode.Uri | undefined;
  const open = (a: vscode.Uri, b: vscode.Uri) => ComparePanel.open(a, b, context.extensionUri);
  const asUri = (x: unknown) => (x instanceof vscode.Uri ? x : undefined);

  return [
    ...registerHandlers(handlers, compareContext),
    vscode.commands.registerCommand('modelLens.selectForCompare', async (arg?: unknown) => {
      selected = asUri(arg) ?? activeModelUri();
      await vscode.commands.executeCommand('setContext', SELECTED_KEY, !!selected);
    }),
    vscode.commands.registerCommand('modelLens.compareWithSelected', async (arg?: unknown, all?: unknown) => {
      const uri = asUri(arg);
      // Two files selected in the Explorer compare with each other, the first as A.
      const many = Array.isArray(all) ? all.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
      if (many.length === 2 && !selected) return open(many[0], many[1]);
      if (!selected || !uri) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Choose "Model Lens: Select for Compare" on a model first.'));
        return undefined;
      }
      return open(selected, uri);
    }),
    vscode.commands.registerCommand('modelLens.compareWith', async (arg?: unknown, other?: unknown) => {
      const a = asUri(arg) ?? activeModelUri();
      if (!a) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a model with Model Lens first.'));
        return undefined;
      }
      const b = asUri(other) ?? await pickOther(a);
      return b ? open(a, b) : undefined;
    }),
    { dispose: () => { for (const p of ComparePanel.all()) p.dispose(); } },
  ];
}
