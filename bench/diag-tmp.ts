import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openModel } from '../src/core/formats/index.js';
import { describeModelForView } from '../src/core/model-view.js';
import { buildGraphModel, layoutInit } from '../webview/graph/graph-model.js';
import { layerNodes } from '../src/core/layout/layering.js';
import { orderLayers } from '../src/core/layout/ordering.js';
import { assignX } from '../src/core/layout/coordinates.js';
const here = path.dirname(fileURLToPath(import.meta.url));
const m = await openModel(process.argv[2]);
const { graph } = await describeModelForView(m);
const gm = await buildGraphModel(graph);
const w = new Worker(path.join(here, 'layout-worker.mjs'), { workerData: { role: 'ours' } });
w.on('message', (msg: any) => {
  if (msg.type === 'hierarchy') { w.postMessage({ type: 'layout', seq: 1, expanded: msg.expanded.slice(), direction: 'TB' }); return; }
  const s = msg.scene;
  console.log('kinds', [...s.kind].filter((k: number) => k > 0).length);
  const idx = new Map<number, number>(); s.items.forEach((it: number, i: number) => idx.set(it, i));
  const n = s.items.length;
  const input = { n, w: s.w, h: s.h, src: Int32Array.from(s.edgeA, (a: number) => idx.get(a)!), dst: Int32Array.from(s.edgeB, (b: number) => idx.get(b)!) };
  const g = layerNodes(input);
  const o = orderLayers(g, 4);
  const xs = assignX(g, o, input.w, 18, Number(process.argv[3] ?? 6));
  const v = idx.get(176)!;
  const l = g.layer[v];
  const row: string[] = [];
  for (let i = o.layerStart[l]; i < o.layerStart[l + 1]; i++) { const u = o.order[i]; row.push(u < n ? `${graph.nodes[s.items[u]].opType}#${s.items[u]}@${xs[u].toFixed(0)}` : `d@${xs[u].toFixed(0)}`); }
  const b = s.items.indexOf(400); console.log('BN x', xs[b].toFixed(0), 'BN layer', g.layer[b]);
  console.log('layer', l, 'of', g.layers, row.join(' '));
  process.exit(0);
});
w.postMessage({ ...layoutInit(gm, 'TB', null, 400), grouping: 'scope' });
