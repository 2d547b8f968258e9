// Node formulas with the model's real numbers, and the model composed into one formula.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { composeModelFormula } from '../../src/core/explain/formula/compose.js';
import { nodeFormula } from '../../src/core/explain/formula/formula.js';
import { openModel } from '../../src/core/formats/index.js';
import type { Model } from '../../src/core/ir/graph.js';
import { convNetSpec, f32, ifSpec, linearSpec, mlpSpec, type ModelSpec } from '../fixtures/onnx/index.js';
import { repoRoot } from '../support/paths.js';
import { cleanupModels, oneNode, openSpec, weight } from './explain-models.js';

after(cleanupModels);
const F = 'float32' as const;

async function withModel<T>(spec: ModelSpec, f: (m: Model) => Promise<T>): Promise<T> {
  const m = await openSpec(spec);
  try { return await f(m); } finally { await m.close(); }
}
const node = (m: Model, op: string) => m.graph.nodes.find((n) => n.opType === op)!;

test('y = 2x + 1 fixture: the formula shows 2 and 1, per node and composed', async () => {
  await withModel(linearSpec(), async (m) => {
    assert.equal((await nodeFormula(node(m, 'MatMul'))).text, 'y = 2.0·x');
    const add = await nodeFormula(node(m, 'Add'));
    assert.equal(add.text, 'y = x + 1.0');
    assert.deepEqual(add.tensors.map((t) => [t.symbol, t.name, t.values]), [['b', 'B', [1]]]);
    const c = await composeModelFormula(m);
    assert.equal(c.qualifies, true);
    assert.equal(c.text, 'y = 2.0·x + 1.0');
  });
});

test('a Gemm with a 1×1 weight reads y = 2.0·x + 1.0 (and − for a negative bias)', async () => {
  const gemm = (bias: number) => oneNode({ op: 'Gemm', inputs: ['x', 'W', 'b'], outputs: ['y'] },
    [{ name: 'x', dtype: F, shape: ['N', 1] }], [{ name: 'W', dtype: F, dims: [1, 1], raw: f32([2]) }, { name: 'b', dtype: F, dims: [1], raw: f32([bias]) }], [{ name: 'y', dtype: F }]);
  await withModel(gemm(1), async (m) => {
    const f = await nodeFormula(m.graph.nodes[0]);
    assert.equal(f.text, 'y = 2.0·x + 1.0');
    assert.deepEqual(f.parts.filter((p) => p.kind === 'number').map((p) => [p.text, p.ref]), [['2.0', 'W'], ['1.0', 'b']]);
    assert.equal(f.family, 'linear');
  });
  await withModel(gemm(-0.5), async (m) => assert.equal((await nodeFormula(m.graph.nodes[0])).text, 'y = 2.0·x − 0.5'));
});

test('Conv formula: indices with stride, pad and groups substituted; W shape and parameter count', async () => {
  await withModel(convNetSpec(), async (m) => {
    const f = await nodeFormula(node(m, 'Conv'));
    assert.equal(f.text, 'y[c,h,w] = b[c] + Σ_{k,i,j} W[c,k,i,j]·x[k,h+i−1,w+j−1]');
    assert.match(f.notes[0], /^W \(conv\.weight\): 4×1×3×3 = 36 parameters, mean −?[\d.]+, std [\d.]+, range/);
    assert.match(f.notes[1], /^b \(conv\.bias\): 4 = 4 parameters: \[−0\.1667, 0\.2188, −0\.4063, −0\.02083\]$/);
    assert.equal(f.family, 'convolution');
  });
  const grouped = oneNode({ op: 'Conv', inputs: ['x', 'W'], outputs: ['y'], attributes: [{ name: 'group', i: 2 }, { name: 'strides', ints: [2, 2] }, { name: 'pads', ints: [1, 1, 1, 1] }, { name: 'dilations', ints: [2, 2] }] },
    [{ name: 'x', dtype: F, shape: [1, 4, 9, 9] }], [weight('W', [6, 2, 3, 3], 1)], [{ name: 'y', dtype: F }]);
  await withModel(grouped, async (m) => {
    const f = await nodeFormula(m.graph.nodes[0]);
    assert.equal(f.text, 'y[c,h,w] = Σ_{k,i,j} W[c,k,i,j]·x[⌊c/3⌋·2+k,2h+2i−1,2w+2j−1]');
    assert.match(f.notes.join('\n'), /stride 2×2, dilation 2×2, padding 1,1, 2 groups/);
  });
  const depthwise = oneNode({ op: 'Conv', inputs: ['x', 'W'], outputs: ['y'], attributes: [{ name: 'group', i: 3 }] },
    [{ name: 'x', dtype: F, shape: [1, 3, 5, 5] }], [weight('W', [3, 1, 3, 3], 2)], [{ name: 'y', dtype: F }]);
  await withModel(depthwise, async (m) => assert.equal((await nodeFormula(m.graph.nodes[0])).text, 'y[c,h,w] = Σ_{i,j} W[c,0,i,j]·x[c,h+i,w+j]'));
});

test('activations, pooling, softmax and reshape families', async () => {
  await withModel(convNetSpec(), async (m) => {
    assert.equal((await nodeFormula(node(m, 'Relu'))).text, 'y = max(0, x)');
    assert.equal((await nodeFormula(node(m, 'MaxPool'))).text, 'y[c,h,w] = max_{i<2,j<2} x[c,2h+i,2w+j]');
    const sm = await nodeFormula(node(m, 'Softmax'));
    assert.equal(sm.text, 'y = e^xᵢ / Σⱼ e^xⱼ');
    assert.deepEqual(sm.notes, ['over axis 1']);
    assert.equal((await nodeFormula(node(m, 'Flatten'))).family, 'reshape');
  });
  const chain: ModelSpec = {
    graph: {
      name: 'acts', inputs: [{ name: 'x', dtype: F, shape: [1, 2, 4, 4] }], outputs: [{ name: 'y', dtype: F }],
      initializers: [weight('g', [2], 1), weight('bt', [2], 2), weight('mu', [2], 3), { name: 'var', dtype: F, dims: [2], raw: f32([1, 2]) }],
      nodes: [
        { op: 'BatchNormalization', inputs: ['x', 'g', 'bt', 'mu', 'var'], outputs: ['a'], attributes: [{ name: 'epsilon', f: 0.001 }] },
        { op: 'LeakyRelu', inputs: ['a'], outputs: ['b'], attributes: [{ name: 'alpha', f: 0.1 }] },
        { op: 'Sigmoid', inputs: ['b'], outputs: ['c'] },
        { op: 'AveragePool', inputs: ['c'], outputs: ['d'], attributes: [{ name: 'kernel_shape', ints: [2, 2] }, { name: 'strides', ints: [2, 2] }] },
        { op: 'GlobalAveragePool', inputs: ['d'], outputs: ['e'] },
        { op: 'Gelu', inputs: ['e'], outputs: ['y'] },
      ],
    },
    opsets: [{ domain: '', version: 20 }],
  };
  await withModel(chain, async (m) => {
    const f = await Promise.all(m.graph.nodes.map((n) => nodeFormula(n)));
    assert.equal(f[0].text, 'y[c] = γ[c]·(x[c] − μ[c]) / √(σ²[c] + 0.001) + β[c]');
    assert.ok(f[0].notes.some((n) => n === 'σ² (var): 2 = 2 parameters: [1.0, 2.0]'), f[0].notes.join('\n'));
    assert.equal(f[1].text, 'y = max(x, 0.1·x)');
    assert.equal(f[2].text, 'y = 1 / (1 + e^(−x))');
    assert.equal(f[3].text, 'y[c,h,w] = (1/4) Σ_{i<2,j<2} x[c,2h+i,2w+j]');
    assert.equal(f[4].text, 'y[c] = mean_{h,w} x[c,h,w]');
    assert.equal(f[5].text, 'y = ½·x·(1 + erf(x / √2))');
  });
});

test('LayerNormalization and attention read as math', async () => {
  const ln = oneNode({ op: 'LayerNormalization', inputs: ['x', 'g', 'b'], outputs: ['y'], attributes: [{ name: 'epsilon', f: 1e-5 }] },
    [{ name: 'x', dtype: F, shape: [2, 8] }], [weight('g', [8], 1), weight('b', [8], 2)], [{ name: 'y', dtype: F }]);
  await withModel(ln, async (m) => assert.equal((await nodeFormula(m.graph.nodes[0])).text, 'y = γ ⊙ (x − μ) / √(σ² + 1e-5) + β'));
  const mha = oneNode({ op: 'MultiHeadAttention', domain: 'com.microsoft', inputs: ['q', 'k', 'v'], outputs: ['y'], attributes: [{ name: 'num_heads', i: 4 }] },
    ['q', 'k', 'v'].map((name) => ({ name, dtype: F, shape: [1, 6, 16] })), [], [{ name: 'y', dtype: F }], [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }]);
  await withModel(mha, async (m) => {
    const f = await nodeFormula(m.graph.nodes[0]);
    assert.equal(f.text, 'y = concat over 4 heads of softmax(x₁·x₂ᵀ/√d)·x₃');
    assert.equal(f.family, 'attention');
  });
});

test('the MLP composes into one expression with a legend of its weights', async () => {
  await withModel(mlpSpec(), async (m) => {
    const c = await composeModelFormula(m);
    assert.equal(c.text, 'y = relu(relu(x·W₁ + b₁)·W₂ + b₂)·W₃ + b₃');
    assert.deepEqual(c.legend.map((l) => `${l.symbol}=${l.name}[${l.shape.join(',')}]`),
      ['W₁=fc0.weight[4,8]', 'b₁=fc0.bias[8]', 'W₂=fc1.weight[8,8]', 'b₂=fc1.bias[8]', 'W₃=fc2.weight[8,3]', 'b₃=fc2.bias[3]']);
  });
  await withModel(convNetSpec(), async (m) => assert.equal((await composeModelFormula(m)).text, 'y = softmax(flatten(maxpool(relu(W₁ ⋆ x + b₁)))·W₂ + b₂)'));
});

test('branches and depth fold into named lines; control flow and big graphs do not qualify', async () => {
  const residual: ModelSpec = {
    graph: {
      name: 'res', inputs: [{ name: 'x', dtype: F, shape: [1, 4] }], outputs: [{ name: 'y', dtype: F }],
      initializers: [weight('W', [4, 4], 1), weight('b', [4], 2)],
      nodes: [
        { op: 'Gemm', inputs: ['x', 'W', 'b'], outputs: ['h'], attributes: [{ name: 'transB', i: 1 }] },
        { op: 'Relu', inputs: ['h'], outputs: ['r'] },
        { op: 'Add', inputs: ['h', 'r'], outputs: ['y'] },
      ],
    },
  };
  await withModel(residual, async (m) => assert.deepEqual((await composeModelFormula(m)).lines, ['h₁ = W₁·x + b₁', 'y = h₁ + relu(h₁)']));
  const deep: ModelSpec = {
    graph: {
      name: 'deep', inputs: [{ name: 'x', dtype: F, shape: [3] }], outputs: [{ name: 'y', dtype: F }],
      nodes: Array.from({ length: 6 }, (_, i) => ({ op: 'Tanh', inputs: [i ? `t${i}` : 'x'], outputs: [i === 5 ? 'y' : `t${i + 1}`] })),
    },
  };
  await withModel(deep, async (m) => assert.deepEqual((await composeModelFormula(m, { maxDepth: 3 })).lines,
    ['h₁ = tanh(tanh(tanh(tanh(x))))', 'y = tanh(tanh(h₁))']));
  await withModel(ifSpec(), async (m) => {
    const c = await composeModelFormula(m);
    assert.equal(c.qualifies, false);
    assert.match(c.reason!, /control flow/);
  });
  await withModel(mlpSpec(), async (m) => assert.match((await composeModelFormula(m, { maxNodes: 3 })).reason!, /5 computing nodes/));
});

test('mnist.onnx: weights computed by Reshape are named, and the model composes', async (t) => {
  const file = path.resolve(repoRoot, '../shared/models/onnx/ort-inference-examples/mnist.onnx');
  if (!existsSync(file)) return t.skip(`${file} is absent`);
  const m = await openModel(file);
  try {
    const mm = await nodeFormula(m.graph.nodes.find((n) => n.opType === 'MatMul')!);
    assert.equal(mm.text, 'y = x·W');
    assert.match(mm.notes[0], /computed from weights by Reshape → \[256, 10\]/);
    const conv = await nodeFormula(m.graph.nodes.find((n) => n.opType === 'Conv')!);
    assert.equal(conv.text, 'y[c,h,w] = Σ_{k,i,j} W[c,k,i,j]·x[k,h+i−2,w+j−2]', 'SAME_UPPER 5×5 pads 2 before');
    assert.equal((await composeModelFormula(m)).text, 'y = reshape(maxpool(relu(W₂ ⋆ maxpool(relu(W₁ ⋆ x + b₁)) + b₂)))·W₃ + b₃');
  } finally { await m.close(); }
});
