// The packed graph payload (what the editor's init carries) comes back as the very payload that was
// packed, on real models of every kind and on the odd values JSON could not carry; broken bytes fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { openModel } from '../../src/core/formats/index.js';
import { describeModelForView } from '../../src/core/model-view.js';
import { packGraphPayload, unpackGraphPayload, unpackGraphPayloadInTurns } from '../../src/core/graph-payload-pack.js';
import { syntheticPayload } from '../support/synthetic-graph.js';
import { PackedGraph } from '../../src/core/packed-graph.js';
import { packEnvelope, unpackEnvelope } from '../../src/core/envelope-pack.js';
import type { GraphPayload } from '../../src/core/model-view-types.js';
import { sharedDir } from '../support/paths.js';

const models = [
  'onnx/silero-vad-github/silero_vad_16k_op15.onnx', // If bodies, subgraph ids
  'onnx/magika/standard_v3_3/model.onnx',
  'onnx/amdmigraphx-test-onnx/qlinearmatmul_2D_perchannel_test.onnx', // quantized
  'onnx/ort-extensions-tests/gpt2_tok.onnx', // custom domain, string attributes
  'tfjs/vscode-languagedetection/model.json',
].map((m) => path.join(sharedDir, 'models', m));

test('real models: the packed payload unpacks to the payload built from the model, and is smaller than its JSON', { skip: !existsSync(models[0]) && 'no ../shared/models' }, async () => {
  for (const file of models.filter((f) => existsSync(f))) {
    const model = await openModel(file);
    try {
      const { graph } = await describeModelForView(model);
      const bytes = packGraphPayload(graph);
      assert.deepEqual(unpackGraphPayload(bytes), graph, path.basename(file));
      const json = new TextEncoder().encode(JSON.stringify(graph)).length;
      assert.ok(bytes.length < json, `${path.basename(file)}: ${bytes.length} bytes packed against ${json} as JSON`);
    } finally {
      await model.close();
    }
  }
});

const odd: GraphPayload = {
  graphs: [
    { id: 0, name: 'main', kind: 'main', ownerNode: -1, label: 'main', nodes: [0, 1], inputs: [0], outputs: [2] },
    { id: 1, name: 'then', kind: 'subgraph', ownerNode: 1, label: 'then_branch', nodes: [], inputs: [], outputs: [] },
  ],
  nodes: [
    {
      id: 0, graph: 0, name: 'clip·Ω', opType: 'Clip', domain: '', inputs: [0, -1], outputs: [1], subgraphs: [], docString: 'lone \ud800 surrogate',
      attributes: [
        { name: 'min', type: 'float', value: -Infinity },
        { name: 'max', type: 'float', value: NaN },
        { name: 'flag', type: 'bool', value: false },
        { name: 'none', type: 'other', value: null },
        { name: 'list', type: 'ints', value: [1, -2, 3.5], truncatedAt: 3, length: 300 },
        { name: 'mixed', type: 'strings', value: ['a', '', '日本', true], length: 4 },
        { name: 'w', type: 'tensor', value: 'float[2]', weight: 0 },
      ],
    },
    { id: 1, graph: 0, name: '', opType: 'If', domain: 'ai.onnx', inputs: [1], outputs: [2], subgraphs: [1], attributes: [{ name: 'then_branch', type: 'graph', value: 'then', graphs: [1] }] },
  ],
  values: [
    { id: 0, name: 'x', graph: 0, dtype: 'float32', shape: ['batch', null, 3, 2 ** 40], inferred: false, producer: -1, consumers: [0], weight: -1 },
    { id: 1, name: 'y', graph: 0, dtype: null, shape: null, inferred: true, producer: 0, consumers: [1], weight: -1 },
    { id: 2, name: 'z', graph: 0, dtype: 'int8', shape: [], inferred: true, producer: 1, consumers: [], weight: 0 },
  ],
  weights: [
    { id: 0, name: 'w', dtype: 'int8', logicalType: null, shape: [2], elementCount: 2, byteLength: 2, role: 'weight', location: 'file.bin@0', quantization: { scale: [0.5, 0.25], zeroPoint: [0, 1], axis: -1, origin: 'onnx-dequantize-linear' } },
    { id: 1, name: 'b', dtype: 'float16', logicalType: 'bf16', shape: [5e9], elementCount: 5e9, byteLength: 1e10, role: 'bias', location: 'inline', quantization: { scale: [1], zeroPoint: [0], origin: 'tfjs-affine' } },
  ],
};

test('odd values survive: NaN and ±Infinity, optional fields absent or present, unicode, big sizes, negative axes', () => {
  const back = unpackGraphPayload(packGraphPayload(odd));
  const expected = structuredClone(odd);
  expected.nodes[0].docString = 'lone \ufffd surrogate'; // UTF-8 cannot carry a lone surrogate
  assert.deepEqual(back, expected);
  assert.ok(!('docString' in back.nodes[1]) && !('graphs' in back.nodes[0].attributes[0]) && !('axis' in back.weights[1].quantization!));
});

test('broken bytes fail with a message instead of giving a wrong graph', () => {
  const bytes = packGraphPayload(odd);
  assert.throws(() => unpackGraphPayload(bytes.subarray(0, bytes.length - 3)), /truncated/);
  assert.throws(() => unpackGraphPayload(new Uint8Array(64)), /not a packed graph/);
  assert.throws(() => unpackGraphPayload(new Uint8Array(3)), /truncated/);
});

test('a payload packed at an unaligned offset (as a buffer may arrive) still unpacks', () => {
  const bytes = packGraphPayload(odd);
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  assert.equal(unpackGraphPayload(shifted.subarray(3)).nodes[0].name, 'clip·Ω');
});

test('PackedGraph decodes only when read, and forwards bytes it was given without repacking', () => {
  const bytes = packGraphPayload(odd);
  const packed = PackedGraph.fromBytes(bytes);
  assert.equal(packed.bytes, bytes, 'the same buffer goes on');
  assert.equal(packed.nodes[1].opType, 'If');
  assert.deepEqual(JSON.parse(JSON.stringify(packed)).values[1], odd.values[1]);
  assert.equal(PackedGraph.of(packed), packed);
  assert.deepEqual(unpackGraphPayload(PackedGraph.of(odd).bytes).weights, odd.weights);
});

test('init and compare-init travel with their graphs as bytes and arrive as the same graphs; other messages pass', () => {
  const init = { v: 1, id: 3, body: { type: 'init', graph: odd, generation: 2 } };
  const wire = structuredClone(packEnvelope(init)) as { body: { graph: { packedGraph: unknown } } };
  assert.ok(wire.body.graph.packedGraph instanceof Uint8Array, 'the graph is packed');
  assert.equal(Object.keys(wire.body.graph).length, 1);
  assert.deepEqual((unpackEnvelope(wire) as typeof init).body.graph.nodes, unpackGraphPayload(packGraphPayload(odd)).nodes);
  const cmp = { v: 1, id: 4, body: { type: 'compare-init', a: { summary: {}, graph: PackedGraph.fromBytes(packGraphPayload(odd)) }, b: { summary: {}, graph: odd } } };
  const cw = structuredClone(packEnvelope(cmp)) as { body: { a: { graph: { packedGraph: unknown } }; b: { graph: { packedGraph: unknown } } } };
  assert.ok(cw.body.a.graph.packedGraph instanceof Uint8Array && cw.body.b.graph.packedGraph instanceof Uint8Array);
  const back = unpackEnvelope(cw) as { body: { a: { graph: GraphPayload }; b: { graph: GraphPayload } } };
  assert.equal(back.body.a.graph.weights[0].quantization!.axis, -1);
  assert.equal(back.body.b.graph.graphs[1].label, 'then_branch');
  const ready = { v: 1, id: 5, body: { type: 'ready' } };
  assert.equal(packEnvelope(ready), ready);
  assert.equal(unpackEnvelope('x'), 'x');
  assert.equal(unpackEnvelope(null), null);
});

test('decoding in turns gives the same payload, pausing between steps of a big graph (no single long task)', async () => {
  const big = syntheticPayload(30_000);
  const bytes = packGraphPayload(big);
  let pauses = 0;
  const back = await unpackGraphPayloadInTurns(bytes, async () => { pauses++; });
  assert.deepEqual(back, unpackGraphPayload(bytes));
  assert.equal(back.nodes.length, 30_000);
  assert.ok(pauses >= 6, `${pauses} pauses`);
  const lazy = PackedGraph.fromBytes(bytes);
  await lazy.decodeInTurns(async () => undefined);
  assert.equal(lazy.values.length, big.values.length);
});
