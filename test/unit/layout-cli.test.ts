// `model-lens layout`, run as a user runs it (dist/cli.js): the --json contract (edge ends on their
// boxes' borders, no box overlapping another, groups around their content, chains on one line), what
// --expand none/default/all draw on If models, and that the default drawing is the one the webview's
// own layout worker (the shipped dist/layout-worker.js bundle, in a worker thread) computes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { openModel } from '../../src/core/formats/index.js';
import { describeModelForView } from '../../src/core/model-view.js';
import { buildGraphModel } from '../../src/core/layout/graph-model.js';
import { DEFAULT_COLLAPSE_ABOVE, layoutInit, openingBudget } from '../../src/core/layout/layout-session.js';
import type { LayoutDocument } from '../../src/core/layout/layout-document.js';
import { workerInit, type FromWorker, type HierarchyMessage, type SceneMessage, type ToWorker } from '../../webview/graph/worker-protocol.js';
import { buildIfHeavyModel, buildIfModel, buildLongChainModel, buildConvNetModel, withTempDir, writeFixture } from '../fixtures/onnx/index.js';
import { repoRoot } from '../support/paths.js';

const cli = path.join(repoRoot, 'dist/cli.js');
const workerBundle = path.join(repoRoot, 'dist/layout-worker.js');
const silero = path.join(repoRoot, '../shared/models/onnx/silero-vad-github/silero_vad_16k_op15.onnx');
const sileroSkip = existsSync(silero) ? false : 'Silero VAD not in ../shared/models';

function layout(file: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'layout', file, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function layoutJson(file: string, ...args: string[]): LayoutDocument {
  const r = layout(file, '--json', ...args);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as LayoutDocument;
}

type Box = { id: number; x: number; y: number; width: number; height: number; parent: number };
const EPS = 0.6;

/** Every violation of the contract in a drawing (empty: kept). */
function contractViolations(doc: LayoutDocument): string[] {
  const bad: string[] = [];
  const boxes = new Map<number, Box & { open: boolean }>();
  for (const n of doc.nodes) boxes.set(n.id, { ...n, open: false });
  for (const g of doc.groups) boxes.set(g.id, { ...g, open: !g.collapsed });
  const onBorder = (b: Box, [x, y]: [number, number]) => {
    const d = Math.max(Math.abs(x - b.x) - b.width / 2, Math.abs(y - b.y) - b.height / 2);
    return Math.abs(d) < EPS;
  };
  for (const e of doc.edges) {
    const a = boxes.get(e.from), b = boxes.get(e.to);
    if (!a || !b) { bad.push(`edge ${e.from} → ${e.to} names a box that is not drawn`); continue; }
    if (a.open || b.open) bad.push(`edge ${e.from} → ${e.to} ends on an open group's frame`);
    if (!onBorder(a, e.points[0])) bad.push(`edge ${e.from} → ${e.to} starts at ${e.points[0]}, off its source's border`);
    if (!onBorder(b, e.points[e.points.length - 1])) bad.push(`edge ${e.from} → ${e.to} ends at ${e.points[e.points.length - 1]}, off its target's border`);
  }
  const ancestors = (id: number) => { const s = new Set<number>(); for (let p = boxes.get(id)!.parent; p >= 0; p = boxes.get(p)?.parent ?? -1) s.add(p); return s; };
  const all = [...boxes.values()];
  for (const b of all) {
    if (b.parent < 0) continue;
    const p = boxes.get(b.parent);
    if (!p || !p.open) { bad.push(`box ${b.id}'s group ${b.parent} is not drawn open`); continue; }
    const inside = b.x - b.width / 2 >= p.x - p.width / 2 - EPS && b.x + b.width / 2 <= p.x + p.width / 2 + EPS
      && b.y - b.height / 2 >= p.y - p.height / 2 - EPS && b.y + b.height / 2 <= p.y + p.height / 2 + EPS;
    if (!inside) bad.push(`box ${b.id} sticks out of its group ${b.parent}`);
  }
  for (let i = 0; i < all.length; i++) {
    const up = ancestors(all[i].id);
    for (let j = i + 1; j < all.length; j++) {
      if (up.has(all[j].id) || ancestors(all[j].id).has(all[i].id)) continue;
      const dx = Math.abs(all[i].x - all[j].x) - (all[i].width + all[j].width) / 2;
      const dy = Math.abs(all[i].y - all[j].y) - (all[i].height + all[j].height) / 2;
      if (dx < -EPS && dy < -EPS) bad.push(`boxes ${all[i].id} and ${all[j].id} overlap`);
    }
  }
  // Chains: one edge out of a, one into b, both plain nodes in one group: one vertical line (TB).
  const outs = new Map<number, number>(), ins = new Map<number, number>();
  for (const e of doc.edges) { outs.set(e.from, (outs.get(e.from) ?? 0) + 1); ins.set(e.to, (ins.get(e.to) ?? 0) + 1); }
  const plain = new Set(doc.nodes.filter((n) => n.op !== 'input' && n.op !== 'output').map((n) => n.id));
  for (const e of doc.edges) {
    const a = boxes.get(e.from)!, b = boxes.get(e.to)!;
    if (outs.get(e.from) !== 1 || ins.get(e.to) !== 1 || !plain.has(a.id) || !plain.has(b.id) || a.parent !== b.parent) continue;
    if (Math.abs(a.x - b.x) > 1) bad.push(`chain ${a.id} → ${b.id} is ${Math.abs(a.x - b.x).toFixed(1)} off vertical`);
  }
  return bad;
}

const drawnCount = (doc: LayoutDocument) => doc.nodes.length + doc.groups.filter((g) => g.collapsed).length;

test('layout --json keeps the contract on If, chain and conv fixtures, at every expansion', () => {
  withTempDir('layout-cli', (dir) => {
    const files = [
      writeFixture(dir, 'if-heavy.onnx', buildIfHeavyModel()),
      writeFixture(dir, 'chain.onnx', buildLongChainModel(2)),
      writeFixture(dir, 'conv.onnx', buildConvNetModel()),
    ];
    for (const file of files) {
      for (const expand of ['none', 'default', 'all']) {
        const doc = layoutJson(file, '--expand', expand);
        assert.equal(doc.expand, expand);
        assert.ok(doc.nodes.length > 0 && doc.width > 0 && doc.height > 0, `${path.basename(file)} ${expand}: something is drawn`);
        for (const n of doc.nodes) assert.ok(typeof n.name === 'string' && typeof n.op === 'string' && [n.x, n.y, n.width, n.height].every(Number.isFinite));
        assert.deepEqual(contractViolations(doc), [], `${path.basename(file)} --expand ${expand}`);
      }
    }
  });
});

test('the contract checks catch a broken drawing', () => {
  withTempDir('layout-cli-planted', (dir) => {
    const doc = layoutJson(writeFixture(dir, 'if-heavy.onnx', buildIfHeavyModel()), '--expand', 'all');
    const moved = structuredClone(doc);
    moved.edges[0].points[0] = [moved.edges[0].points[0][0] + 7, moved.edges[0].points[0][1] - 9];
    assert.match(contractViolations(moved).join('\n'), /off its source's border/);
    const stacked = structuredClone(doc);
    const [a, b] = stacked.nodes.filter((n) => n.parent === stacked.nodes[0].parent);
    Object.assign(b, { x: a.x + 3, y: a.y + 2 });
    assert.match(contractViolations(stacked).join('\n'), /overlap|off vertical|border/);
    const escaped = structuredClone(doc);
    const inner = escaped.nodes.find((n) => n.parent >= 0)!;
    inner.x += 1e5;
    assert.match(contractViolations(escaped).join('\n'), /sticks out of its group/);
  });
});

test('--expand none, default and all draw what they say on an If model', () => {
  withTempDir('layout-cli-if', (dir) => {
    // One If whose then-branch holds six steps and a nested If: bodies big enough to keep their frames.
    const file = writeFixture(dir, 'if.onnx', buildIfHeavyModel(1, 6));
    const [none, dflt, all] = ['none', 'default', 'all'].map((e) => layoutJson(file, '--expand', e));
    assert.ok(none.groups.length > 0 && none.groups.every((g) => g.collapsed), 'none: every drawn group is closed');
    assert.ok(all.groups.every((g) => !g.collapsed), 'all: no group is closed');
    // Default: the If box is closed (a control-flow node opens on a click), its caption says what it holds.
    const ifBox = dflt.groups.find((g) => g.kind === 'control');
    assert.ok(ifBox, dflt.groups.map((g) => g.label).join(', '));
    assert.equal(ifBox.collapsed, true);
    assert.match(ifBox.caption, /^If · 2 branches · \d+ nodes?$/);
    // All: the branches' nodes are drawn, inside their bodies, inside the If group.
    const bodies = all.groups.filter((g) => g.kind === 'body' && g.parent === ifBox.id);
    assert.equal(bodies.length, 2, all.groups.map((g) => `${g.kind} ${g.label} in ${g.parent}`).join(', '));
    assert.ok(all.nodes.some((n) => bodies.some((b) => b.id === n.parent)), 'a branch node sits in a body');
    assert.ok(drawnCount(none) < drawnCount(dflt) || none.nodes.length < dflt.nodes.length, 'none draws less than default');
    assert.ok(all.nodes.length > dflt.nodes.length, `all draws the branches' nodes: ${all.nodes.length} > ${dflt.nodes.length}`);
    const text = layout(file).stdout;
    assert.match(text, /closed {2}\S+ {2}"If · 2 branches · \d+ nodes?"/);
    assert.match(text, /^drawn: \d+ node boxes, 1 closed groups, \d+ open groups, \d+ edges; drawing \d+×\d+$/m);
  });
});

test('layout on Silero VAD: the If boxes close by default and open with --expand all', { skip: sileroSkip }, () => {
  const [none, dflt, all] = ['none', 'default', 'all'].map((e) => layoutJson(silero, '--expand', e));
  // On this real model a few two-node chains sit off their line where a wide neighbour pins one end
  // (graph-readable.test.ts holds the opening under 10 of them); fully open, 14 of 198 edges today.
  // Every other rule holds.
  for (const [doc, name] of [[none, 'none'], [dflt, 'default'], [all, 'all']] as const) {
    const v = contractViolations(doc);
    assert.deepEqual(v.filter((x) => !x.startsWith('chain ')), [], name);
    assert.ok(v.length < Math.max(10, doc.edges.length / 10), `${name}: ${v.join('; ')}`);
  }
  const ifs = dflt.groups.filter((g) => g.kind === 'control');
  assert.ok(ifs.length >= 1 && ifs.every((g) => g.collapsed && /^If · 2 branches · \d+ nodes$/.test(g.caption)), ifs.map((g) => g.caption).join('; '));
  assert.ok(drawnCount(none) < drawnCount(dflt) && dflt.nodes.length < all.nodes.length, `${drawnCount(none)} < ${drawnCount(dflt)}; ${dflt.nodes.length} < ${all.nodes.length}`);
  assert.equal(all.groups.filter((g) => g.collapsed).length, 0);
});

test('layout errors name the file and exit 1; a bad option exits 2', () => {
  withTempDir('layout-cli-bad', (dir) => {
    const r = layout(path.join(dir, 'missing.onnx'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^model-lens: .*missing\.onnx/);
    const u = layout(writeFixture(dir, 'if.onnx', buildIfModel()), '--expand', 'some');
    assert.equal(u.status, 2);
    assert.match(u.stderr, /--expand must be none, default or all, got 'some'/);
  });
});

/** The shipped worker bundle in a worker thread, `self` standing in for the Web Worker global. */
function startWorker(): { post: (m: ToWorker) => void; next: () => Promise<FromWorker>; stop: () => Promise<number> } {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
globalThis.self = { postMessage: (m, t) => parentPort.postMessage(m, t) };
(0, eval)(require('node:fs').readFileSync(workerData.file, 'utf8'));
parentPort.on('message', (data) => self.onmessage({ data }));`;
  const w = new Worker(code, { eval: true, workerData: { file: workerBundle } });
  const queue: FromWorker[] = [];
  let wake: (() => void) | null = null;
  w.on('message', (m: FromWorker) => { queue.push(m); wake?.(); });
  return {
    post: (m) => w.postMessage(m),
    next: async () => { while (!queue.length) await new Promise<void>((r) => { wake = r; }); return queue.shift()!; },
    stop: () => w.terminate(),
  };
}

/** What the graph view gets from its worker on open, for a model file: the same steps as graph-view.ts. */
async function workerOpening(file: string): Promise<{ hier: HierarchyMessage; scene: SceneMessage['scene'] }> {
  const model = await openModel(file);
  const { graph } = await describeModelForView(model);
  await model.close();
  const m = await buildGraphModel(graph);
  const w = startWorker();
  try {
    w.post(workerInit(layoutInit(m, 'TB', null, openingBudget(DEFAULT_COLLAPSE_ABOVE))));
    const hier = await w.next();
    assert.equal(hier.type, 'hierarchy', hier.type === 'error' ? hier.message : '');
    const h = hier as HierarchyMessage;
    w.post({ type: 'layout', seq: 1, expanded: h.expanded.slice(), direction: 'TB' });
    const s = await w.next();
    assert.equal(s.type, 'scene', s.type === 'error' ? s.message : '');
    return { hier: h, scene: (s as SceneMessage).scene };
  } finally { await w.stop(); }
}

const r1 = (v: number) => Math.round(v * 10) / 10;

async function assertSameAsWorker(file: string): Promise<void> {
  const doc = layoutJson(file);
  const { scene } = await workerOpening(file);
  const fromWorker = [...scene.items].map((id, i) => `${id} ${r1(scene.x[i])} ${r1(scene.y[i])} ${r1(scene.w[i])} ${r1(scene.h[i])} ${scene.kind[i] === 1 ? 'closed' : scene.kind[i] === 2 ? 'open' : 'node'}`).sort();
  const fromCli = [...doc.nodes.map((n) => `${n.id} ${n.x} ${n.y} ${n.width} ${n.height} node`), ...doc.groups.map((g) => `${g.id} ${g.x} ${g.y} ${g.width} ${g.height} ${g.collapsed ? 'closed' : 'open'}`)].sort();
  assert.deepEqual(fromCli, fromWorker, `${path.basename(file)}: the CLI draws the boxes the worker places`);
  const last = (e: number) => `${r1(scene.points[2 * (scene.edgeStart[e + 1] - 1)])},${r1(scene.points[2 * (scene.edgeStart[e + 1] - 1) + 1])}`;
  assert.deepEqual(doc.edges.map((e) => `${e.from}→${e.to} ${e.points[e.points.length - 1].join(',')}`).sort(),
    [...scene.edgeA].map((a, e) => `${a}→${scene.edgeB[e]} ${last(e)}`).sort(), 'and the same edges');
}

const workerSkip = existsSync(workerBundle) ? false : 'dist/layout-worker.js not built (node esbuild.mjs)';

test('the default expansion is what the webview\'s layout worker opens with (If fixture)', { skip: workerSkip }, async () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  assert.equal(DEFAULT_COLLAPSE_ABOVE, pkg.contributes.configuration.properties['modelLens.graph.collapseAbove'].default, 'the CLI budget is the setting\'s default');
  await withTempDir('layout-cli-worker', async (dir) => {
    await assertSameAsWorker(writeFixture(dir, 'if-heavy.onnx', buildIfHeavyModel()));
  });
});

test('the default expansion is what the webview\'s layout worker opens with (Silero VAD)', { skip: workerSkip || sileroSkip }, async () => {
  await assertSameAsWorker(silero);
});
