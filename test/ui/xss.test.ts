// ui surface, issue #8: models whose every text field carries markup (<img onerror>, </script>,
// javascript: URLs, <svg onload>, <iframe srcdoc>, <style>) are opened in the real webview bundle
// in headless Chromium. Every place the UI shows text — header, overview, graph (find results,
// sidebar of every node), parameters, run, the error view — must render the text literally: the
// sentinel the payloads would bump stays unset, no element carrying a handler or a javascript: URL
// appears, nothing trips the CSP, and the literal markup is there to read.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { TAB_IDS } from '../../src/protocol.js';
import { chromiumMissingReason, launchChromium } from '../support/chromium.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { TestHost, type LoadedModel } from '../support/test-host.js';
import { openWebviewPage, stopWebviewServer, type WebviewPage } from '../support/webview-harness.js';
import { withOpenView } from '../support/webview-session.js';
import { badCases, writeCase } from '../fixtures/bad/corpus.js';
import { MARKUP } from '../fixtures/bad/shared.js';

const missing = chromiumMissingReason() ?? (existsSync(path.join(repoRoot, 'dist', 'webview.js')) ? null : 'dist/webview.js is not built (node esbuild.mjs)');
let browser: Browser;
let dir: string;

/** What would show that markup became DOM or script: the sentinel, live elements, CSP reports. */
async function damage(view: WebviewPage): Promise<{ sentinel: unknown; elements: string[]; csp: string[] }> {
  const inPage = await view.page.evaluate(() => {
    const bad = document.querySelectorAll('[onerror],[onload],[onmouseover],iframe,object,embed,a[href^="javascript:" i],img[src="x"],svg[onload],script:not([src]),script[src]:not([src*="/dist/"])');
    return { sentinel: (window as unknown as { __mlXss?: unknown }).__mlXss, elements: [...bad].map((e) => e.outerHTML.slice(0, 120)) };
  });
  const csp = view.errors.filter((e) => /Content Security Policy|Refused to/i.test(e));
  return { ...inPage, csp };
}

async function assertClean(view: WebviewPage, where: string): Promise<void> {
  const d = await damage(view);
  assert.equal(d.sentinel, undefined, `${where}: no payload ran`);
  assert.deepEqual(d.elements, [], `${where}: no markup became elements`);
  assert.deepEqual(d.csp, [], `${where}: nothing even tried to run (no CSP report)`);
}

/** All text a user can read: text nodes, titles, aria labels, and the text inside shadow roots. */
async function visibleText(view: WebviewPage): Promise<string> {
  return view.page.evaluate(() => {
    const out: string[] = [];
    const visit = (root: Node) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let n: Node | null = walker.currentNode; n; n = walker.nextNode()) {
        if (n.nodeType === Node.TEXT_NODE) out.push(n.textContent ?? '');
        else if (n.nodeType === Node.ELEMENT_NODE) {
          const el = n as Element;
          for (const a of ['title', 'aria-label', 'value']) { const v = el.getAttribute(a); if (v) out.push(v); }
          if (el.shadowRoot) visit(el.shadowRoot);
        }
      }
    };
    visit(document.body);
    return out.join('\n');
  });
}

async function open(name: string): Promise<{ view: WebviewPage; host: TestHost }> {
  const c = badCases().find((x) => x.name === name)!;
  const view = await openWebviewPage(browser);
  const host = new TestHost(view, writeCase(dir, c));
  await view.page.waitForSelector('.model-header, .error-view', { timeout: 60_000 });
  return { view, host };
}

describe('markup in model text renders literally, and no script runs (ui)', { skip: missing ?? false }, () => {
  before(async () => {
    browser = await launchChromium();
    dir = tempDir('xss');
  });
  after(async () => {
    await browser?.close();
    await stopWebviewServer();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const name of ['onnx-markup', 'tfjs-markup']) {
    test(`${name}: header, every tab, find and the sidebar of every node`, async () => {
      await withOpenView(open(name), async ({ view, host }) => {
        const r = await host.result();
        assert.ok('graph' in r, `the model opens: ${'error' in r ? r.error.message : ''}`);
        const { graph } = r as LoadedModel;
        await assertClean(view, 'header');
        const header = await visibleText(view);
        assert.ok(header.includes(MARKUP.img) || header.includes(MARKUP.script), 'the producer shows as literal text in the header');
        for (const tab of TAB_IDS) {
          await view.page.click(`vscode-tab-header[data-tab="${tab}"]`);
          await view.waitForPosted((m) => m.body.type === 'set-state' && m.body.tab === tab);
          await view.page.waitForTimeout(300);
          await assertClean(view, `${tab} tab`);
        }
        const all = await visibleText(view);
        assert.ok(all.includes(MARKUP.svg) || all.includes(MARKUP.style), 'weight or op names show as literal text');

        await view.page.click('vscode-tab-header[data-tab="graph"]');
        await view.page.waitForSelector('#graph[data-state="painted"]', { timeout: 60_000 });
        await view.page.click('.graph-canvas');
        await view.page.keyboard.press('Control+f');
        await view.page.keyboard.type('<');
        await view.page.waitForSelector('.graph-find-results li', { timeout: 10_000 });
        await assertClean(view, 'find results');
        const found = await view.page.textContent('.graph-find-results');
        assert.ok(found && found.includes('<'), `find lists the markup names as text: ${found}`);
        await view.page.keyboard.press('Escape');

        for (const n of graph.nodes) {
          host.post({ type: 'reveal-node', nodeId: n.id });
          await view.page.waitForFunction((id) => {
            const side = document.querySelector('.graph-sidebar');
            return !!side && (side.textContent ?? '').length > 0 && document.getElementById('graph')!.dataset.selected !== undefined && id >= 0;
          }, n.id, { timeout: 10_000 });
          await view.page.waitForTimeout(150);
          await assertClean(view, `sidebar of node ${n.id}`);
          const side = (await view.page.textContent('.graph-sidebar')) ?? '';
          if (n.name) assert.ok(side.includes(n.name), `sidebar shows the node name literally: ${n.name.slice(0, 40)}`);
        }
      });
    });
  }

  test('an error message quoting markup shows it as text in the error view', async () => {
    await withOpenView(open('tfjs-path-markup'), async ({ view }) => {
      await view.page.waitForSelector('.error-view #model-lens-error-title');
      await assertClean(view, 'error view');
      const text = await visibleText(view);
      assert.ok(text.includes(MARKUP.img), 'the refused path is quoted literally');
      // Positive control: markup that does reach the DOM is seen by these checks, and the page's
      // CSP (nonce-only scripts) still keeps its handler from running.
      await view.page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), MARKUP.img);
      await view.page.waitForFunction(() => (document.querySelector('img[src="x"]') as HTMLImageElement | null)?.complete === true);
      await view.page.waitForTimeout(300);
      const d = await damage(view);
      assert.equal(d.elements.length, 1, 'the injected <img> is found');
      assert.equal(d.sentinel, undefined, 'the CSP blocked its inline handler');
      assert.ok(d.csp.length >= 1, `and reported it: ${JSON.stringify(view.errors)}`);
    });
  });
});
