// The graph view readable by default, in headless Chromium over the real core: a PaddleOCR-like
// model opens with its Constants folded into the boxes (and the toolbar toggle draws them again), an
// If-heavy model opens with each If closed as one box that says what is inside and opens on a click,
// an IS-Net-like chain is drawn straight. Screenshots, light and dark, go to test-results/graph/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissingReason } from '../support/chromium.js';
import { repoRoot, resultsDir, tempDir } from '../support/paths.js';
import { buildConstantHeavyModel, buildIfHeavyModel, buildLongChainModel, writeFixture } from '../fixtures/onnx/index.js';
import { loadPayload, openGraphPage, showGraph, type GraphPage, type ThemeKind } from './graph-page.js';

const skip = chromiumMissingReason() ?? (existsSync(path.join(repoRoot, 'dist/layout-worker.js')) ? null : 'dist/layout-worker.js not built');
type Payload = Awaited<ReturnType<typeof loadPayload>>;
let gp: GraphPage;
let ocr: Payload, chain: Payload, ifs: Payload;

before(async () => {
  if (skip) return;
  const dir = tempDir('graph-readable-ui');
  ocr = await loadPayload(writeFixture(dir, 'ocr-like.onnx', buildConstantHeavyModel(6)));
  chain = await loadPayload(writeFixture(dir, 'isnet-like.onnx', buildLongChainModel(2)));
  ifs = await loadPayload(writeFixture(dir, 'if-heavy.onnx', buildIfHeavyModel(3, 8)));
  gp = await openGraphPage('dark');
});
after(async () => { await gp?.close(); });

const visible = (page: Page) => page.evaluate(() => Number(document.getElementById('graph')!.dataset.visibleNodes));
const svgOf = (page: Page) => page.evaluate(() => (window as unknown as { __graph: { view: { svg(): string } } }).__graph.view.svg());
const painted = (page: Page) => page.waitForFunction(() => document.getElementById('graph')!.dataset.state === 'painted');

/** Shows `payload` in a page of each theme and saves `<name>-<theme>.png`, after `prepare`. */
async function screenshots(name: string, payload: Payload, prepare?: (page: Page) => Promise<void>) {
  for (const theme of ['light', 'dark'] as ThemeKind[]) {
    const themed = await openGraphPage(theme, { width: 1000, height: 1000 });
    try {
      await showGraph(themed.page, payload);
      await prepare?.(themed.page);
      await themed.page.screenshot({ path: path.join(resultsDir('graph'), `${name}-${theme}.png`) });
    } finally { await themed.close(); }
  }
}

test('PaddleOCR-like: Constants fold into their nodes; the toolbar toggle draws them as nodes again', { skip: skip ?? false }, async () => {
  await showGraph(gp.page, ocr);
  // 6 × (Conv, BatchNorm, HardSwish) + 2 Add + Reshape + Softmax, input, output; 38 Constants and a Cast folded.
  assert.equal(await visible(gp.page), 24);
  const svg = await svgOf(gp.page);
  assert.ok(!svg.includes('>Constant</text>'), 'no Constant box');
  assert.ok(svg.includes('>w_0 ⟨4×1×3×3⟩</text>') && svg.includes('>variance ⟨4⟩</text>'), 'the values are rows of their boxes');
  assert.equal(await gp.page.getAttribute('#graph-show-constants', 'aria-pressed'), 'false');
  await gp.page.click('#graph-show-constants');
  await gp.page.waitForFunction(() => document.getElementById('graph')!.dataset.state === 'painted' && Number(document.getElementById('graph')!.dataset.visibleNodes) > 24);
  assert.equal(await visible(gp.page), ocr.graph.nodes.length + 2);
  assert.equal(await gp.page.getAttribute('#graph-show-constants', 'aria-pressed'), 'true');
  assert.ok((await svgOf(gp.page)).includes('>Constant</text>'));
  await gp.page.click('#graph-show-constants');
  await gp.page.waitForFunction(() => document.getElementById('graph')!.dataset.state === 'painted' && Number(document.getElementById('graph')!.dataset.visibleNodes) === 24);
  // The sidebar lists a BatchNorm's folded parameters as weights, saying where they came from.
  const bn = ocr.graph.nodes.findIndex((n) => n.name === 'p2o.BatchNormalization.2');
  await gp.page.evaluate((id) => (window as unknown as { __graph: { view: { reveal(n: number): void } } }).__graph.view.reveal(id), bn);
  await gp.page.waitForFunction(() => document.getElementById('graph')!.dataset.selected === 'p2o.BatchNormalization.2');
  const rows = await gp.page.$$eval('.graph-sidebar li[data-weight]', (els) => els.map((e) => e.textContent ?? ''));
  assert.equal(rows.length, 4);
  assert.ok(rows[0].includes('bn_2.scale') && rows[0].includes('folded Constant p2o.Constant.14'), rows[0]);
  await screenshots('readable-ocr', ocr);
  await screenshots('readable-ocr-detail', ocr, async (page) => {
    await page.evaluate((id) => (window as unknown as { __graph: { view: { reveal(n: number): void } } }).__graph.view.reveal(id), bn);
    await page.waitForFunction(() => document.getElementById('graph')!.dataset.selected === 'p2o.BatchNormalization.2');
    await page.waitForTimeout(100);
  });
});

test('If-heavy: each If opens closed as one box saying what is inside, and opens on a click', { skip: skip ?? false }, async () => {
  await showGraph(gp.page, ifs);
  assert.equal(await visible(gp.page), 8, 'cond, x, Relu, three If boxes, Sigmoid, y');
  const svg = await svgOf(gp.page);
  assert.ok(svg.includes('>If · 2 branches · 19 nodes</text>') && svg.includes('>If · 2 branches · 13 nodes</text>'), 'the boxes say what is inside');
  // Click the first If box (its centre, from the SVG's rect) and it opens with both branches.
  const box = /<g class="node" data-item="(\d+)"><title>[^<]*If_0<\/title><rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg);
  assert.ok(box, 'the If_0 box is drawn');
  const [wx, wy] = [Number(box[2]) + Number(box[4]) / 2, Number(box[3]) + Number(box[5]) / 2];
  const at = await gp.page.evaluate(([x, y]) => {
    const g = (window as unknown as { __graph: { view: { st: { camera: { s: number; tx: number; ty: number } } } } }).__graph.view;
    const r = document.querySelector('.graph-canvas')!.getBoundingClientRect();
    return [r.left + x * g.st.camera.s + g.st.camera.tx, r.top + y * g.st.camera.s + g.st.camera.ty];
  }, [wx, wy] as const);
  await gp.page.mouse.click(at[0], at[1]);
  await gp.page.waitForFunction(() => Number(document.getElementById('graph')!.dataset.visibleNodes) > 8);
  await painted(gp.page);
  const open = await svgOf(gp.page);
  for (const op of ['then0/Tanh', 'else0/Identity']) assert.ok(open.includes(`<title>${op}</title>`), `${op} is drawn`);
  assert.ok(open.includes('>If · 2 branches · 5 nodes</text>'), 'the nested If stays one box');
  await screenshots('readable-if', ifs);
  await screenshots('readable-if-open', ifs, async (page) => {
    const g = ifs.graph.nodes.findIndex((n) => n.name === 'then0/Tanh');
    await page.evaluate((id) => (window as unknown as { __graph: { view: { reveal(n: number): void } } }).__graph.view.reveal(id), g);
    await page.waitForFunction(() => document.getElementById('graph')!.dataset.selected === 'then0/Tanh');
    await page.click('#graph-fit');
    await page.waitForTimeout(100);
  });
});

test('IS-Net-like: the encoder-decoder chain is drawn as one straight column', { skip: skip ?? false }, async () => {
  await showGraph(gp.page, chain, { settings: { collapseAbove: 1000 } });
  const svg = await svgOf(gp.page);
  const xs = [...svg.matchAll(/<g class="node" data-item="\d+"><title>\/u\d_(?:enc|dec)\d\/conv\/Conv<\/title><rect x="([-\d.]+)" y="[-\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]) + Number(m[2]) / 2);
  assert.equal(xs.length, 14);
  assert.ok(Math.max(...xs) - Math.min(...xs) < 1, `Conv centres spread ${Math.max(...xs) - Math.min(...xs)}`);
  await screenshots('readable-isnet', chain, async (page) => {
    await page.evaluate(() => { const g = (window as unknown as { __graph: { view: { reveal(n: number): void } } }).__graph.view; g.reveal(20); });
    await page.waitForTimeout(200);
  });
});
