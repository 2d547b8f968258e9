// ui surface: the Function tab in headless Chromium, served by the test host with the REAL explain
// handlers (features/function/handlers) and a real onnxruntime process. The linear fixture's formula
// shows its weights 2 and 1; on the MLP fixture a sweep plots exactly evalMlp's values, zeroing a
// weight flattens the curve and colours only the downstream nodes, and Restore brings the curve back.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createFunctionHandlers } from '../../src/features/function/handlers.js';
import { RuntimeSessions } from '../../src/core/runtime/runtime-sessions.js';
import { buildConvNetModel, buildLinearModel, buildMlpModel, evalMlp } from '../fixtures/onnx/index.js';
import { chromiumMissingReason, launchChromium } from '../support/chromium.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { TestHost, type TestRequestHandler } from '../support/test-host.js';
import { openWebviewPage, stopWebviewServer, type WebviewPage } from '../support/webview-harness.js';

const missing = chromiumMissingReason();
const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
let browser: Browser;
let sessions: RuntimeSessions;
let dir: string;

function explainHandlers(): Record<string, TestRequestHandler> {
  const handlers = createFunctionHandlers({ sessions });
  return Object.fromEntries(Object.entries(handlers).map(([m, h]) => [m, (params: unknown, c: Parameters<TestRequestHandler>[1]) =>
    h(params, { model: c.model, key: c.model.path, signal: c.signal, trusted: true, provider: 'cpu' })]));
}

async function openFunctionTab(file: string, theme: 'light' | 'dark'): Promise<{ view: WebviewPage; host: TestHost }> {
  const view = await openWebviewPage(browser, { theme, viewport: { width: 1280, height: 1000 } });
  const host = new TestHost(view, file, { handlers: explainHandlers() });
  await view.page.waitForSelector('.model-header', { timeout: 30_000 });
  await view.page.click('vscode-tab-header[data-tab="function"]');
  await view.page.waitForSelector('#function', { state: 'visible', timeout: 10_000 });
  return { view, host };
}

interface Plotted { xs: number[]; series: { output: string; element: number; original: number[]; edited?: number[] }[] }
const plotted = async (view: WebviewPage): Promise<Plotted> => JSON.parse(await view.page.getAttribute('#fn-sweep-plot', 'data-points') ?? 'null') as Plotted;
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));

describe('Function tab (ui)', { skip: missing ?? (existsSync(processPath) ? false : 'dist/runtime-process.js is not built') }, () => {
  before(async () => {
    browser = await launchChromium();
    sessions = new RuntimeSessions({ processPath });
    dir = tempDir('ui-function');
    writeFileSync(path.join(dir, 'linear.onnx'), buildLinearModel());
    writeFileSync(path.join(dir, 'mlp.onnx'), buildMlpModel());
    writeFileSync(path.join(dir, 'convnet.onnx'), buildConvNetModel());
  });
  after(async () => {
    await sessions?.disposeAll();
    await browser?.close();
    await stopWebviewServer();
  });

  test('linear y = 2x + 1: node formulas and the model formula show the weights 2 and 1; cost card counts 2 parameters', async () => {
    const { view, host } = await openFunctionTab(path.join(dir, 'linear.onnx'), 'light');
    const { page } = view;
    try {
      await page.waitForSelector('#function .fn-formula[data-node="0"]', { timeout: 20_000 });
      const matmul = await page.textContent('#function .fn-formula') ?? '';
      assert.match(matmul, /\b2\b/, `MatMul formula shows W = 2: ${matmul}`);
      await page.selectOption('#function .fn-node', '1');
      await page.waitForSelector('#function .fn-formula[data-node="1"]', { timeout: 20_000 });
      const add = await page.textContent('#function .fn-formula') ?? '';
      assert.match(add, /\b1\b/, `Add formula shows B = 1: ${add}`);
      await page.waitForSelector('#function .fn-model-lines', { timeout: 20_000 });
      const whole = await page.textContent('#function .fn-model-lines') ?? '';
      assert.match(whole, /y = .*2.*x.*\+ 1|y = .*x.*2.*\+ 1/, `model formula: ${whole}`);
      await page.waitForSelector('#fn-cost[data-state="done"]', { timeout: 20_000 });
      assert.deepEqual(await page.$$eval('#fn-cost .fn-card[aria-label="Parameters"] dd', (d) => d.map((e) => e.textContent)).then((v) => v.slice(0, 2)), ['2', '8 B'], '2 parameters, 8 bytes');
      await view.screenshot('function-linear-light');
      assert.deepEqual(view.errors, []);
    } finally {
      await host.close();
      await view.close();
    }
  });

  for (const theme of ['dark', 'light'] as const) {
    test(`MLP (${theme}): sweep plots evalMlp; zeroing fc1.weight flattens the curve and colours only downstream nodes; restore brings it back`, async () => {
      const { view, host } = await openFunctionTab(path.join(dir, 'mlp.onnx'), theme);
      const { page } = view;
      try {
        await page.fill('#fn-sweep .fn-sweep-from', '-2');
        await page.fill('#fn-sweep .fn-sweep-to', '2');
        await page.fill('#fn-sweep .fn-sweep-steps', '21');
        await page.fill('#fn-sweep .fn-sweep-outputs', '0, 1, 2');
        await page.click('#fn-sweep-run');
        await page.waitForSelector('#fn-sweep[data-state="done"], #fn-sweep[data-state="error"]', { timeout: 60_000 });
        assert.equal(await page.getAttribute('#fn-sweep', 'data-state'), 'done', await page.textContent('#fn-sweep .fn-status') ?? '');
        const before = await plotted(view);
        assert.equal(before.xs.length, 21);
        assert.ok(close(before.xs[0], -2) && close(before.xs[20], 2) && close(before.xs[10], 0));
        for (const s of before.series) {
          before.xs.forEach((x, i) => {
            const want = evalMlp([x, 0, 0, 0])[s.element];
            assert.ok(close(s.original[i], want), `y[${s.element}] at x=${x}: plotted ${s.original[i]}, evalMlp ${want}`);
          });
          assert.equal(s.edited, undefined);
        }
        assert.ok(new Set(before.series[0].original.map((v) => v.toFixed(5))).size > 3, 'the original curve varies with x');

        // Zero fc1.weight: layer 2 then outputs its bias whatever x is, so every curve goes flat.
        await page.selectOption('#fn-whatif .fn-edit-weight', { label: 'fc1.weight [8×8]' });
        await page.selectOption('#fn-whatif .fn-edit-op', 'zero');
        await page.click('#fn-edit-apply');
        await page.waitForSelector('#fn-whatif[data-state="edited"], #fn-whatif[data-state="error"]', { timeout: 60_000 });
        assert.equal(await page.getAttribute('#fn-whatif', 'data-state'), 'edited', await page.textContent('#fn-whatif .fn-edit-result') ?? '');
        assert.equal(await page.getAttribute('#function', 'data-overlay-nodes'), '2,3,4', 'fc1, relu1 and fc2 (downstream) coloured; fc0 and relu0 not');
        assert.match(await page.textContent('#fn-whatif .fn-edit-result') ?? '', /zero fc1\.weight · 64 of 64 values changed/);
        await page.waitForSelector('#fn-sweep-plot[data-edited="true"]', { timeout: 60_000 });
        await page.waitForSelector('#fn-sweep[data-state="done"]', { timeout: 60_000 });
        const edited = await plotted(view);
        for (const s of edited.series) {
          assert.ok(s.edited, 'the edited curve is plotted');
          assert.deepEqual(s.original.map((v) => v.toFixed(5)), before.series.find((b) => b.element === s.element)!.original.map((v) => v.toFixed(5)), 'original curve unchanged');
          assert.equal(new Set(s.edited!.map((v) => v.toFixed(5))).size, 1, `y[${s.element}] is flat after zeroing fc1.weight`);
        }
        assert.ok(edited.series.some((s) => s.edited!.some((v, i) => !close(v, s.original[i]))), 'the curve changed');
        await view.screenshot(`function-whatif-${theme}`);
        await page.click('vscode-tab-header[data-tab="graph"]');
        await page.waitForSelector('#graph[data-state="painted"]', { timeout: 60_000 });
        await page.waitForSelector('#graph .graph-legend:not([hidden])', { timeout: 10_000 });
        assert.match(await page.textContent('#graph .graph-legend .legend-title') ?? '', /^What-if: zero fc1\.weight/);
        await view.screenshot(`function-graph-overlay-${theme}`);

        // Restore: the edited curve goes away and the original is drawn again; the overlay clears.
        await page.click('vscode-tab-header[data-tab="function"]');
        await page.click('#fn-edit-restore');
        await page.waitForSelector('#fn-whatif[data-state="restored"]', { timeout: 30_000 });
        await page.waitForSelector('#fn-sweep-plot[data-edited="false"]', { timeout: 60_000 });
        const restored = await plotted(view);
        assert.deepEqual(restored.series.map((s) => s.original.map((v) => v.toFixed(5))), before.series.map((s) => s.original.map((v) => v.toFixed(5))));
        assert.ok(restored.series.every((s) => s.edited === undefined));
        assert.equal(await page.getAttribute('#function', 'data-overlay-nodes'), '');
        assert.deepEqual(view.errors, [], 'no page errors');
      } finally {
        await host.close();
        await view.close();
      }
    });
  }

  test('conv net: one Conv value by hand equals the runtime value; feature maps per channel; cost card', async () => {
    const { view, host } = await openFunctionTab(path.join(dir, 'convnet.onnx'), 'dark');
    const { page } = view;
    try {
      await page.waitForSelector('#function .fn-formula[data-node="0"]', { timeout: 20_000 });
      assert.match(await page.textContent('#function .fn-formula') ?? '', /Σ/);
      await page.click('#fn-hand-run');
      await page.waitForSelector('#function .fn-hand[data-state="done"], #function .fn-hand[data-state="error"]', { timeout: 60_000 });
      await page.click('#function .fn-cell[data-index="27"]');
      await page.waitForSelector('#function .fn-cell.selected[data-index="27"]', { timeout: 60_000 });
      const result = Number(await page.getAttribute('#function .fn-hand-result', 'data-result'));
      const runtime = Number(await page.getAttribute('#function .fn-hand-result', 'data-runtime'));
      assert.ok(close(result, runtime), `by hand ${result} = runtime ${runtime}`);
      assert.equal(await page.$$eval('#function .fn-hand tbody tr', (r) => r.length), 9, '3×3 window of one input channel');
      await page.click('#fn-maps-run');
      await page.waitForSelector('#function .fn-maps[data-state="done"]', { timeout: 60_000 });
      assert.equal(await page.$$eval('#function .fn-map', (c) => c.length), 4, 'one heatmap per output channel');
      await page.waitForSelector('#fn-cost[data-state="done"]', { timeout: 20_000 });
      assert.match(await page.textContent('#fn-cost .fn-compare') ?? '', /one inference = 1 · one training run = .+ inferences/);
      await view.screenshot('function-conv-dark');
      assert.deepEqual(view.errors, []);
    } finally {
      await host.close();
      await view.close();
    }
  });
});

describe('Function tab host handlers (validation, trust, the file on disk)', { skip: existsSync(processPath) ? false : 'dist/runtime-process.js is not built' }, () => {
  test('bad params are refused by field; running needs trust; an edit never touches the model file', async () => {
    const { openModel } = await import('../../src/core/formats/index.js');
    const { readFileSync } = await import('node:fs');
    const own = new RuntimeSessions({ processPath });
    const d = tempDir('ui-function-handlers');
    const file = path.join(d, 'mlp.onnx');
    writeFileSync(file, buildMlpModel());
    const bytes = readFileSync(file);
    const model = await openModel(file);
    const handlers = createFunctionHandlers({ sessions: own });
    const ctx = (trusted: boolean) => ({ model, key: file, signal: new AbortController().signal, trusted, provider: 'cpu' as const });
    try {
      await assert.rejects(() => handlers['function.formula']({ nodeId: 99 }, ctx(true)), /'nodeId' must be an integer in \[0, 4\]/);
      await assert.rejects(() => handlers['function.formula']({ nodeId: '0' }, ctx(true)), /'nodeId'/);
      await assert.rejects(() => handlers['function.cost']({ dims: { N: -1 }, datasetSize: 10, epochs: 1, phoneGflops: 1 }, ctx(true)), /'N'/);
      await assert.rejects(() => handlers['function.edit']({ weightId: 0, op: 'explode', params: {} }, ctx(true)), /'op' must be one of/);
      await assert.rejects(() => handlers['function.sweep']({ input: 'x', elementIndex: 0, from: 0, to: 1, steps: 5, outputs: [{ output: 'y', element: 0 }] }, ctx(false)), (e: Error & { code?: string }) => e.code === 'untrusted');
      const f = await handlers['function.formula']({ nodeId: 0 }, ctx(false)) as { text: string };
      assert.match(f.text, /y = x·W \+ b/, 'formulas need no trust');
      const weights = (await import('../../src/core/weight-index.js')).weightList(model).map((t) => t.name);
      const e = await handlers['function.edit']({ weightId: weights.indexOf('fc1.weight'), op: 'prune', params: { percent: 50 } }, ctx(true)) as { changed: number; covered: number; downstream: number[] };
      assert.equal(e.covered, 64);
      assert.equal(e.changed, 32, 'half of the 64 weights pruned');
      assert.deepEqual(e.downstream, [2, 3, 4]);
      assert.deepEqual(readFileSync(file), bytes, 'the model file is unchanged');
      assert.deepEqual(await handlers['function.restore']({}, ctx(true)), { restored: true });
      await assert.rejects(() => handlers['function.save-as']({}, ctx(true)), /no weight is modified/);
    } finally {
      await own.disposeAll();
      await model.close();
    }
  });
});
