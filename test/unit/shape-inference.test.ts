// Shape inference on fixtures whose shapes are known: the conv net and MLP fixtures, a dynamic
// reshape spelled with Shape/Gather/Concat, and the bench transformer (gen-onnx.mjs) whose
// --value-info twin stores every intermediate shape the plain one leaves out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { openModel } from '../../src/core/formats/index.js';
import { inferShapes } from '../../src/core/shapes/index.js';
import type { Model, Value } from '../../src/core/ir/graph.js';
import { buildConvNetModel, buildMlpModel, encodeModel, removeDir, tempDir, writeFixture } from '../fixtures/onnx/index.js';
import { repoRoot } from '../support/paths.js';

const valueNamed = (m: Model, name: string): Value => {
  const v = m.graph.values.get(name);
  assert.ok(v, `value ${name} exists`);
  return v;
};

test('conv net: conv, pool, flatten, gemm and softmax shapes are inferred and marked', async () => {
  const dir = tempDir('shape-conv');
  try {
    const m = await openModel(writeFixture(dir, 'convnet.onnx', buildConvNetModel()));
    const { inferred } = await inferShapes(m);
    const want: Record<string, (number | string)[]> = { conv_out: [1, 4, 8, 8], relu_out: [1, 4, 8, 8], pool_out: [1, 4, 4, 4], flat: [1, 64], logits: [1, 10] };
    for (const [name, shape] of Object.entries(want)) {
      const v = valueNamed(m, name);
      assert.deepEqual(v.type?.shape, shape, name);
      assert.equal(v.type?.dtype, 'float32', name);
      assert.equal(v.inferred, true, name);
    }
    assert.equal(inferred, 5);
    // The graph output keeps the type the file stores, unmarked.
    assert.deepEqual(valueNamed(m, 'y').type?.shape, [1, 10]);
    assert.notEqual(valueNamed(m, 'y').inferred, true);
    await m.close();
  } finally { removeDir(dir); }
});

test('MLP: Gemm keeps the symbolic batch dimension', async () => {
  const dir = tempDir('shape-mlp');
  try {
    const m = await openModel(writeFixture(dir, 'mlp.onnx', buildMlpModel()));
    await inferShapes(m);
    assert.deepEqual(valueNamed(m, 'fc0_out').type?.shape, ['N', 8]);
    assert.deepEqual(valueNamed(m, 'relu1_out').type?.shape, ['N', 8]);
    await m.close();
  } finally { removeDir(dir); }
});

test('dynamic reshape through Shape → Gather → Concat folds to a symbolic target shape', async () => {
  const dir = tempDir('shape-dyn');
  const i64 = (xs: number[]) => new Uint8Array(BigInt64Array.from(xs.map(BigInt)).buffer);
  try {
    const bytes = encodeModel({
      graph: {
        name: 'dyn',
        nodes: [
          { op: 'Shape', name: 'shape', inputs: ['x'], outputs: ['s'] },
          { op: 'Gather', name: 'g', inputs: ['s', 'idx0'], outputs: ['b'], attributes: [{ name: 'axis', i: 0 }] },
          { op: 'Unsqueeze', name: 'u', inputs: ['b', 'ax0'], outputs: ['b1'] },
          { op: 'Concat', name: 'cat', inputs: ['b1', 'minus1'], outputs: ['target'], attributes: [{ name: 'axis', i: 0 }] },
          { op: 'Reshape', name: 'reshape', inputs: ['x', 'target'], outputs: ['flat'] },
          { op: 'Transpose', name: 't', inputs: ['x'], outputs: ['xt'], attributes: [{ name: 'perm', ints: [0, 2, 1] }] },
          { op: 'ReduceMean', name: 'mean', inputs: ['xt'], outputs: ['m'], attributes: [{ name: 'axes', ints: [-1] }, { name: 'keepdims', i: 0 }] },
          { op: 'Concat', name: 'cat2', inputs: ['x', 'x'], outputs: ['xx'], attributes: [{ name: 'axis', i: 2 }] },
        ],
        inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 3, 5] }],
        outputs: [{ name: 'flat', dtype: 'float32', shape: null }],
        initializers: [
          { name: 'idx0', dtype: 'int64', dims: [], raw: i64([0]) },
          { name: 'ax0', dtype: 'int64', dims: [1], raw: i64([0]) },
          { name: 'minus1', dtype: 'int64', dims: [1], raw: i64([-1]) },
        ],
      },
      opsets: [{ domain: '', version: 17 }],
    });
    const m = await openModel(writeFixture(dir, 'dyn.onnx', bytes));
    await inferShapes(m);
    assert.deepEqual(valueNamed(m, 's').type?.shape, [3]);
    assert.equal(valueNamed(m, 's').type?.dtype, 'int64');
    assert.deepEqual(valueNamed(m, 'xt').type?.shape, ['batch', 5, 3]);
    assert.deepEqual(valueNamed(m, 'm').type?.shape, ['batch', 5]);
    assert.deepEqual(valueNamed(m, 'xx').type?.shape, ['batch', 3, 10]);
    // [batch, -1] from [batch, 3, 5]: the shared batch cancels, -1 is 15.
    assert.deepEqual(valueNamed(m, 'flat').type?.shape, ['batch', 15]);
    await m.close();
  } finally { removeDir(dir); }
});

test('bench transformer: every inferred shape equals the one its --value-info twin stores', async (t) => {
  const gen = path.resolve(repoRoot, '../shared/bench/gen-onnx.mjs');
  if (!existsSync(gen)) { t.skip('../shared/bench/gen-onnx.mjs is absent'); return; }
  const dir = tempDir('shape-tf');
  try {
    const plain = path.join(dir, 'plain.onnx'), typed = path.join(dir, 'typed.onnx');
    execFileSync(process.execPath, [gen, 'transformer', '--layers', '2', '--hidden', '32', '--out', plain]);
    execFileSync(process.execPath, [gen, 'transformer', '--layers', '2', '--hidden', '32', '--value-info', '--out', typed]);
    const a = await openModel(plain), b = await openModel(typed);
    const { inferred } = await inferShapes(a);
    let compared = 0;
    for (const n of b.graph.nodes) {
      for (const v of n.outputs) {
        if (!v.type?.shape || a.graph.outputs.some((o) => o.name === v.name)) continue;
        const got = a.graph.values.get(v.name);
        assert.deepEqual(got?.type?.shape, v.type.shape, v.name);
        assert.equal(got?.inferred, true, v.name);
        compared++;
      }
    }
    assert.ok(compared >= 58, `compared ${compared} values`);
    assert.equal(inferred, compared);
    // Spot values from the generator's parameters (hidden 32, 4 heads of 8).
    assert.deepEqual(a.graph.values.get('/model/layers.1/attn/k_heads/Transpose_output_0')?.type?.shape, ['batch', 4, 8, 'seq']);
    assert.deepEqual(a.graph.values.get('/model/layers.1/mlp/up_proj/MatMul_output_0')?.type?.shape, ['batch', 'seq', 128]);
    await a.close(); await b.close();
  } finally { removeDir(dir); }
});
