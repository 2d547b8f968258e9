// The compare.* handlers from Node over the engine's float32 / int8 fixture pair (per-channel int8
// weights behind DequantizeLinear, a Q/DQ pair on relu1's output), as the compare panel calls them:
// the report (nodes matched through the inserted Q/DQ nodes, weights compared dequantized), two
// histograms on shared edges, a run of both sides on the same inputs (conv1 is the first value
// beyond rounding; the activation Q/DQ drops conv2 far lower), and params a webview may not send.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openModel } from '../../src/core/formats/index.js';
import type { Model } from '../../src/core/ir/graph.js';
import type { DiffReport } from '../../src/core/compare/types.js';
import { createCompareHandlers, type CompareRequestContext } from '../../src/features/compare/handlers.js';
import type { CompareHistogramsResult } from '../../src/features/compare/protocol.js';
import { buildConvBnModel, buildQuantizedConvBnModel, removeDir, tempDir, writeFixture } from '../fixtures/onnx/index.js';

describe('compare handlers', () => {
  let dir: string, a: Model, b: Model;
  let handlers: ReturnType<typeof createCompareHandlers>;
  const ctx = (over: Partial<CompareRequestContext> = {}): CompareRequestContext => ({ a, b, signal: new AbortController().signal, trusted: true, provider: 'cpu', ...over });

  before(async () => {
    dir = tempDir('compare-handlers');
    a = await openModel(writeFixture(dir, 'net.onnx', buildConvBnModel()));
    b = await openModel(writeFixture(dir, 'net-int8.onnx', buildQuantizedConvBnModel()));
    handlers = createCompareHandlers();
  });
  after(async () => {
    await a.close();
    await b.close();
    removeDir(dir);
  });

  test('compare.report matches every float node and counts the Q/DQ nodes as added', async () => {
    const r = await handlers['compare.report']({}, ctx()) as DiffReport;
    assert.equal(r.matched, a.graph.nodes.length);
    assert.equal(r.added.length, 5);
    assert.ok(r.added.every((n) => /_(De)?[Qq]uantizeLinear$/.test(n)), r.added.join(', '));
    assert.deepEqual(r.removed, []);
    const weights = new Map(r.changedWeights.map((w) => [w.name, w]));
    assert.deepEqual([...weights.keys()].sort(), ['conv1.weight', 'conv2.weight', 'fc.weight']);
    for (const w of weights.values()) assert.ok(w.dtype === 'float32 → int8' && w.sqnrDb > 40, JSON.stringify(w));
    assert.match(r.weightSummary.words, /3 tensors float32 → int8/);
    // The same request again is the same report (computed once per pair).
    assert.equal(await handlers['compare.report']({}, ctx()), r);
  });

  test('compare.histograms: both sides over one set of edges, every element counted', async () => {
    const h = await handlers['compare.histograms']({ weight: 'conv1.weight', weightB: 'conv1.weight_quantized' }, ctx()) as CompareHistogramsResult;
    assert.equal(h.edges.length, h.a.length + 1);
    assert.equal(h.a.length, h.b.length);
    assert.equal(h.a.reduce((s, x) => s + x, 0), 4 * 3 * 9);
    assert.equal(h.b.reduce((s, x) => s + x, 0), 4 * 3 * 9);
    assert.ok(h.edges[0] < 0 && h.edges.at(-1)! > 0);
    await assert.rejects(handlers['compare.histograms']({ weight: 'nope' }, ctx()), /nope.*net\.onnx/s);
    await assert.rejects(handlers['compare.histograms']({ weight: 7 }, ctx()), /weight/);
  });

  test('compare.run needs trust and generated inputs only', async () => {
    await assert.rejects(handlers['compare.run']({}, ctx({ trusted: false })), (e: Error & { code?: string }) => e.code === 'untrusted');
    await assert.rejects(handlers['compare.run']({ inputs: [{ name: 'x', source: 'file', token: 1 }] }, ctx()), /generated inputs/);
  });

  test('compare.run feeds both the same input: conv1 first beyond rounding, conv2 far below after the activation Q/DQ', async () => {
    const r = await handlers['compare.run']({}, ctx()) as DiffReport;
    assert.equal(r.runError, undefined);
    assert.equal(r.firstDivergence?.node, 'conv1');
    const sq = (n: string) => r.activations!.find((x) => x.node === n)!.sqnrDb;
    assert.ok(sq('conv1') > 40 && sq('conv2') < sq('conv1') - 5, `${sq('conv1')} ${sq('conv2')}`);
    const y = r.outputs!.find((o) => o.name === 'probs')!;
    assert.ok(y.cosine > 0.99 && y.top1Agreement === 1, JSON.stringify(y));
  });
});
