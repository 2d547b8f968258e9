// The compare engine on generated pairs: a model against itself, renamed, folded, quantized with
// Q/DQ nodes, one weight scaled, a fused LayerNorm, and an unrelated model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { openModel } from '../../src/core/formats/index.js';
import { compareModels, nodeStatuses, weightHistograms } from '../../src/core/compare/index.js';
import type { DiffReport } from '../../src/core/compare/types.js';
import {
  buildAttentionModel, buildConvBnModel, buildFoldedConvBnModel, buildLayerNormModel, buildMlpModel, buildQuantizedConvBnModel, buildRenamedConvBnModel, convBnSpec, encodeModel, tempDir, writeFixture,
} from '../fixtures/onnx/index.js';

const dir = tempDir('compare-engine');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const files = {
  base: writeFixture(dir, 'base.onnx', buildConvBnModel()),
  renamed: writeFixture(dir, 'renamed.onnx', buildRenamedConvBnModel()),
  folded: writeFixture(dir, 'folded.onnx', buildFoldedConvBnModel()),
  foldedT: writeFixture(dir, 'folded-t.onnx', buildFoldedConvBnModel({ transB: true })),
  attn: writeFixture(dir, 'attn.onnx', buildAttentionModel(false)),
  attrs: writeFixture(dir, 'attrs.onnx', (() => {
    const spec = convBnSpec();
    spec.graph.nodes = spec.graph.nodes.map((n) => (n.name === 'flatten' ? { ...n, attributes: [] } : n.name === 'softmax' ? { ...n, attributes: [{ name: 'axis', i: -1 }] } : n));
    return encodeModel(spec);
  })()),
  attnShuffled: writeFixture(dir, 'attn-shuffled.onnx', buildAttentionModel(false, true)),
  attnFused: writeFixture(dir, 'attn-fused.onnx', buildAttentionModel(true)),
  wrongFold: writeFixture(dir, 'wrong-fold.onnx', buildFoldedConvBnModel({ forgetWeightScale: true })),
  quantized: writeFixture(dir, 'quantized.onnx', buildQuantizedConvBnModel()),
  scaled: writeFixture(dir, 'scaled.onnx', buildConvBnModel({ scaleW2: 1.01 })),
  mlp: writeFixture(dir, 'mlp.onnx', buildMlpModel()),
  ln: writeFixture(dir, 'ln.onnx', buildLayerNormModel(false)),
  lnFused: writeFixture(dir, 'ln-fused.onnx', buildLayerNormModel(true)),
};

async function diff(a: string, b: string): Promise<DiffReport> {
  const [ma, mb] = [await openModel(a), await openModel(b)];
  try { return await compareModels(ma, mb); } finally { await ma.close(); await mb.close(); }
}

const match = (r: DiffReport, a: string) => r.matches.find((m) => m.a === a);

test('a model against itself: everything matched by name, nothing changed, zero error', async () => {
  const r = await diff(files.base, files.base);
  assert.equal(r.matched, 9);
  assert.deepEqual([r.added, r.removed, r.changedAttributes, r.changedWeights], [[], [], [], []]);
  assert.ok(r.matches.every((m) => m.reason === 'name' && m.status === 'unchanged'));
  assert.equal(r.weightSummary.compared, 10);
  assert.equal(r.weightSummary.changed, 0);
  assert.equal(r.weightSummary.maxRel, 0);
  assert.equal(r.weightSummary.words, '10 tensors compared, all identical');
  assert.equal(r.message, undefined);
  const s = nodeStatuses(r);
  assert.equal(s.a.size, 9);
  assert.ok([...s.a.values(), ...s.b.values()].every((v) => v === 'unchanged'));
});

test('every node, value and weight renamed: matched by topology, weights paired through the slots', async () => {
  const r = await diff(files.base, files.renamed);
  assert.equal(r.matched, 9);
  assert.deepEqual([r.added, r.removed, r.changedWeights], [[], [], []]);
  assert.equal(match(r, 'conv2')?.b, 'node_3');
  assert.equal(match(r, 'softmax')?.b, 'node_8');
  // The graph output kept its name, so its producer matches by name; the rest by topology.
  assert.deepEqual(r.matches.map((m) => m.reason), [...Array(8).fill('topology'), 'name']);
  assert.equal(r.weightSummary.compared, 10);
});

test('BatchNorm folded into Conv and MatMul + Add fused into Gemm: rewrite matches, the fold checked by folding A', async () => {
  const r = await diff(files.base, files.folded);
  assert.deepEqual([r.added, r.removed], [[], []]);
  assert.equal(r.matched, 7);
  assert.deepEqual(match(r, 'conv1'), { a: 'conv1', b: 'conv1', reason: 'rewrite', status: 'unchanged', fusedA: ['bn1'] });
  assert.deepEqual(match(r, 'fc'), { a: 'fc', b: 'fc_gemm', reason: 'rewrite', status: 'unchanged', fusedA: ['fc_bias'] });
  // The folded weights differ from A's by float32 rounding only, once A's BatchNorm is folded in.
  assert.deepEqual(r.changedWeights.map((w) => [w.name, w.note]).sort(), [
    ['conv1.bias', "compared with bn1 folded into A's bias"], ['conv1.weight', "compared with bn1 folded into A's weight"]]);
  assert.ok(r.changedWeights.every((w) => w.maxRel < 1e-6 && w.sqnrDb > 120));
  assert.deepEqual(r.weightSummary.beyondRounding, []);
  assert.equal(nodeStatuses(r).a.get('bn1'), 'unchanged');
  // The other way round the BatchNorm is B's and B is folded.
  const back = await diff(files.folded, files.base);
  assert.deepEqual([back.added, back.removed, back.weightSummary.beyondRounding], [[], [], []]);
  assert.deepEqual(match(back, 'conv1')?.fusedB, ['bn1']);
  assert.deepEqual(match(back, 'fc_gemm')?.fusedB, ['fc_bias']);
});

test('Gemm with transB = 1 against MatMul [in, out]: the weight is compared transposed', async () => {
  const r = await diff(files.base, files.foldedT);
  assert.deepEqual(match(r, 'fc')?.b, 'fc_gemm');
  assert.deepEqual(r.changedWeights.map((w) => w.name).sort(), ['conv1.bias', 'conv1.weight']); // fc.weight: equal once transposed
  assert.deepEqual(r.weightSummary.beyondRounding, []);
});

test('written-out attention against com.microsoft Attention: one rewrite match over the region', async () => {
  const r = await diff(files.attn, files.attnFused);
  assert.deepEqual([r.added, r.removed], [[], []]);
  const m = match(r, '/attn/MatMul_pv');
  assert.equal(m?.b, 'Attention_0');
  assert.equal(m?.reason, 'rewrite');
  assert.deepEqual(m?.fusedA?.sort(), ['/attn/Div', '/attn/MatMul_qk', '/attn/Softmax', '/attn/Transpose', '/attn/k/MatMul', '/attn/q/MatMul', '/attn/v/MatMul']);
  assert.equal(match(r, '/attn/o_proj/MatMul')?.reason, 'name');
  assert.equal(r.message, undefined); // 2 matches, but they cover every node of both sides
});

test('parallel projections renamed and reordered: paired by their weights\' names, not by file order', async () => {
  const r = await diff(files.attn, files.attnShuffled);
  assert.equal(r.matched, 9);
  assert.deepEqual(r.changedWeights, []);
  assert.equal(match(r, '/attn/q/MatMul')?.b, 'node_2');
  assert.equal(match(r, '/attn/v/MatMul')?.b, 'node_0');
});

test('changed and dropped attributes: listed with both values, the node has status attributes', async () => {
  const r = await diff(files.base, files.attrs);
  assert.deepEqual(r.changedAttributes, [
    { node: 'flatten', attribute: 'axis', a: '1' },
    { node: 'softmax', attribute: 'axis', a: '1', b: '-1' },
  ]);
  assert.deepEqual(r.matches.filter((m) => m.status !== 'unchanged').map((m) => [m.a, m.status]), [['flatten', 'attributes'], ['softmax', 'attributes']]);
});

test('a fold that got the numbers wrong is a change beyond rounding', async () => {
  const r = await diff(files.base, files.wrongFold);
  assert.deepEqual(r.weightSummary.beyondRounding, ['conv1.weight']);
  assert.equal(match(r, 'conv1')?.status, 'weights');
  assert.equal(match(r, 'conv1')?.reason, 'rewrite');
  assert.equal(nodeStatuses(r).a.get('bn1'), 'weights');
});

test('per-channel int8 with Q/DQ nodes: weights compared dequantized, within rounding, the Q/DQ nodes added', async () => {
  const r = await diff(files.base, files.quantized);
  assert.deepEqual(r.removed, []);
  assert.deepEqual(r.added.sort(), ['conv1.weight_DequantizeLinear', 'conv2.weight_DequantizeLinear', 'fc.weight_DequantizeLinear', 'relu1_out_DequantizeLinear', 'relu1_out_QuantizeLinear']);
  assert.equal(r.matched, 9);
  assert.equal(match(r, 'conv2')?.reason, 'passthrough');
  const q = r.changedWeights.map((w) => [w.name, w.nameB, w.dtype, w.dequantized]).sort();
  assert.deepEqual(q, [
    ['conv1.weight', 'conv1.weight_quantized', 'float32 → int8', true],
    ['conv2.weight', 'conv2.weight_quantized', 'float32 → int8', true],
    ['fc.weight', 'fc.weight_quantized', 'float32 → int8', true],
  ]);
  for (const w of r.changedWeights) {
    assert.ok(w.maxAbs > 0 && w.maxAbs <= 0.5 / 127 + 1e-9, `${w.name} ${w.maxAbs}`);
    assert.ok(w.cosine > 0.999 && w.sqnrDb > 30 && Number.isFinite(w.sqnrDb), `${w.name} ${w.cosine} ${w.sqnrDb}`);
  }
  assert.deepEqual(r.weightSummary.beyondRounding, []);
  assert.match(r.weightSummary.words, /^3 tensors float32 → int8, max relative error \d/);
  assert.ok(r.matches.every((m) => m.status === 'unchanged'));
});

test('one weight scaled by 1.01: exactly that tensor changed, its reader has changed weights', async () => {
  const r = await diff(files.base, files.scaled);
  assert.equal(r.matched, 9);
  assert.equal(r.changedWeights.length, 1);
  const w = r.changedWeights[0];
  assert.equal(w.name, 'conv2.weight');
  assert.equal(w.dtype, 'float32');
  assert.ok(Math.abs(w.maxRel - 0.01) < 1e-6, String(w.maxRel));
  assert.ok(Math.abs(w.sqnrDb - 40) < 0.01, String(w.sqnrDb));
  assert.ok(w.cosine > 0.9999999);
  assert.deepEqual(r.weightSummary.beyondRounding, ['conv2.weight']);
  assert.match(r.weightSummary.words, /^1 tensor of 10 changed, max relative error 1\.0e-2; 1 changed beyond rounding: conv2\.weight$/);
  assert.deepEqual(r.matches.filter((m) => m.status !== 'unchanged').map((m) => [m.a, m.status]), [['conv2', 'weights']]);
});

test('a written-out LayerNorm against LayerNormalization: one rewrite match holding the region', async () => {
  const r = await diff(files.ln, files.lnFused);
  assert.deepEqual([r.added, r.removed], [[], []]);
  const ln = match(r, '/ln/AddBias');
  assert.equal(ln?.b, '/ln/LayerNormalization');
  assert.equal(ln?.reason, 'rewrite');
  assert.equal(ln?.fusedA?.length, 8);
  assert.equal(match(r, '/act/Relu')?.reason, 'name');
});

test('unrelated models still compare: little matched and a message says so', async () => {
  const r = await diff(files.base, files.mlp);
  assert.ok(r.matched <= 2, String(r.matched));
  assert.match(r.message ?? '', /^\d of 9 nodes matched: these look like unrelated models/);
  assert.equal(r.removed.length + r.matched, 9);
});

test('weightHistograms: both sides over one range, B dequantized', async () => {
  const [a, b] = [await openModel(files.base), await openModel(files.quantized)];
  const h = await weightHistograms(a, b, 'conv2.weight', 16, 'conv2.weight_quantized');
  assert.ok(h);
  assert.equal(h.a.length, 16);
  assert.equal(h.a.reduce((s, x) => s + x, 0), 6 * 4 * 9);
  assert.equal(h.b.reduce((s, x) => s + x, 0), 6 * 4 * 9);
  assert.ok(h.min < 0 && h.max > 0 && h.max < 1);
  assert.equal(await weightHistograms(a, b, 'no such tensor'), null);
});
