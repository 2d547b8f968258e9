// Reads the TF.js fixtures back through readTfjsModel: graph structure, types, and exact weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readTfjsModel, looksLikeTfjsJson, CONTROL_INPUTS_ATTRIBUTE } from '../../src/core/formats/tfjs/index.js';
import { collectWeights, countNodes, type Tensor, type Model } from '../../src/core/ir/index.js';
import {
  writeTfjsGraphModel, writeTfjsLayersModel, writeTfjsFunctionalModel, writeTfjsKeras3Model, writeTfjsQuantizedModel,
  writeTfjsWeightsManifestOnly, writeTfjsFiles, QUANTIZED_FIXTURE_GROUPS, LAYERS_FIXTURE_WEIGHTS, FUNCTIONAL_FIXTURE_WEIGHTS, tensorRealValues,
} from '../fixtures/tfjs/index.js';
import { readFileSync } from 'node:fs';

const root = mkdtempSync(path.join(tmpdir(), 'tfjs-reader-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(root, String(n++));

const realValues = tensorRealValues;

function weight(m: Model, name: string): Tensor {
  const t = collectWeights(m).find((w) => w.name === name);
  assert.ok(t, `weight ${name} present`);
  return t;
}

function close(actual: number[], expected: number[], tol = 1e-6) {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `[${i}] ${a} ≈ ${expected[i]}`));
}

test('graph model y = 2x + 1: nodes, edges, signature, control deps, attributes, weights', async () => {
  const file = writeTfjsGraphModel(fresh());
  const m = await readTfjsModel(file);
  assert.equal(m.format, 'tfjs-graph');
  assert.equal(m.producerName, 'TensorFlow.js Converter v4.22.0');
  assert.equal(m.producerVersion, '4.22.0');
  assert.deepEqual(m.files.map((f) => path.basename(f)), ['model.json', 'group1-shard1of1.bin']);
  assert.equal(countNodes(m).topLevel, 6);
  assert.deepEqual(m.graph.nodes.map((x) => x.opType), ['Placeholder', 'Const', 'Const', 'MatMul', 'BiasAdd', 'Identity']);
  assert.deepEqual(m.graph.inputs.map((v) => [v.name, v.type?.dtype, v.type?.shape]), [['x', 'float32', [null, 1]]]);
  assert.deepEqual(m.graph.outputs.map((v) => [v.name, v.type?.dtype, v.type?.shape]), [['Identity', 'float32', [null, 1]]]);
  const bias = m.graph.nodes.find((x) => x.opType === 'BiasAdd')!;
  assert.deepEqual(bias.inputs.map((v) => v?.name), ['dense/MatMul', 'dense/bias']);
  assert.deepEqual(bias.attributes.find((a) => a.name === 'data_format'), { name: 'data_format', type: 'string', value: 'NHWC' });
  const matmul = m.graph.nodes.find((x) => x.opType === 'MatMul')!;
  assert.equal(matmul.device, '/device:CPU:0');
  assert.deepEqual(matmul.attributes.find((a) => a.name === 'transpose_a'), { name: 'transpose_a', type: 'bool', value: false });
  // `Identity` reads `dense/BiasAdd:0`, which is the same value as `dense/BiasAdd`.
  assert.equal(m.graph.nodes[5].inputs[0], m.graph.values.get('dense/BiasAdd'));
  // `^x` is a control dependency: not a data input, listed as an attribute.
  const biasConst = m.graph.nodes[2];
  assert.equal(biasConst.inputs.length, 0);
  assert.deepEqual(biasConst.attributes.find((a) => a.name === CONTROL_INPUTS_ATTRIBUTE), { name: CONTROL_INPUTS_ATTRIBUTE, type: 'strings', value: ['x'] });
  assert.equal(m.graph.values.get('x')!.consumers.length, 1);
  const k = weight(m, 'dense/kernel');
  assert.equal(m.graph.values.get('dense/kernel')!.tensor, k);
  assert.deepEqual(await realValues(k), [2]);
  assert.deepEqual(await realValues(weight(m, 'dense/bias')), [1]);
  assert.equal(m.properties.signature, 'inputs: x (x:0): float32[?, 1]; outputs: y (Identity:0): float32[?, 1]');
  assert.equal(m.properties['versions.producer'], '1482');
});

test('quantized model: uint8/uint16 affine, float16, int32, bool, strings, weights spanning shards', async () => {
  const file = writeTfjsQuantizedModel(fresh());
  const m = await readTfjsModel(file);
  assert.equal(countNodes(m).topLevel, 11);
  assert.deepEqual(m.files.map((f) => path.basename(f)), ['model.json', 'group1-shard1of3.bin', 'group1-shard2of3.bin', 'group1-shard3of3.bin', 'extra-shard1of1.bin']);
  const ws = collectWeights(m);
  assert.deepEqual(ws.map((w) => w.name), QUANTIZED_FIXTURE_GROUPS.flat().map((w) => w.name));
  assert.equal(m.warnings, undefined);

  close(await realValues(weight(m, 'f32')), [0.5, -1.5, 2.25, 3, -4.125, 0.001]);
  const q8 = weight(m, 'q8');
  assert.equal(q8.dtype, 'uint8');
  assert.equal(q8.logicalType, 'float32');
  assert.deepEqual(q8.quantization, { scale: [0.5], zeroPoint: [2], origin: 'tfjs-affine' });
  close(await realValues(q8), [0, 1, 2, 255].map((q) => q * 0.5 - 1));
  const q16 = weight(m, 'q16');
  assert.equal(q16.dtype, 'uint16');
  assert.equal(q16.location, 'group1-shard1of3.bin @ 28 + group1-shard2of3.bin @ 0');
  assert.deepEqual(q16.data.fileRanges()!.map((r) => [path.basename(r.path), r.offset, r.length]), [['group1-shard1of3.bin', 28, 4], ['group1-shard2of3.bin', 0, 2]]);
  close(await realValues(q16), [0, 8, 65535].map((q) => q * 0.25 - 2));
  const h = weight(m, 'h');
  assert.equal(h.dtype, 'float16');
  assert.equal(h.logicalType, 'float32');
  assert.equal(h.byteLength, 10);
  assert.deepEqual(await realValues(h), [1, -2, 0.5, 65504, 0.0999755859375]);
  assert.deepEqual(await realValues(weight(m, 'i32')), [1, -2, 2147483647]);
  const flag = weight(m, 'flag');
  assert.equal(flag.dtype, 'bool');
  assert.deepEqual(await realValues(flag), [1, 0]);
  const words = weight(m, 'words');
  assert.equal(words.dtype, 'string');
  assert.equal(words.byteLength, 19);
  assert.equal(words.data.fileRanges()!.length, 2);
  assert.deepEqual(await words.data.strings!(), ['a', 'héllo', '']);
  const qi = weight(m, 'qi');
  assert.equal(qi.logicalType, 'int32');
  close(await realValues(qi), [-10, 0, 10]);
  const g2 = weight(m, 'g2/bias');
  assert.equal(g2.location, 'extra-shard1of1.bin @ 0');
  assert.deepEqual(await realValues(g2), [7, -7]);
  // Const outputs carry the manifest tensor and its logical type.
  const hv = m.graph.values.get('h')!;
  assert.equal(hv.tensor, h);
  assert.deepEqual(hv.type, { dtype: 'float32', shape: [5] });
  // No signature: the Placeholder is the input; `out` and the unused Consts are outputs.
  assert.deepEqual(m.graph.inputs.map((v) => v.name), ['x']);
  assert.ok(m.graph.outputs.some((v) => v.name === 'out'));
});

test('layers model (Sequential): one node per layer, chained, weights attached by name prefix', async () => {
  const m = await readTfjsModel(writeTfjsLayersModel(fresh()));
  assert.equal(m.format, 'tfjs-layers');
  assert.equal(m.producerName, 'TensorFlow.js tfjs-layers v4.22.0');
  assert.deepEqual(m.graph.nodes.map((x) => [x.name, x.opType]), [['dense_Dense1', 'Dense'], ['dense_Dense2', 'Dense']]);
  assert.deepEqual(m.graph.inputs.map((v) => [v.name, v.type?.dtype, v.type?.shape]), [['dense_Dense1_input', 'float32', [null, 3]]]);
  assert.deepEqual(m.graph.outputs.map((v) => v.name), ['dense_Dense2']);
  const [d1, d2] = m.graph.nodes;
  assert.deepEqual(d1.inputs.map((v) => v?.name), ['dense_Dense1_input', 'dense_Dense1/kernel', 'dense_Dense1/bias']);
  assert.deepEqual(d2.inputs.map((v) => v?.name), ['dense_Dense1', 'dense_Dense2/kernel', 'dense_Dense2/bias']);
  assert.deepEqual(d1.attributes.find((a) => a.name === 'units'), { name: 'units', type: 'int', value: 4 });
  assert.deepEqual(d1.attributes.find((a) => a.name === 'activation'), { name: 'activation', type: 'string', value: 'relu' });
  assert.deepEqual(d1.attributes.find((a) => a.name === 'batch_input_shape'), { name: 'batch_input_shape', type: 'shape', value: [null, 3] });
  assert.equal(d1.attributes.find((a) => a.name === 'kernel_initializer')?.type, 'string');
  assert.ok(!d1.attributes.some((a) => a.name === 'kernel_regularizer'), 'null config entries are left out');
  for (const w of LAYERS_FIXTURE_WEIGHTS) assert.deepEqual(await realValues(weight(m, w.name)), w.values);
});

test('functional Keras 2 model: InputLayer, Add with two inbound tensors, kernel spanning shards', async () => {
  const m = await readTfjsModel(writeTfjsFunctionalModel(fresh()));
  assert.equal(countNodes(m).topLevel, 5);
  assert.deepEqual(m.graph.inputs.map((v) => [v.name, v.producer?.opType, v.type?.shape]), [['input_1', 'InputLayer', [null, 3]]]);
  assert.deepEqual(m.graph.outputs.map((v) => v.name), ['dense_3']);
  const add = m.graph.nodes.find((x) => x.opType === 'Add')!;
  assert.deepEqual(add.inputs.map((v) => v?.name), ['dense_1', 'dense_2']);
  assert.equal(m.graph.values.get('dense_1')!.consumers.length, 2);
  assert.equal(m.files.length, 3);
  const spanning = collectWeights(m).filter((w) => w.data.fileRanges()!.length === 2);
  assert.deepEqual(spanning.map((w) => w.name), ['dense_2/kernel']);
  for (const w of FUNCTIONAL_FIXTURE_WEIGHTS) close(await realValues(weight(m, w.name)), w.values as number[]);
  assert.equal(m.properties.keras_version, '2.15.0');
  assert.match(m.properties.training_config, /"loss":"mse"/);
});

test('Keras 3 model: dict inbound nodes, flat input_layers, nested Sequential as a subgraph', async () => {
  const m = await readTfjsModel(writeTfjsKeras3Model(fresh()));
  assert.deepEqual(m.graph.nodes.map((x) => [x.name, x.opType]), [['inputs', 'InputLayer'], ['encoder', 'Sequential'], ['head', 'Dense']]);
  assert.deepEqual(countNodes(m), { total: 5, topLevel: 3 });
  const enc = m.graph.nodes[1];
  assert.equal(enc.subgraphs.length, 1);
  assert.equal(enc.subgraphs[0].owner, enc);
  assert.deepEqual(enc.subgraphs[0].nodes.map((x) => x.name), ['enc_in', 'inner_dense']);
  // `encoder/inner_dense/kernel` goes to the inner Dense (the deepest layer its name names).
  const inner = enc.subgraphs[0].nodes[1];
  assert.deepEqual(inner.inputs.map((v) => v?.name), ['enc_in', 'encoder/inner_dense/kernel', 'encoder/inner_dense/bias']);
  const head = m.graph.nodes[2];
  assert.deepEqual(head.inputs.map((v) => v?.name), ['encoder', 'head/kernel', 'head/bias']);
  assert.deepEqual(m.graph.values.get('encoder')!.type, { dtype: 'float32', shape: [null, 2] });
  assert.deepEqual(m.graph.inputs.map((v) => [v.name, v.type?.shape]), [['inputs', [null, 4]]]);
  assert.deepEqual(m.graph.outputs.map((v) => v.name), ['head']);
  assert.equal(head.attributes.find((a) => a.name === 'dtype')?.type, 'string');
  assert.equal(collectWeights(m).length, 4);
});

test('weights-manifest-only file (face-api style): no nodes, every weight listed', async () => {
  const file = writeTfjsWeightsManifestOnly(fresh());
  const m = await readTfjsModel(file);
  assert.equal(m.graph.nodes.length, 0);
  assert.equal(m.properties.format, 'weights-manifest');
  assert.deepEqual(m.files.map((f) => path.basename(f)), ['tiny-weights_manifest.json', 'tiny-shard1of1']);
  close(await realValues(weight(m, 'conv0/filters')), [0, 10, 20, 255].map((q) => q * 0.01 - 1.2));
  assert.deepEqual(await realValues(weight(m, 'conv0/bias')), [0.25, -0.75]);
});

test('looksLikeTfjsJson tells TF.js JSON from other JSON', () => {
  const dir = fresh();
  for (const f of [writeTfjsGraphModel(path.join(dir, 'g')), writeTfjsLayersModel(path.join(dir, 'l')), writeTfjsWeightsManifestOnly(path.join(dir, 'w'))]) {
    const text = readFileSync(f, 'utf8');
    assert.equal(looksLikeTfjsJson(text), true, f);
    assert.equal(looksLikeTfjsJson(JSON.parse(text)), true, f);
  }
  assert.equal(looksLikeTfjsJson('{"name": "package", "version": "1.0.0"}'), false);
  assert.equal(looksLikeTfjsJson('[1, 2, 3]'), false);
  assert.equal(looksLikeTfjsJson('{"modelTopology": '), false);
  assert.equal(looksLikeTfjsJson({ weightsManifest: [{ paths: ['a.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }] }), true);
  assert.equal(looksLikeTfjsJson({ modelTopology: { foo: 1 } }), false);
});

test('complex64 weights: 8 bytes per element, interleaved real and imaginary parts', async () => {
  const file = writeTfjsFiles(fresh(), { format: 'graph-model', modelTopology: { node: [] } }, [{
    weights: [
      { name: 'c', shape: [2], dtype: 'complex64', values: [1, -1, 0.5, 2] },
      { name: 'after', shape: [1], dtype: 'int32', values: [42] },
    ],
  }]);
  const m = await readTfjsModel(file);
  const c = weight(m, 'c');
  assert.deepEqual([c.dtype, c.elementCount, c.byteLength, c.location], ['complex64', 2, 16, 'group1-shard1of1.bin @ 0']);
  assert.deepEqual(await realValues(c), [1, -1, 0.5, 2]);
  assert.deepEqual(await realValues(weight(m, 'after')), [42]);
});
