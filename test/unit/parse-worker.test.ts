// The parse worker (dist/parse-worker.js, src/core/formats/open-in-worker.ts): a model opened on a
// worker thread is the model openModel gives — the same graphs, nodes, values, weights, shapes, the
// same tensor bytes and strings read on this thread, the same summary and graph payload — for the
// ONNX and TF.js fixtures and the real models of ../shared/models; a file that fails fails with the
// same ModelError (code and message, every case of the bad corpus); a cancel terminates the worker;
// a worker that crashes fails the open and nothing else.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { openModel } from '../../src/core/formats/index.js';
import { openModelInWorker, prewarmParseWorker } from '../../src/core/formats/open-in-worker.js';
import { modelTensorsForTest, projectModel, readAllTensors } from './parse-worker-project.js';
import { isModelError, ModelError } from '../../src/core/ir/errors.js';
import { describeModelForView } from '../../src/core/model-view.js';
import { badCases, writeBadCorpus } from '../fixtures/bad/corpus.js';
import {
  buildAllDtypesModel, buildConstantWeightsModel, buildConvNetModel, buildExternalDataModel, buildFunctionModel, buildIfHeavyModel, buildIfModel,
  buildLinearModel, buildMlpModel, buildSparseModel, writeFixture, writeFixtureSet,
} from '../fixtures/onnx/index.js';
import { writeTfjsFunctionalModel, writeTfjsGraphModel, writeTfjsKeras3Model, writeTfjsLayersModel, writeTfjsQuantizedModel, writeTfjsWeightsManifestOnly } from '../fixtures/tfjs/index.js';
import { benchGenerator, repoRoot, sharedDir, tempDir } from '../support/paths.js';
import { execFileSync } from 'node:child_process';

const workerPath = path.join(repoRoot, 'dist/parse-worker.js');
const models = path.join(sharedDir, 'models');

/** Opens `file` both ways and asserts that everything the editor's features see is equal. */
async function assertSameBothWays(file: string): Promise<{ nodes: number; tensors: number; bytes: number }> {
  const direct = await openModel(file);
  const directView = await describeModelForView(direct);
  // The view comes first, once, before the model is here; the open resolves with that same view.
  let early: unknown = null;
  let calls = 0;
  let settled = false;
  let viewBeforeModel = false;
  const opening = openModelInWorker(file, { workerPath, onView: (v) => { calls++; early = v; viewBeforeModel = !settled; } });
  const opened = await opening.finally(() => { settled = true; });
  assert.equal(calls, 1);
  assert.ok(viewBeforeModel, 'the view came before the model');
  assert.equal(opened.view, early);
  assert.equal(opened.inWorker, true);
  const viaWorker = opened.model;
  assert.deepEqual(projectModel(viaWorker), projectModel(direct), 'same graphs, nodes, values, weights and shapes');
  // The graph arrives packed (a PackedGraph, decoded when read): its tables are the same.
  const g = opened.view?.graph;
  const view = g && { summary: opened.view!.summary, graph: { graphs: g.graphs, nodes: g.nodes, values: g.values, weights: g.weights } };
  assert.deepEqual(view, directView, 'same summary and graph payload');
  const [a, b] = [await readAllTensors(viaWorker), await readAllTensors(direct)];
  assert.deepEqual(a, b, 'same tensor bytes, strings and read errors');
  assert.deepEqual(viaWorker.files, direct.files);
  await viaWorker.close();
  await direct.close();
  return { nodes: directView.summary.nodes, tensors: modelTensorsForTest(direct).length, bytes: a.reduce((s, t) => s + t.bytes, 0) };
}

test('dist/parse-worker.js is built by esbuild.mjs', () => {
  assert.ok(existsSync(workerPath), 'run `node esbuild.mjs` first');
});

describe('fixtures open the same in the worker as with openModel', () => {
  let dir: string;
  before(() => { dir = tempDir('parse-worker'); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const onnx: [string, () => Uint8Array][] = [
    ['linear', () => buildLinearModel()], ['mlp', buildMlpModel], ['convnet', buildConvNetModel], ['if', buildIfModel],
    ['if-heavy', () => buildIfHeavyModel()], ['constant weights', buildConstantWeightsModel], ['sparse', buildSparseModel],
    ['function', buildFunctionModel], ['all dtypes (varint fields, strings)', buildAllDtypesModel],
  ];
  for (const [name, build] of onnx) {
    test(`ONNX ${name}`, async () => {
      const r = await assertSameBothWays(writeFixture(dir, `${name.replace(/\W+/g, '-')}.onnx`, build()));
      assert.ok(r.nodes > 0 && r.tensors > 0, `${name}: ${r.nodes} nodes, ${r.tensors} tensors`);
    });
  }
  test('ONNX with external data', async () => {
    const r = await assertSameBothWays(writeFixtureSet(path.join(dir, 'ext'), 'model.onnx', buildExternalDataModel()));
    assert.ok(r.bytes > 0);
  });
  const tfjs: [string, (d: string) => string][] = [
    ['graph model', writeTfjsGraphModel], ['layers model', writeTfjsLayersModel], ['functional', writeTfjsFunctionalModel],
    ['keras 3', writeTfjsKeras3Model], ['quantized', writeTfjsQuantizedModel], ['weights manifest only', writeTfjsWeightsManifestOnly],
  ];
  for (const [name, write] of tfjs) {
    test(`TF.js ${name}`, async () => {
      const r = await assertSameBothWays(write(path.join(dir, name.replace(/\W+/g, '-'))));
      assert.ok(r.tensors > 0 && r.bytes > 0, `${name}: ${r.tensors} tensors, ${r.bytes} bytes`);
    });
  }
});

function walk(dir: string, pick: (p: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, pick, out);
    else if (pick(p)) out.push(p);
  }
  return out;
}

describe('real models of ../shared/models open the same both ways', { skip: !existsSync(models) && 'no ../shared/models' }, () => {
  // The curated ONNX models (not the hundreds of operator tests), every TF.js model.json.
  const onnx = walk(path.join(models, 'onnx'), (p) => p.endsWith('.onnx') && !p.includes('amdmigraphx-test-onnx') && !p.includes('tract-test-cases'));
  const tfjs = walk(path.join(models, 'tfjs'), (p) => /model[^/]*\.json$/.test(path.basename(p)) && !p.includes('incomplete'));
  for (const file of [...onnx, ...tfjs]) {
    test(path.relative(models, file), async () => {
      let direct: unknown;
      try { await (await openModel(file)).close(); } catch (e) { direct = e; }
      if (direct) {
        // A real file the reader refuses: the worker refuses it with the same words.
        await assert.rejects(openModelInWorker(file, { workerPath }), (e: unknown) => isModelError(e) && e.message === (direct as Error).message);
        return;
      }
      const r = await assertSameBothWays(file);
      assert.ok(r.nodes + r.tensors > 0);
    });
  }
});

describe('errors arrive intact: every bad-corpus case and the incomplete shared TF.js models', () => {
  let dir: string;
  const files = new Map<string, string>();
  before(() => {
    dir = tempDir('parse-worker-bad');
    for (const [c, file] of writeBadCorpus(dir)) files.set(c.name, file);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const outcome = async (open: () => Promise<{ close(): Promise<void>; graph: { nodes: unknown[] }; warnings?: string[] }>) => {
    try {
      const m = await open();
      const o = { opens: true, nodes: m.graph.nodes.length, warnings: m.warnings ?? [] };
      await m.close();
      return o;
    } catch (e) {
      return { error: isModelError(e) ? e.code : 'not a ModelError', message: (e as Error).message, place: isModelError(e) ? e.place : null, isModelError: e instanceof ModelError };
    }
  };
  let errors = 0;
  for (const c of badCases()) {
    test(c.name, async () => {
      const file = files.get(c.name)!;
      const direct = await outcome(() => openModel(file));
      const viaWorker = await outcome(async () => (await openModelInWorker(file, { workerPath, view: false })).model);
      assert.deepEqual(viaWorker, direct);
      if ('error' in direct) errors++;
    });
  }
  test('the corpus had errors to carry', () => assert.ok(errors > 50, `${errors} cases failed to open`));
  const incomplete = walk(path.join(models, 'tfjs/tfjs-repo/incomplete'), (p) => p.endsWith('model.json'));
  for (const file of incomplete) {
    test(`shared ${path.relative(models, file)}`, async () => {
      const direct = await outcome(() => openModel(file));
      assert.deepEqual(await outcome(async () => (await openModelInWorker(file, { workerPath })).model), direct);
    });
  }
});

describe('cancel and crash', () => {
  let dir: string;
  let big: string;
  before(() => {
    dir = tempDir('parse-worker-abort');
    const gen = benchGenerator();
    big = path.join(dir, 'big.onnx');
    if (gen) execFileSync(process.execPath, [gen, 'transformer', '--layers', '120', '--hidden', '32', '--out', big], { stdio: 'ignore' });
    else writeFixture(dir, 'big.onnx', buildIfHeavyModel(40, 12));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an abort while reading terminates the worker and rejects with ModelError cancelled (a fresh worker, and the warm spare)', async () => {
    for (const warm of [false, true]) {
      if (warm) { prewarmParseWorker(workerPath); await new Promise((r) => setTimeout(r, 500)); }
      const ctl = new AbortController();
      let exited: Promise<number> | undefined;
      const opening = openModelInWorker(big, {
        workerPath, signal: ctl.signal,
        // Heap limits always start a fresh worker: it is aborted once it runs. The warm spare is
        // done with a small model in a few ms: it is aborted before any reply can arrive.
        ...(warm ? {} : { resourceLimits: { maxOldGenerationSizeMb: 4096 } }),
        onWorker: (w: Worker) => {
          exited = new Promise<number>((resolve) => w.once('exit', resolve));
          if (warm) queueMicrotask(() => ctl.abort()); else w.once('online', () => ctl.abort());
        },
      });
      await assert.rejects(opening, (e: unknown) => isModelError(e) && e.code === 'cancelled' && e.message === `${big}: reading was cancelled`);
      assert.ok(exited, 'a worker was started');
      assert.equal(await exited, 1, `terminate() ends a ${warm ? 'warm' : 'fresh'} worker with exit code 1`);
    }
  });

  test('an already aborted signal starts no worker', async () => {
    let started = false;
    await assert.rejects(openModelInWorker(big, { workerPath, signal: AbortSignal.abort(), onWorker: () => { started = true; } }), (e: unknown) => isModelError(e) && e.code === 'cancelled');
    assert.equal(started, false);
  });

  test('a worker that throws, or exits, fails the open and the host goes on', async () => {
    const throwing = path.join(dir, 'throwing-worker.js');
    writeFileSync(throwing, "require('node:worker_threads').parentPort.once('message', () => { throw new Error('boom in the worker'); });\n");
    const exiting = path.join(dir, 'exiting-worker.js');
    writeFileSync(exiting, "require('node:worker_threads').parentPort.once('message', () => process.exit(7));\n");
    await assert.rejects(openModelInWorker(big, { workerPath: throwing }), /the parse worker failed: boom in the worker/);
    await assert.rejects(openModelInWorker(big, { workerPath: exiting }), /the parse worker stopped \(exit code 7\)/);
    // The same model still opens afterwards.
    const ok = await openModelInWorker(big, { workerPath, view: false });
    assert.ok(ok.model.graph.nodes.length > 100);
  });

  test('a worker that outgrows its heap fails the open, not the host', async () => {
    await assert.rejects(openModelInWorker(big, { workerPath, resourceLimits: { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 } }), /the parse worker (failed|stopped)/);
    const ok = await openModelInWorker(big, { workerPath, view: false });
    assert.ok(ok.model.graph.nodes.length > 100);
  });
});
