// e2e surface: the packaged .vsix installed in a real VS Code (code-server), driven like a user —
// Quick Open, the command palette, the editor's tabs — in headless Chromium. Screenshots in the
// light and dark themes go to test-results/e2e/ (and media/screenshots/ with UPDATE_SCREENSHOTS=1).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openModel } from '../../src/core/formats/index.js';
import { summarizeModel } from '../../src/core/model-summary.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { ensureCodeServer, type CodeServerInstall } from '../support/code-server.js';
import { editorScreenshot, headerFact, modelLensFrame, startEditor, type EditorSession } from '../support/editor.js';
import { benchGenerator, tempDir } from '../support/paths.js';
import { GOOD_MODELS, writeSampleModels } from '../support/sample-models.js';
import { packageVsix } from '../support/vsix.js';
import { closeQuickInput, openCommandPalette, quickOpen, runCommand } from '../support/workbench.js';

const cs = chromiumMissingReason() ? chromiumMissingReason()! : ensureCodeServer();
const skip = typeof cs === 'string' ? cs : false;

let editor: EditorSession;
let folder: string;
let files: ReturnType<typeof writeSampleModels>;
let transformer: string | null = null;

async function nodesOf(file: string): Promise<number> {
  const model = await openModel(file);
  try {
    return summarizeModel(model).nodes;
  } finally {
    await model.close();
  }
}

async function clickTab(frame: Awaited<ReturnType<typeof modelLensFrame>>, tab: string): Promise<void> {
  await frame.click(`vscode-tab-header[data-tab="${tab}"]`);
  await frame.waitForFunction((t) => {
    const p = document.querySelector(`vscode-tab-panel[data-tab="${t}"]`) as HTMLElement | null;
    return !!p && !p.hidden && p.getBoundingClientRect().height > 0 && (p.textContent ?? '').trim().length > 0;
  }, tab, { timeout: 30_000 });
}

describe('Model Lens in VS Code (code-server, e2e)', { skip }, () => {
  before(async () => {
    const vsix = packageVsix();
    // A stable folder name: it shows in the explorer of the screenshots.
    folder = path.join(tempDir('e2e'), 'models');
    files = writeSampleModels(folder);
    const gen = benchGenerator();
    if (gen) {
      transformer = path.join(folder, 'transformer-10k.onnx');
      execFileSync(process.execPath, [gen, 'transformer', '--layers', '333', '--hidden', '64', '--out', transformer], { stdio: 'ignore' });
    }
    editor = await startEditor(cs as CodeServerInstall, { folder, vsix });
  });
  after(async () => {
    await editor?.stop();
  });

  test('an .onnx opened with Quick Open shows its node count; tabs switch', async () => {
    await quickOpen(editor.page, 'mlp.onnx');
    const frame = await modelLensFrame(editor.page, 'mlp.onnx');
    assert.match(await headerFact(frame, 'Nodes'), /^5\b/);
    assert.match(await headerFact(frame, 'Parameters'), new RegExp(`^${GOOD_MODELS.mlp.parameters}\\b`));
    await clickTab(frame, 'overview');
    const overview = await frame.textContent('vscode-tab-panel[data-tab="overview"]');
    assert.ok(overview?.includes('Gemm') && overview.includes('Relu'), 'overview lists the operators');
    await clickTab(frame, 'params');
    await clickTab(frame, 'graph');
    await frame.waitForSelector('#graph[data-state="painted"]', { timeout: 60_000 });
    assert.equal(Number(await frame.getAttribute('#graph', 'data-visible-nodes')), 5 + 2, 'all 5 MLP operators and its input and output are drawn');
    await editorScreenshot(editor.page, 'editor-dark');
    await editor.setTheme('Default Light Modern');
    // The webview follows the theme: its body class switches to vscode-light.
    await frame.waitForFunction(() => document.body.classList.contains('vscode-light'), undefined, { timeout: 20_000 });
    await editor.page.waitForTimeout(500);
    await editorScreenshot(editor.page, 'editor-light');
    await editor.setTheme('Default Dark Modern');
    await frame.waitForFunction(() => document.body.classList.contains('vscode-dark'), undefined, { timeout: 20_000 });
  });

  test('a TF.js model.json opens as text, then in Model Lens through the command palette', async () => {
    const expected = await nodesOf(files.tfjsLayers);
    await quickOpen(editor.page, 'tfjs-layers/model.json');
    await editor.page.waitForSelector('.editor-instance .monaco-editor', { timeout: 20_000 });
    const tab = await editor.page.locator('.tabs-container .tab.active').getAttribute('aria-label');
    assert.match(tab ?? '', /model\.json/, 'the JSON opened as text first');
    await runCommand(editor.page, 'Model Lens: Open with Model Lens');
    const frame = await modelLensFrame(editor.page, 'model.json');
    assert.match(await headerFact(frame, 'Nodes'), new RegExp(`^${expected}\\b`));
    assert.match(await headerFact(frame, 'Parameters'), new RegExp(`^${GOOD_MODELS.tfjsLayers.parameters}\\b`));
    await clickTab(frame, 'overview');
    await editorScreenshot(editor.page, 'tfjs-dark');
  });

  test('three broken files in a row each show the error view; a good one then opens normally', async () => {
    for (const [file, name] of [[files.truncated, 'truncated.onnx'], [files.text, 'notes.onnx'], [files.empty, 'empty.onnx']]) {
      await quickOpen(editor.page, name);
      const frame = await modelLensFrame(editor.page, name);
      await frame.waitForSelector('.error-view #model-lens-error-title');
      const details = await frame.textContent('.error-view .error-details');
      assert.ok(details?.includes(file), `the error names ${file}: ${details}`);
      if (name === 'truncated.onnx') await editorScreenshot(editor.page, 'error-dark');
    }
    await quickOpen(editor.page, 'linear.onnx');
    const frame = await modelLensFrame(editor.page, 'linear.onnx');
    assert.match(await headerFact(frame, 'Nodes'), /^2\b/);
  });

  test('a ~10k-node transformer opens, shows its graph, and the editor stays responsive', async (t) => {
    if (!transformer) return t.skip('../shared/bench/gen-onnx.mjs is absent: no large model to open');
    const expected = await nodesOf(transformer);
    assert.ok(expected >= 9000, `the generated model has ${expected} nodes`);
    await quickOpen(editor.page, path.basename(transformer));
    // While it loads and lays out, the workbench must still answer: the command palette opens.
    await openCommandPalette(editor.page);
    await closeQuickInput(editor.page);
    const frame = await modelLensFrame(editor.page, path.basename(transformer), 180_000);
    assert.match((await headerFact(frame, 'Nodes')).replace(/[,\s\u202f]/g, ''), new RegExp(`^${expected}\\b`));
    // The graph view's automation hook: #graph data-state goes loading → layout → painted.
    await frame.waitForSelector('#graph[data-state="painted"]', { timeout: 180_000 });
    const drawn = Number(await frame.getAttribute('#graph', 'data-visible-nodes'));
    assert.ok(drawn > 0, `the graph drew ${drawn} nodes (groups collapsed above the threshold)`);
    const canvas = await frame.locator('#graph canvas.graph-canvas').boundingBox();
    assert.ok(canvas && canvas.width > 300 && canvas.height > 200, `the graph canvas is laid out: ${JSON.stringify(canvas)}`);
    await openCommandPalette(editor.page);
    await closeQuickInput(editor.page);
    await editorScreenshot(editor.page, 'transformer-dark');
  });
});
