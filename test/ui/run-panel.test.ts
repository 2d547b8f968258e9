// ui surface: the Run tab in headless Chromium, served by the test host with the REAL run handlers
// (features/run/handlers) and a real onnxruntime process. The linear fixture y = 2x + 1 fed with a
// range gives 1, 3, 5, 7; the provider that ran and why others were passed over are shown; a run
// with activations colours the graph and a selected node's histogram appears in the panel.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createRunHandlers, type RunRequestContext } from '../../src/features/run/handlers.js';
import { RuntimeSessions } from '../../src/core/runtime/runtime-sessions.js';
import { buildLinearModel, buildMlpModel } from '../fixtures/onnx/index.js';
import { writeTfjsGraphModel } from '../fixtures/tfjs/graph-fixtures.js';
import { layersFixtureForward, writeTfjsLayersModel } from '../fixtures/tfjs/layers-fixtures.js';
import { chromiumMissingReason, launchChromium } from '../support/chromium.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { TestHost, type TestRequestHandler } from '../support/test-host.js';
import { openWebviewPage, stopWebviewServer, type WebviewPage } from '../support/webview-harness.js';
import { withOpenView } from '../support/webview-session.js';

const missing = chromiumMissingReason();
const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
let browser: Browser;
let sessions: RuntimeSessions;
let linear: string;
let mlp: string;
let tfjsGraph: string;
let tfjsLayers: string;

/** The run.* handlers as the extension registers them, adapted to the test host's context. */
function runHandlers(trusted: boolean): Record<string, TestRequestHandler> {
  const handlers = createRunHandlers({ sessions });
  return Object.fromEntries(Object.entries(handlers).map(([m, h]) => [m, (params: unknown, c: { model: RunRequestContext['model']; signal: AbortSignal }) =>
    h(params, { model: c.model, key: c.model.path, signal: c.signal, trusted, provider: 'auto' })]));
}

async function openRunTab(theme: 'light' | 'dark', trusted = true, file = linear): Promise<{ view: WebviewPage; host: TestHost }> {
  const view = await openWebviewPage(browser, { theme, viewport: { width: 1280, height: 900 } });
  const host = new TestHost(view, file, { trusted, handlers: runHandlers(trusted) });
  await view.page.waitForSelector('.model-header', { timeout: 30_000 });
  await view.page.click('vscode-tab-header[data-tab="run"]');
  await view.page.waitForSelector('#run', { state: 'visible', timeout: 10_000 });
  return { view, host };
}

/** Clicks Run and waits for the run to end; it must end done (else the status line says why). */
async function runToDone(page: WebviewPage['page']): Promise<void> {
  await page.click('#run-infer');
  await page.waitForSelector('#run[data-state="done"], #run[data-state="error"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#run', 'data-state'), 'done', await page.textContent('#run .run-status') ?? '');
}

describe('Run tab (ui)', { skip: missing ?? (existsSync(processPath) ? false : 'dist/runtime-process.js is not built') }, () => {
  before(async () => {
    // WebGL on SwiftShader: the TF.js runs must really run on the GPU backend.
    browser = await launchChromium({ gpu: true });
    sessions = new RuntimeSessions({ processPath });
    linear = path.join(tempDir('ui-run'), 'linear.onnx');
    writeFileSync(linear, buildLinearModel());
    mlp = path.join(tempDir('ui-run-mlp'), 'mlp.onnx');
    writeFileSync(mlp, buildMlpModel());
    tfjsGraph = writeTfjsGraphModel(tempDir('ui-run-tfjs-graph'));
    tfjsLayers = writeTfjsLayersModel(tempDir('ui-run-tfjs-layers'));
  });
  after(async () => {
    await sessions?.disposeAll();
    await browser?.close();
    await stopWebviewServer();
  });

  for (const theme of ['dark', 'light'] as const) {
    test(`linear y = 2x + 1 (${theme}): range input gives 1, 3, 5, 7; provider and fallback shown; activations colour the graph`, async () => {
      await withOpenView(openRunTab(theme), async ({ view, host, page }) => {
        // One row per input with its dtype and shape; the dynamic dim N is asked for.
        assert.equal(await page.textContent('#run tr[data-input="x"] .io-name'), 'x');
        // Before any run, run.defaults shows each open dim's default with its reason, and how x is filled by Default.
        await page.waitForSelector('#run [data-hint="N"]:not(:empty)');
        assert.match(await page.textContent('#run [data-hint="N"]') ?? '', /'N' is a batch size: one example/);
        assert.match(await page.textContent('#run [data-fill-hint="x"]') ?? '', /random normal\(0, 1\) noise/);
        // A size typed in is the user's and the reason says so; an emptied field goes back to the default.
        await page.fill('#run input[data-dim="N"]', '3');
        await page.press('#run input[data-dim="N"]', 'Tab');
        await page.waitForSelector('#run [data-hint="N"][data-source="user"]');
        assert.match(await page.textContent('#run [data-hint="N"]') ?? '', /^set by you; empty the field for the default \(1: 'N' is a batch size/);
        await page.fill('#run input[data-dim="N"]', '');
        await page.press('#run input[data-dim="N"]', 'Tab');
        await page.waitForSelector('#run [data-hint="N"][data-source="default"]');
        assert.equal(await page.inputValue('#run input[data-dim="N"]'), '1');
        assert.match(await page.textContent('#run [data-hint="N"]') ?? '', /^'N' is a batch size: one example/);
        await page.selectOption('#run select.run-kind[data-input="x"]', 'range');
        await page.fill('#run input[data-dim="N"]', '4');
        await runToDone(page);
        const values = await page.getAttribute('#run .run-output[data-output="y"]', 'data-values');
        assert.equal(values, '1,3,5,7', 'y = 2x + 1 for x = 0, 1, 2, 3');
        assert.equal(await page.textContent('#run .run-output[data-output="y"] .output-shape'), '[4, 1]');
        assert.equal(await page.textContent('#run .run-output[data-output="y"] dd[data-stat="mean"]'), '4');
        const provider = await page.getAttribute('#run', 'data-provider');
        assert.equal(await page.textContent('#run .run-provider-name'), provider);
        assert.ok(provider && ['cpu', 'cuda', 'webgpu'].includes(provider), `a provider ran: ${provider}`);
        if (provider === 'cpu') {
          // 'auto' tries GPU providers first; on a machine without them the panel says why each was passed over.
          const fallback = await page.textContent('#run .run-fallback');
          assert.match(fallback ?? '', /Fell back to cpu: .*(cuda|webgpu)/i, `fallback reason shown: ${fallback}`);
        }
        assert.match(await page.textContent('#run .run-ran') ?? '', /p50 .* p90 /, 'latency min/p50/p90 shown');
        await page.waitForSelector('#run .run-output[data-output="y"] .hist[data-series="1"]');
        await view.screenshot(`run-linear-${theme}`);

        // Activations: every node's output captured; the graph is coloured and shows a legend.
        await page.selectOption('#run select.run-kind[data-input="x"]', 'ones');
        await page.click('#run-activations');
        await page.waitForSelector('#run[data-state="done"][data-overlay="mean"]', { timeout: 60_000 });
        assert.match(await page.textContent('#run .run-section[aria-label="Activations"] .run-note') ?? '', /^2 node outputs captured/);
        // Selecting a node (the host's Reveal) shows its activation histogram: Add's output is 2·1 + 1 = 3.
        host.post({ type: 'reveal-node', nodeId: 1 });
        await page.click('vscode-tab-header[data-tab="run"]');
        await page.waitForSelector('#run .run-act-detail[data-node="1"]', { timeout: 10_000 });
        assert.match(await page.textContent('#run .run-act-detail') ?? '', /Add[\s\S]*mean 3 · abs max 3 · NaN 0/);
        await page.waitForSelector('#run .run-act-detail .hist[data-series="1"][data-bar-heights]:not([data-bar-heights=""])', { timeout: 10_000 });
        await view.screenshot(`run-activations-${theme}`);
        // ONNX Runtime runs MatMul + Add as one Gemm: MatMul's output (2·1 = 2) is computed when opened.
        host.post({ type: 'reveal-node', nodeId: 0 });
        await page.click('vscode-tab-header[data-tab="run"]');
        await page.waitForSelector('#run .run-act-detail[data-node="0"]', { timeout: 10_000 });
        assert.match(await page.textContent('#run .run-act-detail') ?? '', /xw[\s\S]*mean 2 · abs max 2 · NaN 0[\s\S]*Fused into add/);
        await page.click('vscode-tab-header[data-tab="graph"]');
        await page.waitForSelector('#graph[data-state="painted"]', { timeout: 60_000 });
        await page.waitForSelector('#graph .graph-legend:not([hidden])', { timeout: 10_000 });
        assert.equal(await page.textContent('#graph .graph-legend .legend-title'), 'Activation mean');
        assert.deepEqual(await page.$$eval('#graph .graph-legend .legend-ends span', (s) => s.map((e) => e.textContent)), ['0', '3']);
        await view.screenshot(`run-graph-overlay-${theme}`);
        assert.deepEqual(view.errors, [], 'no page errors');
      });
    });
  }

  test('TF.js graph model y = 2x + 1 runs in the panel on WebGL, with the backend shown, equal to the CPU backend', async () => {
    await withOpenView(openRunTab('dark', true, tfjsGraph), async ({ view, page }) => {
      await page.selectOption('#run select.run-kind', 'range');
      await page.$$eval('#run input[data-dim]', (els) => { for (const e of els) { (e as HTMLInputElement).value = '4'; } });
      await runToDone(page);
      assert.equal(await page.getAttribute('#run .run-output', 'data-values'), '1,3,5,7');
      // Chromium runs here with WebGL on SwiftShader: a CPU fallback means the GPU path is broken.
      const backend = await page.getAttribute('#run', 'data-provider');
      if (backend !== 'webgl') assert.fail(`the TF.js GPU backend did not run (got ${backend}: ${await page.locator('#run .run-fallback').textContent({ timeout: 2000 }).catch(() => '')})`);
      assert.equal(await page.textContent('#run .run-provider-name'), 'webgl');
      assert.equal(await page.isHidden('#run-activations'), true, 'activation capture is offered for ONNX models only');
      await view.screenshot('run-tfjs-graph-dark');
      // Compare: CPU backend as the reference against WebGL, element by element.
      await page.click('#run-compare');
      await page.waitForSelector('#run[data-state="done"] .run-compare .run-section', { timeout: 60_000 });
      const text = await page.textContent('#run .run-compare') ?? '';
      assert.match(text, /webgl[\s\S]*Max abs diff/);
      assert.doesNotMatch(text, /Only cpu could run here/);
      const cells = await page.$$eval('#run .run-compare table[aria-label="Output differences"] tbody td', (tds) => tds.map((td) => td.textContent ?? ''));
      assert.equal(cells.length, 5, cells.join(' | '));
      assert.ok(Number(cells[1]) <= 1e-5, `WebGL differs from the CPU backend by ${cells[1]}`);
      assert.equal(cells[4], '0', 'no mismatched elements');
      assert.deepEqual(view.errors, [], 'no page errors');
    });
  });

  test('TF.js graph model runs on WebGPU first where the webview has an adapter, equal to the CPU backend', async () => {
    const webglBrowser = browser;
    browser = await launchChromium({ webgpu: true });
    try {
      await withOpenView(openRunTab('light', true, tfjsGraph), async ({ view, page }) => {
        await page.selectOption('#run select.run-kind', 'range');
        await page.$$eval('#run input[data-dim]', (els) => { for (const e of els) { (e as HTMLInputElement).value = '4'; } });
        await runToDone(page);
        assert.equal(await page.getAttribute('#run .run-output', 'data-values'), '1,3,5,7');
        const backend = await page.getAttribute('#run', 'data-provider');
        if (backend !== 'webgpu') assert.fail(`the TF.js WebGPU backend did not run (got ${backend}: ${await page.locator('#run .run-fallback').textContent({ timeout: 2000 }).catch(() => '')})`);
        assert.equal(await page.isVisible('#run .run-fallback'), false, 'nothing was passed over');
        await page.click('#run-compare');
        await page.waitForSelector('#run[data-state="done"] .run-compare .run-section', { timeout: 60_000 });
        assert.match(await page.textContent('#run .run-compare') ?? '', /webgpu[\s\S]*Max abs diff/);
        const cells = await page.$$eval('#run .run-compare table[aria-label="Output differences"] tbody td', (tds) => tds.map((td) => td.textContent ?? ''));
        assert.ok(Number(cells[1]) <= 1e-5, `WebGPU differs from the CPU backend by ${cells[1]}`);
        assert.equal(cells[4], '0', 'no mismatched elements');
        await view.screenshot('run-tfjs-webgpu-light');
        assert.deepEqual(view.errors, [], 'no page errors');
      });
    } finally {
      await browser.close();
      browser = webglBrowser;
    }
  });

  test('TF.js layers model (Dense relu → Dense) gives the fixture\'s forward pass for ones', async () => {
    await withOpenView(openRunTab('light', true, tfjsLayers), async ({ view, page }) => {
      await page.selectOption('#run select.run-kind', 'ones');
      await runToDone(page);
      const got = (await page.getAttribute('#run .run-output', 'data-values'))!.split(',').map(Number);
      const want = layersFixtureForward([1, 1, 1]);
      assert.equal(got.length, want.length);
      got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-4, `output ${i}: ${v} vs ${want[i]}`));
      await view.screenshot('run-tfjs-layers-light');
      // The run in this page reports its output's shape to the graph: marked measured there.
      await page.click('vscode-tab-header[data-tab="graph"]');
      await page.waitForSelector('#graph .graph-measured-legend:not([hidden])', { timeout: 60_000 });
      assert.equal(await page.getAttribute('#graph .graph-measured-legend .measured-row.measured', 'data-count'), '1');
    });
  });

  test('mlp [4, 3] output: heatmap of the 2-D slice, paged values, top-k only for a single row; inputs persist', async () => {
    await withOpenView(openRunTab('dark', true, mlp), async ({ view, page }) => {
      await page.selectOption('#run select.run-kind', 'uniform');
      await page.fill('#run input[data-field="seed"]', '7');
      await page.fill('#run input[data-dim="N"]', '4');
      await page.click('#run-infer');
      await page.waitForSelector('#run[data-state="done"]', { timeout: 60_000 });
      assert.equal(await page.textContent('#run .run-output .output-shape'), '[4, 3]');
      assert.equal(await page.getAttribute('#run .run-output canvas.run-heatmap', 'aria-label'), 'Heatmap of y, first 4×3 slice');
      assert.equal(await page.$$eval('#run .run-output .run-values tbody tr', (r) => r.length), 12);
      assert.equal(await page.$('#run .run-output .run-topk'), null, 'no top-k for a batch of 4');
      await view.screenshot('run-mlp-dark');
      // The input set is kept per model (webview state) and restored when the page is rebuilt.
      await view.reload();
      await page.waitForSelector('.model-header', { timeout: 30_000 });
      await page.click('vscode-tab-header[data-tab="run"]');
      await page.waitForSelector('#run', { state: 'visible' });
      assert.equal(await page.inputValue('#run select.run-kind'), 'uniform');
      assert.equal(await page.inputValue('#run input[data-field="seed"]'), '7');
      assert.equal(await page.inputValue('#run input[data-dim="N"]'), '4');
    });
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`Profile (${theme}): a table row per mlp node with time and provider, the verdict, sorting, and the time overlay on the graph`, async () => {
      await withOpenView(openRunTab(theme, true, mlp), async ({ view, page }) => {
        await page.fill('#run input[data-dim="N"]', '2');
        await page.click('#run-profile');
        await page.waitForSelector('#run[data-state="done"][data-overlay="profile"] .run-profile table', { timeout: 60_000 });
        const nodes = () => page.$$eval('#run .run-profile tbody tr[data-node] td:nth-child(2)', (tds) => tds.map((t) => t.textContent));
        assert.deepEqual([...await nodes()].sort(), ['fc0', 'fc1', 'fc2', 'relu0', 'relu1']);
        assert.equal(await page.textContent('#run .run-profile .run-verdict'), 'CPU ran 5 nodes');
        const rows = await page.$$eval('#run .run-profile tbody tr[data-node]', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
        for (const [, node, time, , provider] of rows) {
          if (node.startsWith('relu')) assert.match(provider, /^fused into fc\d$/, `${node}: ${provider}`);
          else { assert.match(time, /^\d+(\.\d+)? (µs|ms)$/, `${node}: ${time}`); assert.equal(provider, 'CPU'); }
        }
        assert.equal(await page.getAttribute('#run .run-profile', 'data-sort'), 'ms-desc');
        await page.click('#run .run-profile button[data-sort="node"]');
        assert.equal(await page.getAttribute('#run .run-profile', 'data-sort'), 'node-asc');
        assert.deepEqual(await nodes(), ['fc0', 'fc1', 'fc2', 'relu0', 'relu1']);
        await view.screenshot(`run-profile-${theme}`);
        await page.click('vscode-tab-header[data-tab="graph"]');
        await page.waitForSelector('#graph[data-state="painted"]', { timeout: 60_000 });
        await page.waitForSelector('#graph .graph-legend:not([hidden])', { timeout: 10_000 });
        assert.equal(await page.textContent('#graph .graph-legend .legend-title'), 'Time per node (ms)');
        await view.screenshot(`run-profile-graph-${theme}`);
        assert.deepEqual(view.errors, [], 'no page errors');
      });
    });
  }

  for (const theme of ['dark', 'light'] as const) {
    test(`Real shapes (${theme}): after a run the mlp's edges and sidebar show N = 2, marked measured or from the run's inputs`, async () => {
      await withOpenView(openRunTab(theme, true, mlp), async ({ view, host, page }) => {
        const titles = async () => {
          const r = await host.request('export.produce', { format: 'graph-svg' }) as { data: string };
          return [...r.data.matchAll(/<path d="[^"]*"><title>([^<]*)<\/title>/g)].map((m) => m[1]);
        };
        host.post({ type: 'reveal-node', nodeId: 4 });
        await page.click('vscode-tab-header[data-tab="graph"]');
        await page.waitForSelector('#graph[data-state="painted"]', { timeout: 60_000 });
        await page.waitForSelector('#graph .graph-sidebar li[data-value] .type', { timeout: 10_000 });
        assert.ok((await titles()).some((t) => t.includes('[N, 8]')), 'before a run: the symbolic dim on the edges');
        assert.ok(await page.isHidden('#graph .graph-measured-legend'), 'no legend before a run');
        await page.click('vscode-tab-header[data-tab="run"]');
        await page.fill('#run input[data-dim="N"]', '2');
        await runToDone(page);
        await page.click('vscode-tab-header[data-tab="graph"]');
        await page.waitForSelector('#graph .graph-measured-legend:not([hidden])', { timeout: 10_000 });
        const after = await titles();
        assert.ok(after.includes('◆ float32 [2, 3]') || after.some((t) => t.startsWith('◆ float32 [2, 4]')), `measured labels: ${after.join(' | ')}`);
        assert.ok(after.some((t) => t.startsWith('◇ float32 [2, 8]')), `hidden values from the run's inputs: ${after.join(' | ')}`);
        assert.ok(!after.some((t) => t.includes('N')), `no symbolic dim left: ${after.join(' | ')}`);
        // The selected fc2: its input from the rules, its output y measured.
        await page.waitForSelector('#graph .graph-sidebar .run-shape.measured', { timeout: 10_000 });
        const rows = await page.$$eval('#graph .graph-sidebar li[data-value] .type', (els) => els.map((e) => e.textContent));
        assert.ok(rows.includes('float32 [2, 3] ◆ measured'), `sidebar: ${rows.join(' | ')}`);
        assert.ok(rows.includes("float32 [2, 8] ◇ from the run's inputs"), `sidebar: ${rows.join(' | ')}`);
        assert.match(await page.textContent('#graph .graph-measured-legend') ?? '', /measured in the last run/);
        await page.click('#graph-zoom-selection');
        await page.waitForTimeout(200);
        await view.screenshot(`run-shapes-graph-${theme}`);
        assert.deepEqual(view.errors, [], 'no page errors');
      });
    });
  }

  test('compare providers: CPU reference against what else can run, with the reason when nothing else can', async () => {
    await withOpenView(openRunTab('dark'), async ({ view }) => {
      await view.page.click('#run-compare');
      await view.page.waitForSelector('#run[data-state="done"] .run-compare .run-section', { timeout: 60_000 });
      const text = await view.page.textContent('#run .run-compare') ?? '';
      assert.match(text, /cpu/);
      const other = await view.page.$('#run .run-compare table[aria-label="Output differences"]');
      if (!other) assert.match(text, /Only cpu could run here: .+/);
      else assert.match(text, /\by\b/);
    });
  });

  test('restricted mode: the panel says why running needs trust and offers Trust; Run is disabled', async () => {
    await withOpenView(openRunTab('dark', false), async ({ view }) => {
      const banner = await view.page.textContent('#run .run-banner');
      assert.match(banner ?? '', /needs a trusted workspace/);
      assert.equal(await view.page.isDisabled('#run-infer'), true);
      await view.page.click('#run .run-banner button');
      await view.waitForPosted((m) => m.body.type === 'request' && m.body.method === 'trust.request');
      assert.equal(await view.page.getAttribute('#run', 'data-trusted'), 'false', 'still untrusted when the user declines');
      await view.screenshot('run-untrusted-dark');
    });
  });
});
