// Shared helpers of the extension-host suites.
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The Model Lens extension as the editor loaded it (development path or installed). */
export function extensionUnderTest(): vscode.Extension<unknown> {
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'model-lens' && e.packageJSON?.publisher === 'model-lens');
  if (!ext) throw new Error(`Model Lens is not loaded; extensions: ${vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id).join(', ')}`);
  return ext;
}

/** A file of the workspace the Node-side runner wrote (sample models from test/support/sample-models.ts). */
export function workspaceFile(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test editor was opened without a folder');
  return vscode.Uri.file(path.join(folder.uri.fsPath, rel));
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Tabs that show a Model Lens custom editor, optionally on one file. */
export function modelLensTabs(uri?: vscode.Uri): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) =>
    t.input instanceof vscode.TabInputCustom && t.input.viewType.startsWith('modelLens.editor') &&
    (!uri || t.input.uri.toString() === uri.toString()));
}

/** The test-only API the extension may export from activate() (see custom-editor.ts for its shape). */
export interface ModelLensTestApi {
  sessions(): { uri: vscode.Uri; viewType: string; webviewReady: boolean; documentState: string; nodes?: number; errorCode?: string; tab: string; openPhases?: string | null }[];
  request(uri: vscode.Uri, method: string, params: unknown): Promise<unknown>;
}

/** The `__test` hook of the extension's exports, when the build provides one. */
export async function testApi(): Promise<ModelLensTestApi | undefined> {
  const exports = (await extensionUnderTest().activate()) as { __test?: ModelLensTestApi } | undefined;
  return exports?.__test;
}
