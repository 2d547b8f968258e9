// One output element by hand: equal to an independent direct computation, and to onnxruntime's
// value on the conv fixture and on a real CNN (mnist.onnx) when the runtime is built.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { featureMaps } from '../../src/core/explain/by-hand/feature-maps.js';
import { handCompute, unravel, type ArrayValue } from '../../src/core/explain/by-hand/hand-compute.js';
import { openModel } from '../../src/core/formats/index.js';
import type { Model, Node } from '../../src/core/ir/graph.js';
import { RuntimeHost } from '../../src/core/runtime/runtime-host.js';
import { toNumberArray, type RuntimeTensor } from '../../src/core/runtime/tensor-value.js';
import { buildConvNetModel, type AttributeSpec } from '../fixtures/onnx/index.js';
import { repoRoot } from '../support/paths.js';
import { cleanupModels, oneNode, openSpec, values, weight, writeTemp } from './explain-models.js';

after(cleanupModels);
const F = 'float32' as const;
const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
const arr = (shape: number[], seed: number): ArrayValue => ({ shape, data: Float32Array.from(values(shape.reduce((a, b) => a * b, 1), seed)) });

/** Direct 2-D convolution, written independently of the explain code: loops over every output. */
function directConv(x: ArrayValue, w: ArrayValue, b: ArrayValue | undefined, o: { group: number; stride: number[]; pad: number[]; dil: number[] }): ArrayValue {
  const [N, C, H, W] = x.shape, [M, Cg, KH, KW] = w.shape;
  const OH = Math.floor((H + o.pad[0] + o.pad[2] - o.dil[0] * (KH - 1) - 1) / o.stride[0]) + 1;
  const OW = Math.floor((W + o.pad[1] + o.pad[3] - o.dil[1] * (KW - 1) - 1) / o.stride[1]) + 1;
  const out = new Float64Array(N * M * OH * OW);
  for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    let s = b ? b.data[m] : 0;
    const g = Math.floor(m / (M / o.group));
    for (let c = 0; c < Cg; c++) for (let i = 0; i < KH; i++) for (let j = 0; j < KW; j++) {
      // ONNX pads: [top, left, bottom, right].
      const h = oh * o.stride[0] + i * o.dil[0] - o.pad[0], ww = ow * o.stride[1] + j * o.dil[1] - o.pad[1];
      if (h < 0 || h >= H || ww < 0 || ww >= W) continue;
      s += x.data[((n * C + g * Cg + c) * H + h) * W + ww] * w.data[((m * Cg + c) * KH + i) * KW + j];
    }
    out[((n * M + m) * OH + oh) * OW + ow] = s;
  }
  return { shape: [N, M, OH, OW], data: out };
}

function convNode(attrs: AttributeSpec[], wShape: number[], bias: boolean): Promise<Model> {
  return openSpec(oneNode({ op: 'Conv', name: 'conv', inputs: ['x', 'W', ...(bias ? ['b'] : [])], outputs: ['y'], attributes: attrs },
    [{ name: 'x', dtype: F }], [weight('W', wShape, 11), ...(bias ? [weight('b', [wShape[0]], 12)] : [])], [{ name: 'y', dtype: F }]));
}

test('Conv by hand equals a direct convolution at every output (groups, strides, pads, dilations)', async () => {
  const cases: { attrs: AttributeSpec[]; w: number[]; x: number[]; o: Parameters<typeof directConv>[3]; bias: boolean }[] = [
    { attrs: [], w: [3, 2, 3, 3], x: [1, 2, 5, 5], o: { group: 1, stride: [1, 1], pad: [0, 0, 0, 0], dil: [1, 1] }, bias: true },
    { attrs: [{ name: 'group', i: 2 }, { name: 'strides', ints: [2, 2] }, { name: 'pads', ints: [1, 1, 1, 1] }], w: [4, 2, 3, 3], x: [2, 4, 7, 7], o: { group: 2, stride: [2, 2], pad: [1, 1, 1, 1], dil: [1, 1] }, bias: true },
    { attrs: [{ name: 'dilations', ints: [2, 2] }, { name: 'pads', ints: [2, 2, 2, 2] }], w: [2, 3, 3, 3], x: [1, 3, 6, 6], o: { group: 1, stride: [1, 1], pad: [2, 2, 2, 2], dil: [2, 2] }, bias: false },
    { attrs: [{ name: 'group', i: 3 }, { name: 'auto_pad', s: 'SAME_UPPER' }, { name: 'strides', ints: [2, 2] }], w: [3, 1, 3, 3], x: [1, 3, 6, 6], o: { group: 3, stride: [2, 2], pad: [0, 0, 1, 1], dil: [1, 1] }, bias: true },
  ];
  for (const [ci, c] of cases.entries()) {
    const m = await convNode(c.attrs, c.w, c.bias);
    try {
      const x = arr(c.x, 100 + ci);
      const w = { shape: c.w, data: Float32Array.from(values(c.w.reduce((a, b) => a * b, 1), 11)) };
      const b = c.bias ? { shape: [c.w[0]], data: Float32Array.from(values(c.w[0], 12)) } : undefined;
      // Case 3: SAME_UPPER with stride 2 on 6 pads 1 in all, after the input (begin 0, end 1).
      const want = directConv(x, w, b, c.o);
      for (let i = 0; i < want.data.length; i++) {
        const h = await handCompute(m.graph.nodes[0], [x], i);
        assert.deepEqual(h.outputShape, want.shape);
        assert.ok(Math.abs(h.result - want.data[i]) < 1e-9, `case ${ci} element ${i}: ${h.result} vs ${want.data[i]}`);
        assert.ok(Math.abs(h.terms.reduce((a, t) => a + t.product, 0) - h.sum) < 1e-12);
        assert.equal(h.terms.length, c.w[1] * c.w[2] * c.w[3]);
        for (const t of h.terms) assert.equal(t.product, t.input * t.weight!);
      }
    } finally { await m.close(); }
  }
});

test('Gemm by hand with transA, transB, alpha and beta', async () => {
  const m = await openSpec(oneNode({ op: 'Gemm', inputs: ['a', 'W', 'c'], outputs: ['y'], attributes: [{ name: 'transA', i: 1 }, { name: 'transB', i: 1 }, { name: 'alpha', f: 0.5 }, { name: 'beta', f: 2 }] },
    [{ name: 'a', dtype: F, shape: [3, 2] }], [weight('W', [4, 3], 3), weight('c', [4], 4)], [{ name: 'y', dtype: F }]));
  try {
    const a = arr([3, 2], 1);
    const W = values(12, 3).map(Math.fround), c = values(4, 4).map(Math.fround);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += a.data[k * 2 + i] * W[j * 3 + k];
      const h = await handCompute(m.graph.nodes[0], [a], [i, j]);
      assert.ok(Math.abs(h.result - (0.5 * s + 2 * c[j])) < 1e-12);
      assert.deepEqual([h.alpha, h.beta, h.bias], [0.5, 2, c[j]]);
      assert.deepEqual(h.terms.map((t) => t.weightIndex), [[j, 0], [j, 1], [j, 2]]);
    }
  } finally { await m.close(); }
});

test('batched MatMul by hand broadcasts the batch dims', async () => {
  const m = await openSpec(oneNode({ op: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] },
    [{ name: 'a', dtype: F, shape: [2, 1, 3, 4] }, { name: 'b', dtype: F, shape: [3, 4, 5] }], [], [{ name: 'y', dtype: F }]));
  try {
    const a = arr([2, 1, 3, 4], 5), b = arr([3, 4, 5], 6);
    for (let flat = 0; flat < 2 * 3 * 3 * 5; flat++) {
      const [p, q, i, j] = unravel(flat, [2, 3, 3, 5]);
      let s = 0;
      for (let k = 0; k < 4; k++) s += a.data[(p * 3 + i) * 4 + k] * b.data[(q * 4 + k) * 5 + j];
      const h = await handCompute(m.graph.nodes[0], [a, b], flat);
      assert.ok(Math.abs(h.result - s) < 1e-12, `${flat}`);
    }
  } finally { await m.close(); }
});

test('pooling by hand: max, average with and without counting the padding', async () => {
  for (const [op, includePad] of [['MaxPool', 0], ['AveragePool', 0], ['AveragePool', 1]] as const) {
    const m = await openSpec(oneNode({ op, inputs: ['x'], outputs: ['y'], attributes: [{ name: 'kernel_shape', ints: [3, 3] }, { name: 'strides', ints: [2, 2] }, { name: 'pads', ints: [1, 1, 1, 1] }, ...(op === 'AveragePool' ? [{ name: 'count_include_pad', i: includePad }] : [])] },
      [{ name: 'x', dtype: F, shape: [1, 1, 4, 4] }], [], [{ name: 'y', dtype: F }]));
    try {
      const x = arr([1, 1, 4, 4], 9);
      // Output [0,0,0,0] reads rows/cols −1…1: 4 real values, 5 padding positions.
      const h = await handCompute(m.graph.nodes[0], [x], [0, 0, 0, 0]);
      const real = [0, 1, 4, 5].map((i) => x.data[i]);
      if (op === 'MaxPool') assert.equal(h.result, Math.max(...real));
      else assert.ok(Math.abs(h.result - real.reduce((a, b) => a + b, 0) / (includePad ? 9 : 4)) < 1e-12);
      assert.deepEqual(h.outputShape, [1, 1, 2, 2]);
    } finally { await m.close(); }
  }
});

test('feature maps: per-channel 2-D slices scaled to [0, 1], NCHW and NHWC alike', () => {
  const nchw = arr([1, 3, 4, 5], 3);
  const maps = featureMaps(nchw.data, nchw.shape);
  assert.equal(maps.length, 3);
  for (const m of maps) {
    assert.deepEqual([m.height, m.width], [4, 5]);
    assert.equal(Math.min(...m.values), 0);
    assert.equal(Math.max(...m.values), 1);
  }
  const raw = Array.from({ length: 20 }, (_, i) => nchw.data[20 + i]);
  assert.equal(maps[1].min, Math.min(...raw));
  const nhwc = new Float32Array(60);
  for (let c = 0; c < 3; c++) for (let p = 0; p < 20; p++) nhwc[p * 3 + c] = nchw.data[c * 20 + p];
  assert.deepEqual(featureMaps(nhwc, [1, 4, 5, 3], { layout: 'nhwc' }).map((m) => Array.from(m.values)), maps.map((m) => Array.from(m.values)));
  assert.throws(() => featureMaps(nchw.data, [60]), /\[N, C, H, W\]/);
});

/** A few output elements spread over a value of `size` elements: the first, one inside, the last. */
const spread = (size: number) => [...new Set([0, Math.floor(size / 3), size - 1])];

async function checkAgainstRuntime(t: { skip: (m: string) => void }, file: string, input: RuntimeTensor, picks: (m: Model) => Node[]): Promise<number> {
  if (!existsSync(processPath)) { t.skip('dist/runtime-process.js is not built'); return 0; }
  const model = await openModel(file);
  const rt = await RuntimeHost.start({ processPath });
  let checked = 0;
  try {
    await rt.load(file, { provider: 'cpu' });
    const r = await rt.run([input], { captureValues: ['*'] });
    const values = new Map<string, RuntimeTensor>([[input.name, input], ...[...r.captured, ...r.outputs].map((v) => [v.name, v] as const)]);
    const asArray = (name: string): ArrayValue | undefined => { const v = values.get(name); return v ? { shape: v.shape, data: toNumberArray(v) } : undefined; };
    for (const node of picks(model)) {
      const out = asArray(node.outputs[0].name)!;
      for (const i of spread(out.data.length)) {
        const h = await handCompute(node, node.inputs.map((v) => (v ? asArray(v.name) : undefined)), i);
        assert.deepEqual(h.outputShape, out.shape, node.name);
        const want = out.data[i];
        assert.ok(Math.abs(h.result - want) <= 1e-4 * Math.max(1, Math.abs(want)), `${node.name}[${i}]: by hand ${h.result}, onnxruntime ${want}`);
        checked++;
      }
    }
  } finally {
    await rt.dispose();
    await model.close();
  }
  return checked;
}

test('by hand equals onnxruntime on the conv-net fixture (Conv, MaxPool, Gemm)', async (t) => {
  const file = writeTemp('convnet.onnx', buildConvNetModel());
  const x: RuntimeTensor = { name: 'x', dtype: 'float32', shape: [1, 1, 8, 8], data: Float32Array.from(values(64, 77)) };
  const n = await checkAgainstRuntime(t, file, x, (m) => m.graph.nodes.filter((nd) => ['Conv', 'MaxPool', 'Gemm'].includes(nd.opType)));
  if (n) assert.equal(n, 9);
});

test('by hand equals onnxruntime on mnist.onnx (both convolutions, both pools, the MatMul)', async (t) => {
  const file = path.resolve(repoRoot, '../shared/models/onnx/ort-inference-examples/mnist.onnx');
  if (!existsSync(file)) return t.skip(`${file} is absent`);
  const x: RuntimeTensor = { name: 'Input3', dtype: 'float32', shape: [1, 1, 28, 28], data: Float32Array.from(values(784, 5), (v) => (v + 1) * 127) };
  const n = await checkAgainstRuntime(t, file, x, (m) => m.graph.nodes.filter((nd) => ['Conv', 'MaxPool', 'MatMul'].includes(nd.opType)));
  if (n) assert.equal(n, 15);
});


test('an element outside the output is refused, naming the node', async () => {
  const m = await openSpec(oneNode({ op: 'MatMul', name: 'mm', inputs: ['a', 'b'], outputs: ['y'] },
    [{ name: 'a', dtype: F, shape: [1, 2] }, { name: 'b', dtype: F, shape: [2, 3] }], [], [{ name: 'y', dtype: F }]));
  try {
    const a = arr([1, 2], 1), b = arr([2, 3], 2);
    await assert.rejects(handCompute(m.graph.nodes[0], [a, b], 3), /MatMul node 'mm': output element 3 is outside the output's 3 elements/);
    await assert.rejects(handCompute(m.graph.nodes[0], [a, b], [0, 3]), /outside the output shape \[1, 3\]/);
    await assert.rejects(handCompute(m.graph.nodes[0], [a], 0), /has no values: run the model first/);
  } finally { await m.close(); }
});
