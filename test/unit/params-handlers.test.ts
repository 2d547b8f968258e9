// The Parameters view's host handlers (src/features/params/handlers.ts) on the real core: weight ids agree with
// GraphPayload order (fixtures and real models), every request's numbers match the engine, bad
// params are refused with the field named, exports produce .npy/CSV/JSON, the disk cache answers
// a second open, and progress is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { openModel } from '../../src/core/formats/index.js';
import type { Model } from '../../src/core/ir/graph.js';
import { buildGraphPayload } from '../../src/core/graph-payload.js';
import { weightList } from '../../src/core/weight-index.js';
import { computeTensorStats } from '../../src/core/stats/stats-tensor.js';
import { createParamsHandlers, type StatsRequestContext } from '../../src/features/params/handlers.js';
import { RowStream, sparkline } from '../../src/features/params/table-rows.js';
import { TABLE_COLUMNS, type ChannelsResult, type ModelStatsResult, type StatsExportResult, type StatsRowsEvent, type TensorStatsResult, type ValuesResult } from '../../src/features/params/protocol.js';
import { buildConstantWeightsModel, buildConvNetModel, buildFunctionModel, buildIfModel, buildSparseModel, encodeModel, tempDir, writeFixture } from '../fixtures/onnx/index.js';
import { repoRoot } from '../support/paths.js';

const dir = tempDir('params-handlers');
const convnet = writeFixture(dir, 'convnet.onnx', buildConvNetModel());

async function withModel<T>(file: string, fn: (m: Model, ctx: StatsRequestContext) => Promise<T>): Promise<T> {
  const m = await openModel(file);
  try {
    return await fn(m, { model: m, signal: new AbortController().signal });
  } finally {
    await m.close();
  }
}

function samePayloadOrder(m: Model, label: string): void {
  const payload = buildGraphPayload(m).weights;
  const list = weightList(m);
  assert.equal(list.length, payload.length, `${label}: weight count`);
  list.forEach((t, i) => {
    assert.equal(t.name, payload[i].name, `${label}: weight ${i}`);
    assert.deepEqual(t.shape, payload[i].shape, `${label}: weight ${i} shape`);
    assert.equal(t.location, payload[i].location, `${label}: weight ${i} location`);
  });
}

test('weight ids follow GraphPayload order (fixtures with subgraphs, functions, Constant and sparse weights)', async () => {
  const fixtures: Record<string, Uint8Array> = { convnet: buildConvNetModel(), if: buildIfModel(), fn: buildFunctionModel(), constants: buildConstantWeightsModel(), sparse: buildSparseModel() };
  for (const [name, bytes] of Object.entries(fixtures)) {
    await withModel(writeFixture(dir, `${name}.onnx`, bytes), async (m) => samePayloadOrder(m, name));
  }
});

test('weight ids follow GraphPayload order on real models under ../shared/models', async (t) => {
  const root = path.resolve(repoRoot, '../shared/models/onnx');
  if (!existsSync(root)) return t.skip('../shared/models is absent');
  const files: string[] = [];
  const walk = (d: string) => { for (const n of readdirSync(d)) { const p = path.join(d, n); if (statSync(p).isDirectory()) walk(p); else if (n.endsWith('.onnx') && files.length < 40) files.push(p); } };
  walk(root);
  let checked = 0;
  for (const f of files) {
    let m: Model;
    try { m = await openModel(f); } catch { continue; }
    try { samePayloadOrder(m, path.relative(root, f)); checked++; } finally { await m.close(); }
  }
  assert.ok(checked > 10, `checked ${checked} models`);
});

test('params.tensor, params.values and params.channels give the engine\'s numbers', async () => {
  const h = createParamsHandlers({ workers: 0 });
  await withModel(convnet, async (m, ctx) => {
    const id = weightList(m).findIndex((t) => t.name === 'fc.weight');
    const t = weightList(m)[id];
    const r = await h['params.tensor']({ weightId: id, bins: 32 }, ctx) as TensorStatsResult;
    const want = await computeTensorStats(t, { bins: 32 });
    assert.equal(r.weightId, id);
    assert.deepEqual(r.stats.histogram, want.histogram);
    assert.equal(r.stats.mean, want.mean);
    const all = new Float32Array((await t.data.read()).slice().buffer);
    const v = await h['params.values']({ weightId: id, offset: 630, count: 100 }, ctx) as ValuesResult;
    assert.equal(v.count, 10, 'the page stops at the end of the tensor');
    assert.deepEqual(Array.from(new Float64Array(v.values)), Array.from(all.subarray(630)));
    assert.equal(v.dequantized, null);
    const c = await h['params.channels']({ weightId: id }, ctx) as ChannelsResult;
    assert.equal(c.rows, 64);
    assert.equal(c.rowSize, 10);
    const mins = new Float64Array(c.min), maxs = new Float64Array(c.max);
    for (let r = 0; r < 64; r++) {
      const row = Array.from(all.subarray(r * 10, r * 10 + 10));
      assert.equal(mins[r], Math.min(...row));
      assert.equal(maxs[r], Math.max(...row));
    }
  });
});

test('bad params are refused with the field named', async () => {
  const h = createParamsHandlers({ workers: 0 });
  await withModel(convnet, async (_m, ctx) => {
    const bad = async (method: string, params: unknown, field: RegExp) => {
      await assert.rejects(() => h[method](params, ctx), (e: Error & { code?: string }) => e.code === 'bad-request' && field.test(e.message));
    };
    await bad('params.tensor', { weightId: 4 }, /'weightId'/);
    await bad('params.tensor', { weightId: -1 }, /'weightId'/);
    await bad('params.tensor', { weightId: '0' }, /'weightId'/);
    await bad('params.tensor', { weightId: 0, bins: 1e9 }, /'bins'/);
    await bad('params.values', { weightId: 0, offset: 36, count: 1 }, /'offset'/);
    await bad('params.values', { weightId: 0, offset: 0, count: 5000 }, /'count'/);
    await bad('params.channels', { weightId: 1 }, /fewer than 2 dimensions/);
    await bad('params.export', { kind: 'exe' }, /'kind'/);
    await bad('params.export', { kind: 'csv', save: 'yes' }, /'save'/);
    await bad('params.model', [1], /'params'/);
  });
});

test('params.model: table columns, sparklines, flags with weight ids, progress, disk cache', async () => {
  const cacheDir = tempDir('params-cache');
  const events: unknown[] = [];
  const first = await withModel(convnet, async (m, ctx) => {
    const r = await createParamsHandlers({ workers: 0, cacheDir })['params.model']({ bins: 16 }, { ...ctx, notify: (topic, data) => events.push({ topic, data }) }) as ModelStatsResult;
    const ids = new Int32Array(r.weightIds);
    const cols = new Float64Array(r.columns);
    assert.equal(r.rows, 4);
    for (let row = 0; row < r.rows; row++) {
      const t = weightList(m)[ids[row]];
      const s = await computeTensorStats(t, { bins: 16 });
      assert.equal(cols[TABLE_COLUMNS.indexOf('min') * r.rows + row], s.min, t.name);
      assert.equal(cols[TABLE_COLUMNS.indexOf('std') * r.rows + row], s.std, t.name);
      const spark = new Uint8Array(r.sparklines, row * 24, 24);
      assert.equal(Math.max(...spark), 255, 'sparklines are scaled to their tallest bin');
    }
    assert.equal(r.fromCache, false);
    return r;
  });
  const last = events.filter((e) => (e as { topic: string }).topic === 'params.progress').at(-1) as { topic: string; data: { tensorsDone: number; tensorsTotal: number } };
  assert.ok(last, 'progress is reported');
  assert.equal(last.data.tensorsDone, last.data.tensorsTotal);
  const again = await withModel(convnet, (_m, ctx) => createParamsHandlers({ workers: 0, cacheDir })['params.model']({ bins: 16 }, ctx) as Promise<ModelStatsResult>);
  assert.equal(again.fromCache, true, 'a reopened model is answered from the cache');
  assert.deepEqual(new Float64Array(again.columns), new Float64Array(first.columns));
});

test('params.model streams rows while the pass runs: each streamed row equals its row in the result', async () => {
  const events: { topic: string; data: unknown }[] = [];
  await withModel(convnet, async (m, ctx) => {
    const r = await createParamsHandlers({ workers: 0 })['params.model']({ bins: 16 }, { ...ctx, notify: (topic, data) => events.push({ topic, data }) }) as ModelStatsResult;
    const rowsEvents = events.filter((e) => e.topic === 'params.rows').map((e) => e.data as StatsRowsEvent);
    assert.ok(rowsEvents.length >= 1, 'the first finished tensor is sent before the result');
    const ids = new Int32Array(r.weightIds), cols = new Float64Array(r.columns);
    for (const ev of rowsEvents) {
      const eids = new Int32Array(ev.weightIds), ecols = new Float64Array(ev.columns);
      for (let i = 0; i < ev.rows; i++) {
        const row = ids.indexOf(eids[i]);
        assert.ok(row >= 0, `streamed weight ${eids[i]} is in the result`);
        for (let c = 0; c < TABLE_COLUMNS.length; c++) assert.ok(Object.is(ecols[c * ev.rows + i], cols[c * r.rows + row]), `${weightList(m)[eids[i]].name} ${TABLE_COLUMNS[c]}`);
        assert.deepEqual(new Uint8Array(ev.sparklines, i * 24, 24), new Uint8Array(r.sparklines, row * 24, 24));
      }
    }
  });
});

test('RowStream: batches finished tensors by weight id with their flags; nothing is sent after stop', async () => {
  const file = writeFixture(dir, 'constants.onnx', buildConstantWeightsModel());
  await withModel(file, async (m) => {
    const sent: StatsRowsEvent[] = [];
    const stream = new RowStream(m, { outlierSigma: 10, spreadRatio: 16 }, (r) => sent.push(r), 5);
    const list = weightList(m);
    const zero = { ...(await computeTensorStats(list[0], { bins: 16 })), name: list[0].name, count: 4, zeros: 4, sparsity: 1 };
    stream.add(list[0], zero);
    assert.equal(sent.length, 1, 'the first row goes at once');
    assert.deepEqual(Array.from(new Int32Array(sent[0].weightIds)), [0]);
    assert.ok(sent[0].flags.some((f) => f.kind === 'all-zero' && f.weightId === 0), 'an all-zero tensor is flagged in the stream');
    for (let i = 1; i < list.length; i++) stream.add(list[i], await computeTensorStats(list[i], { bins: 16 }));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(sent.length, list.length > 1 ? 2 : 1, 'the rest come in one batch a tick later');
    if (list.length > 1) assert.deepEqual(Array.from(new Int32Array(sent[1].weightIds)), list.slice(1).map((_, i) => i + 1));
    stream.add(list[0], zero);
    stream.stop();
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(sent.length, list.length > 1 ? 2 : 1, 'stopped: nothing more is sent');
  });
});

test('params.export: .npy of one tensor, CSV and JSON of the table, saved through the save hook', async () => {
  const saved: { name: string; data: string | Uint8Array }[] = [];
  const h = createParamsHandlers({ workers: 0, save: async (name, data) => { saved.push({ name, data }); return `/tmp/${name}`; } });
  await withModel(convnet, async (m, ctx) => {
    const id = weightList(m).findIndex((t) => t.name === 'conv.weight');
    const npy = await h['params.export']({ kind: 'npy', weightId: id, save: false }, ctx) as Extract<StatsExportResult, { fileName: string }>;
    assert.equal(npy.fileName, 'conv.weight.npy');
    const bytes = new Uint8Array(npy.data as ArrayBuffer);
    assert.deepEqual(Array.from(bytes.subarray(0, 6)), [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
    assert.match(new TextDecoder().decode(bytes.subarray(10, 80)), /'descr': '<f4'.*'shape': \(4, 1, 3, 3\)/);
    assert.equal(bytes.byteLength % 64, 144 % 64, 'header padded to 64 bytes, then 144 data bytes');
    const r = await h['params.export']({ kind: 'csv', save: true }, ctx) as StatsExportResult;
    assert.deepEqual(r, { saved: true, path: '/tmp/convnet-stats.csv' });
    assert.equal((saved[0].data as string).trim().split('\n').length, 5);
    const j = await h['params.export']({ kind: 'json', save: false }, ctx) as Extract<StatsExportResult, { fileName: string }>;
    assert.equal((JSON.parse(j.data as string) as { tensors: unknown[] }).tensors.length, 4);
  });
});

test('sparkline re-binning: a constant tensor is one spike, not a block', () => {
  const out = new Uint8Array(24);
  sparkline([10], out);
  assert.equal(out.filter((x) => x > 0).length, 1);
  const out2 = new Uint8Array(24);
  sparkline(Array.from({ length: 48 }, (_, i) => (i < 24 ? 1 : 3)), out2);
  assert.deepEqual(Array.from(out2), [...new Array(12).fill(85), ...new Array(12).fill(255)]);
});

test('a 32 MB tensor\'s histogram, in this thread and in a worker (times measured, not asserted)', async () => {
  const n = 8 << 20;
  const vals = new Float32Array(n);
  for (let i = 0; i < n; i++) vals[i] = Math.sin(i * 0.001) * (1 + (i % 7));
  const file = writeFixture(dir, 'big.onnx', encodeModel({ graph: { name: 'big', nodes: [{ op: 'Identity', name: 'id', inputs: ['w'], outputs: ['y'] }], inputs: [], outputs: [{ name: 'y', dtype: 'float32', shape: [n] }], initializers: [{ name: 'w', dtype: 'float32', dims: [n], raw: new Uint8Array(vals.buffer) }] } }));
  await withModel(file, async (_m, ctx) => {
    const t0 = performance.now();
    const r = await createParamsHandlers({ workers: 0 })['params.tensor']({ weightId: 0, bins: 64 }, ctx) as TensorStatsResult;
    const ms = performance.now() - t0;
    assert.equal(r.stats.count, n);
    assert.equal(r.stats.histogram.counts.reduce((a, b) => a + b, 0), n);
    console.log(`stats.tensor on a 32 MB float32 tensor: ${ms.toFixed(0)} ms in this thread (kernel ${r.stats.kernel})`);
    const workerPath = path.join(repoRoot, 'dist/stats-worker.js');
    if (!existsSync(workerPath)) return;
    const handlers = createParamsHandlers({ workerPath });
    let w: TensorStatsResult | null = null;
    for (const bins of [64, 63]) {
      const t1 = performance.now();
      const x = await handlers['params.tensor']({ weightId: 0, bins }, ctx) as TensorStatsResult;
      console.log(`params.tensor on a 32 MB float32 tensor: ${(performance.now() - t1).toFixed(0)} ms in a worker thread (${bins === 64 ? 'cold' : 'warm'})`);
      w ??= x;
    }
    w = w!;
    assert.deepEqual(w.stats.histogram, r.stats.histogram, 'the worker thread gives the same histogram');
    assert.equal(w.stats.std, r.stats.std);
  });
});
