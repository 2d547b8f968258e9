// Attribute kinds, packed encodings of repeated fields, Constant variants, non-tensor types and
// tensors whose data cannot match their header (the graph opens; reading says why).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readOnnxModel } from '../../src/core/formats/onnx/index.js';
import { isModelError } from '../../src/core/ir/errors.js';
import { collectWeights, countNodes } from '../../src/core/ir/walk.js';
import { encodeModel, f32, i64, linearSpec, ProtoWriter, withTempDir, writeFixture, type GraphSpec } from '../fixtures/onnx/index.js';

const body = (name: string): GraphSpec => ({
  name, nodes: [{ op: 'Identity', name: `${name}_id`, inputs: ['v_in'], outputs: ['v_out'] }],
  inputs: [{ name: 'v_in', dtype: 'float32', shape: [] }], outputs: [{ name: 'v_out', dtype: 'float32', shape: [] }],
});

test('every attribute kind reads back with its value', async () => {
  await withTempDir('attrs', async (dir) => {
    const spec = linearSpec();
    spec.graph.nodes.push({
      op: 'Custom', domain: 'test.domain', name: '', inputs: ['y', '', 'x'], outputs: ['z', ''],
      attributes: [
        { name: 'f', f: 0.5 }, { name: 'i', i: -3 }, { name: 'big', i: 2n ** 62n }, { name: 's', s: 'héllo' },
        { name: 'floats', floats: [1.5, -2] }, { name: 'ints', ints: [-1, 0, 9007199254740991] }, { name: 'strings', strings: ['a', 'b'] },
        { name: 't', t: { dtype: 'int64', dims: [2], raw: i64([7, -7]) } },
        { name: 'tensors', tensors: [{ dtype: 'float32', dims: [1], raw: f32([4]) }, { dtype: 'float32', dims: [], floatData: [5] }] },
        { name: 'body', g: body('loop_body') }, { name: 'branches', graphs: [body('b0'), body('b1')] },
        { name: 'from_parent', ref: 'alpha', refType: 1 },
      ],
    });
    const m = await readOnnxModel(writeFixture(dir, 'attrs.onnx', encodeModel(spec)));
    const n = m.graph.nodes[2];
    assert.deepEqual([n.name, n.opType, n.domain], ['', 'Custom', 'test.domain']);
    assert.deepEqual(n.inputs.map((v) => v?.name ?? null), ['y', null, 'x']);
    assert.deepEqual(n.outputs.map((v) => v.name), ['z', '']);
    const a = Object.fromEntries(n.attributes.map((x) => [x.name, x]));
    assert.deepEqual(a.f, { name: 'f', type: 'float', value: 0.5 });
    assert.deepEqual(a.i, { name: 'i', type: 'int', value: -3 });
    assert.deepEqual(a.big, { name: 'big', type: 'int', value: 2 ** 62 });
    assert.deepEqual(a.s, { name: 's', type: 'string', value: 'héllo' });
    assert.deepEqual(a.floats, { name: 'floats', type: 'floats', value: [1.5, -2] });
    assert.deepEqual(a.ints, { name: 'ints', type: 'ints', value: [-1, 0, 9007199254740991] });
    assert.deepEqual(a.strings, { name: 'strings', type: 'strings', value: ['a', 'b'] });
    assert.equal(a.t.type, 'tensor');
    if (a.t.type === 'tensor') {
      assert.deepEqual([a.t.value.name, a.t.value.role, a.t.value.dtype], ['Custom.t', 'attribute', 'int64']);
      assert.deepEqual(Array.from(new BigInt64Array((await a.t.value.data.read()).buffer)), [7n, -7n]);
    }
    assert.equal(a.tensors.type, 'tensors');
    if (a.tensors.type === 'tensors') assert.deepEqual(a.tensors.value.map((t) => [t.name, t.shape]), [['Custom.tensors[0]', [1]], ['Custom.tensors[1]', []]]);
    assert.deepEqual(a.from_parent, { name: 'from_parent', type: 'ref', value: 'alpha' });
    assert.deepEqual(n.subgraphs.map((g) => g.name), ['loop_body', 'b0', 'b1']);
    assert.deepEqual(countNodes(m), { total: 6, topLevel: 3 });
    // Attribute tensors of non-Constant nodes are not weights.
    assert.equal(collectWeights(m).filter((t) => t.role === 'attribute').length, 0);
  });
});

test('packed dims, packed ints and packed floats are read like unpacked ones', async () => {
  await withTempDir('packed', async (dir) => {
    const tensor = new ProtoWriter().packedVarints(1, [2, 3]).int(2, 1).string(8, 'P').bytes(9, f32([1, 2, 3, 4, 5, 6]));
    const attrInts = new ProtoWriter().string(1, 'perm').packedVarints(8, [1, 0, -1]).int(20, 7);
    const attrFloats = new ProtoWriter().string(1, 'scales').packedFloats(7, [0.25, 4]).int(20, 6);
    const node = new ProtoWriter().string(1, 'P').string(2, 'Q').string(4, 'Transpose').message(5, attrInts).message(5, attrFloats);
    const out = new ProtoWriter().string(1, 'Q');
    const graph = new ProtoWriter().message(1, node).string(2, 'g').message(5, tensor).message(12, out);
    const bytes = new ProtoWriter().int(1, 8).message(7, graph).message(8, new ProtoWriter().string(1, '').int(2, 17)).finish();
    const m = await readOnnxModel(writeFixture(dir, 'packed.onnx', bytes));
    assert.deepEqual(m.graph.weights[0].shape, [2, 3]);
    assert.equal(m.graph.weights[0].elementCount, 6);
    assert.deepEqual(m.graph.nodes[0].attributes, [{ name: 'perm', type: 'ints', value: [1, 0, -1] }, { name: 'scales', type: 'floats', value: [0.25, 4] }]);
    assert.deepEqual(m.graph.outputs[0].type, undefined);
  });
});

test('Constant variants: value_string(s), value_floats, sparse_value', async () => {
  await withTempDir('consts', async (dir) => {
    const spec = linearSpec();
    spec.graph.nodes.push(
      { op: 'Constant', name: 'c1', inputs: [], outputs: ['words'], attributes: [{ name: 'value_strings', strings: ['x', 'yz'] }] },
      { op: 'Constant', name: 'c2', inputs: [], outputs: ['word'], attributes: [{ name: 'value_string', s: 'only' }] },
      { op: 'Constant', name: 'c3', inputs: [], outputs: ['fl'], attributes: [{ name: 'value_floats', floats: [0.5, 1.5] }] },
      { op: 'Constant', name: 'c4', inputs: [], outputs: ['sp'], attributes: [{ name: 'sparse_value', sparse: { values: { dtype: 'float32', dims: [1], raw: f32([3]) }, indices: { dtype: 'int64', dims: [1], raw: i64([2]) }, dims: [4] } }] },
    );
    const m = await readOnnxModel(writeFixture(dir, 'consts.onnx', encodeModel(spec)));
    const c = collectWeights(m).filter((t) => t.role === 'constant');
    assert.deepEqual(c.map((t) => [t.name, t.dtype, t.shape, t.elementCount]), [['words', 'string', [2], 2], ['word', 'string', [], 1], ['fl', 'float32', [2], 2], ['sp', 'float32', [4], 4]]);
    assert.deepEqual(await c[0].data.strings?.(), ['x', 'yz']);
    assert.deepEqual(await c[1].data.strings?.(), ['only']);
    assert.deepEqual(Array.from(new Float32Array((await c[2].data.read()).buffer)), [0.5, 1.5]);
    assert.deepEqual(Array.from(new Float32Array((await c[3].data.read()).buffer)), [0, 0, 3, 0]);
    assert.equal(m.graph.values.get('sp')?.producer?.name, 'c4');
  });
});

test('non-tensor value types, unknown dims and tensors whose data cannot match', async () => {
  await withTempDir('types', async (dir) => {
    const seqType = new ProtoWriter().message(4, new ProtoWriter().message(1, new ProtoWriter().message(1, new ProtoWriter().int(1, 7))));
    const mapType = new ProtoWriter().message(5, new ProtoWriter().int(1, 8).message(2, new ProtoWriter().message(1, new ProtoWriter().int(1, 1))));
    const dims = new ProtoWriter().message(1, new ProtoWriter().string(2, 'batch')).message(1, new ProtoWriter()).message(1, new ProtoWriter().int(1, 3));
    const tensorType = new ProtoWriter().message(1, new ProtoWriter().int(1, 1).message(2, dims));
    const noShape = new ProtoWriter().message(1, new ProtoWriter().int(1, 10));
    const vi = (name: string, t: ProtoWriter) => new ProtoWriter().string(1, name).message(2, t);
    const bad = [
      new ProtoWriter().int(1, 2).int(2, 99).string(8, 'unknown_type').bytes(9, new Uint8Array(8)),
      new ProtoWriter().int(1, 2).int(2, 7).string(8, 'float_data_for_int64').packedFloats(4, [1, 2]),
      new ProtoWriter().int(1, 3).int(2, 1).string(8, 'no_data'),
      new ProtoWriter().int(1, 2).int(2, 1).string(8, 'short_floats').packedFloats(4, [1]),
    ];
    const graph = new ProtoWriter().string(2, 'g')
      .message(11, vi('s', seqType)).message(11, vi('m', mapType)).message(11, vi('t', tensorType)).message(11, vi('u', noShape));
    for (const b of bad) graph.message(5, b);
    const m = await readOnnxModel(writeFixture(dir, 'types.onnx', new ProtoWriter().int(1, 8).message(7, graph).finish()));
    assert.deepEqual(m.graph.inputs.map((v) => v.type), [
      { shape: null, kind: 'sequence', description: 'seq(tensor(int64))' },
      { shape: null, kind: 'map', description: 'map(string, tensor(float32))' },
      { shape: ['batch', null, 3], dtype: 'float32' },
      { shape: null, dtype: 'float16' },
    ]);
    const [unknown, wrongField, noData, short] = m.graph.weights;
    assert.equal(unknown.dtype, 'undefined');
    const why = async (t: typeof unknown) => { try { await t.data.read(); return 'read'; } catch (e) { assert.ok(isModelError(e)); return `${e.code}: ${e.message}`; } };
    assert.match(await why(unknown), /^unsupported: .*data_type 99/);
    assert.match(await why(wrongField), /^malformed: .*\(byte \d+, model\.graph\.initializer\[1\], tensor 'float_data_for_int64'\): float_data cannot hold int64/);
    assert.match(await why(noData), /^size-mismatch: .*no data but its dims need 3 elements/);
    assert.match(await why(short), /^size-mismatch: .*tensor 'short_floats'\): float_data holds 4 bytes but float32\[2\] needs 8/);
    // A segmented tensor is refused outright.
    const seg = new ProtoWriter().int(1, 1).int(2, 1).string(8, 'seg').message(3, new ProtoWriter().int(1, 0).int(2, 1));
    const segModel = new ProtoWriter().int(1, 8).message(7, new ProtoWriter().string(2, 'g').message(5, seg)).finish();
    await assert.rejects(readOnnxModel(writeFixture(dir, 'seg.onnx', segModel)), (e: unknown) => isModelError(e) && e.code === 'unsupported' && /segment/.test(e.message) && /model\.graph\.initializer\[0\]\.segment/.test(e.message));
  });
});
