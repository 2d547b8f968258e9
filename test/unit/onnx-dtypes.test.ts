// Every TensorProto data type, stored as raw_data, packed typed field and unpacked typed field,
// decodes to the same known packed little-endian bytes; TensorProto files decode the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTensorProto, readOnnxModel, readTensorProtoFile, typedValues } from '../../src/core/formats/onnx/index.js';
import type { Tensor } from '../../src/core/ir/tensor.js';
import { isModelError } from '../../src/core/ir/errors.js';
import { buildAllDtypesModel, DTYPE_CASES, encodeTensor, withTempDir, writeFixture } from '../fixtures/onnx/index.js';

test('all data types: raw, packed and unpacked forms read back to the known bytes', async () => {
  await withTempDir('dtypes', async (dir) => {
    const m = await readOnnxModel(writeFixture(dir, 'all.onnx', buildAllDtypesModel()));
    const byName = new Map<string, Tensor>(m.graph.weights.map((t) => [t.name, t]));
    assert.equal(byName.size, DTYPE_CASES.length * 3 - 2);
    for (const c of DTYPE_CASES) {
      for (const form of ['raw', 'typed', 'unpacked']) {
        if (c.dtype === 'string' && form !== 'typed') continue;
        const t = byName.get(`${form}_${c.dtype}`);
        assert.ok(t, `${form}_${c.dtype} present`);
        assert.equal(t.dtype, c.dtype, t.name);
        assert.deepEqual(t.shape, c.dims, t.name);
        assert.equal(t.byteLength, c.bytes.length, `${t.name} byteLength`);
        assert.equal(t.data.byteLength, c.bytes.length, `${t.name} data.byteLength`);
        if (c.dtype === 'string') {
          assert.deepEqual(await t.data.strings?.(), c.strings);
          continue;
        }
        assert.deepEqual(Array.from(await t.data.read()), Array.from(c.bytes), `${t.name} bytes`);
        // raw_data and packed float/double data are plain file ranges; varints need decoding.
        const direct = form === 'raw' || (form === 'typed' && (c.typed.floatData || c.typed.doubleData));
        assert.equal(t.data.fileRanges() !== null, !!direct, `${t.name} fileRanges`);
      }
    }
    // Partial reads of a decoded tensor.
    const i64 = byName.get('typed_int64')!;
    assert.deepEqual(Array.from(await i64.data.read(8, 8)), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  });
});

test('decodeTensorProto: every dtype from raw and typed TensorProto bytes, with typed views', () => {
  for (const c of DTYPE_CASES) {
    const forms = c.dtype === 'string' ? [{ ...c.typed }] : [{ raw: c.bytes }, { ...c.typed }, { ...c.typed, unpacked: true }];
    for (const f of forms) {
      const d = decodeTensorProto(encodeTensor({ name: `t_${c.dtype}`, dtype: c.dtype, dims: c.dims, ...f }), `${c.dtype}.pb`);
      assert.equal(d.name, `t_${c.dtype}`);
      assert.equal(d.dtype, c.dtype);
      assert.deepEqual(d.shape, c.dims);
      if (c.dtype === 'string') assert.deepEqual(d.strings, c.strings);
      else assert.deepEqual(Array.from(d.bytes), Array.from(c.bytes), `${c.dtype} ${Object.keys(f).join('+')}`);
    }
  }
  const f = decodeTensorProto(encodeTensor({ name: 'x', dtype: 'float32', dims: [2, 2], floatData: [1, 2, 3, 4.5] }), 'x.pb');
  assert.deepEqual(Array.from(typedValues(f) as Float32Array), [1, 2, 3, 4.5]);
  const l = decodeTensorProto(encodeTensor({ name: 'i', dtype: 'int64', dims: [2], int64Data: [-5, 2n ** 40n] }), 'i.pb');
  assert.deepEqual(Array.from(typedValues(l) as BigInt64Array), [-5n, 2n ** 40n]);
  const h = decodeTensorProto(encodeTensor({ name: 'h', dtype: 'float16', dims: [1], int32Data: [0x3c00] }), 'h.pb');
  assert.deepEqual(Array.from(typedValues(h) as Uint16Array), [0x3c00]);
});

test('readTensorProtoFile reads a .pb file; mismatched data says so with the file and tensor', () => {
  withTempDir('pb', (dir) => {
    const p = writeFixture(dir, 'test_data_set_0/input_0.pb', encodeTensor({ name: 'x', dtype: 'float32', dims: [3], floatData: [1, 2, 3] }));
    const d = readTensorProtoFile(p);
    assert.deepEqual([d.name, d.dtype, d.shape, d.elementCount], ['x', 'float32', [3], 3]);
    assert.deepEqual(Array.from(typedValues(d) as Float32Array), [1, 2, 3]);
    const bad = writeFixture(dir, 'bad.pb', encodeTensor({ name: 'y', dtype: 'float32', dims: [4], floatData: [1, 2, 3] }));
    assert.throws(() => readTensorProtoFile(bad), (e: unknown) => isModelError(e) && e.code === 'size-mismatch' && e.message.includes('bad.pb') && e.message.includes("tensor 'y'"));
    assert.throws(() => readTensorProtoFile(`${dir}/missing.pb`), (e: unknown) => isModelError(e) && e.code === 'not-found');
    const short = writeFixture(dir, 'short.pb', encodeTensor({ name: 'z', dtype: 'int64', dims: [2], int64Data: [1] }));
    assert.throws(() => readTensorProtoFile(short), (e: unknown) => isModelError(e) && e.code === 'size-mismatch' && /holds 1 values but its dims need 2/.test(e.message));
  });
});
