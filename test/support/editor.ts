// One real VS Code session for e2e tests: code-server with the packaged extension installed, a
// workspace folder, and a headless Chromium page on the workbench. Also where Model Lens's own
// webview document is found among the page's frames.
import type { Browser, Frame, Page } from 'playwright-core';
import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { launchChromium } from './chromium.js';
import { repoRoot, resultsDir } from './paths.js';
import { installVsix, makeProfile, startCodeServer, type CodeServerInstall, type EditorProfile, type RunningCodeServer } from './code-server.js';
import { openWorkbench, pickColorTheme, quickOpen } from './workbench.js';

export interface EditorSession {
  browser: Browser;
  server: RunningCodeServer;
  profile: EditorProfile;
  page: Page;
  /** Switches the colour theme through the theme picker, as a user does. */
  setTheme(theme: 'Default Light Modern' | 'Default Dark Modern'): Promise<void>;
  stop(): Promise<void>;
}

/** Starts code-server on `folder` with `vsix` installed and opens the workbench. */
/** `env`: extra environment for code-server and so the extension host (e.g. a Vulkan device for WebGPU). */
export async function startEditor(cs: CodeServerInstall, opts: { folder: string; vsix: string; settings?: Record<string, unknown>; env?: Record<string, string> }): Promise<EditorSession> {
  const settings = { 'workbench.colorTheme': 'Default Dark Modern', ...opts.settings };
  const profile = makeProfile(settings);
  installVsix(cs, profile, opts.vsix);
  const server = await startCodeServer(cs, { profile, folder: opts.folder, env: opts.env });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await openWorkbench(browser, server.folderUrl(opts.folder));
    const b = browser;
    return {
      browser: b, server, profile, page,
      async setTheme(theme) {
        await pickColorTheme(page, theme.replace(/^Default /, ''));
        const cls = theme.includes('Light') ? 'vs' : 'vs-dark';
        await page.waitForFunction((c) => document.querySelector('.monaco-workbench')?.classList.contains(c), cls, { timeout: 30_000 });
      },
      async stop() {
        await b.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw new Error(`${(e as Error).message}\n--- code-server log ---\n${server.log().slice(-4000)}`);
  }
}

/**
 * The Model Lens webview document showing `fileName` (header or error view), among all frames.
 * Several editors may be open; hidden ones have no document (their page is rebuilt when shown).
 */
export async function modelLensFrame(page: Page, fileName: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      try {
        const shown = await f.evaluate((name) => {
          const h1 = document.querySelector('.model-header h1.file-name');
          if (h1?.textContent === name) return true;
          const err = document.querySelector('.error-view .error-details');
          return !!err && (err.textContent ?? '').includes(name);
        }, fileName);
        if (shown) return f;
      } catch { /* detached or navigating */ }
    }
    if (Date.now() > deadline) {
      // What the workbench showed instead is the first thing to know when this fails.
      const shot = path.join(resultsDir('e2e'), `no-editor-${fileName.replace(/[^\w.-]/g, '_')}.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      const tabs = await page.locator('.tabs-container .tab').allTextContents().catch(() => []);
      throw new Error(`no Model Lens editor shows ${fileName} after ${timeoutMs} ms (open tabs: ${tabs.join(' | ') || 'none'}; screenshot ${shot})`);
    }
    await page.waitForTimeout(300);
  }
}

/** The header fact with this label ("Nodes"…) in a Model Lens frame. */
export async function headerFact(frame: Frame, label: string): Promise<string> {
  return frame.evaluate((l) => {
    for (const f of document.querySelectorAll('.model-header .fact')) {
      if (f.querySelector('dt')?.textContent?.trim() === l) return f.querySelector('dd')?.textContent?.trim() ?? '';
    }
    return '';
  }, label);
}

/**
 * Opens a model with Quick Open and returns its Model Lens frame. Asks once more if no editor
 * shows it: right after start-up, Quick Open's pick can land before the workbench restores its
 * editors and be lost (seen once in CI for the Run tab's first file).
 */
export async function openModelInEditor(page: Page, fileOrPath: string, timeoutMs = 45_000): Promise<Frame> {
  const name = fileOrPath.split('/').pop()!;
  await quickOpen(page, fileOrPath);
  try {
    return await modelLensFrame(page, name, timeoutMs);
  } catch {
    await quickOpen(page, fileOrPath);
    return modelLensFrame(page, name, timeoutMs);
  }
}

/**
 * Saves the editor's page as test-results/e2e/<name>.png; with UPDATE_SCREENSHOTS=1 also as the
 * README's media/screenshots/<name>.png.
 */
export async function editorScreenshot(page: Page, name: string): Promise<void> {
  const file = path.join(resultsDir('e2e'), `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    const dir = path.join(repoRoot, 'media', 'screenshots');
    mkdirSync(dir, { recursive: true });
    copyFileSync(file, path.join(dir, `${name}.png`));
  }
}
