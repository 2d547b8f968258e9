// Statistics of every model under ../shared/models (real third-party files) complete without
// error, with figures consistent with the model's weights. Skipped when the folder is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeModelStats } from '../../src/core/stats/stats-model.js';
import { openModel } from '../../src/core/formats/index.js';
import type { Model } from '../../src/core/ir/graph.js';
import { collectWeights } from '../../src/core/ir/walk.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const modelsDir = resolve(repoRoot, '../shared/models');
const workerPath = join(repoRoot, 'dist/stats-worker.js');

function modelFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...modelFiles(p));
    else if (name.endsWith('.onnx')) out.push(p);
    else if (name.endsWith('.json') && statSync(p).size < 4 << 20) {
      const head = readFileSync(p, 'utf8');
      if (head.includes('"weightsManifest"') || head.includes('"modelTopology"')) out.push(p);
    }
  }
  return out;
}

async function tryOpen(file: string): Promise<Model | null> {
  try {
    return await openModel(file);
  } catch {
    return null; // files meant to be rejected are the readers' tests, not these
  }
}

test('stats of every shared model complete and agree with the weights', async (t) => {
  if (!existsSync(modelsDir)) {
    t.skip(`no models folder at ${modelsDir}`);
    return;
  }
  const files = modelFiles(modelsDir);
  let opened = 0, tensors = 0, values = 0, flagged = 0;
  const failures: string[] = [];
  for (const file of files) {
    const model = await tryOpen(file);
    if (!model) continue;
    opened++;
    try {
      const s = await computeModelStats(model, { workers: 0 });
      const weights = collectWeights(model);
      assert.equal(s.tensors.length + s.skipped.length, weights.length, 'every weight is either computed or skipped');
      assert.equal(s.totals.tensors, weights.length);
      for (const ts of s.tensors) {
        const w = weights.find((x) => x.name === ts.name && x.elementCount === ts.count);
        assert.ok(w, `tensor ${ts.name} is a weight of the model`);
        assert.equal(ts.finite + ts.nan + ts.inf, ts.count);
        assert.equal(ts.histogram.counts.reduce((a, b) => a + b, 0), ts.finite, `${ts.name}: histogram holds every finite value`);
        if (ts.finite) assert.ok(ts.min <= ts.mean + 1e-6 * Math.abs(ts.mean) + 1e-30 && ts.mean <= ts.max + 1e-6 * Math.abs(ts.mean) + 1e-30, `${ts.name}: min ≤ mean ≤ max`);
        tensors++;
        values += ts.count;
      }
      for (const sk of s.skipped) assert.ok(sk.reason.length > 0);
      flagged += s.flags.length;
    } catch (e) {
      failures.push(`${file}: ${(e as Error).message}`);
    } finally {
      await model.close();
    }
  }
  t.diagnostic(`${files.length} files, ${opened} opened, ${tensors} tensors, ${values} values, ${flagged} flags`);
  assert.deepEqual(failures, []);
  assert.ok(opened > 100, `opened ${opened} models`);
});

test('worker threads give the in-thread figures on real models', async (t) => {
  if (!existsSync(modelsDir)) {
    t.skip(`no models folder at ${modelsDir}`);
    return;
  }
  const picks = ['onnx/magika/standard_v3_3/model.onnx', 'tfjs/nsfwjs/mobilenet_v2/model.json', 'onnx/silero-vad-github/silero_vad_half.onnx']
    .map((p) => join(modelsDir, p)).filter((p) => existsSync(p));
  for (const file of picks) {
    const model = await openModel(file);
    try {
      const a = await computeModelStats(model, { workers: 0 });
      const b = await computeModelStats(model, { workers: 2, workerPath });
      assert.deepStrictEqual({ ...b, elapsedMs: 0 }, { ...a, elapsedMs: 0 }, file);
    } finally {
      await model.close();
    }
  }
});
