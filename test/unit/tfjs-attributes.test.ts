// TF AttrValue JSON → IR attributes, and the function / initializer graphs of a real model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tfAttributeValue } from '../../src/core/formats/tfjs/tf-attr.js';
import { tfDataType } from '../../src/core/formats/tfjs/dtypes.js';
import { readTfjsModel } from '../../src/core/formats/tfjs/index.js';
import type { Tensor } from '../../src/core/ir/index.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('scalar attributes: base64 strings, int64 strings, floats, bools, types, shapes, funcs', () => {
  assert.deepEqual(tfAttributeValue({ s: b64('SAME') }, 'a'), { type: 'string', value: 'SAME' });
  assert.deepEqual(tfAttributeValue({ s: Buffer.from([0xff, 0x00]).toString('base64') }, 'a'), { type: 'other', value: 'bytes(base64:/wA=)' });
  assert.deepEqual(tfAttributeValue({ i: '-1' }, 'a'), { type: 'int', value: -1 });
  assert.deepEqual(tfAttributeValue({ f: 0.5 }, 'a'), { type: 'float', value: 0.5 });
  assert.deepEqual(tfAttributeValue({ f: 'NaN' }, 'a')!.type, 'float');
  assert.deepEqual(tfAttributeValue({ b: true }, 'a'), { type: 'bool', value: true });
  assert.deepEqual(tfAttributeValue({ type: 'DT_HALF' }, 'a'), { type: 'dtype', value: 'float16' });
  assert.deepEqual(tfAttributeValue({ type: 'DT_RESOURCE' }, 'a'), { type: 'dtype', value: 'resource' });
  assert.deepEqual(tfAttributeValue({ shape: { dim: [{ size: '-1' }, { size: '3' }] } }, 'a'), { type: 'shape', value: [null, 3] });
  assert.deepEqual(tfAttributeValue({ shape: { unknownRank: true } }, 'a'), { type: 'shape', value: null });
  assert.deepEqual(tfAttributeValue({ shape: {} }, 'a'), { type: 'shape', value: [] });
  assert.deepEqual(tfAttributeValue({ func: { name: 'body_1' } }, 'a'), { type: 'ref', value: 'body_1' });
  assert.equal(tfAttributeValue({}, 'a'), null);
});

test('list attributes', () => {
  assert.deepEqual(tfAttributeValue({ list: { i: ['1', '2', '2', '1'] } }, 'a'), { type: 'ints', value: [1, 2, 2, 1] });
  assert.deepEqual(tfAttributeValue({ list: { s: [b64('a'), b64('bc')] } }, 'a'), { type: 'strings', value: ['a', 'bc'] });
  assert.deepEqual(tfAttributeValue({ list: { f: [0.25, 1] } }, 'a'), { type: 'floats', value: [0.25, 1] });
  assert.deepEqual(tfAttributeValue({ list: { type: ['DT_INT32', 'DT_VARIANT'] } }, 'a'), { type: 'dtypes', value: ['int32', 'variant'] });
  assert.deepEqual(tfAttributeValue({ list: { shape: [{}, { dim: [{ size: '2' }] }] } }, 'a'), { type: 'shapes', value: [[], [2]] });
  assert.deepEqual(tfAttributeValue({ list: {} }, 'a'), { type: 'ints', value: [] });
});

test('tensor attributes: inline content becomes an in-memory tensor, manifest-backed ones only a type', async () => {
  const content = Buffer.from(new Float32Array([1.5, -2]).buffer).toString('base64');
  const a = tfAttributeValue({ tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '2' }] }, tensorContent: content } }, 'c');
  assert.equal(a?.type, 'tensor');
  const t = (a as { value: Tensor }).value;
  assert.deepEqual([t.name, t.dtype, t.shape, t.role, t.byteLength], ['c', 'float32', [2], 'attribute', 8]);
  assert.deepEqual(Array.from(new Float32Array((await t.data.read()).buffer)), [1.5, -2]);
  // TF repeats the last listed value to fill the shape.
  const b = tfAttributeValue({ tensor: { dtype: 'DT_INT32', tensorShape: { dim: [{ size: '3' }] }, intVal: [7] } }, 'd');
  assert.deepEqual(Array.from(new Int32Array((await (b as { value: Tensor }).value.data.read()).buffer)), [7, 7, 7]);
  const s = tfAttributeValue({ tensor: { dtype: 'DT_STRING', tensorShape: {}, stringVal: [b64('hi')] } }, 'e');
  assert.deepEqual(await (s as { value: Tensor }).value.data.strings!(), ['hi']);
  assert.deepEqual(tfAttributeValue({ tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '2' }, { size: '2' }] } } }, 'w'),
    { type: 'type', value: { dtype: 'float32', shape: [2, 2] } });
});

test('TF type names and enum numbers, _REF variants included', () => {
  assert.equal(tfDataType('DT_FLOAT'), 'float32');
  assert.equal(tfDataType(1), 'float32');
  assert.equal(tfDataType(101), 'float32');
  assert.equal(tfDataType('DT_INT64_REF'), 'int64');
  assert.equal(tfDataType('DT_BFLOAT16'), 'bfloat16');
});

const langdet = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', '../shared/models/tfjs/vscode-languagedetection/model.json');

test('real model with a while loop: functions, their inputs/outputs and Const weights, the initializer graph', async (t) => {
  if (!existsSync(langdet)) { t.skip(`no shared model at ${langdet}`); return; }
  const m = await readTfjsModel(langdet);
  assert.deepEqual(m.functions.map((f) => [f.name, f.graph.nodes.length]), [['map_while_body_49115', 108], ['map_while_cond_49114', 3], ['modelInitializer', 8]]);
  const loop = m.graph.nodes.find((n) => n.opType === 'StatelessWhile')!;
  assert.deepEqual(loop.attributes.find((a) => a.name === 'body'), { name: 'body', type: 'ref', value: 'map_while_body_49115' });
  assert.deepEqual(loop.attributes.find((a) => a.name === 'T')?.value, ['int32', 'int32', 'int32', 'variant', 'int32', 'variant']);
  // The loop's 6 outputs: consumers read `map/while:3` etc., so outputs[k] is output k.
  assert.equal(loop.outputs[3].name, 'map/while:3');
  const cond = m.functions[1].graph;
  assert.equal(cond.inputs.length, 6);
  assert.deepEqual(cond.outputs.map((v) => [v.name, v.producer?.opType]), [['LogicalAnd:z:0', 'LogicalAnd']]);
  const body = m.functions[0].graph;
  const constWithWeight = body.nodes.filter((n) => n.opType === 'Const' && n.outputs[0].tensor);
  assert.equal(constWithWeight.length, body.nodes.filter((n) => n.opType === 'Const').length);
  // Function bodies name values function-style: `node:output_arg:index`.
  const vocabNode = body.nodes.find((n) => n.name === 'map_while_body_49115/Const')!;
  assert.equal(vocabNode.outputs[0].name, 'map_while_body_49115/Const:output:0');
  const vocab = vocabNode.outputs[0].tensor!;
  assert.equal(vocab.dtype, 'string');
  const words = await vocab.data.strings!();
  assert.equal(words.length, 10000);
  assert.ok(words.every((w) => typeof w === 'string'));
  assert.equal(m.graph.inputs[0].type?.dtype, 'string');
  assert.match(m.properties.signature, /^inputs: inputs \(Placeholder:0\): string\[\?\]; outputs: scores \(head\/predictions\/probabilities:0\): float32\[\?, 54\], classes \(head\/Tile:0\): string\[\?, 54\]$/);
});
