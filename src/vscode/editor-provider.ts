import * as vscode from 'vscode';
import { Disposable } from './disposable.js';
import { EditorSession } from './editor-session.js';
import { ModelDocument } from './model-document.js';

/** The `modelLens.editor` custom editor: read-only, one ModelDocument per file, one session per editor. */
export class ModelEditorProvider extends Disposable implements vscode.CustomReadonlyEditorProvider<ModelDocument> {
  /** `.onnx` files open here by default. */
  static readonly viewType = 'modelLens.editor';
  /** `.json` files (TF.js model.json) open here on request only: the name says nothing about content. */
  static readonly jsonViewType = 'modelLens.editor.json';

  /** The view type to open a file with. */
  static viewTypeFor(uri: vscode.Uri): string {
    return /\.json$/i.test(uri.path) ? ModelEditorProvider.jsonViewType : ModelEditorProvider.viewType;
  }
  private readonly sessions = new Set<EditorSession>();
  private lastActive: EditorSession | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {
    super();
  }

  static register(context: vscode.ExtensionContext): ModelEditorProvider {
    const provider = new ModelEditorProvider(context.extensionUri);
    const options = {
      supportsMultipleEditorsPerDocument: true,
      // View state lives in the webview's getState/setState; the page is rebuilt when shown again.
      webviewOptions: { retainContextWhenHidden: false, enableFindWidget: false },
    };
    context.subscriptions.push(
      provider,
      vscode.window.registerCustomEditorProvider(ModelEditorProvider.viewType, provider, options),
      vscode.window.registerCustomEditorProvider(ModelEditorProvider.jsonViewType, provider, options),
    );
    return provider;
  }

  openCustomDocument(uri: vscode.Uri): ModelDocument {
    const doc = new ModelDocument(uri);
    // load() never rejects: failures become the document's error state, shown in the editor.
    void doc.load();
    return doc;
  }

  resolveCustomEditor(document: ModelDocument, panel: vscode.WebviewPanel): void {
    const session = new EditorSession(document, panel, this.extensionUri, ModelEditorProvider.viewTypeFor(document.uri));
    this.sessions.add(session);
    if (panel.active) this.lastActive = session;
    const viewState = panel.onDidChangeViewState(() => { if (panel.active) this.lastActive = session; });
    panel.onDidDispose(() => {
      viewState.dispose();
      session.dispose();
      this.sessions.delete(session);
      if (this.lastActive === session) this.lastActive = undefined;
    });
  }

  /** The Model Lens editor the user is in, or the one they were in last if no editor has focus. */
  activeSession(): EditorSession | undefined {
    for (const s of this.sessions) if (s.panel.active) return s;
    return this.lastActive;
  }

  /** Every open Model Lens editor (the extension-host tests observe them through the test API). */
  allSessions(): EditorSession[] {
    return [...this.sessions];
  }

  /** Sessions on a given file (for commands invoked on a file). */
  sessionsFor(uri: vscode.Uri): EditorSession[] {
    return [...this.sessions].filter((s) => s.document.uri.toString() === uri.toString());
  }

  override dispose(): void {
    for (const s of this.sessions) s.dispose();
    this.sessions.clear();
    super.dispose();
  }
}
