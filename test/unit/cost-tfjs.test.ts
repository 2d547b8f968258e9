// TF.js graph and layers models: cost by hand on the fixtures, formulas with their numbers, and
// MobileNet V2 / Inception V3 from ../shared/models against their published multiply-add counts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { composeModelFormula } from '../../src/core/explain/formula/compose.js';
import { computeCost } from '../../src/core/cost/cost.js';
import { nodeFormula } from '../../src/core/explain/formula/formula.js';
import { openModel } from '../../src/core/formats/index.js';
import { summarizeModel } from '../../src/core/model-summary.js';
import { removeDir, tempDir } from '../fixtures/onnx/index.js';
import { writeTfjsGraphModel, writeTfjsLayersModel } from '../fixtures/tfjs/index.js';
import { repoRoot } from '../support/paths.js';
import { checkSharedModelCost } from './shared-model-cost.js';

const dir = tempDir('cost-tfjs');
after(() => removeDir(dir));
const models = path.resolve(repoRoot, '../shared/models/tfjs');

test('TF.js graph model y = 2x + 1: cost, formulas with 2 and 1, one composed formula', async () => {
  const m = await openModel(writeTfjsGraphModel(path.join(dir, 'graph')));
  try {
    const r = await computeCost(m, { dims: { 'x[0]': 5 } });
    assert.deepEqual(r.inputs, [{ name: 'x', shape: [5, 1], dtype: 'float32' }]);
    assert.equal(r.macs, 5);
    assert.equal(r.flops, 5 * 2 + 5);
    assert.equal(r.parameters, summarizeModel(m).parameters);
    const byOp = (op: string) => m.graph.nodes.find((n) => n.opType === op)!;
    assert.equal((await nodeFormula(byOp('MatMul'))).text, 'y = 2.0·x');
    assert.equal((await nodeFormula(byOp('BiasAdd'))).text, 'y = x + 1.0');
    assert.equal((await composeModelFormula(m)).text, 'y = 2.0·x + 1.0');
  } finally { await m.close(); }
});

test('TF.js layers model: Dense layers by hand, activation in the formula', async () => {
  const m = await openModel(writeTfjsLayersModel(path.join(dir, 'layers')));
  try {
    const r = await computeCost(m, { batch: 2 });
    assert.equal(r.macs, 2 * (3 * 4 + 4 * 2));
    assert.equal(r.flops, 2 * r.macs + 2 * (4 + 4) /* bias + relu */ + 2 * 2 /* bias */);
    assert.equal(r.parameters, 12 + 4 + 8 + 2);
    const f = await nodeFormula(m.graph.nodes.find((n) => n.name === 'dense_Dense1')!);
    assert.equal(f.text, 'y = relu(x·W + [0.5, −0.5, 0.25, 0.0])', 'a 4-element bias is shown by value');
    assert.equal((await composeModelFormula(m)).text, 'y = relu(x·W₁ + b₁)·W₂ + b₂');
  } finally { await m.close(); }
});

const PUBLISHED: [string, number, number][] = [
  // MobileNet V2 1.0 at 224: 300 M multiply-adds (Sandler et al. 2018, table 4).
  ['nsfwjs/mobilenet_v2/model.json', 0.295e9, 0.305e9],
  // MobileNet V2 1.4 at 224 (first conv has 48 filters): 585 M in the same paper.
  ['nsfwjs/mobilenet_v2_mid/model.json', 0.57e9, 0.59e9],
  // Inception V3 at 299: 5.7 G multiply-adds (Szegedy et al. 2016: "5 billion" for the base, 5.72 G usually quoted).
  ['nsfwjs/inception_v3/model.json', 5.6e9, 5.8e9],
];
for (const [file, lo, hi] of PUBLISHED) {
  test(`${file}: multiply-adds within the published count`, async (t) => {
    await checkSharedModelCost(t, path.join(models, file), (r, m) => {
      assert.ok(r.macs >= lo && r.macs <= hi, `${(r.macs / 1e6).toFixed(1)} M MACs not in [${lo / 1e6}, ${hi / 1e6}]`);
      assert.deepEqual(r.unresolvedNodes, []);
      assert.deepEqual(r.unsupportedOps, []);
      assert.equal(r.parameters, summarizeModel(m).parameters);
    });
  });
}

test('tfjs layers GRU model: steps × 3 gates × units × (inputs + units)', async (t) => {
  await checkSharedModelCost(t, path.join(models, 'tfjs-repo/graph_and_layers_e2e/layers_model/model.json'), (r) => {
    // Embedding [1, 10] → [1, 10, 20]; GRU(4 units) over 10 steps.
    assert.equal(r.macs, 10 * 3 * 4 * (20 + 4));
    assert.deepEqual(r.nodes.map((n) => n.outputShapes[0]), [[1, 10, 20], [1, 4]]);
  });
});
