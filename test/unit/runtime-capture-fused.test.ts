// Capture on the graph ONNX Runtime runs: values are tapped on its optimized model (loaded with
// optimization off), values fused away are reported with the node they were fused into and, when
// asked for, computed on the source graph. References: the source graph cut after each node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { RuntimeHost, type RuntimeTensor } from '../../src/core/runtime/index.js';
import { mapFusion, splitByFusion } from '../../src/core/runtime/capture-fused.js';
import { truncatedModel, writeModel } from './runtime-fixtures.js';
import { convBnReluSpec, convNetSpec, encodeModel, matMulAddReluSpec, type ModelSpec } from '../fixtures/onnx/index.js';
import { repoRoot, tempDir } from '../support/paths.js';

const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
const dir = tempDir('runtime-capture-fused');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const input = (shape: number[]): RuntimeTensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { name: 'x', dtype: 'float32', shape, data: Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.9) * 2) };
};

function assertClose(got: RuntimeTensor, want: RuntimeTensor, what: string): void {
  assert.deepEqual(got.shape, want.shape, what);
  const a = got.data as Float32Array, b = want.data as Float32Array;
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

const cases: { name: string; spec: ModelSpec; shape: number[]; fused: [string, string][]; blocked?: string[] }[] = [
  // BN folds into the Conv and the Relu fuses into it; at level 'all' that Conv computes relu_out in
  // NCHWc blocks (node 'relu_out_nchwc'), so relu_out is there but not readable as such (blocked).
  { name: 'conv-bn-relu', spec: convBnReluSpec(), shape: [1, 2, 6, 6], fused: [['conv_out', 'relu'], ['bn_out', 'relu'], ['relu_out', 'relu']], blocked: ['relu_out'] },
  // MatMul + Add become one Gemm, the Relu fused into it (output relu_out); Tanh stays on its own.
  { name: 'matmul-add-relu', spec: matMulAddReluSpec(), shape: [4, 8], fused: [['mm_out', 'relu'], ['add_out', 'relu']] },
  { name: 'convnet', spec: convNetSpec(), shape: [1, 1, 8, 8], fused: [['conv_out', 'relu']] },
];

for (const c of cases) {
  test(`${c.name}: tapped values equal the source graph's, fused ones are named, outputs unchanged`, async () => {
    const rt = await RuntimeHost.start({ processPath });
    try {
      const file = writeModel(dir, `${c.name}.onnx`, encodeModel(c.spec));
      await rt.load(file, { provider: 'cpu' });
      const x = input(c.shape);
      const plain = await rt.run([x]);
      const names = c.spec.graph.nodes.map((n) => n.outputs[0]);
      const overview = await rt.run([x], { captureValues: ['*'], fusedValues: 'report' });
      assert.deepEqual(overview.fused?.map((f) => [f.value, f.into]), c.fused, 'fused values and the node each went into');
      assert.deepEqual(overview.fused?.filter((f) => f.blocked).map((f) => f.value), c.blocked ?? [], 'values left in NCHWc blocks');
      const fusedNames = new Set(c.fused.map(([v]) => v));
      assert.deepEqual(overview.captured.map((t) => t.name), names.filter((n) => !fusedNames.has(n)), 'every surviving value is tapped, in graph order');
      // The tapped run is the optimized graph itself: its outputs are the plain run's.
      assert.deepEqual(overview.outputs.map((t) => Array.from(t.data as Float32Array)), plain.outputs.map((t) => Array.from(t.data as Float32Array)));
      const all = await rt.run([x], { captureValues: ['*'] });
      assert.deepEqual(all.captured.map((t) => t.name), names, "'compute' (the default) still returns every value");
      assert.deepEqual(all.fused?.map((f) => f.value), [...fusedNames]);
      const refs = new Map<string, RuntimeTensor>();
      for (let k = 1; k <= names.length; k++) refs.set(names[k - 1], await refRun(rt, c, k, x));
      await rt.load(file, { provider: 'cpu' });
      for (const t of all.captured) assertClose(t, refs.get(t.name)!, `${c.name} ${t.name}`);
      for (const t of overview.captured) assertClose(t, refs.get(t.name)!, `${c.name} tapped ${t.name}`);
      // Asking for a fused value alone computes it on the source graph.
      const one = await rt.run([x], { captureValues: [c.fused[0][0]] });
      assert.equal(one.captured.length, 1);
      assertClose(one.captured[0], refs.get(c.fused[0][0])!, `${c.name} ${c.fused[0][0]} on request`);
    } finally {
      await rt.dispose();
    }
  });
}

async function refRun(rt: RuntimeHost, c: (typeof cases)[number], k: number, x: RuntimeTensor): Promise<RuntimeTensor> {
  await rt.load(writeModel(dir, `${c.name}-${k}.onnx`, truncatedModel(c.spec, k)), { provider: 'cpu' });
  return (await rt.run([x])).outputs[0];
}

test('mapFusion: a value no optimized node outputs went into the nearest surviving node downstream', () => {
  const source = [
    { name: 'a', op: 'Conv', inputs: ['x'], outputs: ['a_out'] },
    { name: 'b', op: 'BatchNormalization', inputs: ['a_out'], outputs: ['b_out'] },
    { name: '', op: 'Relu', inputs: ['b_out'], outputs: ['c_out'] },
    { name: 'd', op: 'Shape', inputs: ['k'], outputs: ['d_out'] },
    { name: 'e', op: 'Add', inputs: ['c_out', 'd_out'], outputs: ['y'] },
  ];
  const fusion = mapFusion(source, ['c_out', 'y']);
  assert.deepEqual(splitByFusion(['a_out', 'b_out', 'c_out', 'd_out', 'y'], fusion), {
    tapped: ['c_out', 'y'],
    fused: [{ value: 'a_out', into: 'Relu_2' }, { value: 'b_out', into: 'Relu_2' }, { value: 'd_out', into: 'e' }],
  });
  assert.equal(mapFusion(source, ['y']).fusedInto('zzz'), null, 'nothing downstream: folded at load');
  // At level 'all' ORT computes b_out in NCHWc blocks (node 'b_out_nchwc'): a_out went into 'b'.
  const blocked = mapFusion(source, ['y', 'reorder_token_0'], ['b_out_nchwc', 'e']);
  assert.deepEqual(splitByFusion(['a_out', 'b_out'], blocked).fused, [{ value: 'a_out', into: 'b' }, { value: 'b_out', into: 'b', blocked: true }]);
});

// IR 3 declares initializers as graph inputs too. ORT folds both ConstantOfShape nodes, shares the
// two equal results as one, and writes the optimized model with the dropped one's `__SHAPE` still
// a graph input but no initializer: an input nobody feeds (SqueezeNet's 17 `<weight>__SHAPE`),
// which sent its whole capture back to the source graph. The optimized graph drops such inputs.
test('an optimized graph that ORT wrote with unfed leftover inputs is still the one tapped', async () => {
  const shapeInit = (name: string) => ({ name, dtype: 'int64' as const, dims: [2], int64Data: [2, 3] });
  const spec: ModelSpec = {
    irVersion: 3,
    opsets: [{ domain: '', version: 9 }],
    graph: {
      name: 'shape-inputs',
      nodes: [
        { op: 'ConstantOfShape', inputs: ['a__SHAPE'], outputs: ['a'] },
        { op: 'ConstantOfShape', inputs: ['b__SHAPE'], outputs: ['b'] },
        { op: 'Add', inputs: ['x', 'a'], outputs: ['y'] },
        { op: 'Mul', inputs: ['y', 'b'], outputs: ['z'] },
      ],
      inputs: [{ name: 'x', dtype: 'float32', shape: [2, 3] }, { name: 'a__SHAPE', dtype: 'int64', shape: [2] }, { name: 'b__SHAPE', dtype: 'int64', shape: [2] }],
      outputs: [{ name: 'z' }],
      initializers: [shapeInit('a__SHAPE'), shapeInit('b__SHAPE')],
    },
  };
  const rt = await RuntimeHost.start({ processPath });
  try {
    const loaded = await rt.load(writeModel(dir, 'shape-inputs.onnx', encodeModel(spec)), { provider: 'cpu' });
    assert.deepEqual(loaded.inputs.map((i) => i.name), ['x'], 'the plain session asks for x only');
    const x = input([2, 3]);
    const got = await rt.run([x], { captureValues: ['*'], fusedValues: 'report' });
    assert.deepEqual(got.fused?.map((f) => f.value), ['a', 'b'], 'tapped on the optimized graph: the folded constants are reported as fused');
    const y = got.captured.find((t) => t.name === 'y')!;
    assert.deepEqual(Array.from(y.data as Float32Array), Array.from(x.data as Float32Array), 'y = x + 0');
  } finally {
    await rt.dispose();
  }
});
