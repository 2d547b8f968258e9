// ui surface: the compare panel in headless Chromium over the REAL compare handlers and engine (a
// real onnxruntime process for the run), on the engine's float32 / int8 fixture pair (per-channel
// int8 weights behind DequantizeLinear, a Q/DQ pair on relu1's output). What a user sees: both graphs painted and coloured by status with per-side legends,
// the counts and the weight summary, the list of differences; choosing an entry selects and centres
// the node on both sides and overlays the weight's two histograms; Run both names conv1 as the first
// divergence and shows the outputs with top-1 agreement. Screenshots in light and dark.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createCompareHandlers } from '../../src/features/compare/handlers.js';
import { buildConvBnModel, buildQuantizedConvBnModel } from '../fixtures/onnx/index.js';
import { chromiumMissingReason, launchChromium } from '../support/chromium.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { CompareTestHost } from '../support/test-host.js';
import { openWebviewPage, stopWebviewServer } from '../support/webview-harness.js';

const missing = chromiumMissingReason();
const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
let browser: Browser;
let fileA: string, fileB: string;

/** Share of pixels in a box around the centre of a side's canvas within 10 levels of the class colour the legend shows for `label`. */
async function centreShare(page: Page, side: 'a' | 'b', label: string): Promise<number> {
  return page.evaluate(([side, label]) => {
    const sw = document.querySelector<HTMLElement>(`#compare-side-${side} .legend-class[data-class="${label}"] .legend-swatch`);
    const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(sw?.style.background ?? '');
    if (!m) return -1;
    const want = [Number(m[1]), Number(m[2]), Number(m[3])];
    const canvas = document.querySelector<HTMLCanvasElement>(`#compare-side-${side} canvas.graph-canvas`)!;
    const d = canvas.getContext('2d')!.getImageData(canvas.width / 2 - 20, canvas.height / 2 - 4, 40, 8).data;
    let hit = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - want[0]) <= 10 && Math.abs(d[i + 1] - want[1]) <= 10 && Math.abs(d[i + 2] - want[2]) <= 10) hit++;
    return hit / (d.length / 4);
  }, [side, label] as const);
}

describe('Compare panel (ui)', { skip: missing ?? (existsSync(processPath) ? false : 'dist/runtime-process.js is not built') }, () => {
  before(async () => {
    browser = await launchChromium();
    const dir = tempDir('ui-compare');
    fileA = path.join(dir, 'net.onnx');
    fileB = path.join(dir, 'net-int8.onnx');
    writeFileSync(fileA, buildConvBnModel());
    writeFileSync(fileB, buildQuantizedConvBnModel());
  });
  after(async () => {
    await browser?.close();
    await stopWebviewServer();
  });

  for (const theme of ['dark', 'light'] as const) {
    test(`float32 vs int8 (${theme}): statuses, differences, linked selection, histograms, run`, async () => {
      const view = await openWebviewPage(browser, { theme, bundle: 'compare', viewport: { width: 1400, height: 820 } });
      const host = new CompareTestHost(view, fileA, fileB, createCompareHandlers());
      const page = view.page;
      try {
        await page.waitForSelector('#compare[data-state="ready"]', { timeout: 30_000 });
        await page.waitForSelector('#compare-side-a[data-painted="true"]', { timeout: 30_000 });
        await page.waitForSelector('#compare-side-b[data-painted="true"]', { timeout: 30_000 });
        // Counts: all 9 float nodes matched, the 5 Q/DQ nodes added; int8 weights within rounding leave the nodes unchanged.
        const counts: Record<string, string | undefined> = await page.$eval('#compare-counts', (e) => ({ ...(e as HTMLElement).dataset, text: e.textContent ?? '' }));
        assert.equal(counts.matched, '9', counts.text ?? '');
        assert.equal(counts.added, '5');
        assert.equal(counts.removed, '0');
        assert.match(counts.text!, /^9 matched · 5 added · 0 removed · 0 with weights changed beyond rounding \(3 weight tensors differ only by rounding\) · 0 with changed attributes$/);
        // Each side's legend names the statuses with their counts.
        const legend = (side: string) => page.$$eval(`#compare-side-${side} .legend-class`, (rows) => rows.map((r) => r.textContent));
        assert.deepEqual(await legend('a'), ['unchanged (9)', 'changed attributes (0)', 'weights beyond rounding (0)', 'removed (not in B) (0)']);
        assert.deepEqual(await legend('b'), ['unchanged (9)', 'changed attributes (0)', 'weights beyond rounding (0)', 'added (not in A) (5)']);
        assert.match(await page.textContent('#compare-weight-summary') ?? '', /3 tensors float32 → int8, max relative error 3\.9e-3/);
        // The list: 3 weight changes with their numbers, 5 added nodes.
        const items = await page.$$eval('#compare-list .compare-item', (els) => els.map((e) => ({ kind: (e as HTMLElement).dataset.kind, a: (e as HTMLElement).dataset.nodeA, b: (e as HTMLElement).dataset.nodeB, text: e.textContent })));
        assert.deepEqual(items.filter((i) => i.kind === 'weights').map((i) => i.a), ['conv1', 'conv2', 'fc']);
        assert.equal(items.filter((i) => i.kind === 'added').length, 5);
        const conv2 = items.find((i) => i.a === 'conv2')!;
        assert.match(conv2.text!, /float32 → int8 · max abs [\d.e-]+ · max rel [\d.e-]+ · cos 0\.\d{5} · SQNR 4\d\.\d dB/);

        // Choosing conv2's entry selects it on both sides and centres it: the centre of each canvas is
        // painted in the "unchanged" colour of its legend.
        await page.click('#compare-list .compare-item[data-node-a="conv2"]');
        await page.waitForFunction(() => document.querySelector<HTMLElement>('#compare-side-a')?.dataset.selected === 'conv2' && document.querySelector<HTMLElement>('#compare-side-b')?.dataset.selected === 'conv2');
        await page.waitForTimeout(300);
        assert.ok(await centreShare(page, 'a', 'unchanged') > 0.3, 'A centres conv2');
        assert.ok(await centreShare(page, 'b', 'unchanged') > 0.3, 'B centres conv2');
        assert.equal(await page.getAttribute('#compare-list .compare-item[data-node-a="conv2"]', 'aria-current'), 'true');
        // The weight detail overlays both histograms on one set of bins.
        await page.waitForSelector('#compare-detail .compare-hist[data-weight="conv2.weight"] svg path.hist-b', { timeout: 10_000 });
        assert.equal(await page.$$eval('#compare-detail .compare-histogram path', (p) => p.length), 2);
        // An added QuantizeLinear node: B only, centred in the "added" colour.
        await page.click('#compare-list .compare-item[data-node-b="relu1_out_QuantizeLinear"]');
        await page.waitForFunction(() => document.querySelector<HTMLElement>('#compare-side-b')?.dataset.selected === 'relu1_out_QuantizeLinear');
        await page.waitForTimeout(300);
        assert.ok(await centreShare(page, 'b', 'added (not in A)') > 0.3, 'B centres the added node');
        await page.click('#compare-list .compare-item[data-node-a="conv1"]');
        await page.waitForSelector('#compare-detail .compare-hist[data-weight="conv1.weight"]', { timeout: 10_000 });
        await view.screenshot(`compare-${theme}`);

        // Run both: conv1 is named as the first divergence; the graphs turn to SQNR classes.
        await page.click('#compare-run');
        await page.waitForSelector('.compare-run[data-state="done"], .compare-run[data-state="error"]', { timeout: 60_000 });
        assert.equal(await page.getAttribute('.compare-run', 'data-state'), 'done', await page.textContent('#compare-run-result') ?? '');
        assert.match(await page.textContent('#compare-first-divergence') ?? '', /^First divergence: conv1 — conv1_out differs beyond float rounding \(SQNR 5\d\.\d dB\)$/);
        assert.equal(await page.getAttribute('#compare-side-a', 'data-coloured-by'), 'divergence');
        const divLegend = await legend('a');
        assert.equal(divLegend.length, 3);
        assert.match(divLegend[0]!, /^close \(≥ 40 dB\) \([1-9]\)$/);
        assert.match(divLegend[2]!, /^diverged \(< 30 dB\) \([1-9]\)$/);
        assert.equal(await page.textContent('#compare-outputs tr[data-output="probs"] .top1'), '100 %');
        // conv2, after the activation Q/DQ, is centred in the "diverged" colour on both sides.
        await page.click('#compare-list .compare-item[data-node-a="conv2"]');
        await page.waitForTimeout(300);
        assert.ok(await centreShare(page, 'a', 'diverged (< 30 dB)') > 0.3, 'A shows conv2 diverged');
        assert.ok(await centreShare(page, 'b', 'diverged (< 30 dB)') > 0.3, 'B shows conv2 diverged');
        await page.click('#compare-goto-divergence');
        await page.waitForFunction(() => document.querySelector<HTMLElement>('#compare-side-a')?.dataset.selected === 'conv1');
        await page.waitForTimeout(300);
        assert.ok(await centreShare(page, 'a', 'close (≥ 40 dB)') > 0.3, 'A centres conv1, close');
        const shot = await view.screenshot(`compare-run-${theme}`);
        const docs = path.join(repoRoot, 'media', 'screenshots');
        if (process.env.UPDATE_SCREENSHOTS) { mkdirSync(docs, { recursive: true }); copyFileSync(shot, path.join(docs, `compare-${theme}.png`)); }
        assert.deepEqual(view.errors, []);
        assert.ok(host.requests.includes('compare.report') && host.requests.includes('compare.histograms') && host.requests.includes('compare.run'));
      } finally {
        await host.close();
        await view.close();
      }
    });
  }
});
