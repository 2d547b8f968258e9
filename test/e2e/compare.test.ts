// e2e surface: the compare panel in a real VS Code (code-server with the packaged .vsix), opened the
// way a user does: in the Explorer, the context menu's "Select for Compare" on the float32 model,
// then "Compare with Selected" on its int8 twin (Model Lens's entries, next to VS Code's own text ones). The panel opens with both graphs painted and the
// matched count the engine gives for the pair.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildConvBnModel, buildQuantizedConvBnModel } from '../fixtures/onnx/index.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { ensureCodeServer, type CodeServerInstall } from '../support/code-server.js';
import { editorScreenshot, startEditor, type EditorSession } from '../support/editor.js';
import { tempDir } from '../support/paths.js';
import { packageVsix } from '../support/vsix.js';
import { findFrame } from '../support/workbench.js';

const cs = chromiumMissingReason() ? chromiumMissingReason()! : ensureCodeServer();
const skip = typeof cs === 'string' ? cs : false;

let editor: EditorSession;

/**
 * Right-clicks a file in the Explorer and picks a context-menu entry by its label. The menu is
 * opened again while the entry is missing: the first command activates the extension, and the
 * context key it sets reaches the menu a moment later.
 */
async function explorerMenu(page: Page, file: string, entry: string, timeoutMs = 30_000): Promise<void> {
  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${file}"]`).first();
  await row.waitFor({ timeout: 30_000 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await row.click({ button: 'right', timeout: 10_000 }).catch(async (e) => {
      await editorScreenshot(page, 'compare-e2e-menu');
      throw new Error(`${editor.server.log().slice(-3000)}\n${file}: the menu shows ${(await page.locator('.context-view .monaco-menu .action-label').allTextContents()).join(' | ')}`, { cause: e });
    });
    const item = page.locator('.context-view .monaco-menu .action-item .action-label', { hasText: new RegExp(`^${entry}$`) }).first();
    try {
      await item.waitFor({ timeout: 3000 });
      // VS Code's menus run the item under the pointer on Enter; a synthetic click can land between the menu's mouse handlers.
      await item.hover();
      await page.keyboard.press('Enter');
      await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden', timeout: 5000 });
      return;
    } catch (e) {
      const shown = await page.locator('.context-view .monaco-menu .action-label').allTextContents();
      await page.keyboard.press('Escape');
      const block = page.locator('.context-view-block');
      if (await block.isVisible()) await block.click({ position: { x: 2, y: 2 } });
      if (Date.now() > deadline) throw new Error(`no '${entry}' in the Explorer menu of ${file}; it shows: ${shown.join(' | ')}`, { cause: e });
      await page.waitForTimeout(1000);
    }
  }
}

describe('Compare panel in VS Code (code-server, e2e)', { skip }, () => {
  before(async () => {
    const vsix = packageVsix();
    const folder = path.join(tempDir('e2e-compare'), 'models');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'net.onnx'), buildConvBnModel());
    writeFileSync(path.join(folder, 'net-int8.onnx'), buildQuantizedConvBnModel());
    editor = await startEditor(cs as CodeServerInstall, { folder, vsix, settings: { 'security.workspace.trust.enabled': false } });
  });
  after(async () => {
    await editor?.stop();
  });

  test('Explorer: Select for Compare, then Compare with Selected opens the panel with 9 matched nodes', async () => {
    const page = editor.page;
    // Ours, not VS Code's own text "Select for Compare"; "Compare with Selected" shows once something is selected (the context key).
    await explorerMenu(page, 'net.onnx', 'Model Lens: Select for Compare');
    await explorerMenu(page, 'net-int8.onnx', 'Model Lens: Compare with Selected');
    const frame = await findFrame(page, '#compare', 90_000).catch(async (e) => { await editorScreenshot(page, 'compare-e2e-failed'); throw e; });
    await frame.waitForSelector('#compare[data-state="ready"]', { timeout: 60_000 }).catch(async (e) => {
      await editorScreenshot(page, 'compare-e2e-failed');
      throw new Error(`the compare panel shows: ${await frame.textContent('body')}`, { cause: e });
    });
    await frame.waitForSelector('#compare-side-a[data-painted="true"]', { timeout: 60_000 });
    await frame.waitForSelector('#compare-side-b[data-painted="true"]', { timeout: 60_000 });
    assert.equal(await frame.getAttribute('#compare-counts', 'data-matched'), '9');
    assert.equal(await frame.getAttribute('#compare-counts', 'data-added'), '5');
    assert.match(await frame.textContent('#compare-weight-summary') ?? '', /3 tensors float32 → int8/);
    // The tab says which two files it compares.
    assert.match(await page.locator('.tabs-container .tab.active').first().textContent() ?? '', /net\.onnx ↔ net-int8\.onnx/);
    await editorScreenshot(page, 'compare-e2e-dark');
  });
});
