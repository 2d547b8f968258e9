// Cross-check against TensorFlow.js itself (tfjs-core, converter, layers on the cpu backend):
// the fixtures are genuine TF.js models, and readTfjsModel's lazy ranges + quantization give the
// same values as tf.io.decodeWeights — on the fixtures and on the real shared models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { readTfjsModel } from '../../src/core/formats/tfjs/index.js';
import { collectWeights, type Tensor } from '../../src/core/ir/index.js';
import {
  writeTfjsGraphModel, writeTfjsLayersModel, writeTfjsFunctionalModel, writeTfjsQuantizedModel, layersFixtureForward, tensorRealValues,
} from '../fixtures/tfjs/index.js';

const root = mkdtempSync(path.join(tmpdir(), 'tfjs-vs-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const models = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', '../shared/models/tfjs');

/** An in-memory IOHandler: TF.js reads the same files our reader does, its own way. */
function fileHandler(file: string): tf.io.IOHandler {
  return {
    load: async () => {
      const j = JSON.parse(readFileSync(file, 'utf8'));
      const manifest = Array.isArray(j) ? j : j.weightsManifest;
      const bufs = manifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFileSync(path.join(path.dirname(file), p))));
      const all = Buffer.concat(bufs);
      return {
        modelTopology: j.modelTopology, format: j.format, generatedBy: j.generatedBy, convertedBy: j.convertedBy,
        signature: j.signature, weightSpecs: manifest.flatMap((g: { weights: unknown[] }) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      } as tf.io.ModelArtifacts;
    },
  };
}

/** Every weight as TF.js decodes it, group by group (weights of a group lie over its shards). */
async function tfjsWeights(file: string): Promise<Map<string, tf.Tensor>> {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const out = new Map<string, tf.Tensor>();
  for (const g of (Array.isArray(j) ? j : j.weightsManifest)) {
    const all = Buffer.concat(g.paths.map((p: string) => readFileSync(path.join(path.dirname(file), p))));
    const m = tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), g.weights);
    for (const [k, v] of Object.entries(m)) out.set(k, v);
  }
  return out;
}

async function assertSameValues(file: string): Promise<number> {
  const ours = collectWeights(await readTfjsModel(file));
  const theirs = await tfjsWeights(file);
  assert.equal(ours.length, theirs.size);
  for (const w of ours) {
    const t = theirs.get(w.name)!;
    assert.deepEqual(w.shape, t.shape, w.name);
    if (w.dtype === 'string') {
      const bytes = (await t.bytes()) as Uint8Array[];
      assert.deepEqual(await w.data.strings!(), bytes.map((b) => new TextDecoder().decode(b)), w.name);
      continue;
    }
    assertClose(await tensorRealValues(w), Array.from(await t.data() as Float32Array), w);
  }
  theirs.forEach((t) => t.dispose());
  return ours.length;
}

function assertClose(ours: number[], theirs: number[], w: Tensor): void {
  assert.equal(ours.length, theirs.length, w.name);
  for (let i = 0; i < ours.length; i++) {
    // TF.js computes q·scale + min in float32; we keep scale·(q − zeroPoint) in float64.
    const tol = w.quantization ? 1e-6 * Math.max(1, Math.abs(theirs[i])) : 0;
    if (Math.abs(ours[i] - theirs[i]) > tol) assert.fail(`${w.name}[${i}]: ${ours[i]} vs TF.js ${theirs[i]}`);
  }
}

test('TF.js runs the graph fixture: y = 2x + 1', async () => {
  await tf.setBackend('cpu');
  const g = await loadGraphModel(fileHandler(writeTfjsGraphModel(path.join(root, 'g'))));
  const y = g.predict(tf.tensor2d([[3], [-1], [0.5]])) as tf.Tensor;
  assert.deepEqual(Array.from(await y.data()), [7, -1, 2]);
});

test('TF.js runs the Sequential and functional fixtures as the weights say', async () => {
  await tf.setBackend('cpu');
  const l = await loadLayersModel(fileHandler(writeTfjsLayersModel(path.join(root, 'l'))));
  const y = Array.from(await (l.predict(tf.tensor2d([[1, 2, 3]])) as tf.Tensor).data());
  assert.deepEqual(y, layersFixtureForward([1, 2, 3]));
  const f = await loadLayersModel(fileHandler(writeTfjsFunctionalModel(path.join(root, 'f'))));
  assert.equal(f.layers.length, 5);
  assert.deepEqual(f.inputs[0].shape, [null, 3]);
});

test('weights read by readTfjsModel equal tf.io.decodeWeights on the fixtures', async () => {
  await tf.setBackend('cpu');
  let n = 0;
  for (const write of [writeTfjsGraphModel, writeTfjsQuantizedModel, writeTfjsLayersModel, writeTfjsFunctionalModel]) {
    n += await assertSameValues(write(path.join(root, `w${n}`)));
  }
  assert.equal(n, 2 + 9 + 4 + 6);
});

test('weights read by readTfjsModel equal tf.io.decodeWeights on the shared real models', async (t) => {
  if (!existsSync(models)) { t.skip(`no shared models at ${models}`); return; }
  await tf.setBackend('cpu');
  const files = [
    'magika/standard_v3_3/model.json', 'nsfwjs/mobilenet_v2/model.json', 'nsfwjs/mobilenet_v2_mid/model.json',
    'vscode-languagedetection/model.json', 'upscalerjs-esrgan-slim/x4/model.json', 'tfjs-repo/rn_bundle_model/bundle_model_test.json',
  ].map((f) => path.join(models, f)).filter((f) => existsSync(f));
  let weights = 0;
  for (const f of files) weights += await assertSameValues(f);
  t.diagnostic(`${files.length} models, ${weights} weights equal to TF.js (${files.reduce((a, f) => a + statSync(f).size, 0)} JSON bytes)`);
  assert.ok(weights > 500);
});
