// `model-lens stats`: JSON contract, readable table, exit status and the one-line error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStatsCommand } from '../../src/cli/stats.js';
import { buildLinearModel, buildMlpModel, withTempDir, writeFixture } from '../fixtures/onnx/index.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runStatsCommand(args, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { code, out, err };
}

test('stats --json of y = 2x + 1: one entry per weight and the model entry', async () => {
  await withTempDir('stats-cli', async (dir) => {
    const r = await run([writeFixture(dir, 'linear.onnx', buildLinearModel()), '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.tensors.length, 2);
    const byValue = j.tensors.map((t: { min: number }) => t.min).sort();
    assert.deepEqual(byValue, [1, 2]);
    for (const t of j.tensors) {
      for (const k of ['name', 'dtype', 'shape', 'count', 'min', 'max', 'mean', 'std', 'zeros', 'nan', 'inf', 'histogram']) assert.ok(k in t, k);
      assert.equal(t.dtype, 'float32');
      assert.equal(t.count, 1);
      assert.equal(t.std, 0);
      assert.deepEqual(t.histogram.counts, [1]);
    }
    assert.deepEqual([j.model.count, j.model.min, j.model.max, j.model.mean, j.model.std], [2, 1, 2, 1.5, 0.5]);
    assert.equal(j.model.histogram.counts.reduce((a: number, b: number) => a + b, 0), 2);
  });
});

test('stats --json is compact (histogram ends and counts, a line per tensor); --detail adds the full figures', async () => {
  await withTempDir('stats-cli', async (dir) => {
    const file = writeFixture(dir, 'mlp.onnx', buildMlpModel());
    const compact = await run([file, '--json']);
    assert.equal(compact.code, 0, compact.err);
    const j = JSON.parse(compact.out);
    assert.equal(j.tensors.length, 6);
    for (const t of j.tensors) {
      assert.deepEqual(Object.keys(t.histogram), ['lo', 'hi', 'counts']);
      assert.ok(t.histogram.counts.every((c: unknown) => Number.isInteger(c)));
      for (const k of ['percentiles', 'logHistogram', 'rows', 'outliers']) assert.ok(!(k in t), k);
    }
    // One line per tensor, not one per number.
    assert.ok(compact.out.split('\n').length < 30, `${compact.out.split('\n').length} lines`);
    const detail = await run([file, '--json', '--detail']);
    assert.equal(detail.code, 0, detail.err);
    const d = JSON.parse(detail.out);
    const w = d.tensors.find((t: { shape: number[] }) => t.shape.length === 2);
    for (const k of ['percentiles', 'logHistogram', 'outliers', 'rows']) assert.ok(k in w, k);
    assert.equal(w.histogram.edges.length, w.histogram.counts.length + 1);
    assert.equal(w.histogram.edges[0], j.tensors.find((t: { name: string }) => t.name === w.name).histogram.lo);
    assert.ok(Array.isArray(w.rows.rowMin));
    assert.equal(typeof w.percentiles.p50, 'number');
  });
});

test('stats text table lists every weight and the model line', async () => {
  await withTempDir('stats-cli', async (dir) => {
    const r = await run([writeFixture(dir, 'mlp.onnx', buildMlpModel())]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /mlp\.onnx: 6 weights, 139 parameters/);
    assert.match(r.out, /^name +dtype +shape +min +max +mean +std +zeros$/m);
    assert.equal(r.out.split('\n').filter((l) => /float32 +\[/.test(l)).length, 6);
    assert.match(r.out, /^all float weights: 139 values, min /m);
    const csv = await run([join(dir, 'mlp.onnx'), '--csv']);
    assert.equal(csv.out.trimEnd().split('\n').length, 7);
  });
});

test('a bad file exits 1 with one line naming it; no file is usage (2)', async () => {
  await withTempDir('stats-cli', async (dir) => {
    const bad = join(dir, 'notes.onnx');
    writeFileSync(bad, 'these are my notes, not a model\n');
    const r = await run([bad, '--json']);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(r.err.trimEnd().split('\n').length, 1);
    assert.match(r.err, /^model-lens: .*notes\.onnx/);
    assert.doesNotMatch(r.err, /\n\s+at /);
    const missing = await run([join(dir, 'nope.onnx')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.onnx/);
    assert.equal((await run([])).code, 2);
  });
});
