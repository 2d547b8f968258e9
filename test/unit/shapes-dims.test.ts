// The one shape engine's dims: symbolic arithmetic keeps names, a dims map turns them into numbers,
// and a rule run on symbolic dims agrees with the same rule run on the numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDim, broadcastDims, dimNames, evalDim, evalShape, mulDim, prodDims } from '../../src/core/shapes/dims.js';
import { evaluateFact } from '../../src/core/shapes/fact.js';
import { ONNX_RULES } from '../../src/core/shapes/onnx-rules.js';
import type { Node } from '../../src/core/ir/graph.js';

test('dims: names survive arithmetic as expressions and evaluate under a dims map', () => {
  assert.equal(mulDim('batch', 1), 'batch');
  assert.equal(mulDim(3, 4), 12);
  assert.equal(prodDims(['C', 4, 4]), '16*C');
  assert.equal(addDim('past', 'seq'), 'past+seq');
  assert.equal(evalDim(mulDim(addDim('past', 'seq'), 2), { past: 3, seq: 5 }), 16);
  assert.equal(evalDim('past_sequence_length + 1', { past_sequence_length: 7 }), 8);
  assert.equal(evalDim('batch-size', { 'batch-size': 2 }), 2, 'a dashed name is a name, not a subtraction');
  assert.equal(evalDim('seq', {}), null);
  assert.equal(evalDim('seq', {}, () => 16), 16);
  assert.deepEqual(dimNames('2*past + seq'), ['past', 'seq']);
  assert.deepEqual(evalShape(['batch', 3, '4*h'], { batch: 2, h: 8 }), [2, 3, 32]);
  assert.deepEqual(broadcastDims([['batch', 1, 5], [3, 1]]), ['batch', 3, 5]);
  assert.equal(broadcastDims([[2, 3], [4, 3]]), null);
});

test('one rule: Flatten on symbolic dims, evaluated, equals Flatten on the numbers', () => {
  const node = { opType: 'Flatten', domain: '', attributes: [{ name: 'axis', type: 'int', value: 1 }], inputs: [], outputs: [], subgraphs: [] } as unknown as Node;
  const symbolic = ONNX_RULES.Flatten(node, [{ shape: ['batch', 'C', 4], dtype: 'float32' }])![0]!;
  assert.deepEqual(symbolic.shape, ['batch', '4*C']);
  const concrete = ONNX_RULES.Flatten(node, [{ shape: [2, 3, 4], dtype: 'float32' }])![0]!;
  assert.deepEqual(evaluateFact(symbolic, { batch: 2, C: 3 }).shape, concrete.shape);
});
