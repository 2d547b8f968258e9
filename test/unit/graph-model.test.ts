// The drawable model built from a real payload (conv net and If fixtures through the real core),
// node box texts, and find.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openModel } from '../../src/core/formats/index.js';
import { buildGraphPayload } from '../../src/core/graph-payload.js';
import { inferShapes } from '../../src/core/shapes/index.js';
import { buildGraphModel } from '../../src/core/layout/graph-model.js';
import { findMatches } from '../../webview/graph/find.js';
import { keyAttributes } from '../../src/core/layout/node-text.js';
import { buildHierarchy } from '../../src/core/layout/hierarchy.js';
import { opDescription, describedOps } from '../../webview/graph/op-descriptions.js';
import { buildConvNetModel, buildIfModel, removeDir, tempDir, writeFixture } from '../fixtures/onnx/index.js';

async function payloadOf(name: string, bytes: Uint8Array) {
  const dir = tempDir('graph-model');
  try {
    const m = await openModel(writeFixture(dir, name, bytes));
    await inferShapes(m);
    const p = buildGraphPayload(m);
    await m.close();
    return p;
  } finally { removeDir(dir); }
}

test('leaves are the nodes plus graph inputs and outputs; edges follow values, weights stay inside', async () => {
  const p = await payloadOf('convnet.onnx', buildConvNetModel());
  const m = await buildGraphModel(p);
  assert.equal(m.nodeCount, 6);
  assert.equal(m.leafCount, 8);
  assert.deepEqual([m.texts[6].title, m.texts[7].title], ['input', 'output']);
  assert.deepEqual(m.texts[6].lines, ['x', 'float32 [1, 1, 8, 8]']);
  // x → conv → relu → pool → flatten → fc → softmax → y: 7 edges, none from weights.
  const edges = Array.from(m.edgeSrc, (s, i) => `${m.names[s]}>${m.names[m.edgeDst[i]]}`);
  assert.deepEqual(edges.sort(), ['conv>relu', 'fc>softmax', 'flatten>fc', 'pool>flatten', 'relu>pool', 'softmax>y', 'x>conv'].sort());
  // The Conv box names its kernel and its weights with shapes.
  assert.deepEqual(m.texts[0], { title: 'Conv', lines: ['kernel 3×3, pads 1,1,1,1', 'weight ⟨4×1×3×3⟩', 'bias ⟨4⟩'] });
  assert.ok(m.leafW[0] > m.leafW[1], 'a box with more text is wider');
});

test('key attributes: kernel, stride, perm; defaults left out', () => {
  const a = keyAttributes([
    { name: 'kernel_shape', type: 'ints', value: [3, 3] }, { name: 'strides', type: 'ints', value: [2, 2] },
    { name: 'dilations', type: 'ints', value: [1, 1] }, { name: 'group', type: 'int', value: 1 }, { name: 'perm', type: 'ints', value: [0, 2, 1, 3] },
  ]);
  assert.deepEqual(a, ['kernel 3×3', 'stride 2', 'perm [0,2,1,3]']);
});

test('find matches names, op types and tensor names; regex; bad regex throws', async () => {
  const p = await payloadOf('convnet.onnx', buildConvNetModel());
  const m = await buildGraphModel(p);
  assert.deepEqual(findMatches(m, 'pool', false).map((r) => [m.names[r.leaf], r.why]), [['pool', 'name'], ['flatten', 'tensor pool_out']]);
  assert.deepEqual(findMatches(m, 'gemm', false).map((r) => [m.names[r.leaf], r.why]), [['fc', 'op']]);
  assert.deepEqual(findMatches(m, 'relu_out', false).map((r) => m.names[r.leaf]), ['relu', 'pool']);
  assert.deepEqual(findMatches(m, '^(conv|fc)$', true).map((r) => m.names[r.leaf]), ['conv', 'fc']);
  assert.throws(() => findMatches(m, '(', true));
  assert.deepEqual(findMatches(m, '', false), []);
});

test('If bodies become groups beside the If node', async () => {
  const p = await payloadOf('if.onnx', buildIfModel());
  const m = await buildGraphModel(p);
  const h = buildHierarchy({ names: m.names, graphOf: m.graphOf, graphs: p.graphs });
  const labels = h.groupLabel;
  assert.ok(labels.includes('if.then_branch') && labels.includes('if.else_branch'), labels.join(','));
  const thenG = labels.indexOf('if.then_branch');
  const members = m.names.filter((_, i) => h.leafParent[i] === thenG);
  assert.deepEqual(members.sort(), ['then_body_add', 'then_body_const']);
});

test('op descriptions cover the common ops and their TF spellings', () => {
  assert.ok(describedOps().length >= 80, `${describedOps().length} ops`);
  for (const op of ['Conv', 'MatMul', 'Gemm', 'Relu', 'Softmax', 'LayerNormalization', 'Reshape', 'Transpose', 'Concat', 'Gather', 'Conv2D', 'BiasAdd', 'FusedBatchNormV3']) {
    assert.ok((opDescription(op) ?? '').length > 40, op);
  }
  assert.equal(opDescription('NoSuchOp'), null);
});
