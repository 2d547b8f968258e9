// The graph view in headless Chromium, fed by the real core: a fixture shows its nodes, find selects
// the right node, opening a group reveals its children, the sidebar shows attributes and shapes,
// SVG export holds every drawn node, inferred shapes match the generator's. Screenshots (light and
// dark) go to test-results/graph/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { chromiumMissingReason } from '../support/chromium.js';
import { repoRoot, resultsDir, tempDir } from '../support/paths.js';
import { buildConvNetModel, writeFixture } from '../fixtures/onnx/index.js';
import { loadPayload, openGraphPage, showGraph, type GraphPage } from './graph-page.js';

const skip = chromiumMissingReason() ?? (existsSync(path.join(repoRoot, 'dist/layout-worker.js')) ? null : 'dist/layout-worker.js not built');
let gp: GraphPage;
let convnet: Awaited<ReturnType<typeof loadPayload>>;
let transformer: Awaited<ReturnType<typeof loadPayload>> | null = null;

before(async () => {
  if (skip) return;
  const dir = tempDir('graph-ui');
  convnet = await loadPayload(writeFixture(dir, 'convnet.onnx', buildConvNetModel()));
  const gen = path.resolve(repoRoot, '../shared/bench/gen-onnx.mjs');
  if (existsSync(gen)) {
    const file = path.join(dir, 'transformer.onnx');
    execFileSync(process.execPath, [gen, 'transformer', '--layers', '4', '--hidden', '32', '--out', file]);
    transformer = await loadPayload(file);
  }
  gp = await openGraphPage('dark');
});
after(async () => { await gp?.close(); });

const attr = (name: string) => gp.page.evaluate((n) => document.getElementById('graph')!.getAttribute(n), name);

/**
 * Opens the graph page in `theme`, shows the conv net, selects node `item` (named `selected`),
 * screenshots it as test-results/graph/`file`, runs `more` on that page and closes it.
 */
async function themedScreenshot(theme: Parameters<typeof openGraphPage>[0], item: number, selected: string, file: string, more?: (page: GraphPage['page']) => Promise<void>) {
  const themed = await openGraphPage(theme);
  try {
    await showGraph(themed.page, convnet);
    await themed.page.evaluate((n) => (window as unknown as { __graph: { view: { reveal(n: number): void } } }).__graph.view.reveal(n), item);
    await themed.page.waitForFunction((name) => document.getElementById('graph')!.dataset.selected === name, selected);
    await themed.page.screenshot({ path: path.join(resultsDir('graph'), file) });
    await more?.(themed.page);
  } finally { await themed.close(); }
}

test('the conv net fixture shows all its nodes, inputs and outputs', { skip: skip ?? false }, async () => {
  await showGraph(gp.page, convnet);
  assert.equal(await attr('data-state'), 'painted');
  // 6 nodes + input x + output y.
  assert.equal(await attr('data-visible-nodes'), '8');
  await gp.page.screenshot({ path: path.join(resultsDir('graph'), 'convnet-dark.png') });
  // The first painted frame reports the view's phases (the host writes them to the output channel).
  const phases = await gp.page.evaluate(() => (window as unknown as { paintPhases?: Record<string, number> }).paintPhases);
  assert.deepEqual(Object.keys(phases ?? {}).sort(), ['drawMs', 'graphModelMs', 'layoutMs']);
  for (const [k, v] of Object.entries(phases!)) assert.ok(Number.isFinite(v) && v >= 0, `${k} = ${v}`);
  assert.ok(phases!.layoutMs > 0, 'the layout took some time');
});

test('SVG export contains every drawn node with its op type', { skip: skip ?? false }, async () => {
  await showGraph(gp.page, convnet);
  const svg = await gp.page.evaluate(() => (window as unknown as { __graph: { view: { svg(): string } } }).__graph.view.svg());
  const nodes = svg.match(/<g class="node"/g) ?? [];
  assert.equal(nodes.length, Number(await attr('data-visible-nodes')));
  for (const op of ['Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Softmax', 'input', 'output']) assert.ok(svg.includes(`>${op}</text>`), op);
  assert.ok(svg.includes('kernel 3×3'), 'key attributes are on the box');
  assert.ok(svg.includes('weight ⟨4×1×3×3⟩'), 'weight shapes are inside the node');
  const png = await gp.page.evaluate(async () => new Uint8Array(await (window as unknown as { __graph: { view: { png(): Promise<ArrayBuffer> } } }).__graph.view.png()).slice(0, 8).join(','));
  assert.equal(png, '137,80,78,71,13,10,26,10');
});

test('find (Ctrl+F) selects the matching node; the sidebar shows its attributes and shapes', { skip: skip ?? false }, async () => {
  await showGraph(gp.page, convnet);
  await gp.page.click('.graph-canvas');
  await gp.page.keyboard.press('Control+f');
  await gp.page.keyboard.type('pool');
  await gp.page.waitForSelector('.graph-find-results li');
  await gp.page.keyboard.press('Enter');
  await gp.page.waitForFunction(() => document.getElementById('graph')!.dataset.selected === 'pool');
  const side = await gp.page.textContent('.graph-sidebar');
  assert.ok(side!.includes('MaxPool'));
  assert.equal(await gp.page.textContent('.graph-sidebar dd[data-attr="kernel_shape"] code'), '[2, 2]');
  assert.equal(await gp.page.textContent('.graph-sidebar dd[data-attr="strides"] code'), '[2, 2]');
  // Output shape came from shape inference and says so.
  const out = await gp.page.textContent('.graph-sidebar section:last-of-type li .type');
  assert.equal(out, 'float32 [1, 4, 4, 4] inferred');
  assert.ok(side!.includes('from') && side!.includes('relu'), 'link to the producer');
  // The regex form finds both Gemm and Conv by op type.
  await gp.page.fill('#graph-find-input', '^(Gemm|Conv)$');
  await gp.page.check('#graph-find-regex');
  await gp.page.waitForFunction(() => document.querySelectorAll('.graph-find-results li').length === 2);
  await gp.page.keyboard.press('Escape');
  // Arrow down from the selection walks to a consumer.
  await gp.page.evaluate(() => (window as unknown as { __graph: { view: { reveal(n: number): void } } }).__graph.view.reveal(0));
  await gp.page.waitForFunction(() => document.getElementById('graph')!.dataset.selected === 'conv');
  await gp.page.focus('.graph-canvas');
  await gp.page.keyboard.press('ArrowDown');
  await gp.page.waitForFunction(() => document.getElementById('graph')!.dataset.selected === 'relu');
  await gp.page.screenshot({ path: path.join(resultsDir('graph'), 'convnet-sidebar-dark.png') });
});

test('weights show shape and bytes, and mini stats when the stats request answers', { skip: skip ?? false }, async () => {
  const stats = { 0: { stats: { min: -0.5, max: 0.5, mean: 0.01, std: 0.2, sparsity: 0, histogram: { edges: [0, 1, 2, 3], counts: [1, 5, 2] } } } };
  await showGraph(gp.page, convnet, { stats });
  await gp.page.evaluate(() => (window as unknown as { __graph: { view: { reveal(n: number): void } } }).__graph.view.reveal(0));
  await gp.page.waitForSelector('.graph-sidebar .mini-stats span');
  const w = await gp.page.textContent('.graph-sidebar li[data-weight="0"]');
  assert.ok(w!.includes('float32 [4, 1, 3, 3] · 36 values · 144 B'), w!);
  assert.ok(w!.includes('min -0.5') && w!.includes('std 0.2'), w!);
  assert.ok(await gp.page.$('li[data-weight="1"] .sparkline') === null, 'no stats, no sparkline for a weight the engine did not answer');
});

test('a big model opens collapsed; opening a group reveals its children; inferred shapes match', { skip: skip ?? false }, async (t) => {
  if (!transformer) { t.skip('../shared/bench/gen-onnx.mjs is absent'); return; }
  await showGraph(gp.page, transformer, { settings: { collapseAbove: 20 } });
  const closed = Number(await attr('data-visible-nodes'));
  assert.ok(closed <= 20, `opens as an overview (${closed} boxes)`);
  const softmax = transformer.graph.nodes.findIndex((n) => n.name === '/model/layers.2/attn/Softmax');
  await gp.page.evaluate((id) => (window as unknown as { __graph: { view: { reveal(n: number): void } } }).__graph.view.reveal(id), softmax);
  await gp.page.waitForFunction(() => document.getElementById('graph')!.dataset.selected === '/model/layers.2/attn/Softmax');
  const opened = Number(await attr('data-visible-nodes'));
  assert.ok(opened > closed, `${opened} > ${closed}`);
  let svg = await gp.page.evaluate(() => (window as unknown as { __graph: { view: { svg(): string } } }).__graph.view.svg());
  assert.ok(svg.includes('/model/layers.2/attn/Softmax'), 'the revealed node is drawn');
  // Backspace closes the selection's group, Enter opens it again.
  await gp.page.focus('.graph-canvas');
  await gp.page.keyboard.press('Backspace');
  await gp.page.waitForFunction((n) => Number(document.getElementById('graph')!.dataset.visibleNodes) < n, opened);
  await gp.page.keyboard.press('Enter');
  await gp.page.waitForFunction((n) => Number(document.getElementById('graph')!.dataset.visibleNodes) === n, opened);
  svg = await gp.page.evaluate(() => (window as unknown as { __graph: { view: { svg(): string } } }).__graph.view.svg());
  assert.ok(svg.includes('/model/layers.2/attn/Softmax'));
  // The scores MatMul's output: [batch, heads 4, seq, seq], inferred (the file stores no value_info).
  const matmul = transformer.graph.nodes.findIndex((n) => n.name === '/model/layers.2/attn/scores/MatMul');
  await gp.page.evaluate((id) => (window as unknown as { __graph: { view: { reveal(n: number): void } } }).__graph.view.reveal(id), matmul);
  await gp.page.waitForFunction(() => document.getElementById('graph')!.dataset.selected === '/model/layers.2/attn/scores/MatMul');
  const types = await gp.page.$$eval('.graph-sidebar ul.values .type', (els) => els.map((e) => e.textContent));
  assert.deepEqual(types, ['float32 [batch, 4, seq, 8] inferred', 'float32 [batch, 4, 8, seq] inferred', 'float32 [batch, 4, seq, seq] inferred']);
  await gp.page.screenshot({ path: path.join(resultsDir('graph'), 'transformer-dark.png') });
});

test('an overlay colours nodes and shows its legend', { skip: skip ?? false }, async () => {
  await showGraph(gp.page, convnet);
  await gp.page.evaluate(() => {
    const g = (window as unknown as { __graph: { ctx: { setNodeOverlay(o: unknown): void } } }).__graph;
    g.ctx.setNodeOverlay({ values: Float32Array.from([0, 1, 2, 3, 4, 5]), legend: { title: 'Mean activation', min: 0, max: 5, scale: 'sequential' } });
  });
  await gp.page.waitForSelector('.graph-legend:not([hidden])');
  assert.equal(await gp.page.textContent('.legend-title'), 'Mean activation');
  const svg = await gp.page.evaluate(() => (window as unknown as { __graph: { view: { svg(): string } } }).__graph.view.svg());
  const fills = new Set([...svg.matchAll(/<g class="node" data-item="(\d)"><title>[^<]*<\/title><rect [^>]*fill="([^"]+)"/g)].map((m) => m[2]));
  assert.ok(fills.size >= 6, `six different node colours, got ${[...fills].join(' ')}`);
});

test('light theme screenshot', { skip: skip ?? false }, async () => {
  await themedScreenshot('light', 2, 'pool', 'convnet-light.png', async (page) => {
    if (transformer) {
      await showGraph(page, transformer, { settings: { collapseAbove: 60 } });
      await page.screenshot({ path: path.join(resultsDir('graph'), 'transformer-light.png') });
    }
  });
});

test('the direction button lays the graph out left to right', { skip: skip ?? false }, async () => {
  await showGraph(gp.page, convnet);
  const pos = () => gp.page.evaluate(() => {
    const svg = (window as unknown as { __graph: { view: { svg(): string } } }).__graph.view.svg();
    const at = (item: number) => { const m = new RegExp(`data-item="${item}"><title>[^<]*</title><rect x="([-\\d.]+)" y="([-\\d.]+)"`).exec(svg)!; return [Number(m[1]), Number(m[2])]; };
    return { conv: at(0), relu: at(1) };
  });
  const tb = await pos();
  assert.ok(tb.relu[1] > tb.conv[1], 'top to bottom first');
  const before = await attr('data-layout-ms');
  await gp.page.click('#graph-direction');
  await gp.page.waitForFunction((b) => document.getElementById('graph')!.dataset.layoutMs !== b, before);
  await gp.page.waitForTimeout(100);
  const lr = await pos();
  assert.ok(lr.relu[0] > lr.conv[0], 'then left to right');
  await gp.page.screenshot({ path: path.join(resultsDir('graph'), 'convnet-lr-dark.png') });
});

test('high-contrast screenshot', { skip: skip ?? false }, async () => {
  await themedScreenshot('high-contrast', 4, 'fc', 'convnet-hc.png');
});
