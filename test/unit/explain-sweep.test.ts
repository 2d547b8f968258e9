// Sweeps: batched inputs over a range for one input element, and the ReLU MLP's analytic
// piecewise-linear curve — which the model run by onnxruntime must follow at every point.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { makeMlp, pieceValue, readReluMlp } from '../../src/core/explain/by-hand/relu-mlp.js';
import { buildSweepInputs, sweepSeries, sweepValues } from '../../src/core/edits/sweep.js';
import { openModel } from '../../src/core/formats/index.js';
import { RuntimeHost } from '../../src/core/runtime/runtime-host.js';
import type { RuntimeTensor } from '../../src/core/runtime/tensor-value.js';
import { buildConvNetModel, buildMlpModel, evalMlp } from '../fixtures/onnx/index.js';
import { repoRoot } from '../support/paths.js';
import { cleanupModels, writeTemp } from './explain-models.js';

after(cleanupModels);
const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
const base: RuntimeTensor = { name: 'x', dtype: 'float32', shape: [1, 4], data: Float32Array.from([0.3, -0.2, 0.5, 0.1]) };

test('sweep inputs: one batch of `steps` rows differing only in the chosen element', () => {
  assert.deepEqual(sweepValues(-1, 1, 5), [-1, -0.5, 0, 0.5, 1]);
  const s = buildSweepInputs(base, 2, -1, 1, 5);
  assert.equal(s.batched, true);
  assert.equal(s.tensors.length, 1);
  assert.deepEqual(s.tensors[0].shape, [5, 4]);
  const d = Array.from(s.tensors[0].data as Float32Array);
  for (let r = 0; r < 5; r++) assert.deepEqual(d.slice(r * 4, r * 4 + 4), [Math.fround(0.3), Math.fround(-0.2), s.xs[r], Math.fround(0.1)]);
  const scalar = buildSweepInputs({ name: 's', dtype: 'float32', shape: [], data: Float32Array.from([0]) }, 0, 0, 2, 3);
  assert.equal(scalar.batched, false);
  assert.deepEqual(scalar.tensors.map((t) => Array.from(t.data as Float32Array)), [[0], [1], [2]]);
  assert.throws(() => buildSweepInputs(base, 4, 0, 1, 2), /outside input 'x'/);
  const out: RuntimeTensor = { name: 'y', dtype: 'float32', shape: [3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
  assert.deepEqual(sweepSeries(out, 3, 1), [2, 4, 6]);
});

test('the MLP fixture reads as a ReLU MLP whose evaluation matches the fixture\'s reference', async () => {
  const m = await openModel(writeTemp('mlp.onnx', buildMlpModel()));
  try {
    const mlp = (await readReluMlp(m))!;
    assert.ok(mlp);
    assert.deepEqual(mlp.layers.map((l) => [l.inSize, l.outSize, l.relu]), [[4, 8, true], [8, 8, true], [8, 3, false]]);
    const row = [0.3, -0.2, 0.5, 0.1];
    const want = evalMlp(row);
    Array.from(mlp.evaluate(row)).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6));
  } finally { await m.close(); }
  const conv = await openModel(writeTemp('conv.onnx', buildConvNetModel()));
  try { assert.equal(await readReluMlp(conv), undefined, 'a conv net is not a ReLU MLP'); } finally { await conv.close(); }
});

test('the analytic pieces are linear, continuous, and agree with evaluation everywhere', () => {
  // y = relu(x − 1) − relu(−x): kinks at 0 and 1.
  const mlp = makeMlp([
    { inSize: 1, outSize: 2, W: Float64Array.from([1, -1]), b: Float64Array.from([-1, 0]), relu: true },
    { inSize: 2, outSize: 1, W: Float64Array.from([1, -1]), b: Float64Array.from([0]), relu: false },
  ]);
  const pieces = mlp.pieces([0], 0, -2, 3);
  assert.deepEqual(pieces.map((p) => [p.from, p.to, p.slope[0]]), [[-2, 0, 1], [0, 1, 0], [1, 3, 1]]);
  for (let t = -2; t <= 3; t += 0.125) assert.ok(Math.abs(pieceValue(pieces, t, 0) - mlp.evaluate([t])[0]) < 1e-12, `t=${t}`);
});

test('a sweep of the ReLU MLP run by onnxruntime lies on the analytic piecewise-linear curve', async (t) => {
  if (!existsSync(processPath)) return t.skip('dist/runtime-process.js is not built');
  const file = writeTemp('mlp-run.onnx', buildMlpModel());
  const model = await openModel(file);
  const mlp = (await readReluMlp(model))!;
  const steps = 201;
  const sweep = buildSweepInputs(base, 1, -3, 3, steps);
  const rt = await RuntimeHost.start({ processPath });
  try {
    await rt.load(file, { provider: 'cpu' });
    const r = await rt.run(sweep.tensors);
    const rowBase = Array.from(base.data as Float32Array);
    const pieces = mlp.pieces(rowBase, 1, -3, 3);
    assert.ok(pieces.length >= 2, `the curve bends (${pieces.length} pieces)`);
    for (let k = 0; k < 3; k++) {
      const ys = sweepSeries(r.outputs[0], steps, k);
      sweep.xs.forEach((x, i) => {
        const want = pieceValue(pieces, Math.fround(x), k);
        assert.ok(Math.abs(ys[i] - want) < 1e-5, `output ${k} at x=${x}: runtime ${ys[i]}, analytic ${want}`);
      });
    }
  } finally {
    await rt.dispose();
    await model.close();
  }
});
