// The ONNX reader on the project's own fixtures: structure, weights, values, subgraphs, functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { looksLikeOnnx, readOnnxModel } from '../../src/core/formats/onnx/index.js';
import { collectWeights, countNodes } from '../../src/core/ir/walk.js';
import type { Tensor } from '../../src/core/ir/tensor.js';
import {
  buildConstantWeightsModel, buildConvNetModel, buildExternalDataModel, buildFunctionModel, buildIfModel,
  buildLinearModel, buildMlpModel, buildSparseModel, encodeModel, linearSpec, MLP_LAYERS, withTempDir, writeFixture, writeFixtureSet,
} from '../fixtures/onnx/index.js';

async function floats(t: Tensor): Promise<number[]> {
  const b = await t.data.read();
  return Array.from(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4));
}

test('linear y = 2x + 1: structure, types and weights 2 and 1 read from byte ranges', async () => {
  await withTempDir('linear', async (dir) => {
    const file = writeFixture(dir, 'linear.onnx', buildLinearModel());
    const m = await readOnnxModel(file);
    assert.equal(m.format, 'onnx');
    assert.equal(m.path, file);
    assert.deepEqual(m.files, [file]);
    assert.equal(m.irVersion, 8);
    assert.equal(m.producerName, 'model-lens-fixtures');
    assert.equal(m.producerVersion, '1.0');
    assert.equal(m.docString, 'y = 2x + 1');
    assert.deepEqual(m.metadata, { purpose: 'linear fixture' });
    assert.deepEqual(m.opsets, [{ domain: '', version: 17 }]);
    assert.equal(m.graph.name, 'linear');
    assert.deepEqual(m.graph.nodes.map((n) => [n.name, n.opType, n.domain]), [['matmul', 'MatMul', ''], ['add', 'Add', '']]);
    assert.deepEqual(m.graph.inputs.map((v) => [v.name, v.type?.dtype, v.type?.shape]), [['x', 'float32', ['N', 1]]]);
    assert.deepEqual(m.graph.outputs.map((v) => [v.name, v.type?.dtype, v.type?.shape]), [['y', 'float32', ['N', 1]]]);
    const [matmul, add] = m.graph.nodes;
    assert.deepEqual(matmul.inputs.map((v) => v?.name), ['x', 'W']);
    assert.equal(matmul.outputs[0], add.inputs[0]);
    assert.equal(add.inputs[0]?.producer, matmul);
    assert.deepEqual(add.inputs[0]?.consumers, [add]);
    assert.deepEqual(add.inputs[0]?.type?.shape, ['N', 1]);
    assert.equal(m.graph.outputs[0].producer, add);
    const weights = collectWeights(m);
    assert.deepEqual(weights.map((t) => [t.name, t.dtype, t.shape, t.role, t.byteLength]), [['W', 'float32', [1, 1], 'initializer', 4], ['B', 'float32', [1], 'initializer', 4]]);
    assert.deepEqual(await floats(weights[0]), [2]);
    assert.deepEqual(await floats(weights[1]), [1]);
    const ranges = weights[0].data.fileRanges();
    assert.equal(ranges?.length, 1);
    assert.equal(ranges?.[0].path, file);
    assert.match(weights[0].location, /^linear\.onnx @ \d+$/);
    assert.equal(m.graph.values.get('W')?.tensor, weights[0]);
    assert.equal(m.graph.values.get('W')?.consumers[0], matmul);
    await m.close();
  });
});

test('MLP and conv net: node lists, attributes, weights match what was written', async () => {
  await withTempDir('mlp', async (dir) => {
    const mlp = await readOnnxModel(writeFixture(dir, 'mlp.onnx', buildMlpModel()));
    assert.deepEqual(mlp.graph.nodes.map((n) => n.opType), ['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm']);
    const w = collectWeights(mlp);
    assert.equal(w.length, 6);
    const fc1 = await floats(w[2]);
    assert.deepEqual(fc1, Array.from(Float32Array.from(MLP_LAYERS[1].W)));
    assert.deepEqual(w[2].shape, [8, 8]);

    const conv = await readOnnxModel(writeFixture(dir, 'conv.onnx', buildConvNetModel()));
    assert.deepEqual(conv.graph.nodes.map((n) => n.opType), ['Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Softmax']);
    assert.deepEqual(conv.graph.nodes[0].attributes, [{ name: 'kernel_shape', type: 'ints', value: [3, 3] }, { name: 'pads', type: 'ints', value: [1, 1, 1, 1] }]);
    assert.deepEqual(conv.graph.nodes[3].attributes, [{ name: 'axis', type: 'int', value: 1 }]);
    assert.equal(collectWeights(conv).reduce((a, t) => a + t.elementCount, 0), 36 + 4 + 640 + 10);
  });
});

test('If model: subgraphs with parent/owner, outer-scope references and node counts', async () => {
  await withTempDir('if', async (dir) => {
    const m = await readOnnxModel(writeFixture(dir, 'if.onnx', buildIfModel()));
    assert.deepEqual(countNodes(m), { total: 6, topLevel: 2 });
    const ifNode = m.graph.nodes[0];
    assert.equal(ifNode.opType, 'If');
    assert.deepEqual(ifNode.attributes.map((a) => [a.name, a.type]), [['then_branch', 'graph'], ['else_branch', 'graph']]);
    assert.equal(ifNode.subgraphs.length, 2);
    const [thenG, elseG] = ifNode.subgraphs;
    assert.equal(thenG.name, 'then_body');
    assert.equal(thenG.parent, m.graph);
    assert.equal(thenG.owner, ifNode);
    assert.deepEqual(thenG.nodes.map((n) => n.opType), ['Constant', 'Add']);
    // `x` inside the branch is the main graph's input, not a copy.
    const x = m.graph.values.get('x');
    assert.equal(thenG.nodes[1].inputs[0], x);
    assert.equal(elseG.nodes[1].inputs[0], x);
    assert.ok(x?.consumers.includes(thenG.nodes[1]));
    assert.equal(thenG.values.has('x'), false);
    assert.deepEqual(thenG.outputs.map((v) => v.name), ['then_out']);
    // Constant tensors in both branches count as weights: [1] and scalar 2.
    const consts = collectWeights(m);
    const byName = consts.map((t) => [t.name, t.role, t.shape]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(byName, [['else_body_c', 'constant', []], ['then_body_c', 'constant', [1]]]);
    assert.deepEqual((await Promise.all(consts.map(floats))).flat().sort(), [1, 2]);
  });
});

test('external data: ranges point into the side file, files lists it, values read back', async () => {
  await withTempDir('ext', async (dir) => {
    const file = writeFixtureSet(dir, 'linear-ext.onnx', buildExternalDataModel());
    const m = await readOnnxModel(file);
    assert.equal(m.files.length, 2);
    assert.match(m.files[1], /linear\.weights$/);
    const [w, b] = collectWeights(m);
    assert.deepEqual(w.data.fileRanges(), [{ path: m.files[1], offset: 0, length: 4 }]);
    assert.deepEqual(b.data.fileRanges(), [{ path: m.files[1], offset: 64, length: 4 }]);
    assert.equal(b.location, 'linear.weights @ 64');
    assert.deepEqual(await floats(w), [2]);
    assert.deepEqual(await floats(b), [1]);
  });
});

test('Constant nodes: value, value_float and value_ints become constant tensors counted as weights', async () => {
  await withTempDir('const', async (dir) => {
    const m = await readOnnxModel(writeFixture(dir, 'const.onnx', buildConstantWeightsModel()));
    assert.equal(m.graph.weights.length, 0);
    const w = collectWeights(m);
    assert.deepEqual(w.map((t) => [t.name, t.dtype, t.shape, t.role]), [
      ['W', 'float32', [1, 1], 'constant'], ['B', 'float32', [], 'constant'], ['shape', 'int64', [2], 'constant'],
    ]);
    assert.deepEqual(await floats(w[0]), [2]);
    assert.deepEqual(await floats(w[1]), [1]);
    const s = await w[2].data.read();
    assert.deepEqual(Array.from(new BigInt64Array(s.buffer, s.byteOffset, 2)), [-1n, 1n]);
    assert.deepEqual(m.graph.nodes[1].attributes.map((a) => [a.name, a.type]), [['value_float', 'tensor']]);
  });
});

test('sparse initializers densify on read (linear and coordinate indices)', async () => {
  await withTempDir('sparse', async (dir) => {
    const m = await readOnnxModel(writeFixture(dir, 'sparse.onnx', buildSparseModel()));
    const [s, s2] = m.graph.weights;
    assert.deepEqual([s.name, s.role, s.shape, s.elementCount, s.byteLength], ['S', 'sparse-initializer', [3, 4], 12, 48]);
    assert.deepEqual(await floats(s), [0, 5, 0, 0, 0, 0, 6, 0, 0, 0, 0, 7]);
    assert.deepEqual(await floats(s2), [0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
    assert.equal(m.graph.values.get('S')?.tensor, s);
    assert.equal(m.graph.nodes[0].inputs[1]?.tensor, s);
  });
});

test('model-local function: its body is a graph with its own values', async () => {
  await withTempDir('fn', async (dir) => {
    const m = await readOnnxModel(writeFixture(dir, 'fn.onnx', buildFunctionModel()));
    assert.equal(m.functions.length, 1);
    const f = m.functions[0];
    assert.deepEqual([f.name, f.domain], ['Affine', 'local.fn']);
    assert.deepEqual(f.opsets, [{ domain: '', version: 17 }]);
    assert.deepEqual(f.graph.nodes.map((n) => n.opType), ['MatMul', 'Add']);
    assert.deepEqual(f.graph.inputs.map((v) => v.name), ['X', 'Wt', 'Bias']);
    assert.deepEqual(f.graph.outputs.map((v) => v.name), ['Y']);
    assert.equal(f.graph.outputs[0].producer, f.graph.nodes[1]);
    assert.equal(m.graph.nodes[0].domain, 'local.fn');
    assert.deepEqual(countNodes(m), { total: 1, topLevel: 1 });
  });
});

test('looksLikeOnnx recognizes models by their first bytes and rejects other files', () => {
  assert.equal(looksLikeOnnx(buildLinearModel().subarray(0, 64)), true);
  assert.equal(looksLikeOnnx(buildConvNetModel()), true);
  assert.equal(looksLikeOnnx(new TextEncoder().encode('{"modelTopology": {}, "weightsManifest": []}')), false);
  assert.equal(looksLikeOnnx(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])), false);
  assert.equal(looksLikeOnnx(new Uint8Array(0)), false);
});

test('opening reads the structure only: a 16 MB weight is located, not read', async () => {
  await withTempDir('lazy', async (dir) => {
    const spec = linearSpec();
    const big = new Float32Array(4 * 1024 * 1024).map((_, i) => i % 7);
    spec.graph.initializers!.push({ name: 'big', dtype: 'float32', dims: [big.length], raw: new Uint8Array(big.buffer) });
    const file = writeFixture(dir, 'big.onnx', encodeModel(spec));
    const stats = { bytesRead: 0 };
    const m = await readOnnxModel(file, {}, stats);
    assert.ok(stats.bytesRead < 256 * 1024, `read ${stats.bytesRead} bytes`);
    const t = m.graph.weights.find((w) => w.name === 'big')!;
    assert.equal(t.byteLength, 16 * 1024 * 1024);
    const part = await t.data.read(4 * 1000, 4 * 3);
    assert.deepEqual(Array.from(new Float32Array(part.buffer)), [1000 % 7, 1001 % 7, 1002 % 7]);
  });
});

test('a few bytes of raw data are kept while parsing (no file read later), bigger tensors stay on disk; both keep their file ranges', async () => {
  await withTempDir('kept', async (dir) => {
    const file = writeFixture(dir, 'mlp.onnx', buildMlpModel());
    const m = await readOnnxModel(file);
    const weights = collectWeights(m);
    const small = weights.filter((t) => t.byteLength <= 64);
    const big = weights.filter((t) => t.byteLength > 64);
    assert.ok(small.length && big.length, `${small.length} small, ${big.length} big`);
    const before = await Promise.all(weights.map((t) => floats(t)));
    // Zero the file behind the reader's back: what was kept still reads as parsed, the rest reads the disk.
    writeFileSync(file, new Uint8Array(statSync(file).size));
    for (const [i, t] of weights.entries()) {
      const now = await floats(t);
      if (t.byteLength <= 64) assert.deepEqual(now, before[i], `${t.name} was kept`);
      else assert.ok(now.every((x) => x === 0) && before[i].some((x) => x !== 0), `${t.name} is read from the file`);
      assert.equal(t.data.fileRanges()?.[0].path, file, `${t.name} can still be patched in place`);
    }
    await m.close();
  });
});
