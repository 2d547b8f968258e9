// The compare.* handlers from Node over the float32 / int8 fixture pair, as the compare panel calls
// them: the report (nodes matched through the inserted DequantizeLinear nodes, weights compared
// dequantized), two histograms on shared edges, a run of both sides on the same inputs that names
// the per-tensor-quantized conv2 as the first divergence, and the params a webview may not send.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openModel } from '../../src/core/formats/index.js';
import type { Model } from '../../src/core/ir/graph.js';
import { RuntimeSessions } from '../../src/core/runtime/runtime-sessions.js';
import type { DiffReport } from '../../src/core/compare/types.js';
import { createCompareHandlers, type CompareRequestContext } from '../../src/features/compare/handlers.js';
import type { CompareHistogramsResult } from '../../src/features/compare/protocol.js';
import { buildComparePair, removeDir, tempDir, writeFixture } from '../fixtures/onnx/index.js';
import { repoRoot } from '../support/paths.js';

const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');

describe('compare handlers', () => {
  let dir: string, a: Model, b: Model, sessions: RuntimeSessions;
  let handlers: ReturnType<typeof createCompareHandlers>;
  const ctx = (over: Partial<CompareRequestContext> = {}): CompareRequestContext => ({ a, b, keyA: 'a', keyB: 'b', signal: new AbortController().signal, trusted: true, provider: 'cpu', ...over });

  before(async () => {
    dir = tempDir('compare-handlers');
    const pair = buildComparePair();
    a = await openModel(writeFixture(dir, 'net.onnx', pair.a));
    b = await openModel(writeFixture(dir, 'net-int8.onnx', pair.b));
    sessions = new RuntimeSessions({ processPath });
    handlers = createCompareHandlers({ sessions });
  });
  after(async () => {
    await sessions.disposeAll();
    await a.close();
    await b.close();
    removeDir(dir);
  });

  test('compare.report matches every float node and counts the DequantizeLinear nodes as added', async () => {
    const r = await handlers['compare.report']({}, ctx()) as DiffReport;
    assert.equal(r.matched, a.graph.nodes.length);
    assert.equal(r.added.length, 4);
    assert.ok(r.added.every((n) => n.endsWith('_DequantizeLinear')), r.added.join(', '));
    assert.deepEqual(r.removed, []);
    const weights = new Map(r.changedWeights.map((w) => [w.name, w]));
    assert.deepEqual([...weights.keys()].sort(), ['conv1.weight', 'conv2.weight', 'conv3.weight', 'fc.weight']);
    // Per-channel int8 keeps ~40 dB; the per-tensor conv2 with its outlier far less.
    assert.ok(weights.get('conv1.weight')!.sqnrDb > 35, String(weights.get('conv1.weight')!.sqnrDb));
    assert.ok(weights.get('conv2.weight')!.sqnrDb < weights.get('conv1.weight')!.sqnrDb - 10);
    assert.equal(r.matches.find((m) => m.a === 'conv1')!.status, 'weights');
    assert.equal(r.matches.find((m) => m.a === 'relu1')!.status, 'unchanged');
    // The same request again is the same report (computed once per pair).
    assert.equal(await handlers['compare.report']({}, ctx()), r);
  });

  test('compare.histograms: both sides over one set of edges, every element counted', async () => {
    const h = await handlers['compare.histograms']({ weight: 'conv1.weight' }, ctx()) as CompareHistogramsResult;
    assert.equal(h.edges.length, h.a.length + 1);
    assert.equal(h.a.length, h.b.length);
    assert.equal(h.a.reduce((s, x) => s + x, 0), 8 * 3 * 9);
    assert.equal(h.b.reduce((s, x) => s + x, 0), 8 * 3 * 9);
    await assert.rejects(handlers['compare.histograms']({ weight: 'nope' }, ctx()), /nope.*net\.onnx/s);
    await assert.rejects(handlers['compare.histograms']({ weight: 7 }, ctx()), /weight/);
  });

  test('compare.run needs trust and generated inputs only', async () => {
    await assert.rejects(handlers['compare.run']({}, ctx({ trusted: false })), (e: Error & { code?: string }) => e.code === 'untrusted');
    await assert.rejects(handlers['compare.run']({ inputs: [{ name: 'x', source: 'file', token: 1 }] }, ctx()), /generated inputs/);
  });

  test('compare.run feeds both the same input and names conv2 as the first divergence', { skip: existsSync(processPath) ? false : 'dist/runtime-process.js is not built' }, async () => {
    const r = await handlers['compare.run']({ inputs: [{ name: 'x', source: 'fill', kind: 'random', seed: 3 }] }, ctx()) as DiffReport;
    assert.equal(r.runError, undefined);
    assert.equal(r.firstDivergence?.node, 'conv2');
    assert.ok(r.activations!.find((x) => x.node === 'conv1')!.sqnrDb > 30);
    const y = r.outputs!.find((o) => o.name === 'y')!;
    assert.ok(y.cosine > 0.9 && y.top1Agreement !== undefined, JSON.stringify(y));
  });
});
