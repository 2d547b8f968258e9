// Layout quality and speed against dagre (`npm run bench:layout`, bundled by bench/run-ts.mjs).
// For every real model of 200+ nodes under ../shared/models and for generated transformers: the
// scene the view's layout worker computes at the expansion the editor opens with (the worker itself
// runs here, in a worker thread), and dagre on the same boxes and edges (open groups as dagre
// clusters, network-simplex ranking, nodesep = ranksep = 20, as Netron runs it below 3,000 nodes).
// Both drawings are measured the same way (bench/layout-metrics.ts): edge crossings, total edge
// length, width × height; plus layout time. Ratios are against dagre in the same run; never asserted.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { openModel } from '../src/core/formats/index.js';
import { buildGraphPayload } from '../src/core/graph-payload.js';
import { describeModelForView } from '../src/core/model-view.js';
import type { GraphPayload } from '../src/core/model-view-types.js';
import type { Scene } from '../src/core/layout/compound.js';
import { buildGraphModel } from '../src/core/layout/graph-model.js';
import { layoutInit } from '../src/core/layout/layout-session.js';
import { workerInit, type FromWorker, type HierarchyMessage, type SceneMessage, type ToWorker } from '../webview/graph/worker-protocol.js';
import { measureDrawing, type DrawingMetrics } from './layout-metrics.js';
import type { DagreRequest, DagreResult } from './layout-worker.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => { const i = args.indexOf(`--${name}`); return i < 0 ? dflt : Number(args[i + 1]); };
const quick = args.includes('--quick');
/** `--timing`: only our layout time on the generated 10k and 50k-node transformers (no dagre, no real models). */
const timingOnly = args.includes('--timing');
const minNodes = opt('min-nodes', 200);
const dagreCap = opt('dagre-cap', 3000);
const dagreBudgetS = opt('dagre-budget', 30);
const workerFile = path.join(here, 'layout-worker.mjs');
const models = path.resolve(root, '../shared/models');
const gen = path.resolve(root, '../shared/bench/gen-onnx.mjs');
const outDir = path.join(root, 'bench/out');
mkdirSync(outDir, { recursive: true });

// What the view sends its worker on open (webview/graph/graph-view.ts): the settings' defaults.
const settings = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).contributes.configuration.properties;
const direction = settings['modelLens.graph.direction'].default as 'TB' | 'LR';
const budget = Math.max(20, settings['modelLens.graph.collapseAbove'].default || 250);

interface Ours { hier: HierarchyMessage; scene: Scene; hierMs: number; ms: number }

/** One fresh layout worker, as the view starts one per editor: init, then the first layout. */
function layoutOurs(payload: GraphPayload, grouping: 'scope' | 'none'): Promise<Ours> {
  return buildGraphModel(payload).then((m) => new Promise<Ours>((resolve, reject) => {
    const w = new Worker(workerFile, { workerData: { role: 'ours' } });
    let hier: HierarchyMessage | null = null;
    const post = (msg: ToWorker) => w.postMessage(msg);
    w.on('error', reject);
    w.on('message', (msg: FromWorker) => {
      if (msg.type === 'error') { void w.terminate(); reject(new Error(msg.message)); return; }
      if (msg.type === 'hierarchy') { hier = msg; post({ type: 'layout', seq: 1, expanded: msg.expanded.slice(), direction }); return; }
      const s = msg as SceneMessage;
      void w.terminate();
      resolve({ hier: hier!, scene: s.scene, hierMs: hier!.ms, ms: s.ms });
    });
    post({ ...workerInit(layoutInit(m, direction, null, budget)), grouping });
  }));
}

type DagreOutcome = { ok: true; res: DagreResult } | { ok: false; why: string };

/** Dagre on the same boxes and drawn edges as our scene; open groups become its clusters. */
function layoutDagre(o: Ours): Promise<DagreOutcome> {
  const { scene, hier } = o;
  const L = hier.leafParent.length;
  const n = scene.items.length;
  if (n > dagreCap) return Promise.resolve({ ok: false, why: `> ${dagreCap} boxes` });
  const index = new Map<number, number>();
  scene.items.forEach((it, i) => index.set(it, i));
  const parent = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const it = scene.items[i];
    const g = it < L ? hier.leafParent[it] : hier.groupParent[it - L];
    if (g >= 0) parent[i] = index.get(L + g) ?? -1;
  }
  const req: DagreRequest = {
    w: scene.w.slice(), h: scene.h.slice(), parent, cluster: Uint8Array.from(scene.kind, (k) => (k === 2 ? 1 : 0)),
    edgeA: Int32Array.from(scene.edgeA, (a) => index.get(a)!), edgeB: Int32Array.from(scene.edgeB, (b) => index.get(b)!),
    options: { nodesep: 20, ranksep: 20, ranker: 'network-simplex' },
  };
  return new Promise((resolve) => {
    const w = new Worker(workerFile, { workerData: { role: 'dagre' } });
    const timer = setTimeout(() => { void w.terminate(); resolve({ ok: false, why: `> ${dagreBudgetS} s` }); }, dagreBudgetS * 1000);
    w.on('message', (res: DagreResult) => { clearTimeout(timer); void w.terminate(); resolve({ ok: true, res }); });
    w.on('error', (e) => { clearTimeout(timer); void w.terminate(); resolve({ ok: false, why: `error: ${e.message.slice(0, 40)}` }); });
    w.postMessage(req);
  });
}

interface Row { name: string; nodes: number; boxes: number; edges: number; ours: DrawingMetrics; oursMs: number; dagre: DrawingMetrics | null; dagreMs: number; why: string }

async function compare(name: string, payload: GraphPayload, grouping: 'scope' | 'none'): Promise<{ row: Row; ours: Ours }> {
  const ours = await layoutOurs(payload, grouping);
  const d = await layoutDagre(ours);
  const s = ours.scene;
  const row: Row = {
    name, nodes: payload.nodes.length, boxes: s.items.length, edges: s.edgeA.length,
    ours: measureDrawing(s), oursMs: ours.hierMs + ours.ms,
    dagre: d.ok ? measureDrawing(d.res) : null, dagreMs: d.ok ? d.res.ms : NaN, why: d.ok ? '' : d.why,
  };
  return { row, ours };
}

const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
const k = (v: number) => (Number.isFinite(v) ? (v >= 1e5 ? `${(v / 1000).toFixed(0)}k` : v.toFixed(0)) : '—');
const wh = (m: DrawingMetrics | null) => (m ? `${k(m.width)}×${k(m.height)}` : '—');
const head = `${'model'.padEnd(46)} ${'nodes'.padStart(6)} ${'boxes'.padStart(5)} ${'edges'.padStart(5)} | ${'cross'.padStart(6)} ${'length'.padStart(8)} ${'W×H'.padStart(13)} ${'ms'.padStart(6)} | ${'cross'.padStart(6)} ${'length'.padStart(8)} ${'W×H'.padStart(13)} ${'ms'.padStart(7)} | ours≤`;
function printHead(title: string): void {
  console.log(`\n${title}`);
  console.log(`${''.padEnd(66)}| ${'ours'.padEnd(36)}| dagre`);
  console.log(head);
  console.log('-'.repeat(head.length));
}
function printRow(r: Row): void {
  const d = r.dagre;
  const le = d ? (r.ours.crossings <= d.crossings ? 'yes' : 'no') : r.why;
  console.log(`${r.name.slice(0, 46).padEnd(46)} ${String(r.nodes).padStart(6)} ${String(r.boxes).padStart(5)} ${String(r.edges).padStart(5)} | ${fmt(r.ours.crossings).padStart(6)} ${k(r.ours.length).padStart(8)} ${wh(r.ours).padStart(13)} ${fmt(r.oursMs).padStart(6)} | `
    + `${fmt(d?.crossings ?? NaN).padStart(6)} ${k(d?.length ?? NaN).padStart(8)} ${wh(d).padStart(13)} ${fmt(r.dagreMs).padStart(7)} | ${le}`);
}
function totals(label: string, rows: Row[]): void {
  const both = rows.filter((r) => r.dagre);
  const sum = (f: (r: Row) => number) => both.reduce((s, r) => s + f(r), 0);
  const oc = sum((r) => r.ours.crossings), dc = sum((r) => r.dagre!.crossings);
  const ol = sum((r) => r.ours.length), dl = sum((r) => r.dagre!.length);
  const le = both.filter((r) => r.ours.crossings <= r.dagre!.crossings).length;
  const area = sum((r) => r.ours.width * r.ours.height) / sum((r) => r.dagre!.width * r.dagre!.height);
  console.log(`${label}: ${both.length} of ${rows.length} models laid out by both`
    + (rows.length > both.length ? ` (dagre skipped: ${rows.filter((r) => !r.dagre).map((r) => `${r.name} ${r.why}`).join('; ')})` : ''));
  if (!both.length) return;
  console.log(`  total crossings ours ${oc} vs dagre ${dc} (ratio ${fmt(oc / dc, 3)})  [target ≤ dagre: ${oc <= dc ? 'met' : 'missed'}]`);
  console.log(`  models where ours ≤ dagre in crossings: ${le}/${both.length} = ${fmt((100 * le) / both.length, 1)}%  [target ≥ 90%: ${le / both.length >= 0.9 ? 'met' : 'missed'}]`);
  console.log(`  total edge length ours/dagre: ${fmt(ol / dl, 3)}  [target ≤ 1.1: ${ol / dl <= 1.1 ? 'met' : 'missed'}]`);
  console.log(`  total drawing area ours/dagre: ${fmt(area, 3)}; layout time ours ${fmt(sum((r) => r.oursMs))} ms, dagre ${fmt(sum((r) => r.dagreMs))} ms`);
}

console.log(`Layout bench: our layout worker at the editor's opening expansion (collapseAbove ${budget}, ${direction}) vs dagre 0.8.5`
  + ` (network-simplex, nodesep = ranksep = 20, open groups as clusters; only drawings of ≤ ${dagreCap} boxes, ${dagreBudgetS} s budget each).`);
console.log('nodes: the model\'s nodes; boxes/edges: what both layouts place (leaves, closed and open groups; drawn edges). ms: ours = hierarchy + first scene in the worker, dagre = dagre.layout alone.');

// Real models: every ONNX / TF.js file FILES.tsv lists with at least minNodes nodes.
const real: Row[] = [];
const tsv = path.join(models, 'FILES.tsv');
if (existsSync(tsv) && !timingOnly) {
  const files = readFileSync(tsv, 'utf8').split('\n').slice(1).map((l) => l.split('\t')[0]).filter((f) => /(\.onnx|(^|\/)model[^/]*\.json)$/.test(f ?? ''));
  let unreadable = 0, small = 0;
  const picked: { rel: string; nodes: number }[] = [];
  for (const rel of files) {
    const file = path.join(models, rel);
    if (!existsSync(file)) continue;
    try {
      const m = await openModel(file);
      const nodes = buildGraphPayload(m).nodes.length;
      await m.close();
      if (nodes >= minNodes) picked.push({ rel, nodes }); else small++;
    } catch { unreadable++; }
  }
  console.log(`\n../shared/models: ${files.length} model files listed, ${picked.length} with ≥ ${minNodes} nodes, ${small} smaller, ${unreadable} that do not open (missing shards, external data).`);
  printHead(`Real models at the opening expansion (${picked.length})`);
  for (const { rel } of picked.sort((a, b) => a.nodes - b.nodes)) {
    const m = await openModel(path.join(models, rel));
    const { graph } = await describeModelForView(m);
    await m.close();
    const { row } = await compare(rel.replace(/^onnx-backend-tests\//, '').replace(/\/model\.(onnx|json)$/, ''), graph, 'scope');
    printRow(row);
    real.push(row);
  }
} else console.log('\n../shared/models/FILES.tsv is absent: real models skipped');

// Generated transformers (30 nodes a layer, names scoped by layer like exported models).
const transformer = async (layers: number) => {
  const file = path.join(outDir, `transformer-${layers}.onnx`);
  if (!existsSync(file)) execFileSync(process.execPath, [gen, 'transformer', '--layers', String(layers), '--hidden', '64', '--out', file]);
  const m = await openModel(file);
  const { graph } = await describeModelForView(m);
  await m.close();
  return graph;
};
const generated: Row[] = [];
const flatRows: Row[] = [];
const timing: { name: string; nodes: number; grouped: Ours; flat: Ours }[] = [];
if (existsSync(gen) && timingOnly) {
  for (const layers of [333, 1667]) {
    const graph = await transformer(layers);
    timing.push({ name: `transformer ${layers} layers`, nodes: graph.nodes.length, grouped: await layoutOurs(graph, 'scope'), flat: await layoutOurs(graph, 'none') });
  }
} else if (existsSync(gen)) {
  printHead('Generated transformers at the opening expansion');
  const sizes = quick ? [67, 333] : [67, 333, 1667];
  for (const layers of sizes) {
    const graph = await transformer(layers);
    const { row, ours } = await compare(`transformer ${layers} layers`, graph, 'scope');
    printRow(row);
    generated.push(row);
    timing.push({ name: `transformer ${layers} layers`, nodes: graph.nodes.length, grouped: ours, flat: await layoutOurs(graph, 'none') });
  }
  printHead('Flat (grouping "none": every node a box), where dagre fits under its cap');
  for (const layers of quick ? [17] : [17, 67]) {
    const { row } = await compare(`transformer ${layers} layers, flat`, await transformer(layers), 'none');
    printRow(row);
    flatRows.push(row);
  }
} else console.log('\n../shared/bench/gen-onnx.mjs is absent: transformer rows skipped');

console.log('\nTotals at the opening expansion');
totals('real models', real);
totals('real models and transformers', [...real, ...generated]);
if (flatRows.length) totals('flat transformers', flatRows);

if (timing.length) {
  console.log('\nOur layout time (fresh worker, first scene; hierarchy + layout), by model size');
  for (const t of timing) {
    const g = t.grouped, f = t.flat;
    console.log(`  ${t.name.padEnd(24)} ${String(t.nodes).padStart(6)} nodes: opening expansion ${fmt(g.hierMs + g.ms)} ms (${g.scene.items.length} boxes); `
      + `flat, every node laid out ${fmt(f.hierMs + f.ms)} ms (${f.scene.items.length} boxes)`);
  }
  const at = (n: number) => timing.find((t) => Math.abs(t.nodes - n) / n < 0.1);
  for (const [n, limit] of [[10000, 500], [50000, 3000]] as const) {
    const t = at(n);
    if (!t) { console.log(`  ${n / 1000}k nodes: not run${quick ? ' (--quick)' : ''}`); continue; }
    const g = t.grouped.hierMs + t.grouped.ms, f = t.flat.hierMs + t.flat.ms;
    console.log(`  ${n / 1000}k nodes, target ≤ ${limit} ms: opening expansion ${fmt(g)} ms (${g <= limit ? 'met' : 'missed'}), flat ${fmt(f)} ms (${f <= limit ? 'met' : 'missed'})`);
  }
}
