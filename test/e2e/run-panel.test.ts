// e2e surface: the Run tab in a real VS Code (code-server with the packaged .vsix): MNIST from
// ../shared/models is run with random inputs in the extension's onnxruntime process; the panel shows
// the [1, 10] scores, top-5 and the provider that ran; a run with activations colours the graph.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { chromiumMissingReason } from '../support/chromium.js';
import { ensureCodeServer, type CodeServerInstall } from '../support/code-server.js';
import { editorScreenshot, openModelInEditor, startEditor, type EditorSession } from '../support/editor.js';
import { sharedDir, tempDir } from '../support/paths.js';
import { packageVsix } from '../support/vsix.js';

const mnistSource = path.join(sharedDir, 'models', 'onnx', 'ort-inference-examples', 'mnist.onnx');
const cs = chromiumMissingReason() ? chromiumMissingReason()! : ensureCodeServer();
const skip = typeof cs === 'string' ? cs : !existsSync(mnistSource) ? `${mnistSource} is absent (../shared/models)` : false;

let editor: EditorSession;

async function clickTab(frame: Frame, tab: string): Promise<void> {
  await frame.click(`vscode-tab-header[data-tab="${tab}"]`);
  await frame.waitForFunction((t) => {
    const p = document.querySelector(`vscode-tab-panel[data-tab="${t}"]`) as HTMLElement | null;
    return !!p && !p.hidden && p.getBoundingClientRect().height > 0;
  }, tab, { timeout: 30_000 });
}

describe('Run tab in VS Code (code-server, e2e)', { skip }, () => {
  before(async () => {
    const vsix = packageVsix();
    const folder = path.join(tempDir('e2e-run'), 'models');
    mkdirSync(folder, { recursive: true });
    copyFileSync(mnistSource, path.join(folder, 'mnist.onnx'));
    editor = await startEditor(cs as CodeServerInstall, { folder, vsix, settings: { 'security.workspace.trust.enabled': false } });
  });
  after(async () => {
    await editor?.stop();
  });

  test('mnist.onnx: random input runs; scores [1, 10], top-5 and the provider are shown; activations colour the graph', async () => {
    const frame = await openModelInEditor(editor.page, 'mnist.onnx');
    await clickTab(frame, 'run');
    await frame.waitForSelector('#run[data-trusted="true"] #run-infer:not([disabled])', { timeout: 30_000 });
    await frame.selectOption('#run select.run-kind', 'random');
    await frame.click('#run-infer');
    await frame.waitForSelector('#run[data-state="done"], #run[data-state="error"]', { timeout: 120_000 });
    assert.equal(await frame.getAttribute('#run', 'data-state'), 'done', await frame.textContent('#run .run-status') ?? '');
    const out = frame.locator('#run .run-output').first();
    assert.equal(await out.locator('.output-shape').textContent(), '[1, 10]');
    const values = (await out.getAttribute('data-values'))!.split(',').map(Number);
    assert.equal(values.length, 10);
    assert.ok(values.every(Number.isFinite) && new Set(values).size > 1, `ten distinct finite scores: ${values}`);
    assert.equal(await out.locator('.run-topk li').count(), 5, 'top-5 classes');
    const provider = await frame.getAttribute('#run', 'data-provider');
    assert.ok(provider, 'the provider that ran is recorded');
    assert.equal(await frame.textContent('#run .run-provider-name'), provider);
    await editorScreenshot(editor.page, 'run-mnist-dark');

    await frame.click('#run-activations');
    await frame.waitForSelector('#run[data-state="done"][data-overlay="mean"]', { timeout: 120_000 });
    assert.match(await frame.textContent('#run .run-section[aria-label="Activations"] .run-note') ?? '', /^\d+ node outputs captured/);
    await clickTab(frame, 'graph');
    await frame.waitForSelector('#graph[data-state="painted"]', { timeout: 60_000 });
    await frame.waitForSelector('#graph .graph-legend:not([hidden])', { timeout: 20_000 });
    assert.equal(await frame.textContent('#graph .graph-legend .legend-title'), 'Activation mean');
    await editorScreenshot(editor.page, 'run-mnist-graph-dark');
  });
});
