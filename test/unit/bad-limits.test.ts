// The limits the host enforces on a model (src/core/limits.ts): one list that matches what the
// readers enforce, node-count and nesting checks with clear messages, the materialization cap,
// the parse-time budget's continue/cancel, and the structural warnings of graphs that still open.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { openModel } from '../../src/core/formats/index.js';
import { DEFAULT_WIRE_LIMITS, readOnnxModel } from '../../src/core/formats/onnx/index.js';
import { ProtoWriter } from '../fixtures/onnx/index.js';
import { writeFileSync } from 'node:fs';
import { MAX_JSON_BYTES, MAX_JSON_DEPTH } from '../../src/core/formats/tfjs/index.js';
import { MAX_GRAPH_NODES } from '../../src/core/formats/tfjs/graph-model.js';
import { isModelError } from '../../src/core/ir/errors.js';
import type { Model } from '../../src/core/ir/graph.js';
import { collectWeights } from '../../src/core/ir/walk.js';
import { DEFAULT_MODEL_LIMITS, applyModelChecks, assertMaterializable, checkModelLimits, structuralWarnings, withParseBudget } from '../../src/core/limits.js';
import { badCases, writeCase } from '../fixtures/bad/corpus.js';
import { repoRoot, tempDir } from '../support/paths.js';

let dir: string;
const open = async (name: string): Promise<Model> => {
  const c = badCases().find((x) => x.name === name);
  assert.ok(c, name);
  return openModel(writeCase(dir, c));
};
before(() => { dir = tempDir('limits'); });
after(() => rmSync(dir, { recursive: true, force: true }));

test('one list of limits, equal to what the readers and the settings use', () => {
  assert.equal(DEFAULT_MODEL_LIMITS.onnxMaxMessageDepth, DEFAULT_WIRE_LIMITS.maxDepth);
  assert.equal(DEFAULT_MODEL_LIMITS.onnxMaxFieldBytes, DEFAULT_WIRE_LIMITS.maxFieldBytes);
  assert.equal(DEFAULT_MODEL_LIMITS.jsonMaxDepth, MAX_JSON_DEPTH);
  assert.equal(DEFAULT_MODEL_LIMITS.jsonMaxBytes, MAX_JSON_BYTES);
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const setting = pkg.contributes.configuration.properties?.['modelLens.parse.timeBudgetSeconds']
    ?? pkg.contributes.configuration.find?.((c: { properties: Record<string, unknown> }) => c.properties['modelLens.parse.timeBudgetSeconds'])?.properties['modelLens.parse.timeBudgetSeconds'];
  assert.equal(DEFAULT_MODEL_LIMITS.parseTimeBudgetMs, setting.default * 1000, 'the budget is the setting\'s default');
  assert.ok(Object.isFrozen(DEFAULT_MODEL_LIMITS));
});

test('node count and subgraph nesting over the limit fail with a message naming the file and the place', async () => {
  const m = await open('onnx-nesting-20');
  assert.doesNotThrow(() => checkModelLimits(m));
  assert.throws(() => checkModelLimits(m, { maxNodes: 10 }), (e: unknown) => isModelError(e) && e.code === 'limit'
    && e.message === `${m.path} (graph${'.node[0].subgraph[0]'.repeat(10)}): the model has more than 10 nodes; the limit is 10`);
  assert.throws(() => checkModelLimits(m, { maxGraphNesting: 5 }), (e: unknown) => isModelError(e) && e.code === 'limit'
    && e.message === `${m.path} (graph${'.node[0].subgraph[0]'.repeat(6)}): subgraphs are nested 6 levels deep; the limit is 5`);
  assert.throws(() => applyModelChecks(m, { maxNodes: 19 }), /more than 19 nodes/);
});

test('the ONNX reader stops at the node limit while reading, before the nodes are in memory', async () => {
  // 5 bytes a node on disk (an op_type and nothing else): the cheapest way to ask for a lot of memory.
  const g = new ProtoWriter();
  for (let i = 0; i < 1000; i++) g.message(1, new ProtoWriter().string(4, 'R'));
  const fn = new ProtoWriter().string(1, 'f');
  for (let i = 0; i < 30; i++) fn.message(7, new ProtoWriter().string(4, 'R'));
  const file = path.join(dir, 'many-nodes.onnx');
  writeFileSync(file, new ProtoWriter().int(1, 8).message(7, g).message(25, fn).finish());
  assert.equal(DEFAULT_MODEL_LIMITS.maxNodes, DEFAULT_WIRE_LIMITS.maxNodes, 'one node limit for the reader and the host');
  assert.equal(MAX_GRAPH_NODES, DEFAULT_WIRE_LIMITS.maxNodes, 'and for TF.js node lists');
  assert.equal((await readOnnxModel(file, { limits: { maxNodes: 1030 } })).graph.nodes.length, 1000);
  await assert.rejects(readOnnxModel(file, { limits: { maxNodes: 1029 } }), (e: unknown) => isModelError(e) && e.code === 'limit'
    && e.message === `${file} (byte 5159, model.functions[0].node[29]): the model has more than 1029 nodes; the limit is 1029`, 'function bodies count');
  await assert.rejects(readOnnxModel(file, { limits: { maxNodes: 500 } }), (e: unknown) => isModelError(e) && e.code === 'limit'
    && e.message.startsWith(`${file} (byte 2507, model.graph.node[500]): the model has more than 500 nodes`));
});

test('a tensor over the materialization limit is refused by name; smaller ones pass', async () => {
  const m = await open('onnx-sparse-dims-2-40');
  const [w, , s] = collectWeights(m);
  assert.equal(s.byteLength, 4 * 2 ** 40);
  assert.throws(() => assertMaterializable(s, m.path), (e: unknown) => isModelError(e) && e.code === 'limit'
    && e.message === `${m.path} (tensor '${s.name}'): the tensor is 4398046511104 bytes; the host reads at most 1073741824 bytes of one tensor at once`);
  assert.doesNotThrow(() => assertMaterializable(w, m.path));
  assert.throws(() => assertMaterializable(w, m.path, { maxMaterializedTensorBytes: 3 }), /the tensor is 4 bytes/);
});

test('parse budget: the user is asked each time it runs out; continue lets the parse finish', async () => {
  const asked: number[] = [];
  const r = await withParseBudget('m.onnx', async (signal) => {
    await new Promise((res) => setTimeout(res, 120));
    return signal.aborted ? 'aborted' : 'done';
  }, async (elapsed) => { asked.push(elapsed); return 'continue'; }, 25);
  assert.equal(r, 'done');
  assert.ok(asked.length >= 1, 'asked at least once');
  assert.ok(asked.every((t, i) => i === 0 || t > asked[i - 1]), 'elapsed times grow');
});

test('parse budget: cancel aborts the parse and fails with ModelError cancelled naming the file', async () => {
  let seen: AbortSignal | undefined;
  await assert.rejects(withParseBudget('/models/big.onnx', (signal) => {
    seen = signal;
    return new Promise<string>(() => undefined);
  }, async () => 'cancel', 10), (e: unknown) => isModelError(e) && e.code === 'cancelled' && e.message.startsWith('/models/big.onnx: reading was cancelled after'));
  assert.equal(seen?.aborted, true, 'the parse saw the abort');
  const fast = await withParseBudget('m.onnx', async () => 7, async () => assert.fail('not asked when the parse ends in time'), 10_000);
  assert.equal(fast, 7);
});

test('structural warnings: cycles, self-loops, duplicate and missing producers, empty graphs', async () => {
  const w = async (name: string) => structuralWarnings(await open(name));
  assert.deepEqual(await w('onnx-cycle'), ["graph 'cycle' has a cycle: 2 node(s) depend on themselves through other nodes, e.g. 'a', 'b'"]);
  assert.deepEqual(await w('onnx-self-loop'), ["graph 'self': 1 node(s) consume their own output: 'loop' reads 'y'"]);
  assert.deepEqual(await w('onnx-duplicate-output'), ["graph 'dup': 1 value(s) have more than one producer: 'h' ('first' and 'second')"]);
  assert.deepEqual(await w('onnx-missing-producer'), ["graph 'ghost': 1 value(s) are read but never produced: 'ghost' (read by 'add')"]);
  assert.deepEqual(await w('onnx-zero-nodes'), ["graph 'passthrough' has no nodes: its outputs are its inputs or weights"]);
  assert.deepEqual(await w('tfjs-cycle'), ["graph 'model' has a cycle: 2 node(s) depend on themselves through other nodes, e.g. 'a', 'b'"]);
  assert.deepEqual(await w('tfjs-zero-nodes'), [], 'a graph declaring nothing has nothing to warn about');
  assert.deepEqual(await w('onnx-markup'), [], 'a well-formed graph gets no warning');
  const m = await open('onnx-cycle');
  applyModelChecks(m);
  assert.deepEqual(m.warnings, ["graph 'cycle' has a cycle: 2 node(s) depend on themselves through other nodes, e.g. 'a', 'b'"], 'applyModelChecks appends to model.warnings');
});

test('structural warnings stay linear on a long chain closed into one big cycle', async () => {
  const m = await open('onnx-cycle');
  const g = m.graph;
  // Grow the cycle to 200,000 nodes by splicing copies of node b between a and b.
  const [a, b] = g.nodes;
  let prev = a.outputs[0];
  for (let i = 0; i < 200_000; i++) {
    const out = { name: `c${i}`, consumers: [], producer: undefined as unknown as typeof a } as typeof prev;
    const n = { ...b, name: `c${i}`, inputs: [prev], outputs: [out] };
    out.producer = n;
    g.nodes.push(n);
    prev = out;
  }
  b.inputs = [prev];
  const ws = structuralWarnings(m);
  assert.equal(ws.length, 1);
  assert.match(ws[0], /has a cycle: 200002 node\(s\)/);
});
