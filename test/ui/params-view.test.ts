// The Parameters view in headless Chromium, its requests answered by the extension's own stats
// handlers on the real core: the table lists every tensor with the engine's numbers, clicking a row
// draws its histogram (bar heights and pixels checked), "show in graph" selects the consumer node in
// the graph view, a graph selection filters the table, the value grid pages real values, exports
// produce the table. Screenshots (light and dark) go to test-results/ui/.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { chromiumMissingReason } from '../support/chromium.js';
import { repoRoot, resultsDir, tempDir } from '../support/paths.js';
import { convNetSpec, encodeModel, f32, writeFixture } from '../fixtures/onnx/index.js';
import { computeTensorStats } from '../../src/core/stats/stats-tensor.js';
import { weightList } from '../../src/core/weight-index.js';
import { fmt } from '../../webview/params/format.js';
import { openParamsPage, type ParamsPage } from './params-page.js';

const skip = chromiumMissingReason() ?? (existsSync(path.join(repoRoot, 'dist/layout-worker.js')) ? null : 'dist/layout-worker.js not built (node esbuild.mjs)');

/** The conv net with known weights: conv.weight row 2 all zero (a dead channel), fc.bias all zero. */
function fixtureBytes(): Uint8Array {
  const spec = convNetSpec();
  const conv: number[] = [];
  for (let r = 0; r < 4; r++) for (let i = 0; i < 9; i++) conv.push(r === 2 ? 0 : ((i - 4) * (r + 1)) / 10);
  const fc = Array.from({ length: 640 }, (_, i) => Math.sin(i) * 0.1);
  const raw: Record<string, number[]> = { 'conv.weight': conv, 'conv.bias': [0.5, -0.5, 0, 1], 'fc.weight': fc, 'fc.bias': new Array(10).fill(0) };
  for (const init of spec.graph.initializers ?? []) init.raw = f32(raw[init.name as string]);
  return encodeModel(spec);
}

type Harness = { ctx: { selectNode(id: number, s: string): void }; shown: string[]; selections: { kind: string; id: number | null; source: string }[]; exports: Map<string, () => Promise<{ fileName: string; data: string }>> };

describe('Parameters view (ui)', { skip: skip ?? false }, () => {
  let pp: ParamsPage;
  let file: string;
  before(async () => {
    file = writeFixture(tempDir('params-ui'), 'convnet-known.onnx', fixtureBytes());
    pp = await openParamsPage('dark');
  });
  after(async () => { await pp?.close(); });

  const rowText = (name: string) => pp.page.evaluate((n) => {
    for (const r of document.querySelectorAll<HTMLElement>('.ttable-rows .ttable-row')) {
      if (r.querySelector('.c-name')?.textContent === n) {
        const cell = (k: string) => r.querySelector(`.c-${k}`)?.textContent ?? '';
        return { id: r.dataset.weight, params: cell('params'), min: cell('min'), max: cell('max'), mean: cell('mean'), std: cell('std'), zeros: cell('sparsity'), flags: cell('flags'), spark: r.querySelector('canvas')?.dataset.bins ?? '' };
      }
    }
    return null;
  }, name);

  test('the table lists every tensor with the numbers the engine computed', async () => {
    const { model } = await pp.open(file);
    assert.equal(await pp.page.getAttribute('.ttable', 'data-rows'), '4');
    for (const t of weightList(model)) {
      const s = await computeTensorStats(t, { bins: 16 });
      const row = await rowText(t.name);
      assert.ok(row, `row of ${t.name}`);
      assert.equal(row.params, t.elementCount.toLocaleString('en-US'));
      assert.equal(row.min, fmt(s.min), `${t.name} min`);
      assert.equal(row.max, fmt(s.max), `${t.name} max`);
      assert.equal(row.mean, fmt(s.mean), `${t.name} mean`);
      assert.equal(row.std, fmt(s.std), `${t.name} std`);
      assert.equal(row.spark.split(',').length, 24, 'a sparkline per row');
    }
    // Hand-checked figures of the fixture.
    const conv = (await rowText('conv.weight'))!;
    assert.equal(conv.min, '-1.6');
    assert.equal(conv.max, '1.6');
    assert.equal(conv.zeros, '33.3%'); // row 2 (9) + the centre of rows 0, 1, 3 (3) = 12 of 36
    assert.match(conv.flags, /dead-rows/);
    assert.match((await rowText('fc.bias'))!.flags, /all-zero/);
    assert.equal(await pp.page.textContent('[data-card="parameters"] .card-value'), '690');
    assert.equal(await pp.page.textContent('[data-card="tensors"] .card-value'), '4');
    assert.deepEqual(pp.requests.slice(0, 1), ['params.model']);
  });

  test('clicking a row draws its histogram: bar heights follow the bin counts', async () => {
    const { model } = await pp.open(file);
    await pp.page.click('.ttable-row[data-weight] .c-name >> text=conv.weight');
    await pp.page.waitForFunction(() => document.querySelector('.params-detail')?.getAttribute('data-state') === 'ready');
    const t = weightList(model).find((w) => w.name === 'conv.weight')!;
    const s = await computeTensorStats(t, { bins: 16 });
    const hist = await pp.page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('.params-detail .hist')!;
      const c = el.querySelector('canvas')!;
      return { counts: el.dataset.counts!, heights: el.dataset.barHeights!.split(',').map(Number), w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight };
    });
    assert.equal(hist.counts, s.histogram.counts.join(','));
    const maxC = Math.max(...s.histogram.counts), maxH = Math.max(...hist.heights);
    assert.ok(maxH > 100, `tallest bar is ${maxH}px`);
    s.histogram.counts.forEach((c, i) => assert.ok(Math.abs(hist.heights[i] - (c / maxC) * maxH) <= 0.5, `bin ${i}: ${hist.heights[i]} vs ${c}`));
    // Pixels: the tallest bar's column is painted in the theme's chart blue near the top; an empty bin is not.
    const px = await pp.page.evaluate(({ counts }) => {
      const c = document.querySelector<HTMLCanvasElement>('.params-detail .hist canvas')!;
      const g = c.getContext('2d')!;
      const dpr = c.width / c.clientWidth;
      const n = counts.length, padL = 44, padR = 8, top = 8;
      const pw = c.clientWidth - padL - padR;
      const big = counts.indexOf(Math.max(...counts));
      const at = (bin: number, y: number) => Array.from(g.getImageData(Math.round((padL + ((bin + 0.5) / n) * pw) * dpr), Math.round(y * dpr), 1, 1).data);
      const empty = counts.findIndex((x: number) => x === 0);
      return { tall: at(big, top + 3), empty: empty >= 0 ? at(empty, top + 3) : null, blue: getComputedStyle(c).getPropertyValue('--vscode-charts-blue').trim() };
    }, { counts: s.histogram.counts });
    const hex = px.blue.replace('#', '');
    const rgb = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
    rgb.forEach((v, i) => assert.ok(Math.abs(px.tall[i] - v) <= 2, `tall bar pixel ${px.tall} is ${px.blue}`));
    if (px.empty) assert.equal(px.empty[3], 0, 'no paint above an empty bin');
    // Hover names the bin's range and count.
    const box = (await pp.page.locator('.params-detail .hist canvas').boundingBox())!;
    const big = s.histogram.counts.indexOf(maxC);
    await pp.page.mouse.move(box.x + 44 + ((big + 0.5) / 16) * (box.width - 52), box.y + box.height / 2);
    const tip = await pp.page.textContent('.params-detail .hist-tip');
    assert.equal(tip, `[${fmt(s.histogram.edges[big])}, ${fmt(s.histogram.edges[big + 1])}${big === 15 ? ']' : ')'}: ${maxC}`);
    // Log y keeps the order of heights but lifts small bins.
    await pp.page.check('#ml-params-log');
    const logH = await pp.page.evaluate(() => document.querySelector<HTMLElement>('.params-detail .hist')!.dataset.barHeights!.split(',').map(Number));
    const small = s.histogram.counts.findIndex((c) => c > 0 && c < maxC);
    if (small >= 0) assert.ok(logH[small] / Math.max(...logH) > hist.heights[small] / maxH, 'log scale lifts a small bin');
    await pp.page.uncheck('#ml-params-log');
    // Channels: 4 output channels, the dead one at 0…0.
    await pp.page.waitForSelector('.channels[data-rows="4"]');
    assert.match((await pp.page.textContent('.channel-caption'))!, /^4 channels · range -1\.6 … 1\.6/);
    // Values: the first page starts at [0,0,0,0] with -0.4.
    await pp.page.waitForSelector('.value-grid[data-offset="0"] td');
    assert.equal(await pp.page.textContent('.value-grid tr:first-child th'), '[0,0,0,0]');
    assert.equal(await pp.page.textContent('.value-grid tr:first-child td'), '-0.4');
  });

  test('"show in graph" selects the consumer node in the graph view; a graph selection filters the table', async () => {
    await pp.open(file);
    await pp.page.click('.ttable-row .c-name >> text=fc.weight');
    await pp.page.waitForSelector('.params-detail .show-in-graph');
    await pp.page.click('.params-detail .show-in-graph');
    const h = () => pp.page.evaluate(() => { const p = (window as unknown as { __params: Harness }).__params; return { shown: p.shown, selections: p.selections }; });
    const r = await h();
    assert.deepEqual(r.shown, ['graph']);
    // The first node selection is ours (the graph view may echo it with source 'graph' once it shows).
    assert.deepEqual(r.selections.find((s) => s.kind === 'node'), { kind: 'node', id: 4, source: 'params' }); // node 4 is the Gemm 'fc'
    await pp.page.waitForFunction(() => document.getElementById('graph')?.dataset.selected === 'fc', undefined, { timeout: 30000 });
    // Back: selecting the Conv node in the graph shows its two weights here, the first in the detail.
    await pp.page.evaluate(() => { const p = (window as unknown as { __params: Harness & { show(t: string): void } }).__params; p.show('params'); p.ctx.selectNode(0, 'graph'); });
    await pp.page.waitForFunction(() => document.querySelector('.ttable')?.getAttribute('data-rows') === '2');
    const names = await pp.page.$$eval('.ttable-rows .c-name', (els) => els.map((e) => e.textContent).sort());
    assert.deepEqual(names, ['conv.bias', 'conv.weight']);
    assert.match((await pp.page.textContent('.node-chip'))!, /weights of conv/);
    assert.equal(await pp.page.textContent('.params-detail h2'), 'conv.weight');
  });

  test('export: the stats table as CSV through the Export… hook; keyboard moves the selection', async () => {
    await pp.open(file);
    const csv = await pp.page.evaluate(async () => (await (window as unknown as { __params: Harness }).__params.exports.get('stats-csv')!()));
    assert.equal(csv.fileName, 'convnet-known-stats.csv');
    const lines = csv.data.trim().split('\n');
    assert.equal(lines.length, 5);
    assert.ok(lines.some((l) => l.startsWith('conv.weight,float32,[4x1x3x3],36,144,')));
    await pp.page.focus('.ttable-scroll');
    await pp.page.keyboard.press('Home');
    await pp.page.keyboard.press('ArrowDown');
    // Sorted by bytes, largest first: fc.weight (2560 B), conv.weight (144 B)…
    await pp.page.waitForFunction(() => document.querySelector('.params-detail h2')?.textContent === 'conv.weight');
    assert.equal(await pp.page.getAttribute('.ttable-row[aria-selected="true"]', 'data-weight'), await pp.page.getAttribute('.ttable-row .c-name >> text=conv.weight >> xpath=..', 'data-weight'));
  });

  test('10k+ tensors: the table keeps a few dozen rows in the DOM, scrolls to the last one; the pass reports progress and cancels', async (t) => {
    const gen = path.resolve(repoRoot, '../shared/bench/gen-onnx.mjs');
    if (!existsSync(gen)) return t.skip('../shared/bench/gen-onnx.mjs is absent');
    const big = path.join(tempDir('params-big'), 't10k.onnx');
    execFileSync(process.execPath, [gen, 'transformer', '--layers', '700', '--hidden', '8', '--out', big]);
    // The pass here takes about half a second, too quick to catch; held open, it stays cancellable.
    const { model } = await pp.open(big, {}, false, true);
    const total = weightList(model).length;
    assert.ok(total > 10000, `${total} weights`);
    assert.equal(await pp.page.getAttribute('.ttable', 'data-rows'), String(total));
    const domRows = () => pp.page.$$eval('.ttable-rows .ttable-row', (els) => els.length);
    assert.ok(await domRows() < 80, `${await domRows()} rows in the DOM`);
    await pp.page.evaluate(() => { const s = document.querySelector('.ttable-scroll')!; s.scrollTop = s.scrollHeight; });
    await pp.page.waitForFunction((n) => !!document.querySelector(`.ttable-row[aria-rowindex="${n}"]`), total);
    assert.ok(await domRows() < 80);
    // Rows fill in as their tensors finish, before the pass answers; the summary waits for the result.
    await pp.page.evaluate(() => { document.querySelector('.ttable-scroll')!.scrollTop = 0; });
    await pp.page.waitForFunction((n) => Number(document.querySelector('.ttable')?.getAttribute('data-filled')) === n, total, { timeout: 60000 });
    await pp.page.waitForFunction(() => [...document.querySelectorAll('.ttable-rows .ttable-row .c-min')].some((c) => /\d/.test(c.textContent ?? '')));
    assert.equal(await pp.page.getAttribute('#params', 'data-stats'), 'running');
    const firstRow = await pp.page.$eval('.ttable-rows .ttable-row', (r) => ({ min: r.querySelector('.c-min')!.textContent, bins: r.querySelector('canvas')?.dataset.bins ?? '' }));
    assert.match(firstRow.min!, /\d/, 'the first row shows its minimum while the pass is still open');
    assert.equal(firstRow.bins.split(',').length, 24, 'and its sparkline');
    assert.match((await pp.page.textContent('.params-summary .cards'))!, /…/, 'the Flags card still waits for the result');
    // Progress arrives while the pass runs; Cancel stops it.
    await pp.page.waitForFunction(() => Number(document.querySelector('.params-progress')?.getAttribute('aria-valuenow')) > 0, undefined, { timeout: 60000 });
    assert.match((await pp.page.textContent('.params-status'))!, /Computing statistics… \d+ of \d+ tensors/);
    await pp.page.click('.params-toolbar button:has-text("Cancel")');
    await pp.page.waitForFunction(() => document.getElementById('params')?.dataset.stats === 'cancelled');
    assert.equal(await pp.page.textContent('.params-status'), 'Statistics cancelled.');
    assert.equal(await pp.page.isVisible('.params-toolbar button:has-text("Compute statistics")'), true);
  });

  test('screenshots in light, dark and high contrast', async () => {
    await pp.open(file);
    await pp.page.click('.ttable-row .c-name >> text=conv.weight');
    await pp.page.waitForFunction(() => document.querySelector('.params-detail')?.getAttribute('data-state') === 'ready');
    await pp.page.waitForSelector('.channels[data-rows="4"]');
    await pp.page.screenshot({ path: path.join(resultsDir('ui'), 'params-dark.png') });
    await pp.setTheme('light');
    await pp.page.waitForTimeout(100);
    await pp.page.screenshot({ path: path.join(resultsDir('ui'), 'params-light.png') });
    const bg = await pp.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, 'rgb(31, 31, 31)');
    await pp.setTheme('high-contrast');
    await pp.page.waitForTimeout(100);
    await pp.page.screenshot({ path: path.join(resultsDir('ui'), 'params-high-contrast.png') });
    await pp.setTheme('dark');
  });
});
