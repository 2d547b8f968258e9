// Real shapes after a run: outputs and captured tensors are measured, every other main-graph value
// gets the shape rules on the run's input dims, and the graph view marks a shape the file contradicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { openModel } from '../../src/core/formats/index.js';
import { inferShapes } from '../../src/core/shapes/index.js';
import { buildGraphPayload } from '../../src/core/graph-payload.js';
import { measureRunShapes, runInputDims } from '../../src/core/runtime/measured-shapes.js';
import { outputEntries, packRunShapes, RUN_SHAPE, unpackRunShapes, type RunShapes } from '../../src/core/runtime/run-shapes.js';
import { RuntimeSessions } from '../../src/core/runtime/runtime-sessions.js';
import { createRunHandlers } from '../../src/features/run/handlers.js';
import { measuredIndex, measuredLabel } from '../../webview/graph/measured-shapes.js';
import { encodeModel, mlpSpec, removeDir, tempDir, writeFixture } from '../fixtures/onnx/index.js';
import { repoRoot } from '../support/paths.js';

const dir = tempDir('measured-shapes');
test.after(() => removeDir(dir));

async function open(name: string, bytes: Uint8Array) {
  const m = await openModel(writeFixture(dir, name, bytes));
  await inferShapes(m);
  return { model: m, payload: buildGraphPayload(m) };
}

function byName(payload: ReturnType<typeof buildGraphPayload>, s: RunShapes) {
  const out: Record<string, [string, number[]]> = {};
  for (const [id, r] of unpackRunShapes(s, payload.values.length)) out[payload.values[id].name] = [r.source === RUN_SHAPE.measured ? 'measured' : 'inputs', r.shape];
  return out;
}

test('mlp x [N, 4] fed [3, 4]: x and y measured, the hidden values from the rules on N = 3, no weights', async () => {
  const { model, payload } = await open('mlp.onnx', encodeModel(mlpSpec()));
  assert.deepEqual(runInputDims(model, [{ name: 'x', shape: [3, 4] }]), { N: 3 });
  const s = await measureRunShapes(model, payload, [{ name: 'x', shape: [3, 4] }], [{ name: 'y', shape: [3, 3] }]);
  assert.deepEqual(byName(payload, s), {
    y: ['measured', [3, 3]], x: ['measured', [3, 4]],
    fc0_out: ['inputs', [3, 8]], relu0_out: ['inputs', [3, 8]], fc1_out: ['inputs', [3, 8]], relu1_out: ['inputs', [3, 8]],
  });
});

test('a declared shape the run contradicts is marked ≠ with the file\'s shape; symbolic dims are not', async () => {
  const spec = mlpSpec();
  spec.graph.outputs = [{ name: 'y', dtype: 'float32', shape: ['N', 5] }];
  const { model, payload } = await open('mlp-wrong.onnx', encodeModel(spec));
  const s = await measureRunShapes(model, payload, [{ name: 'x', shape: [2, 4] }], [{ name: 'y', shape: [2, 3] }]);
  const idx = measuredIndex(payload, s)!;
  const id = (n: string) => payload.values.find((v) => v.name === n)!.id;
  assert.equal(measuredLabel(payload.values[id('y')], idx.get(id('y'))!), '◆ float32 [2, 3] ≠ [N, 5]');
  assert.equal(measuredLabel(payload.values[id('x')], idx.get(id('x'))!), '◆ float32 [2, 4]');
  assert.equal(measuredLabel(payload.values[id('fc0_out')], idx.get(id('fc0_out'))!), '◇ float32 [2, 8]');
});

test('TF.js outputs match by name, by `name:0`, else by position; malformed packed entries are dropped', async () => {
  const { payload } = await open('mlp2.onnx', encodeModel(mlpSpec()));
  const yId = payload.values.find((v) => v.name === 'y')!.id;
  for (const name of ['y', 'y:0', 'Identity']) assert.deepEqual(outputEntries(payload, [{ name, shape: [1, 3] }]), [{ value: yId, source: RUN_SHAPE.measured, shape: [1, 3] }], name);
  const bad = packRunShapes([{ value: yId, source: RUN_SHAPE.measured, shape: [1, 3] }]);
  bad.values[0] = 10_000;
  assert.equal(unpackRunShapes(bad, payload.values.length).size, 0);
});

const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
test('run.infer and run.activations on onnxruntime: captured values measured, fused ones from the run\'s inputs', { skip: existsSync(processPath) ? false : 'dist/runtime-process.js is not built' }, async () => {
  const { model, payload } = await open('mlp-run.onnx', encodeModel(mlpSpec()));
  const sessions = new RuntimeSessions({ processPath });
  try {
    const h = createRunHandlers({ sessions });
    const ctx = { model, key: model.path, signal: new AbortController().signal, trusted: true, provider: 'cpu' as const };
    const plain = await h['run.infer']({ inputs: [], dims: { N: 2 }, runs: 1, warmup: 0 }, ctx) as { shapes: RunShapes };
    const p = byName(payload, plain.shapes);
    assert.deepEqual(p.y, ['measured', [2, 3]]);
    assert.deepEqual(p.relu1_out, ['inputs', [2, 8]]);
    const act = await h['run.activations']({ inputs: [], dims: { N: 5 }, nodes: 'all' }, ctx) as { shapes: RunShapes; activations: { value: string; shape: number[]; fusedInto?: string | null }[] };
    const a = byName(payload, act.shapes);
    assert.ok(act.activations.length >= 5);
    for (const v of act.activations) {
      if (v.fusedInto !== undefined) assert.deepEqual(a[v.value], ['inputs', [5, 8]], `${v.value} fused`);
      else assert.deepEqual(a[v.value], ['measured', v.shape], `${v.value} captured`);
    }
    assert.deepEqual(a.y, ['measured', [5, 3]]);
  } finally {
    await sessions.disposeAll();
  }
});
