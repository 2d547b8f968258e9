// FLOPs/MACs per operator against hand-computed counts, dims substitution, parameters equal to the
// summary, activation memory, training arithmetic, and published counts of classic CNNs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { computeCost } from '../../src/core/cost/cost.js';
import { openModel } from '../../src/core/formats/index.js';
import { summarizeModel } from '../../src/core/model-summary.js';
import { buildConvNetModel, buildLinearModel, buildMlpModel, convNetSpec, linearSpec, mlpSpec } from '../fixtures/onnx/index.js';
import { repoRoot } from '../support/paths.js';
import { checkSharedModelCost } from './shared-model-cost.js';
import { cleanupModels, oneNode, openSpec, weight, writeTemp } from './explain-models.js';

after(cleanupModels);
const F = 'float32' as const;
const models = path.resolve(repoRoot, '../shared/models');

async function costOf(spec: Parameters<typeof openSpec>[0], dims: Record<string, number> = {}) {
  const m = await openSpec(spec);
  try { return await computeCost(m, { dims }); } finally { await m.close(); }
}

test('Conv with groups, stride and pads: out × (C/group × kernel) MACs, + bias', async () => {
  const r = await costOf(oneNode(
    { op: 'Conv', name: 'conv', inputs: ['x', 'W', 'b'], outputs: ['y'], attributes: [{ name: 'group', i: 2 }, { name: 'strides', ints: [2, 2] }, { name: 'pads', ints: [1, 1, 1, 1] }] },
    [{ name: 'x', dtype: F, shape: [1, 4, 10, 10] }], [weight('W', [6, 2, 3, 3], 1), weight('b', [6], 2)], [{ name: 'y', dtype: F }]));
  // Output [1, 6, 5, 5] = 150 elements, each 2 in-channels × 3×3 = 18 MACs.
  assert.deepEqual(r.nodes[0].outputShapes, [[1, 6, 5, 5]]);
  assert.equal(r.macs, 150 * 18);
  assert.equal(r.flops, 2 * 150 * 18 + 150);
});

test('Conv with dilation and SAME_UPPER keeps the size; batch from the dims map', async () => {
  const spec = oneNode(
    { op: 'Conv', inputs: ['x', 'W'], outputs: ['y'], attributes: [{ name: 'dilations', ints: [2, 2] }, { name: 'auto_pad', s: 'SAME_UPPER' }] },
    [{ name: 'x', dtype: F, shape: ['batch', 3, 8, 8] }], [weight('W', [4, 3, 3, 3], 3)], [{ name: 'y', dtype: F }]);
  const r = await costOf(spec, { batch: 2 });
  assert.deepEqual(r.nodes[0].outputShapes, [[2, 4, 8, 8]]);
  assert.equal(r.macs, 2 * 4 * 8 * 8 * 27);
  assert.equal(r.flops, 2 * r.macs);
  assert.deepEqual(r.assumedDims, {});
  const one = await costOf(spec);
  assert.deepEqual(one.assumedDims, { batch: 1 }, 'an unset symbolic batch dim is assumed 1 and reported');
  assert.equal(one.macs * 2, r.macs);
});

test('ConvTranspose scatters every input element over the kernel of each output channel', async () => {
  const r = await costOf(oneNode(
    { op: 'ConvTranspose', inputs: ['x', 'W'], outputs: ['y'], attributes: [{ name: 'strides', ints: [2, 2] }] },
    [{ name: 'x', dtype: F, shape: [1, 2, 4, 4] }], [weight('W', [2, 3, 3, 3], 4)], [{ name: 'y', dtype: F }]));
  assert.deepEqual(r.nodes[0].outputShapes, [[1, 3, 9, 9]]);
  assert.equal(r.macs, 32 * 3 * 9);
});

test('batched, broadcast MatMul: outputs × K', async () => {
  const r = await costOf(oneNode({ op: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] },
    [{ name: 'a', dtype: F, shape: [2, 1, 5, 7] }, { name: 'b', dtype: F, shape: [3, 7, 4] }], [], [{ name: 'y', dtype: F }]));
  assert.deepEqual(r.nodes[0].outputShapes, [[2, 3, 5, 4]]);
  assert.equal(r.macs, 120 * 7);
  assert.equal(r.flops, 2 * 120 * 7);
});

test('Gemm with transB and bias under a dims map', async () => {
  const spec = oneNode({ op: 'Gemm', inputs: ['x', 'W', 'b'], outputs: ['y'], attributes: [{ name: 'transB', i: 1 }] },
    [{ name: 'x', dtype: F, shape: ['N', 16] }], [weight('W', [32, 16], 5), weight('b', [32], 6)], [{ name: 'y', dtype: F }]);
  const r = await costOf(spec, { N: 8 });
  assert.equal(r.macs, 8 * 32 * 16);
  assert.equal(r.flops, 2 * 8 * 32 * 16 + 8 * 32);
  assert.equal(r.batch, 8, 'the size given to the symbolic leading dim is the batch');
  assert.equal(r.flopsPerExample, r.flops / 8);
});

test('com.microsoft Attention: QKV projection + Q·Kᵀ + weights·V, softmax and scale per score', async () => {
  const [B, S, H, heads] = [2, 10, 32, 4];
  const r = await costOf(oneNode(
    { op: 'Attention', domain: 'com.microsoft', inputs: ['x', 'W', 'bias'], outputs: ['y'], attributes: [{ name: 'num_heads', i: heads }] },
    [{ name: 'x', dtype: F, shape: [B, S, H] }], [weight('W', [H, 3 * H], 7), weight('bias', [3 * H], 8)], [{ name: 'y', dtype: F }],
    [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }]));
  const macs = B * S * H * 3 * H + 2 * (B * S * S * H);
  assert.equal(r.macs, macs);
  assert.equal(r.flops, 2 * macs + B * S * 3 * H + 4 * B * heads * S * S);
  assert.deepEqual(r.nodes[0].outputShapes, [[B, S, H]]);
});

test('MultiHeadAttention: Q·Kᵀ and weights·V over the key length', async () => {
  const r = await costOf(oneNode(
    { op: 'MultiHeadAttention', domain: 'com.microsoft', inputs: ['q', 'k', 'v'], outputs: ['y'], attributes: [{ name: 'num_heads', i: 4 }] },
    [{ name: 'q', dtype: F, shape: [2, 10, 32] }, { name: 'k', dtype: F, shape: [2, 12, 32] }, { name: 'v', dtype: F, shape: [2, 12, 32] }], [], [{ name: 'y', dtype: F }],
    [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }]));
  assert.equal(r.macs, 2 * (2 * 10 * 12 * 32));
  assert.equal(r.flops, 2 * r.macs + 4 * 2 * 4 * 10 * 12);
});

test('decomposed attention is its MatMuls plus Softmax at 3 FLOPs per element', async () => {
  const r = await costOf({
    graph: {
      name: 'attn', inputs: [{ name: 'q', dtype: F, shape: [1, 4, 16, 8] }, { name: 'k', dtype: F, shape: [1, 4, 8, 16] }, { name: 'v', dtype: F, shape: [1, 4, 16, 8] }],
      outputs: [{ name: 'y', dtype: F }],
      nodes: [
        { op: 'MatMul', inputs: ['q', 'k'], outputs: ['s'] },
        { op: 'Softmax', inputs: ['s'], outputs: ['p'], attributes: [{ name: 'axis', i: -1 }] },
        { op: 'MatMul', inputs: ['p', 'v'], outputs: ['y'] },
      ],
    },
  });
  assert.equal(r.macs, 4 * 16 * 16 * 8 * 2);
  assert.equal(r.flops, 2 * r.macs + 3 * 4 * 16 * 16);
  assert.equal(r.byOpType.Softmax.flops, 3 * 1024);
});

test('LSTM: directions × steps × batch × 4 gates × H·(I+H) MACs', async () => {
  const r = await costOf(oneNode(
    { op: 'LSTM', inputs: ['x', 'W', 'R'], outputs: ['Y'], attributes: [{ name: 'hidden_size', i: 4 }] },
    [{ name: 'x', dtype: F, shape: [5, 2, 3] }], [weight('W', [1, 16, 3], 9), weight('R', [1, 16, 4], 10)], [{ name: 'Y', dtype: F }]));
  assert.equal(r.macs, 5 * 2 * 4 * 4 * (3 + 4));
  assert.deepEqual(r.nodes[0].outputShapes[0], [5, 1, 2, 4]);
});

test('elementwise, norms and data movement follow the stated convention', async () => {
  const r = await costOf({
    graph: {
      name: 'mix', inputs: [{ name: 'x', dtype: F, shape: [8, 32] }], outputs: [{ name: 'y', dtype: F }],
      initializers: [weight('g', [32], 1), weight('b', [32], 2), { name: 'shape', dtype: 'int64', dims: [2], int64Data: [16, 16] }],
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['r'] },
        { op: 'LayerNormalization', inputs: ['r', 'g', 'b'], outputs: ['n'] },
        { op: 'Reshape', inputs: ['n', 'shape'], outputs: ['s'] },
        { op: 'Transpose', inputs: ['s'], outputs: ['y'] },
      ],
    },
  });
  assert.equal(r.byOpType.Relu.flops, 256);
  assert.equal(r.byOpType.LayerNormalization.flops, 7 * 256, '5 per element + γ + β');
  assert.equal(r.byOpType.Reshape.flops, 0);
  assert.deepEqual(r.nodes[3].outputShapes, [[16, 16]], 'the reshape target is read from the int64 initializer');
  assert.equal(r.nodes[3].bytesWritten, 1024, 'data movement still reads and writes bytes');
  assert.equal(r.macs, 0);
});

test('a fixed leading dim is not changed by the batch option: one example per pass', async () => {
  const m = await openSpec(convNetSpec());
  try {
    const r = await computeCost(m, { batch: 4 });
    assert.equal(r.batch, 1);
    assert.deepEqual(r.inputs[0].shape, [1, 1, 8, 8]);
    assert.equal(r.flopsPerExample, r.flops);
  } finally { await m.close(); }
});

test('parameters equal summarizeModel on the fixtures', async () => {
  for (const spec of [linearSpec(), mlpSpec(), convNetSpec()]) {
    const m = await openSpec(spec);
    try {
      const r = await computeCost(m);
      assert.equal(r.parameters, summarizeModel(m).parameters, spec.graph.name);
      assert.equal(r.parameterBytes, summarizeModel(m).parameterBytes);
      assert.equal(r.parameterBytesAs.fp16, r.parameters * 2);
    } finally { await m.close(); }
  }
});

test('conv-net fixture: every layer by hand', async () => {
  const r = await costOf(convNetSpec());
  const conv = 4 * 8 * 8 * 9, fc = 64 * 10;
  assert.equal(r.macs, conv + fc);
  const flops = 2 * conv + 256 /* conv bias */ + 256 /* relu */ + 64 * 4 /* pool 2×2 windows */ + 2 * fc + 10 /* fc bias */ + 30 /* softmax */;
  assert.equal(r.flops, flops);
});

test('peak activation memory frees values after their last reader', async () => {
  const r = await costOf({
    graph: {
      name: 'branch', inputs: [{ name: 'x', dtype: F, shape: [1, 1000] }], outputs: [{ name: 'y', dtype: F }],
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['a'] },
        { op: 'Relu', inputs: ['a'], outputs: ['b'] },
        { op: 'Add', inputs: ['x', 'b'], outputs: ['y'] },
      ],
    },
  });
  // x must live until the Add: x + a + b = 12 kB while b is computed; x + b + y = 12 kB at the Add.
  assert.equal(r.activationBytesPeak, 12000);
  assert.equal(r.activationBytesTotal, 16000);
});

test('training: 3× forward per example, weights + gradients + Adam state + activations', async () => {
  const m = await openSpec(mlpSpec());
  try {
    const r = await computeCost(m, { batch: 4, datasetSize: 1000, epochs: 3 });
    assert.equal(r.training.flopsPerExample, 3 * r.flopsPerExample);
    assert.equal(r.flopsPerExample, r.flops / 4);
    assert.equal(r.training.stepsPerEpoch, 250);
    assert.equal(r.training.steps, 750);
    assert.equal(r.training.inferencesPerRun, 3 * 1000 * 3);
    const P = r.parameters;
    assert.deepEqual(
      [r.training.memoryBytes.weights, r.training.memoryBytes.gradients, r.training.memoryBytes.optimizerState],
      [4 * P, 4 * P, 8 * P]);
    assert.equal(r.training.memoryBytes.activations, r.activationBytesTotal);
    assert.equal(r.training.memoryBytes.total, 16 * P + r.activationBytesTotal);
    assert.equal(r.phone.inferenceSeconds, r.flopsPerExample / 100e9);
  } finally { await m.close(); }
});

test('mnist.onnx from ../shared/models: hand count and summary parameters', async (t) => {
  await checkSharedModelCost(t, path.join(models, 'onnx/ort-inference-examples/mnist.onnx'), (r, m) => {
    // Conv 8×5×5 on 28×28 (SAME), Conv 16×8×5×5 on 14×14 (SAME), FC 256→10.
    assert.equal(r.macs, 28 * 28 * 8 * 25 + 14 * 14 * 16 * 200 + 2560);
    assert.equal(r.parameters, summarizeModel(m).parameters);
    assert.equal(r.computedWeightElements, 0, 'a reshaped stored weight is not a new weight');
  });
});

// Published multiply-accumulate counts at 224×224 (torchvision / the original papers). The
// light_* models keep the architectures with weights made by ConstantOfShape, so their weights
// are not initializers: parameters show up as computedWeightElements instead.
const PUBLISHED: [string, number, number, number][] = [
  ['light_resnet50.onnx', 4.0e9, 4.2e9, 25.6e6],
  ['light_vgg19.onnx', 19.5e9, 19.7e9, 143.7e6],
  ['light_densenet121.onnx', 2.8e9, 2.95e9, 8.0e6],
  ['light_inception_v1.onnx', 1.4e9, 1.6e9, 7.0e6],
];
for (const [name, lo, hi, params] of PUBLISHED) {
  test(`${name}: MACs within the published range`, async (t) => {
    await checkSharedModelCost(t, path.join(models, 'onnx-backend-tests/light', name), (r) => {
      assert.deepEqual(r.inputs[0].shape, [1, 3, 224, 224]);
      assert.ok(r.macs >= lo && r.macs <= hi, `${(r.macs / 1e9).toFixed(3)} GMACs not in [${lo / 1e9}, ${hi / 1e9}]`);
      assert.ok(Math.abs(r.computedWeightElements - params) / params < 0.03, `${r.computedWeightElements} generated weights vs ~${params}`);
      assert.deepEqual(r.unsupportedOps, []);
      assert.deepEqual(r.unresolvedNodes, []);
    });
  });
}

test('AlexNet (bvlc, 224×224 input here): 0.66 GMACs; 0.72 is the 227×227 figure', async (t) => {
  await checkSharedModelCost(t, path.join(models, 'onnx-backend-tests/light/light_bvlc_alexnet.onnx'), (r) => {
    assert.ok(r.macs > 0.64e9 && r.macs < 0.67e9, `${r.macs}`);
    assert.ok(Math.abs(r.computedWeightElements - 61e6) / 61e6 < 0.01);
  });
});

test('the linear and MLP fixture bytes open and cost without unknown shapes', async () => {
  for (const bytes of [buildLinearModel(), buildMlpModel(), buildConvNetModel()]) {
    const m = await openModel(writeTemp('f.onnx', bytes));
    try {
      const r = await computeCost(m);
      assert.deepEqual(r.unresolvedNodes, []);
      assert.ok(r.flops > 0);
    } finally { await m.close(); }
  }
});
