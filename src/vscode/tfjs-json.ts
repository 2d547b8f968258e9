import * as vscode from 'vscode';
import { isTfjsModelJson } from '../core/formats/index.js';
import { Disposable } from './disposable.js';

/** Context key: the active text editor shows a TF.js model.json (drives the editor-title button). */
export const TFJS_CONTEXT_KEY = 'modelLens.activeEditorIsTfjsModel';
/** JSON bigger than this is not inspected while typing (real model.json files are a few MB). */
const MAX_INSPECT_CHARS = 64 * 1024 * 1024;
const SELECTOR: vscode.DocumentSelector = [{ language: 'json' }, { language: 'jsonc' }, { pattern: '**/*.json' }];

/**
 * A JSON file opened as text can be a TF.js model (`modelTopology` + `weightsManifest`); custom
 * editors cannot claim such generic names by content, so offer "Open in Model Lens" instead:
 * a button in the editor title (via a context key) and a CodeLens on the first line.
 */
export class TfjsJsonOffer extends Disposable implements vscode.CodeLensProvider {
  private readonly cache = new WeakMap<vscode.TextDocument, { version: number; isModel: boolean }>();
  private readonly lensesChanged = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this._register(vscode.languages.registerCodeLensProvider(SELECTOR, this));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.updateContextKey()));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== vscode.window.activeTextEditor?.document) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => { this.updateContextKey(); this.lensesChanged.fire(); }, 500);
    }));
    this._register({ dispose: () => clearTimeout(this.timer) });
    this.updateContextKey();
  }

  /** Whether a text document holds a TF.js model (cached per document version). */
  isModel(doc: vscode.TextDocument): boolean {
    if (!doc.fileName.toLowerCase().endsWith('.json') && doc.languageId !== 'json' && doc.languageId !== 'jsonc') return false;
    const hit = this.cache.get(doc);
    if (hit && hit.version === doc.version) return hit.isModel;
    let isModel = false;
    const text = doc.getText();
    if (text.length <= MAX_INSPECT_CHARS) {
      try { isModel = isTfjsModelJson(text); } catch { isModel = false; }
    }
    this.cache.set(doc, { version: doc.version, isModel });
    return isModel;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (doc.uri.scheme !== 'file' || !this.isModel(doc)) return [];
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
      title: vscode.l10n.t('$(type-hierarchy) Open in Model Lens'),
      tooltip: vscode.l10n.t('View this TensorFlow.js model: graph, weights, and inference'),
      command: 'modelLens.openWith',
      arguments: [doc.uri],
    })];
  }

  private updateContextKey(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const isModel = !!doc && doc.uri.scheme === 'file' && this.isModel(doc);
    void vscode.commands.executeCommand('setContext', TFJS_CONTEXT_KEY, isModel);
  }
}
