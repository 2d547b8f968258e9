// If / Loop / Scan: the cost of one application comes from their bodies.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { computeCost } from '../../src/core/cost/cost.js';
import { ifSpec, type GraphSpec, type ModelSpec } from '../fixtures/onnx/index.js';
import { cleanupModels, openSpec, weight } from './explain-models.js';

after(cleanupModels);
const F = 'float32' as const;

test('If: the costlier branch (both elementwise here: 1 FLOP per element each)', async () => {
  const m = await openSpec(ifSpec());
  try {
    const r = await computeCost(m);
    const ifNode = r.nodes.find((n) => n.opType === 'If')!;
    assert.equal(ifNode.basis, 'control-flow');
    assert.equal(ifNode.flops, 2, 'x + 1 or x · 2 on 2 elements');
    assert.deepEqual(ifNode.outputShapes, [[2]]);
    assert.equal(r.flops, 2 + 2, 'If plus the Neg after it');
  } finally { await m.close(); }
});

test('Loop with a constant trip count: body cost × iterations; the carried value keeps its shape', async () => {
  const body: GraphSpec = {
    name: 'body',
    inputs: [{ name: 'i', dtype: 'int64', shape: [] }, { name: 'c', dtype: 'bool', shape: [] }, { name: 'h', dtype: F, shape: [1, 8] }],
    outputs: [{ name: 'c_out', dtype: 'bool', shape: [] }, { name: 'h_out', dtype: F, shape: [1, 8] }],
    nodes: [
      { op: 'Identity', inputs: ['c'], outputs: ['c_out'] },
      { op: 'MatMul', inputs: ['h', 'W'], outputs: ['hw'] },
      { op: 'Tanh', inputs: ['hw'], outputs: ['h_out'] },
    ],
  };
  const spec: ModelSpec = {
    graph: {
      name: 'loop', inputs: [{ name: 'x', dtype: F, shape: [1, 8] }], outputs: [{ name: 'y', dtype: F }],
      initializers: [weight('W', [8, 8], 1), { name: 'M', dtype: 'int64', dims: [], int64Data: [5] }, { name: 'cond', dtype: 'bool', dims: [], int32Data: [1] }],
      nodes: [{ op: 'Loop', inputs: ['M', 'cond', 'x'], outputs: ['y'], attributes: [{ name: 'body', g: body }] }],
    },
  };
  const m = await openSpec(spec);
  try {
    const r = await computeCost(m);
    assert.equal(r.macs, 5 * 64);
    assert.equal(r.flops, 5 * (2 * 64 + 8));
    assert.deepEqual(r.nodes[0].outputShapes, [[1, 8]]);
    assert.match(r.nodes[0].detail, /5 iterations/);
  } finally { await m.close(); }
});
