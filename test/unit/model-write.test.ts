// One write that both edits a weight and exposes an intermediate value: the copy opens with the
// project's own reader (edited bytes, new graph output) and runs in onnxruntime with both effects.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { editWeight } from '../../src/core/edits/weight-edit.js';
import { editModelBytes, readGraphValueNames, writeModel } from '../../src/core/model-write/index.js';
import { openModel } from '../../src/core/formats/index.js';
import { ModelError } from '../../src/core/ir/errors.js';
import type { Model } from '../../src/core/ir/graph.js';
import { collectWeights } from '../../src/core/ir/walk.js';
import { buildExternalDataModel, buildLinearModel, removeDir, tempDir, writeFixture } from '../fixtures/onnx/index.js';

type Ort = typeof import('onnxruntime-node');
const ort = createRequire(import.meta.url)('onnxruntime-node') as Ort;

const dir = tempDir('model-write');
after(() => removeDir(dir));
const tensorNamed = (m: Model, name: string) => collectWeights(m).find((t) => t.name === name)!;

test('one write edits W and exposes xw: the reader sees both, onnxruntime computes with both', async () => {
  const file = writeFixture(dir, 'linear.onnx', buildLinearModel());
  const out = path.join(dir, 'both', 'linear.onnx');
  const original = readFileSync(file);
  const model = await openModel(file);
  try {
    const W = tensorNamed(model, 'W');
    const weights = new Map([[W, (await editWeight(W, { kind: 'scale', factor: 1.5 })).bytes]]);
    const written = await writeModel(model, { weights, outputs: ['xw'] }, out);
    assert.equal(written.modelPath, out);
    assert.equal(written.patchedBytes, 4);
    assert.deepEqual(readFileSync(file), original, 'the original is untouched');

    const reopened = await openModel(out);
    try {
      assert.deepEqual(Array.from(new Float32Array(Uint8Array.from(await tensorNamed(reopened, 'W').data.read()).buffer)), [3]);
      assert.deepEqual(Array.from(new Float32Array(Uint8Array.from(await tensorNamed(reopened, 'B').data.read()).buffer)), [1]);
      assert.deepEqual(reopened.graph.outputs.map((v) => v.name), ['y', 'xw']);
    } finally { await reopened.close(); }
    assert.deepEqual(readGraphValueNames(readFileSync(out)).graphOutputs, ['y', 'xw']);

    const session = await ort.InferenceSession.create(out);
    const r = await session.run({ x: new ort.Tensor('float32', Float32Array.from([-1, 0, 1, 2]), [4, 1]) });
    assert.deepEqual(Array.from(r.xw.data as Float32Array), [-3, 0, 3, 6], 'xw = 3x');
    assert.deepEqual(Array.from(r.y.data as Float32Array), [-2, 1, 4, 7], 'y = 3x + 1');
    await session.release();
  } finally { await model.close(); }
});

test('in memory, editModelBytes patches at the original offsets before splicing', async () => {
  const bytes = buildLinearModel();
  const file = writeFixture(dir, 'linear-mem.onnx', bytes);
  const model = await openModel(file);
  try {
    const [range] = tensorNamed(model, 'W').data.fileRanges()!;
    const seven = new Uint8Array(Float32Array.from([7]).buffer);
    const edited = editModelBytes(bytes, { patches: [{ offset: range.offset, bytes: seven }], outputs: ['xw', 'y'] });
    const session = await ort.InferenceSession.create(edited);
    const r = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2]), [2, 1]) });
    assert.deepEqual(Array.from(r.xw.data as Float32Array), [7, 14]);
    assert.deepEqual(readGraphValueNames(edited).graphOutputs, ['y', 'xw'], 'y is not repeated');
    await session.release();
    assert.throws(() => editModelBytes(bytes, { patches: [{ offset: bytes.length - 2, bytes: seven }] }), (err: unknown) => err instanceof ModelError && /runs past the end/.test(err.message));
  } finally { await model.close(); }
});

test('with external data, the weight patch lands in the side file and the outputs in the main file', async () => {
  const { model: main, files } = buildExternalDataModel();
  const sub = path.join(dir, 'ext');
  const file = writeFixture(sub, 'linear.onnx', main);
  for (const [name, b] of Object.entries(files)) writeFixture(sub, name, b);
  const model = await openModel(file);
  try {
    const W = tensorNamed(model, 'W');
    const e = await editWeight(W, { kind: 'zero' });
    const out = path.join(dir, 'ext-both', 'linear.onnx');
    await writeModel(model, { weights: new Map([[W, e.bytes]]), outputs: ['xw'] }, out);
    const reopened = await openModel(out);
    try {
      assert.ok((await tensorNamed(reopened, 'W').data.read()).every((b) => b === 0));
      assert.ok(reopened.graph.outputs.some((v) => v.name === 'xw'));
    } finally { await reopened.close(); }
  } finally { await model.close(); }
});
