// ui surface: the built webview bundle in headless Chromium, fed by the real core through the test
// host. Each fixture model's header shows the counts the core computed (and the fixture is known
// to have), every tab renders, a broken file shows the error view, themes apply, state survives.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { TAB_IDS } from '../../src/protocol.js';
import { chromiumMissingReason, launchChromium } from '../support/chromium.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { GOOD_MODELS, writeSampleModels } from '../support/sample-models.js';
import { TestHost, type LoadedModel } from '../support/test-host.js';
import { openWebviewPage, stopWebviewServer, themeOf, type WebviewPage } from '../support/webview-harness.js';
import { withOpenView } from '../support/webview-session.js';

const missing = chromiumMissingReason();
let browser: Browser;
let files: ReturnType<typeof writeSampleModels>;

/** Reads one fact of the header by its label ("Nodes", "Parameters"…): its text and its tooltip. */
async function fact(view: WebviewPage, label: string): Promise<{ text: string; title: string }> {
  return view.page.evaluate((l) => {
    for (const f of document.querySelectorAll('.model-header .fact')) {
      if (f.querySelector('dt')?.textContent?.trim() === l) return { text: f.querySelector('dd')?.textContent?.trim() ?? '', title: (f as HTMLElement).title };
    }
    return { text: '', title: '' };
  }, label);
}

/** Opens `file` in a fresh page served by a TestHost; resolves once the header or the error view shows. */
async function open(file: string, theme: 'light' | 'dark' = 'dark'): Promise<{ view: WebviewPage; host: TestHost }> {
  const view = await openWebviewPage(browser, { theme });
  const host = new TestHost(view, file);
  await view.page.waitForSelector('.model-header, .error-view', { timeout: 30_000 });
  return { view, host };
}

describe('webview in Chromium (ui)', { skip: missing ?? false }, () => {
  before(async () => {
    assert.ok(existsSync(path.join(repoRoot, 'dist', 'webview.js')), 'dist/webview.js is built by `node esbuild.mjs`');
    browser = await launchChromium();
    files = writeSampleModels(tempDir('ui-models'));
  });
  after(async () => {
    await browser?.close();
    await stopWebviewServer();
  });

  for (const [key, known] of Object.entries(GOOD_MODELS)) {
    test(`${known.rel}: header shows the counts the core computed`, async () => {
      await withOpenView(open(files[key as keyof typeof GOOD_MODELS]), async ({ view, host }) => {
        const r = await host.result();
        assert.ok('summary' in r, `the core read ${known.rel}: ${'error' in r ? r.error.message : ''}`);
        const { summary } = r as LoadedModel;
        if (known.nodes !== null) assert.equal(summary.nodes, known.nodes, 'core node count matches the fixture');
        assert.equal(summary.parameters, known.parameters, 'core parameter count matches the fixture');
        assert.equal(await view.page.textContent('.model-header h1.file-name'), path.basename(known.rel));
        const nodes = await fact(view, 'Nodes');
        assert.match(nodes.text, new RegExp(`^${summary.nodes}\\b`), `Nodes fact "${nodes.text}"`);
        const params = await fact(view, 'Parameters');
        assert.match(params.title, new RegExp(`^${summary.parameters} elements in ${summary.weightTensors} weight tensors`), `Parameters tooltip "${params.title}"`);
        assert.match(params.text, new RegExp(`^${summary.parameters}\\b`));
        const ios = await view.page.$$eval('.model-header .io-list .io-name', (els) => els.map((e) => e.textContent));
        assert.deepEqual(ios, [...summary.inputs, ...summary.outputs].map((io) => io.name));
        // The graph tab is shown first; its automation hook says when it has painted and how many nodes.
        await view.page.waitForSelector('#graph[data-state="painted"]', { timeout: 60_000 });
        const drawn = Number(await view.page.getAttribute('#graph', 'data-visible-nodes'));
        assert.ok(drawn > 0 && drawn <= summary.nodes + summary.inputs.length + summary.outputs.length, `graph drew ${drawn} nodes`);
        // Small fixtures are not collapsed: every operator is drawn, plus one node per graph input and output.
        if (known.nodes !== null) assert.equal(drawn, known.nodes + summary.inputs.length + summary.outputs.length, 'every node of a small fixture is drawn');
        assert.deepEqual(view.errors, [], 'no page errors');
      });
    });
  }

  test('every tab renders content and reports itself to the host', async () => {
    await withOpenView(open(files.mlp), async ({ view }) => {
      for (const id of TAB_IDS) {
        const tab = { id };
        await view.page.click(`vscode-tab-header[data-tab="${tab.id}"]`);
        await view.waitForPosted((m) => m.body.type === 'set-state' && m.body.tab === tab.id);
        const panel = `vscode-tab-panel[data-tab="${tab.id}"]`;
        await view.page.waitForFunction((sel) => {
          const p = document.querySelector(sel) as HTMLElement | null;
          if (!p || p.hidden || p.getBoundingClientRect().height === 0) return false;
          return p.childElementCount > 0 && ((p.textContent ?? '').trim().length > 0 || !!p.querySelector('canvas, svg'));
        }, panel, { timeout: 30_000 });
        const box = await view.page.locator(panel).boundingBox();
        assert.ok(box && box.width > 200 && box.height > 50, `${tab.id} panel is laid out (${JSON.stringify(box)})`);
        if (tab.id === 'overview') {
          const text = await view.page.textContent(panel);
          for (const op of ['Gemm', 'Relu']) assert.ok(text?.includes(op), `overview lists ${op}`);
        }
      }
      assert.deepEqual(view.errors, [], 'no page errors');
    });
  });

  test('the host can switch tabs (show-tab) and the choice survives a reload of the page', async () => {
    await withOpenView(open(files.convnet), async ({ view, host }) => {
      host.post({ type: 'show-tab', tab: 'overview' });
      await view.waitForPosted((m) => m.body.type === 'set-state' && m.body.tab === 'overview');
      await view.page.waitForFunction(() => (document.querySelector('vscode-tabs') as unknown as { selectedIndex: number }).selectedIndex === 3);
      const readies = view.posted.filter((m) => m.body.type === 'ready').length;
      await view.reload();
      await view.waitForPosted((m) => m.body.type === 'ready' && view.posted.filter((p) => p.body.type === 'ready').length > readies);
      await view.page.waitForSelector('.model-header');
      await view.page.waitForFunction(() => (document.querySelector('vscode-tabs') as unknown as { selectedIndex: number }).selectedIndex === 3, undefined, { timeout: 10_000 });
    });
  });

  test('a truncated .onnx shows the error view with the file and the place', async () => {
    await withOpenView(open(files.truncated), async ({ view, host }) => {
      const r = await host.result();
      assert.ok('error' in r, 'the core refuses the truncated file');
      const { error } = r as { error: { file: string; code: string; place: { offset?: number } } };
      await view.page.waitForSelector('.error-view #model-lens-error-title');
      const details = await view.page.textContent('.error-view .error-details');
      assert.ok(details?.includes('truncated.onnx'), `error names the file: ${details}`);
      assert.ok(details?.includes(error.code), `error names the problem ${error.code}`);
      if (error.place.offset !== undefined) assert.ok(details?.includes(`byte ${error.place.offset}`), `error names the byte offset: ${details}`);
      assert.ok(await view.page.isVisible('#model-lens-retry'), 'Retry is offered');
      const shot = await view.screenshot('error-dark');
      assert.ok(existsSync(shot));
      await view.page.click('#model-lens-retry');
      await view.waitForPosted((m) => m.body.type === 'reload');
    });
  });

  test('theme variables from VS Code drive the colours; screenshots in light, dark and high contrast', async () => {
    await withOpenView(open(files.mlp, 'light'), async ({ view }) => {
      const color = () => view.page.evaluate(() => [getComputedStyle(document.body).color, getComputedStyle(document.documentElement).backgroundColor]);
      const rgb = (hex: string) => {
        const n = parseInt(hex.slice(1, 7), 16);
        return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
      };
      const light = themeOf('light').vars, dark = themeOf('dark').vars;
      await view.page.waitForSelector('#graph[data-state="painted"]', { timeout: 60_000 });
      assert.deepEqual(await color(), [rgb(light['--vscode-editor-foreground']), rgb(light['--vscode-editor-background'])]);
      await view.screenshot('mlp-light');
      await view.setTheme('dark');
      // The canvas repaints in the new colours on the next frames.
      await view.page.waitForTimeout(500);
      assert.deepEqual(await color(), [rgb(dark['--vscode-editor-foreground']), rgb(dark['--vscode-editor-background'])]);
      await view.screenshot('mlp-dark');
      await view.setTheme('high-contrast');
      await view.page.waitForTimeout(500);
      await view.screenshot('mlp-high-contrast');
      await view.page.click('vscode-tab-header[data-tab="overview"]');
      await view.setTheme('dark');
      await view.screenshot('mlp-overview-dark');
      assert.deepEqual(view.errors, [], 'no page errors');
    });
  });
});
