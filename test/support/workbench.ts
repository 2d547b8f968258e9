// Driving the VS Code workbench (code-server in headless Chromium) the way a user does: Quick Open,
// the command palette, and finding a webview's document among the page's frames.
import type { Browser, Frame, Page } from 'playwright-core';

export const VIEWPORT = { width: 1280, height: 800 };

/** Opens the workbench URL in a new page and waits until the workbench is laid out. */
export async function openWorkbench(browser: Browser, url: string, opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: opts.colorScheme ?? 'dark' });
  // Generous limits: the first load compiles the workbench's scripts on a busy, shared machine.
  page.setDefaultTimeout(60_000);
  page.setDefaultNavigationTimeout(180_000);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench', { timeout: 180_000 });
  // The status bar appears once the workbench parts are created; the explorer once the folder resolved.
  await page.waitForSelector('.part.statusbar', { timeout: 60_000 });
  // The explorer lists the folder once the workspace is resolved (Quick Open searches it).
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 120_000 }).catch(() => undefined);
  return page;
}

async function quickInput(page: Page): Promise<void> {
  await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { timeout: 15_000 });
}

async function quickInputOpen(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const w = document.querySelector('.quick-input-widget') as HTMLElement | null;
    return !!w && w.style.display !== 'none';
  });
}

/** Opens a quick input with `key` (a leftover one is closed first; keys reach the workbench even from a webview). */
async function openQuickInput(page: Page, key: string): Promise<void> {
  if (await quickInputOpen(page)) await closeQuickInput(page);
  await page.keyboard.press(key);
  try {
    await quickInput(page);
  } catch {
    // Focus may sit somewhere that swallows the key: give it to the workbench and try once more.
    await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } }).catch(() => undefined);
    await page.keyboard.press(key);
    await quickInput(page);
  }
}

/** Clicks the quick-pick row whose accessible label starts with `label` (Enter could hit a fuzzy neighbour). */
export async function pickRow(page: Page, label: string, timeoutMs = 20_000): Promise<void> {
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label^="${cssString(label)}"]`).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/** Quick Open (Ctrl+P): types a file name or path and opens the file of that name. */
export async function quickOpen(page: Page, fileOrPath: string): Promise<void> {
  const name = fileOrPath.split('/').pop()!;
  // Right after start-up the file search may not know the folder yet: ask again a few times.
  for (let attempt = 1; ; attempt++) {
    await openQuickInput(page, 'Control+P');
    await page.keyboard.type(fileOrPath, { delay: 10 });
    try {
      // File rows are labelled "<name> <folder>, file results".
      await pickRow(page, name, attempt < 4 ? 10_000 : 30_000);
      return;
    } catch (e) {
      if (attempt >= 4) throw e;
      await closeQuickInput(page);
      await page.waitForTimeout(1000);
    }
  }
}

/** Runs a command through the command palette by its label (e.g. "Model Lens: Open with Model Lens"). */
export async function runCommand(page: Page, label: string): Promise<void> {
  await openCommandPalette(page);
  await page.keyboard.type(label, { delay: 5 });
  await pickRow(page, label);
}

/** Opens the command palette and waits for its input (resolves once the editor responded). */
export async function openCommandPalette(page: Page): Promise<void> {
  await openQuickInput(page, 'F1');
}

/** Picks a colour theme through "Preferences: Color Theme" (labels as the picker shows them: "Light Modern"). */
export async function pickColorTheme(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await page.keyboard.type(label, { delay: 5 });
  await pickRow(page, label);
}

/** Closes whatever quick input is open. */
export async function closeQuickInput(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 10_000 }).catch(() => undefined);
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
