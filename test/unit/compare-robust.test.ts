// Every pair of fixture models compares without throwing, and the report adds up: each node of a
// side is matched, fused into a match, or listed as added / removed — exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { compareFiles, nodeStatuses } from '../../src/core/compare/index.js';
import { openModel } from '../../src/core/formats/index.js';
import * as onnx from '../fixtures/onnx/index.js';
import { writeTfjsFunctionalModel, writeTfjsGraphModel, writeTfjsLayersModel, writeTfjsQuantizedModel } from '../fixtures/tfjs/index.js';
import { tempDir } from '../support/paths.js';

const dir = tempDir('compare-robust');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const files = [
  onnx.writeFixture(dir, 'linear.onnx', onnx.buildLinearModel()),
  onnx.writeFixture(dir, 'mlp.onnx', onnx.buildMlpModel()),
  onnx.writeFixture(dir, 'convnet.onnx', onnx.buildConvNetModel()),
  onnx.writeFixture(dir, 'if.onnx', onnx.buildIfModel()),
  onnx.writeFixture(dir, 'constant-weights.onnx', onnx.buildConstantWeightsModel()),
  onnx.writeFixture(dir, 'sparse.onnx', onnx.buildSparseModel()),
  onnx.writeFixture(dir, 'function.onnx', onnx.buildFunctionModel()),
  onnx.writeFixture(dir, 'ocr-like.onnx', onnx.buildConstantHeavyModel(3)),
  onnx.writeFixture(dir, 'quantized.onnx', onnx.buildQuantizedConvBnModel()),
  writeTfjsGraphModel(path.join(dir, 'tfjs-graph')),
  writeTfjsQuantizedModel(path.join(dir, 'tfjs-quantized')),
  writeTfjsLayersModel(path.join(dir, 'tfjs-layers')),
  writeTfjsFunctionalModel(path.join(dir, 'tfjs-functional')),
];

test('every pair of fixtures compares, and each node is accounted for once', async () => {
  let pairs = 0;
  for (const a of files) {
    for (const b of files) {
      const r = await compareFiles(a, b);
      const where = `${path.basename(a)} vs ${path.basename(b)}`;
      assert.equal(r.a.error ?? r.b.error, undefined, where);
      const [ma, mb] = [await openModel(a), await openModel(b)];
      const s = nodeStatuses(r);
      const counted = (m: typeof ma, side: Map<string, unknown>) => m.graph.nodes.filter((n) => !['Placeholder', 'Const'].includes(n.opType)).length <= side.size;
      assert.ok(counted(ma, s.a) && counted(mb, s.b), where);
      assert.ok(s.a.size <= ma.graph.nodes.length && s.b.size <= mb.graph.nodes.length, where);
      assert.equal(new Set(r.matches.map((m) => m.a)).size, r.matches.length, where);
      assert.equal(new Set(r.matches.map((m) => m.b)).size, r.matches.length, where);
      assert.doesNotThrow(() => JSON.stringify(r), where);
      if (a === b) {
        assert.equal(r.matched, ma.graph.nodes.length, where);
        assert.deepEqual([r.added, r.removed, r.changedWeights, r.changedAttributes], [[], [], [], []], where);
      }
      await ma.close(); await mb.close();
      pairs++;
    }
  }
  assert.equal(pairs, files.length ** 2);
});
