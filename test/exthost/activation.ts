// Extension-host suite: the extension activates in a real editor and registers what its manifest
// promises (commands, the custom editors).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionUnderTest } from './util.js';

export function defineActivationTests(): void {
  suite('activation', () => {
    test('the extension is present and activates', async () => {
      const ext = extensionUnderTest();
      await ext.activate();
      assert.equal(ext.isActive, true);
      const [major, minor] = vscode.version.split('.').map(Number);
      assert.ok(major > 1 || minor >= 99, `VS Code ${vscode.version} meets engines.vscode ^1.99`);
    });

    test('every contributed command is registered', async () => {
      const ext = extensionUnderTest();
      await ext.activate();
      const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
      assert.ok(contributed.includes('modelLens.openWith'), 'the manifest contributes modelLens.openWith');
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = contributed.filter((c) => !registered.has(c));
      assert.deepEqual(missing, [], 'contributed but not registered');
    });

    test('the manifest declares the custom editor for .onnx', () => {
      const editors = extensionUnderTest().packageJSON.contributes.customEditors as { viewType: string; selector: { filenamePattern: string }[] }[];
      const onnx = editors.find((e) => e.viewType === 'modelLens.editor');
      assert.ok(onnx, 'modelLens.editor is contributed');
      assert.ok(onnx.selector.some((s) => s.filenamePattern === '*.onnx'));
    });
  });
}
