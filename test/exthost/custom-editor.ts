// Extension-host suite: the custom editor opens through the public API, its webview talks to the
// host, commands reach it, and closing it disposes it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { modelLensTabs, testApi, waitFor, workspaceFile } from './util.js';

const HOOK_MISSING = 'the extension exports no __test hook from activate() ({ __test: { sessions(), request(uri, method, params) } }); message round trips cannot be observed without it';

export function defineEditorTests(): void {
  suite('custom editor', () => {
    teardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test("vscode.openWith(uri, 'modelLens.editor') opens the Model Lens editor on the file", async () => {
      const uri = workspaceFile('mlp.onnx');
      await vscode.commands.executeCommand('vscode.openWith', uri, 'modelLens.editor');
      const tab = await waitFor('a Model Lens tab on mlp.onnx', () => modelLensTabs(uri)[0]);
      assert.equal((tab.input as vscode.TabInputCustom).viewType, 'modelLens.editor');
      assert.equal(tab.isActive, true);
      assert.equal(tab.label, 'mlp.onnx');
    });

    test('.onnx opens in Model Lens by default (vscode.open)', async () => {
      const uri = workspaceFile('convnet.onnx');
      await vscode.commands.executeCommand('vscode.open', uri);
      await waitFor('a Model Lens tab on convnet.onnx', () => modelLensTabs(uri)[0]);
    });

    test('modelLens.openWith opens a TF.js model.json in Model Lens and returns its uri', async () => {
      const uri = workspaceFile('tfjs-layers/model.json');
      const opened = await vscode.commands.executeCommand<vscode.Uri | undefined>('modelLens.openWith', uri);
      assert.equal(opened?.toString(), uri.toString());
      const tab = await waitFor('a Model Lens tab on model.json', () => modelLensTabs(uri)[0]);
      assert.match((tab.input as vscode.TabInputCustom).viewType, /^modelLens\.editor/);
    });

    test('the webview receives the model and answers a request from the host (round trip)', async function () {
      const api = await testApi();
      assert.ok(api, HOOK_MISSING);
      const uri = workspaceFile('mlp.onnx');
      await vscode.commands.executeCommand('vscode.openWith', uri, 'modelLens.editor');
      const session = await waitFor('the webview to show mlp.onnx', () => api.sessions().find((s) => s.uri.toString() === uri.toString() && s.webviewReady && s.documentState === 'ready'));
      assert.equal(session.nodes, 5);
      const answer = (await api.request(uri, 'export.list', {})) as { formats: unknown };
      assert.ok(Array.isArray(answer.formats), `export.list answered ${JSON.stringify(answer)}`);
      // Host → webview (show-tab) → host (set-state): the host learns what the user now sees.
      await vscode.commands.executeCommand('modelLens.showOverview', uri);
      await waitFor('the webview to report the overview tab', () => api.sessions().find((s) => s.uri.toString() === uri.toString() && s.tab === 'overview'));
    });

    test('each open reports its phases in the output channel, from read + parse to first draw', async function () {
      const api = await testApi();
      assert.ok(api, HOOK_MISSING);
      const uri = workspaceFile('mlp.onnx');
      await vscode.commands.executeCommand('vscode.openWith', uri, 'modelLens.editor');
      await vscode.commands.executeCommand('modelLens.showGraph', uri);
      const session = await waitFor('the open phases of mlp.onnx', () => api.sessions().find((s) => s.uri.toString() === uri.toString() && s.openPhases));
      assert.match(session.openPhases!, /^Opened mlp\.onnx \(5 nodes\) in [\d.]+ ms: (activation [\d.]+ ms · )?(webview start [\d.]+ ms · )?read \+ parse [\d.]+ ms · shape inference [\d.]+ ms · payload [\d.]+ ms · transfer [\d.]+ ms · graph model [\d.]+ ms · layout [\d.]+ ms · first draw [\d.]+ ms$/);
    });

    test('a broken file gives the error state, not a crash', async function () {
      const api = await testApi();
      assert.ok(api, HOOK_MISSING);
      const uri = workspaceFile('broken/truncated.onnx');
      await vscode.commands.executeCommand('vscode.openWith', uri, 'modelLens.editor');
      const s = await waitFor('the error state', () => api.sessions().find((x) => x.uri.toString() === uri.toString() && x.documentState === 'error'));
      assert.equal(s.errorCode, 'truncated');
    });

    test('closing the editor disposes it', async () => {
      const uri = workspaceFile('linear.onnx');
      await vscode.commands.executeCommand('vscode.openWith', uri, 'modelLens.editor');
      const tab = await waitFor('a Model Lens tab on linear.onnx', () => modelLensTabs(uri)[0]);
      assert.equal(await vscode.window.tabGroups.close(tab), true);
      assert.equal(modelLensTabs(uri).length, 0);
      const api = await testApi();
      if (api) await waitFor('the session to be disposed', () => !api.sessions().some((s) => s.uri.toString() === uri.toString()));
    });
  });
}
