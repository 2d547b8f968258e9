// Test-input builders: dims, generated fills, and every file source (.npy, .json, .pb, PNG, JPEG).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import {
  buildGeneratedInputs, decodeNpy, encodeNpy, fillTensor, halfToNumber, imageToTensor, matchInput, numberToHalf,
  parseDimOverrides, parseJsonTensor, readInputFile, readTensorFile, resolveShape, writeNpyFile, type RuntimeValueInfo,
} from '../../src/core/runtime/index.js';
import { ModelError } from '../../src/core/ir/errors.js';
import { encodeTensor, f32 } from '../fixtures/onnx/writer.js';
import { tempDir } from '../support/paths.js';

const dir = tempDir('runtime-inputs');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const info = (name: string, dtype: RuntimeValueInfo['dtype'], shape: RuntimeValueInfo['shape']): RuntimeValueInfo => ({ name, dtype, shape, isTensor: true });

test('dynamic dims resolve by the documented rule, and overrides win', () => {
  const i = info('x', 'float32', ['batch', 'seq', 'p2o.DynamicDimension.0', 'unk__132', null, 3, 'past_sequence_length', 'height', 'total_sequence_length']);
  assert.deepEqual(resolveShape(i), [1, 16, 1, 1, 1, 3, 0, 224, 16]);
  const dims = parseDimOverrides(['batch=4', 'seq=7', 'x:4=5', 'unk__132=2']);
  assert.deepEqual(dims, { batch: 4, seq: 7, 'x:4': 5, unk__132: 2 });
  assert.deepEqual(resolveShape(i, dims), [4, 7, 1, 2, 5, 3, 0, 224, 16]);
  assert.throws(() => parseDimOverrides(['batch']), (e: unknown) => e instanceof ModelError && /bad dim 'batch'/.test(e.message));
  assert.throws(() => parseDimOverrides(['batch=-1']), ModelError);
  assert.throws(() => resolveShape(info('r', 'float32', null)), (e: unknown) => e instanceof ModelError && /rank/.test(e.message));
});

test('a symbolic dim shared by two inputs gets one size', () => {
  const t = buildGeneratedInputs([info('ids', 'int64', ['batch', 'seq']), info('mask', 'bool', ['batch', 'seq'])], { kind: 'ones' }, { seq: 5 });
  assert.deepEqual(t.map((x) => x.shape), [[1, 5], [1, 5]]);
  assert.deepEqual(Array.from(t[0].data as BigInt64Array), [1n, 1n, 1n, 1n, 1n]);
  assert.deepEqual(Array.from(t[1].data as Uint8Array), [1, 1, 1, 1, 1]);
});

test('fills: seeded random is deterministic, zeros/ones/range/constant exact', () => {
  const a = fillTensor('x', 'float32', [1000], { kind: 'random', seed: 42 });
  const b = fillTensor('x', 'float32', [1000], { kind: 'random', seed: 42 });
  const c = fillTensor('x', 'float32', [1000], { kind: 'random', seed: 43 });
  assert.deepEqual(a.data, b.data);
  assert.notDeepEqual(a.data, c.data);
  const v = Array.from(a.data as Float32Array);
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
  assert.ok(Math.abs(mean) < 0.1 && Math.abs(std - 1) < 0.1, `normal(0,1): mean ${mean}, std ${std}`);
  const u = Array.from(fillTensor('u', 'float64', [500], { kind: 'uniform', seed: 1 }).data as Float64Array);
  assert.ok(u.every((x) => x >= 0 && x < 1));
  const ints = Array.from(fillTensor('i', 'int32', [500], { kind: 'random', seed: 1 }).data as Int32Array);
  assert.ok(ints.every((x) => Number.isInteger(x) && x >= 0 && x < 10));
  assert.deepEqual(Array.from(fillTensor('z', 'int8', [3], { kind: 'zeros' }).data as Int8Array), [0, 0, 0]);
  assert.deepEqual(Array.from(fillTensor('r', 'int64', [2, 2], { kind: 'range' }).data as BigInt64Array), [0n, 1n, 2n, 3n]);
  assert.deepEqual(Array.from(fillTensor('c', 'float16', [2], { kind: 'constant', value: 0.5 }).data as Uint16Array), [0x3800, 0x3800]);
  assert.deepEqual(fillTensor('s', 'string', [2], { kind: 'range' }).data, ['0', '1']);
  assert.deepEqual(fillTensor('scalar', 'float32', [], { kind: 'ones' }).data, Float32Array.from([1]));
});

test('float16 conversion rounds to nearest even and keeps specials', () => {
  for (const [n, h] of [[1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [1e6, 0x7c00], [5.960464477539063e-8, 1], [0, 0]] as const) {
    assert.equal(numberToHalf(n), h, String(n));
    if (Number.isFinite(halfToNumber(h))) assert.equal(halfToNumber(h), n > 65504 ? Infinity : n);
  }
  assert.ok(Number.isNaN(halfToNumber(numberToHalf(NaN))));
  assert.equal(numberToHalf(1 + 2 ** -11), 0x3c00); // tie → even
});

test('.npy round-trips every numeric dtype, strings, and reads Fortran order and big-endian', async () => {
  const cases = [
    { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) },
    { dtype: 'float64', shape: [2], data: Float64Array.from([Math.PI, -0]) },
    { dtype: 'int64', shape: [3], data: BigInt64Array.from([-1n, 2n ** 62n, 0n]) },
    { dtype: 'uint8', shape: [1, 1, 2], data: Uint8Array.from([0, 255]) },
    { dtype: 'bool', shape: [2], data: Uint8Array.from([1, 0]) },
    { dtype: 'float16', shape: [1], data: Uint16Array.from([0x3c00]) },
    { dtype: 'int32', shape: [], data: Int32Array.from([-5]) },
    { dtype: 'string', shape: [2], data: ['ab', 'ç€'] },
  ] as const;
  for (const c of cases) {
    const bytes = encodeNpy(c as never);
    const headerLen = bytes[8] | (bytes[9] << 8);
    assert.equal((10 + headerLen) % 64, 0, 'data starts 64-byte aligned');
    const back = decodeNpy(bytes);
    assert.equal(back.dtype, c.dtype);
    assert.deepEqual(back.shape, c.shape);
    assert.deepEqual(Array.from(back.data as ArrayLike<unknown>), Array.from(c.data as ArrayLike<unknown>));
  }
  // Hand-written: a Fortran-order 2x3 int16 array [[1,2,3],[4,5,6]] stored column-major, and big-endian float32.
  const header = (descr: string, fortran: boolean, shape: string) => {
    const h = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shape}, }`.padEnd(117, ' ') + '\n';
    return Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8, ...new TextEncoder().encode(h)]);
  };
  const fort = new Uint8Array([...header('<i2', true, '(2, 3)'), ...new Uint8Array(Int16Array.from([1, 4, 2, 5, 3, 6]).buffer)]);
  assert.deepEqual(Array.from(decodeNpy(fort).data as Int16Array), [1, 2, 3, 4, 5, 6]);
  const be = new Uint8Array([...header('>f4', false, '(1,)'), 0x3f, 0x80, 0, 0]);
  assert.deepEqual(Array.from(decodeNpy(be).data as Float32Array), [1]);
  assert.throws(() => decodeNpy(new Uint8Array([1, 2, 3]), 'bad.npy'), (e: unknown) => e instanceof ModelError && /bad\.npy.*NUMPY magic/.test(e.message));
  const short = encodeNpy({ dtype: 'float32', shape: [4], data: new Float32Array(4) }).slice(0, -3);
  assert.throws(() => decodeNpy(short, 'short.npy'), (e: unknown) => e instanceof ModelError && /short\.npy.*needs 16/.test(e.message));
  const file = path.join(dir, 'a.npy');
  await writeNpyFile(file, cases[0] as never);
  assert.deepEqual(Array.from((await readTensorFile(file)).data as Float32Array), [1, 2, 3, 4, 5, 6.5]);
});

test('.json: nested arrays and {dtype, shape, data}; errors say where', () => {
  const nested = parseJsonTensor('[[1, 2], [3, 4], [5, null]]');
  assert.deepEqual(nested.shape, [3, 2]);
  assert.equal(nested.dtype, 'float64');
  assert.ok(Number.isNaN((nested.data as Float64Array)[5]));
  const obj = parseJsonTensor('{"dtype": "int64", "shape": [2, 2], "data": [1, 2, 3, 4]}');
  assert.deepEqual([obj.dtype, obj.shape, Array.from(obj.data as BigInt64Array)], ['int64', [2, 2], [1n, 2n, 3n, 4n]]);
  assert.deepEqual(parseJsonTensor('[true, false]').dtype, 'bool');
  assert.deepEqual(parseJsonTensor('["a", "b"]').data, ['a', 'b']);
  assert.deepEqual(parseJsonTensor('3.5').shape, []);
  assert.throws(() => parseJsonTensor('[[1, 2], [3]]', 'r.json'), (e: unknown) => e instanceof ModelError && /r\.json.*ragged/.test(e.message));
  assert.throws(() => parseJsonTensor('{"shape": [3], "data": [1, 2]}', 's.json'), (e: unknown) => e instanceof ModelError && /needs 3 values, the data has 2/.test(e.message));
  assert.throws(() => parseJsonTensor('{nope', 'j.json'), (e: unknown) => e instanceof ModelError && /j\.json: not valid JSON/.test(e.message));
});

test('a file feeds an input: shapes are checked, values converted to the input dtype', async () => {
  const jsonFile = path.join(dir, 'x.json');
  writeFileSync(jsonFile, '[[0.5, 1.5, 2.5, 3.5]]');
  const t = await readInputFile(info('x', 'float32', ['batch', 4]), jsonFile);
  assert.deepEqual([t.dtype, t.shape, Array.from(t.data as Float32Array)], ['float32', [1, 4], [0.5, 1.5, 2.5, 3.5]]);
  await assert.rejects(readInputFile(info('x', 'float32', ['batch', 5]), jsonFile), (e: unknown) => e instanceof ModelError && /shape \[1, 4\] does not fit input 'x' \[batch, 5\]/.test(e.message));
  const ids = await readInputFile(info('ids', 'int64', [1, 4]), jsonFile);
  assert.deepEqual(Array.from(ids.data as BigInt64Array), [0n, 1n, 2n, 3n]);
  await assert.rejects(readInputFile(info('x', 'float32', [1]), path.join(dir, 'x.txt')), (e: unknown) => e instanceof ModelError && /must be \.npy, \.json, \.pb/.test(e.message));
  await assert.rejects(readInputFile(info('x', 'float32', [1]), path.join(dir, 'missing.npy')), (e: unknown) => e instanceof ModelError && e.code === 'not-found');
  assert.throws(() => matchInput(info('s', 'string', [2]), { dtype: 'float32', shape: [2], data: new Float32Array(2) }, 'f'), ModelError);
});

test('.pb TensorProto files (raw and typed fields) feed inputs', async () => {
  const raw = path.join(dir, 'raw.pb');
  writeFileSync(raw, encodeTensor({ name: 'x', dtype: 'float32', dims: [2, 2], raw: f32([1, -2, 3, 4.25]) }));
  const t = await readInputFile(info('x', 'float32', [2, 'n']), raw);
  assert.deepEqual([t.shape, Array.from(t.data as Float32Array)], [[2, 2], [1, -2, 3, 4.25]]);
  const typed = path.join(dir, 'typed.pb');
  writeFileSync(typed, encodeTensor({ name: 'ids', dtype: 'int64', dims: [3], int64Data: [5, -1, 7] }));
  assert.deepEqual(Array.from((await readTensorFile(typed)).data as BigInt64Array), [5n, -1n, 7n]);
  const strings = path.join(dir, 'str.pb');
  writeFileSync(strings, encodeTensor({ name: 's', dtype: 'string', dims: [2], stringData: ['a', 'bc'] }));
  assert.deepEqual((await readTensorFile(strings)).data, ['a', 'bc']);
});

test('images: PNG exact, NCHW/NHWC, RGB/BGR, normalization, bilinear resize; JPEG close', async () => {
  // 2x2 PNG: red, green / blue, white.
  const png = new pngjs.PNG({ width: 2, height: 2 });
  png.data.set([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
  const pngFile = path.join(dir, 'img.png');
  writeFileSync(pngFile, pngjs.PNG.sync.write(png));
  const nchw = await readInputFile(info('img', 'float32', [1, 3, 2, 2]), pngFile);
  assert.deepEqual(Array.from(nchw.data as Float32Array), [1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1]);
  const nhwc = await readInputFile(info('img', 'uint8', [1, 2, 2, 3]), pngFile, {}, { channelOrder: 'bgr' });
  assert.deepEqual(Array.from(nhwc.data as Uint8Array), [0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255]);
  const norm = await readInputFile(info('img', 'float32', [1, 3, 2, 2]), pngFile, {}, { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
  assert.deepEqual(Array.from(norm.data as Float32Array).slice(0, 4), [1, -1, -1, 1]);
  // Dynamic spatial dims take --dim sizes; a 2x2 → 4x4 bilinear resize interpolates between pixels.
  const big = await readInputFile(info('img', 'float32', [1, 3, 'h', 'w']), pngFile, { h: 4, w: 4 });
  assert.deepEqual(big.shape, [1, 3, 4, 4]);
  const red = Array.from((big.data as Float32Array).slice(0, 16), (v) => Math.round(v * 255));
  assert.deepEqual(red.slice(0, 4), [255, 191, 64, 0]);
  const grey = imageToTensor('g', { width: 1, height: 1, data: Uint8Array.from([30, 60, 90, 255]) }, 'float32', [1, 1, 1, 1], { scale: 1 });
  assert.deepEqual(Array.from(grey.data as Float32Array), [60]);
  // JPEG is lossy: a flat colour comes back within a few levels.
  const flat = new Uint8Array(8 * 8 * 4);
  for (let i = 0; i < 64; i++) flat.set([200, 100, 50, 255], i * 4);
  const jpgFile = path.join(dir, 'img.jpg');
  writeFileSync(jpgFile, jpeg.encode({ width: 8, height: 8, data: flat }, 95).data);
  const j = await readInputFile(info('img', 'float32', [1, 3, 8, 8]), jpgFile, {}, { scale: 1 });
  const d = j.data as Float32Array;
  for (const [c, want] of [[0, 200], [1, 100], [2, 50]]) assert.ok(Math.abs(d[c * 64] - want) <= 4, `channel ${c}: ${d[c * 64]}`);
  writeFileSync(path.join(dir, 'bad.png'), readFileSync(pngFile).subarray(0, 30));
  await assert.rejects(readInputFile(info('img', 'float32', [1, 3, 2, 2]), path.join(dir, 'bad.png')), (e: unknown) => e instanceof ModelError && /bad\.png: cannot decode the image/.test(e.message));
  await assert.rejects(readInputFile(info('img', 'float32', [1, 5, 2, 2]), pngFile), (e: unknown) => e instanceof ModelError && /1 or 3 channels/.test(e.message));
});
