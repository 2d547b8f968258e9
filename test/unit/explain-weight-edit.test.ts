// What-if on weights: each edit's arithmetic, the model copy that changes exactly the edited
// bytes (side files included, originals untouched), and the output-change metrics.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compareWhatIf, activationShift } from '../../src/core/edits/output-change.js';
import { quantizeInt8 } from '../../src/core/edits/quantize.js';
import { applyWeightEdit, editWeight } from '../../src/core/edits/weight-edit.js';
import { writeModifiedModel } from '../../src/core/model-write/model-write.js';
import { openModel } from '../../src/core/formats/index.js';
import { ModelError } from '../../src/core/ir/errors.js';
import type { Model } from '../../src/core/ir/graph.js';
import { collectWeights } from '../../src/core/ir/walk.js';
import { RuntimeHost } from '../../src/core/runtime/runtime-host.js';
import type { RuntimeTensor } from '../../src/core/runtime/tensor-value.js';
import { buildConvNetModel, buildExternalDataModel, buildLinearModel, removeDir, tempDir, writeFixture } from '../fixtures/onnx/index.js';
import { repoRoot } from '../support/paths.js';
import { values } from './explain-models.js';

const dir = tempDir('weight-edit');
after(() => removeDir(dir));

async function convNet(): Promise<{ file: string; model: Model }> {
  const file = writeFixture(dir, `convnet-${Math.random().toString(36).slice(2)}.onnx`, buildConvNetModel());
  return { file, model: await openModel(file) };
}
const tensorNamed = (m: Model, name: string) => collectWeights(m).find((t) => t.name === name)!;

function differingBytes(a: Uint8Array, b: Uint8Array): number[] {
  assert.equal(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

test('zeroing a weight changes exactly that weight\'s bytes in the copy; the file on disk is untouched', async () => {
  const { file, model } = await convNet();
  try {
    const original = readFileSync(file);
    const w = tensorNamed(model, 'fc.weight');
    const edit = await editWeight(w, { kind: 'zero' });
    assert.equal(edit.bytes.byteLength, w.byteLength);
    assert.ok(edit.changed > 600, `${edit.changed} of 640 values were non-zero`);
    const out = path.join(dir, 'edited', 'convnet.onnx');
    const written = await writeModifiedModel(model, new Map([[w, edit.bytes]]), out);
    assert.equal(written.modelPath, out);
    assert.equal(written.patchedBytes, 2560);
    const copy = readFileSync(out);
    const [range] = w.data.fileRanges()!;
    const diff = differingBytes(original, copy);
    assert.ok(diff.length > 0);
    assert.ok(diff.every((i) => i >= range.offset && i < range.offset + range.length), 'only bytes of fc.weight differ');
    assert.ok(copy.subarray(range.offset, range.offset + range.length).every((b) => b === 0));
    assert.deepEqual(readFileSync(file), original, 'the original file is never modified');
    const reopened = await openModel(out);
    try {
      assert.equal(tensorNamed(reopened, 'conv.weight').byteLength, 144);
      assert.ok((await tensorNamed(reopened, 'fc.weight').data.read()).every((b) => b === 0));
    } finally { await reopened.close(); }
  } finally { await model.close(); }
});

test('a channel (slice along axis 0) edit touches only that channel', async () => {
  const { model } = await convNet();
  try {
    const w = tensorNamed(model, 'conv.weight'); // [4, 1, 3, 3]
    const before = await w.data.read();
    const e = await editWeight(w, { kind: 'scale', factor: 3 }, { index: 2 });
    assert.equal(e.covered, 9);
    const diff = differingBytes(before, e.bytes);
    assert.ok(diff.every((i) => i >= 2 * 36 && i < 3 * 36));
    const orig = new Float32Array(before.slice().buffer);
    for (let k = 0; k < 9; k++) assert.equal(e.values[18 + k], Math.fround(orig[18 + k] * 3));
    assert.throws(() => applyWeightEdit([1, 2], [2], { kind: 'zero' }, { index: 5 }), /outside 0…1/);
  } finally { await model.close(); }
});

test('int8 quantization: every element within scale/2 of the original, per tensor and per channel', () => {
  const shape = [6, 5, 3];
  const v = values(90, 42).map((x, i) => x * (1 + Math.floor(i / 15) * 4)); // channels of very different ranges
  for (const scheme of ['symmetric', 'affine'] as const) {
    for (const granularity of ['per-tensor', 'per-channel'] as const) {
      const q = quantizeInt8(v, shape, { scheme, granularity, axis: 0 });
      assert.equal(q.scales.length, granularity === 'per-channel' ? 6 : 1);
      for (let i = 0; i < v.length; i++) {
        const c = granularity === 'per-channel' ? Math.floor(i / 15) : 0;
        assert.ok(Math.abs(v[i] - q.values[i]) <= q.errorBounds[c] * (1 + 1e-12), `${scheme} ${granularity} element ${i}`);
        assert.equal(q.errorBounds[c], q.scales[c] / 2);
        assert.ok(q.codes[i] >= (scheme === 'symmetric' ? -127 : -128) && q.codes[i] <= 127);
      }
      assert.ok(q.maxError <= Math.max(...q.errorBounds) * (1 + 1e-12));
    }
  }
  const perTensor = quantizeInt8(v, shape, { scheme: 'symmetric', granularity: 'per-tensor' });
  const perChannel = quantizeInt8(v, shape, { scheme: 'symmetric', granularity: 'per-channel' });
  assert.ok(perChannel.errorBounds[0] < perTensor.errorBounds[0] / 10, 'the small channel gets a finer scale per channel');
  const affine = quantizeInt8([0, 0.5, 2, 3], [4], { scheme: 'affine', granularity: 'per-tensor' });
  assert.equal(affine.values[0], 0, 'zero stays exactly zero');
});

test('int8 through editWeight keeps float32 storage and reports the bound', async () => {
  const { model } = await convNet();
  try {
    const w = tensorNamed(model, 'conv.weight');
    const orig = new Float32Array((await w.data.read()).slice().buffer);
    const e = await editWeight(w, { kind: 'quantize-int8', scheme: 'symmetric', granularity: 'per-channel', axis: 0 });
    assert.equal(e.quantization!.scales.length, 4);
    for (let i = 0; i < 36; i++) {
      const bound = e.quantization!.errorBounds[Math.floor(i / 9)];
      assert.ok(Math.abs(e.values[i] - orig[i]) <= bound + 1e-7, `${i}`);
    }
  } finally { await model.close(); }
});

test('prune zeroes exactly the k% smallest magnitudes; scale and seeded noise are reproducible', () => {
  const v = [0.5, -0.1, 0.3, -0.05, 2, -3, 0.2, 0.01, 1, -0.7];
  const p = applyWeightEdit(v, [10], { kind: 'prune', percent: 40 });
  assert.deepEqual(Array.from(p.values), [0.5, 0, 0.3, 0, 2, -3, 0, 0, 1, -0.7]);
  assert.equal(p.pruneThreshold, 0.2);
  assert.equal(p.changed, 4);
  assert.deepEqual(Array.from(applyWeightEdit(v, [10], { kind: 'scale', factor: -2 }).values), v.map((x) => -2 * x));
  const n1 = applyWeightEdit(new Array(4000).fill(1), [4000], { kind: 'noise', std: 0.1, seed: 7 });
  const n2 = applyWeightEdit(new Array(4000).fill(1), [4000], { kind: 'noise', std: 0.1, seed: 7 });
  const n3 = applyWeightEdit(new Array(4000).fill(1), [4000], { kind: 'noise', std: 0.1, seed: 8 });
  assert.deepEqual(n1.values, n2.values);
  assert.notDeepEqual(n1.values, n3.values);
  const std = Math.sqrt(Array.from(n1.values).reduce((a, x) => a + (x - 1) ** 2, 0) / 4000);
  assert.ok(Math.abs(std - 0.1) < 0.01, `noise std ${std}`);
  const rel = applyWeightEdit([1, 3, 1, 3], [4], { kind: 'noise', std: 0.5, seed: 1, relative: true });
  assert.ok(rel.maxAbsChange > 0);
});

test('external data: the side file is copied with its relative name and patched there', async () => {
  const ext = buildExternalDataModel('data/linear.weights');
  const src = path.join(dir, 'ext');
  const file = writeFixture(src, 'linear.onnx', ext.model);
  const side = writeFixture(src, 'data/linear.weights', ext.files['data/linear.weights']);
  const sideBefore = readFileSync(side);
  const model = await openModel(file);
  try {
    const W = tensorNamed(model, 'W');
    const e = await editWeight(W, { kind: 'scale', factor: 1.5 });
    const out = path.join(dir, 'ext-edited', 'linear.onnx');
    const w = await writeModifiedModel(model, new Map([[W, e.bytes]]), out);
    assert.deepEqual(w.files.sort(), [out, path.join(dir, 'ext-edited', 'data', 'linear.weights')].sort());
    assert.deepEqual(readFileSync(file), Buffer.from(ext.model), 'model file copied unchanged');
    assert.deepEqual(readFileSync(out), Buffer.from(ext.model));
    const copied = readFileSync(path.join(dir, 'ext-edited', 'data', 'linear.weights'));
    assert.equal(copied.readFloatLE(0), 3);
    assert.equal(copied.readFloatLE(64), 1, 'B is untouched');
    assert.deepEqual(readFileSync(side), sideBefore);
    await assert.rejects(writeModifiedModel(model, new Map([[W, e.bytes]]), file), (err: unknown) => err instanceof ModelError && /one of the model's own files/.test(err.message));
    await assert.rejects(writeModifiedModel(model, new Map([[W, new Uint8Array(8)]]), path.join(dir, 'x', 'l.onnx')), /8 long, the stored tensor is 4/);
  } finally { await model.close(); }
});

test('output change: max-abs, relative, cosine and top-1 per example; activation shift by name', () => {
  const t = (name: string, data: number[], shape: number[]): RuntimeTensor => ({ name, dtype: 'float32', shape, data: Float32Array.from(data) });
  const before = [t('p', [0.1, 0.7, 0.2, 0.6, 0.3, 0.1], [2, 3])];
  const after = [t('p', [0.1, 0.3, 0.6, 0.6, 0.3, 0.1], [2, 3])];
  const [c] = compareWhatIf(before, after);
  assert.ok(Math.abs(c.maxAbsDiff - 0.4) < 1e-6);
  assert.deepEqual(c.top1, { before: [1, 0], after: [2, 0], changed: 1 });
  assert.ok(c.cosine < 1 && c.cosine > 0.5);
  const shift = activationShift([t('a', [3, 4], [2]), t('b', [1, 1], [2])], [t('a', [3, 4], [2]), t('b', [1, 2], [2])]);
  assert.equal(shift.get('a'), 0);
  assert.ok(Math.abs(shift.get('b')! - 1 / Math.SQRT2) < 1e-9);
});

test('what-if end to end: the spliced copy runs, and the output moves as the math says', async (t) => {
  const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
  if (!existsSync(processPath)) return t.skip('dist/runtime-process.js is not built');
  const file = writeFixture(dir, 'linear-run.onnx', buildLinearModel());
  const model = await openModel(file);
  const rt = await RuntimeHost.start({ processPath });
  try {
    const x: RuntimeTensor = { name: 'x', dtype: 'float32', shape: [4, 1], data: Float32Array.from([-1, 0, 1, 2]) };
    await rt.load(file, { provider: 'cpu' });
    const before = (await rt.run([x])).outputs;
    const W = tensorNamed(model, 'W');
    const e = await editWeight(W, { kind: 'scale', factor: 1.5 });
    const edited = await writeModifiedModel(model, new Map([[W, e.bytes]]), path.join(dir, 'run-edited', 'linear.onnx'));
    await rt.load(edited.modelPath, { provider: 'cpu' });
    const after = (await rt.run([x])).outputs;
    assert.deepEqual(Array.from(after[0].data as Float32Array), [-2, 1, 4, 7], 'y = 3x + 1');
    const [c] = compareWhatIf(before, after);
    assert.equal(c.maxAbsDiff, 2);
    assert.equal(c.top1, undefined, 'a [4, 1] output has no classes');
  } finally {
    await rt.dispose();
    await model.close();
  }
});
