// Driving the VS Code workbench (code-server in headless Chromium) the way a user does: Quick Open,
// the command palette, and finding a webview's document among the page's frames.
import type { Browser, Frame, Page } from 'playwright-core';

export const VIEWPORT = { width: 1280, height: 800 };

/** Opens the workbench URL in a new page and waits until the workbench is laid out. */
export async function openWorkbench(browser: Browser, url: string, opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: opts.colorScheme ?? 'dark' });
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  // The status bar appears once the workbench parts are created; the explorer once the folder resolved.
  await page.waitForSelector('.part.statusbar', { timeout: 60_000 });
  return page;
}

async function quickInput(page: Page): Promise<void> {
  await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { timeout: 15_000 });
}

/** Quick Open (Ctrl+P): types a file name and opens the first match. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  await quickInput(page);
  await page.keyboard.type(fileName, { delay: 10 });
  // Wait until the list shows the file, so Enter does not hit a stale first row.
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${cssString(fileName)}"]`, { timeout: 20_000 });
  await page.keyboard.press('Enter');
}

/** Runs a command through the command palette by its label (e.g. "Model Lens: Open with Model Lens"). */
export async function runCommand(page: Page, label: string): Promise<void> {
  await openCommandPalette(page);
  await page.keyboard.type(label, { delay: 5 });
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${cssString(label)}"]`, { timeout: 20_000 });
  await page.keyboard.press('Enter');
}

/** Opens the command palette and waits for its input (resolves once the editor responded). */
export async function openCommandPalette(page: Page): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  await quickInput(page);
}

/** Closes whatever quick input is open. */
export async function closeQuickInput(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 10_000 }).catch(() => undefined);
}

/** Moves keyboard focus from a webview back to the workbench so its keybindings apply. */
async function focusWorkbench(page: Page): Promise<void> {
  const active = await page.evaluate(() => document.activeElement?.tagName ?? '');
  if (active === 'IFRAME') {
    const title = page.locator('.part.statusbar');
    await title.click({ position: { x: 2, y: 2 } }).catch(() => undefined);
  }
}

function cssString(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}

/**
 * The frame (among all nested frames, webviews included) whose document matches `selector`.
 * Webviews in VS Code are an iframe inside an iframe; the content document is the inner one.
 */
export async function findFrame(page: Page, selector: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      try {
        if (await f.$(selector)) return f;
      } catch { /* frame navigated or detached meanwhile */ }
    }
    if (Date.now() > deadline) throw new Error(`no frame holds ${selector} after ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

/** The active editor tab's label text. */
export async function activeTabLabel(page: Page): Promise<string> {
  return (await page.locator('.tabs-container .tab.active').first().getAttribute('aria-label')) ?? '';
}

/** Closes all editors (Ctrl+K W is a chord; the command is steadier). */
export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
}
