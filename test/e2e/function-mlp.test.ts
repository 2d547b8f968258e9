// e2e surface: the Function tab of the packaged extension in real VS Code (code-server) on the MLP
// fixture: run a sweep, zero a weight (the edited curve appears and the graph is coloured), restore.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildMlpModel, evalMlp } from '../fixtures/onnx/index.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { ensureCodeServer, type CodeServerInstall } from '../support/code-server.js';
import { editorScreenshot, startEditor, type EditorSession, openModelInEditor } from '../support/editor.js';
import { tempDir } from '../support/paths.js';
import { packageVsix } from '../support/vsix.js';

const cs = chromiumMissingReason() ? chromiumMissingReason()! : ensureCodeServer();
const skip = typeof cs === 'string' ? cs : false;
let editor: EditorSession;

interface Plotted { xs: number[]; series: { element: number; original: number[]; edited?: number[] }[] }

describe('Function tab in VS Code (code-server, e2e)', { skip }, () => {
  before(async () => {
    const vsix = packageVsix();
    const folder = path.join(tempDir('e2e-function'), 'models');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'mlp.onnx'), buildMlpModel());
    editor = await startEditor(cs as CodeServerInstall, { folder, vsix, settings: { 'security.workspace.trust.enabled': false, 'modelLens.runtime.provider': 'cpu' } });
  });
  after(async () => {
    await editor?.stop();
  });

  test('MLP: sweep, zero fc1.weight (curve and graph colours change), restore', async () => {
    const frame = await openModelInEditor(editor.page, 'mlp.onnx');
    await frame.click('vscode-tab-header[data-tab="function"]');
    await frame.waitForSelector('#function .fn-formula', { timeout: 60_000 });
    await frame.fill('#fn-sweep .fn-sweep-from', '-2');
    await frame.fill('#fn-sweep .fn-sweep-to', '2');
    await frame.fill('#fn-sweep .fn-sweep-steps', '11');
    await frame.fill('#fn-sweep .fn-sweep-outputs', '0, 1, 2');
    await frame.click('#fn-sweep-run');
    await frame.waitForSelector('#fn-sweep[data-state="done"], #fn-sweep[data-state="error"]', { timeout: 120_000 });
    assert.equal(await frame.getAttribute('#fn-sweep', 'data-state'), 'done', await frame.textContent('#fn-sweep .fn-status') ?? '');
    const before = JSON.parse(await frame.getAttribute('#fn-sweep-plot', 'data-points') ?? 'null') as Plotted;
    for (const s of before.series) before.xs.forEach((x, i) => assert.ok(Math.abs(s.original[i] - evalMlp([x, 0, 0, 0])[s.element]) < 1e-4));

    await frame.selectOption('#fn-whatif .fn-edit-weight', { label: 'fc1.weight [8×8]' });
    await frame.selectOption('#fn-whatif .fn-edit-op', 'zero');
    await frame.click('#fn-edit-apply');
    await frame.waitForSelector('#fn-whatif[data-state="edited"], #fn-whatif[data-state="error"]', { timeout: 120_000 });
    assert.equal(await frame.getAttribute('#fn-whatif', 'data-state'), 'edited', await frame.textContent('#fn-whatif .fn-edit-result') ?? '');
    assert.equal(await frame.getAttribute('#function', 'data-overlay-nodes'), '2,3,4');
    await frame.waitForSelector('#fn-sweep-plot[data-edited="true"]', { timeout: 120_000 });
    const edited = JSON.parse(await frame.getAttribute('#fn-sweep-plot', 'data-points') ?? 'null') as Plotted;
    assert.ok(edited.series.every((s) => s.edited && new Set(s.edited.map((v) => v.toFixed(5))).size === 1), 'curves flat after zeroing fc1.weight');
    await editorScreenshot(editor.page, 'function-e2e-dark');
    await frame.click('vscode-tab-header[data-tab="graph"]');
    await frame.waitForSelector('#graph .graph-legend:not([hidden])', { timeout: 60_000 });
    assert.match(await frame.textContent('#graph .graph-legend .legend-title') ?? '', /^What-if: zero fc1\.weight/);

    await frame.click('vscode-tab-header[data-tab="function"]');
    await frame.click('#fn-edit-restore');
    await frame.waitForSelector('#fn-sweep-plot[data-edited="false"]', { timeout: 120_000 });
    assert.equal(await frame.getAttribute('#function', 'data-overlay-nodes'), '');
  });
});
