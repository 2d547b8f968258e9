// The all-values overview reduced in the graph (capture-reduce.ts): every summary it returns must
// match the stats of the full captured tensor (summaryOf) within float32 rounding, NaN and Inf
// counts exactly, on fixtures that exercise each path (shape groups, solo and chunked values,
// float16 and int casts, constants, an offset value, NaN/Inf, a data-dependent size) and on the
// shared real models when present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { buildGeneratedInputs, RuntimeHost, summaryOf, type RuntimeTensor, type ValueSummary } from '../../src/core/runtime/index.js';
import { packSummaries, unpackSummaries } from '../../src/core/runtime/summary-pack.js';
import { PACK_MIN_VALUES } from '../../src/core/runtime/capture-pack.js';
import { findSummaryAliases } from '../../src/core/runtime/capture-alias.js';
import { readScalarInitializers } from '../../src/core/model-write/index.js';
import type { DataType } from '../../src/core/ir/dtype.js';
import { centerOf, chunksOf, needsExactSummary, readReducedSummaries, type ReduceLayout } from '../../src/core/runtime/capture-reduce.js';
import { encodeModel, f32, type ModelSpec, type NodeSpec } from '../fixtures/onnx/writer.js';
import { writeModel } from './runtime-fixtures.js';
import { openModel } from '../../src/core/formats/index.js';
import { RuntimeSessions } from '../../src/core/runtime/runtime-sessions.js';
import { createRunHandlers } from '../../src/features/run/handlers.js';
import type { ActivationsResult, TensorStatsSummary } from '../../src/features/run/protocol.js';
import { repoRoot, tempDir } from '../support/paths.js';

const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
const dir = tempDir('runtime-capture-reduce');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const F = 'float32' as const;
const scalar = (name: string, v: number) => ({ name, dtype: F, dims: [], raw: f32([v]) });

/** Every path of the reduction in one graph; x is [batch, 3, 40]. */
function mixedSpec(opset: number): ModelSpec {
  const nodes: NodeSpec[] = [
    { op: 'Relu', inputs: ['x'], outputs: ['relu'] },
    { op: 'Sigmoid', inputs: ['x'], outputs: ['sigmoid'] },
    { op: 'Tanh', inputs: ['x'], outputs: ['tanh'] },
    { op: 'Add', inputs: ['x', 'x'], outputs: ['twice'] },
    { op: 'Mul', inputs: ['x', 'tanh'], outputs: ['x_tanh'] },
    { op: 'Neg', inputs: ['relu'], outputs: ['neg'] },
    { op: 'Exp', inputs: ['sigmoid'], outputs: ['exp'] },
    { op: 'Abs', inputs: ['x'], outputs: ['abs'] },
    { op: 'Sqrt', inputs: ['abs'], outputs: ['sqrt'] },
    { op: 'Sin', inputs: ['x'], outputs: ['sin'] },
    { op: 'Cos', inputs: ['x'], outputs: ['cos'] },
    // Far from zero: E[x²] ≫ variance, which float32 sums cannot give; summarized exactly.
    { op: 'Add', inputs: ['x', 'thousand'], outputs: ['offset'] },
    // Constants: min = max gives their stats exactly.
    { op: 'Mul', inputs: ['x', 'zero'], outputs: ['zeros'] },
    { op: 'Add', inputs: ['zeros', 'five'], outputs: ['fives'] },
    // 1 / relu: +Inf wherever relu is 0; log of negatives: NaN.
    { op: 'Div', inputs: ['one', 'relu'], outputs: ['inverse'] },
    { op: 'Log', inputs: ['x'], outputs: ['log'] },
    // 24000 elements per batch row: reduced on its own, in chunks.
    { op: 'Tile', inputs: ['x', 'reps'], outputs: ['tiled'] },
    { op: 'Mul', inputs: ['tiled', 'hundred'], outputs: ['tiled100'] },
    { op: 'Cast', inputs: ['tiled100'], outputs: ['tiled_int'], attributes: [{ name: 'to', i: 6 }] },
    { op: 'Cast', inputs: ['x'], outputs: ['half'], attributes: [{ name: 'to', i: 10 }] },
    { op: 'Shape', inputs: ['x'], outputs: ['shape'] },
    { op: 'ReduceSum', inputs: ['x'], outputs: ['total'], attributes: [{ name: 'keepdims', i: 0 }] },
    { op: 'Greater', inputs: ['x', 'zero'], outputs: ['positive'] },
    // Its size depends on the data: a run on other values of the same shape must fall back.
    { op: 'NonZero', inputs: ['positive'], outputs: ['nonzero'] },
    { op: 'Cast', inputs: ['nonzero'], outputs: ['nonzero_f'], attributes: [{ name: 'to', i: 1 }] },
  ];
  const outputs = ['twice', 'x_tanh', 'neg', 'exp', 'sqrt', 'sin', 'cos', 'offset', 'fives', 'inverse', 'log', 'tiled_int', 'half', 'shape', 'total', 'nonzero_f'];
  return {
    opsets: [{ domain: '', version: opset }],
    graph: {
      name: 'mixed', nodes,
      inputs: [{ name: 'x', dtype: F, shape: ['batch', 3, 40] }],
      outputs: outputs.map((name) => ({ name })),
      initializers: [
        scalar('thousand', 1000), scalar('zero', 0), scalar('five', 5), scalar('one', 1), scalar('hundred', 100),
        { name: 'reps', dtype: 'int64', dims: [3], int64Data: [1, 1, 200] },
      ],
    },
  };
}

const input = (batch: number, phase: number): RuntimeTensor => {
  const n = batch * 120;
  return { name: 'x', dtype: F, shape: [batch, 3, 40], data: Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + phase) * 3 + 0.25) };
};

function assertSummariesMatch(got: readonly ValueSummary[], tensors: readonly RuntimeTensor[], what: string): void {
  const want = new Map(tensors.map((t) => [t.name, summaryOf(t)]));
  assert.deepEqual(got.map((s) => s.name), tensors.map((t) => t.name), `${what}: one summary per value, in graph order`);
  for (const s of got) {
    const w = want.get(s.name)!;
    const at = `${what} ${s.name}`;
    assert.equal(s.dtype, w.dtype, `${at} dtype`);
    assert.deepEqual(s.shape, w.shape, `${at} shape`);
    assert.equal(s.nan, w.nan, `${at} NaN count`);
    assert.equal(s.inf, w.inf, `${at} Inf count`);
    for (const k of ['min', 'max', 'mean', 'std'] as const) {
      const a = s[k], e = w[k];
      if (e === null) { assert.equal(a, null, `${at} ${k}`); continue; }
      assert.ok(a !== null, `${at} ${k} is null, want ${e}`);
      const scale = k === 'std' ? Math.max(w.std ?? 0, 1e-3) : Math.max(1, Math.abs(e), w.std ?? 0);
      const tol = k === 'min' || k === 'max' ? 1e-6 : k === 'mean' ? 1e-5 : 1e-4;
      assert.ok(Math.abs(a - e) <= tol * scale, `${at} ${k}: ${a} vs ${e}`);
    }
  }
}

test('readReducedSummaries adds chunk partials in float64; NaN/Inf and cancelling variances ask for the exact path', () => {
  const values = [{ name: 'a', dtype: F, shape: [4] }, { name: 'b', dtype: F, shape: [2] }, { name: 'c', dtype: F, shape: [2] }, { name: 'd', dtype: F, shape: [2] }];
  // a = [1, 2, 3, 4] in two chunks; b = [7, 7] (a constant); c has a NaN; d = [1000, 1000.001].
  // Groups: a alone (2 chunk rows), then b, c, d (one row each); per group its mins, maxs, sums, sums of squares.
  const layout: ReduceLayout = { output: 'stats', groups: [{ members: [0], parts: 2 }, { members: [1, 2, 3], parts: 1 }], values };
  const out: Record<string, Float32Array> = {
    stats: Float32Array.from([1, 3, 2, 4, 3, 7, 5, 25, 7, NaN, 1000, 7, 1, 1000.001, 14, NaN, 2000.001, 98, NaN, 2000002]),
  };
  const r = readReducedSummaries(layout, (n) => out[n])!;
  assert.deepEqual(r[0].summary, { name: 'a', dtype: F, shape: [4], min: 1, max: 4, mean: 2.5, std: Math.sqrt(1.25), nan: 0, inf: 0, from: 'graph' });
  assert.deepEqual(r[1].summary, { name: 'b', dtype: F, shape: [2], min: 7, max: 7, mean: 7, std: 0, nan: 0, inf: 0, from: 'graph' });
  assert.equal(r[2].exact, true, 'a NaN makes the sums non-finite: counted on the whole tensor');
  assert.equal(r[3].exact, true, 'E[x²] / variance ≈ 4e12: float32 sums cannot give that std');
  assert.equal(readReducedSummaries(layout, () => new Float32Array(19)), null, 'a wrong output length falls back');
  for (const n of [1, 7, 1024, 1025, 4096, 24000, 48000, 65536, 1 << 22]) {
    const c = chunksOf(n);
    assert.equal(n % c, 0, `${n}: chunks divide it`);
    assert.ok(n / c <= 256 || c === 1, `${n}: chunks of at most 256 (${c} of ${n / c})`);
  }
  assert.equal(needsExactSummary({ min: 5, max: 5, mean: 5, std: 0, nan: 0, inf: 0 }), false, 'a constant is exact from min = max');
  assert.equal(needsExactSummary({ min: 999, max: 1001, mean: 1000, std: 1, nan: 0, inf: 0 }), true);
  assert.equal(needsExactSummary({ min: -1, max: 1, mean: 0, std: 0.5, nan: 1, inf: 0 }), true);
  // Only an offset makes a value centred; NaN, a constant or a well-conditioned value is not.
  assert.equal(centerOf({ min: 999, max: 1001, mean: 1000.1, std: 1, nan: 0, inf: 0 }), Math.fround(1000.1));
  for (const s of [{ min: -1, max: 1, mean: 0, std: 0.5, nan: 1, inf: 0 }, { min: 5, max: 5, mean: 5, std: 0, nan: 0, inf: 0 }, { min: -1, max: 1, mean: 0, std: 0.5, nan: 0, inf: 0 }]) assert.equal(centerOf(s), undefined);
  // A centred value's sums are of x − 1000: e = [999, 1001] gives mean 1000 and std 1 from sums 0 and 2.
  const centred: ReduceLayout = { output: 'stats', groups: [{ members: [0], parts: 1 }], values: [{ name: 'e', dtype: F, shape: [2], center: 1000 }] };
  assert.deepEqual(readReducedSummaries(centred, () => Float32Array.from([999, 1001, 0, 2]))![0].summary, { name: 'e', dtype: F, shape: [2], min: 999, max: 1001, mean: 1000, std: 1, nan: 0, inf: 0, from: 'graph' });
  assert.equal(readReducedSummaries(centred, () => Float32Array.from([1, 3, -1996, 999 * 999 + 997 * 997]))![0].exact, true, 'data far from its first-run center still asks for the exact path');
});

test('summaries cross the process boundary as typed arrays and come back equal, nulls included', () => {
  const list: ValueSummary[] = [
    { name: 'a', dtype: F, shape: [1, 16, 64], min: -2.5, max: 3, mean: 0.125, std: 1.5, nan: 0, inf: 0, from: 'graph' },
    { name: 's', dtype: 'string', shape: [], min: null, max: null, mean: null, std: null, nan: 0, inf: 0 },
    { name: 'n', dtype: F, shape: [7], min: 1, max: 1, mean: 1, std: 0, nan: 5, inf: 1 },
  ];
  const packed = packSummaries(list);
  assert.ok(packed.stats instanceof Float64Array && packed.stats.length === 18);
  assert.deepEqual(unpackSummaries(packed), list);
});

for (const opset of [11, 13, 18]) {
  test(`mixed fixture, opset ${opset}: the reduced overview matches the full tensors' stats; only the values that need it come whole`, async () => {
    const rt = await RuntimeHost.start({ processPath });
    try {
      const file = writeModel(dir, `mixed-${opset}.onnx`, encodeModel(mixedSpec(opset)));
      await rt.load(file, { provider: 'cpu' });
      const x = input(2, 0);
      const full = await rt.run([x], { captureValues: ['*'] });
      const overview = await rt.run([x], { captureValues: ['*'], captureAs: 'summaries' });
      assertSummariesMatch(overview.summaries!, full.captured, `opset ${opset}`);
      assert.deepEqual(overview.captured, [], 'no tensor crosses to the caller');
      const inGraph = new Set(overview.summaries!.filter((s) => s.from === 'graph').map((s) => s.name));
      // NaN/Inf (log, inverse), the small int and bool values are summarized from the whole tensor.
      for (const n of ['inverse', 'log', 'shape', 'positive']) assert.ok(!inGraph.has(n), `${n} is summarized from its whole tensor`);
      // The offset value (x + 1000) is reduced centred on its first-run mean (capture-reduce.ts centerOf).
      // nonzero (int64) reports its exact float Cast's summary, nonzero_f's (capture-alias.ts).
      for (const n of ['sin', 'cos', 'tiled', 'tiled_int', 'half', 'fives', 'total', 'nonzero_f', 'nonzero', 'offset']) assert.ok(inGraph.has(n), `${n} is reduced in the graph (in the graph: ${[...inGraph].join(', ')})`);
      const inv = overview.summaries!.find((s) => s.name === 'inverse')!;
      assert.ok(inv.inf > 0 && inv.inf === summaryOf(full.captured.find((t) => t.name === 'inverse')!).inf, 'Inf counted');
      assert.ok(overview.summaries!.find((s) => s.name === 'log')!.nan > 0, 'NaN counted');
      // Same shapes, other values: NonZero's output changes size, the reduced graph's Reshape fails,
      // and the run falls back to full tensors, still right.
      const y = input(2, 1.3);
      const fullY = await rt.run([y], { captureValues: ['*'] });
      assert.notDeepEqual(fullY.captured.find((t) => t.name === 'nonzero')!.shape, full.captured.find((t) => t.name === 'nonzero')!.shape, 'the fixture changes a size');
      assertSummariesMatch((await rt.run([y], { captureValues: ['*'], captureAs: 'summaries' })).summaries!, fullY.captured, `opset ${opset}, other values`);
      // Other input shapes: reduced again for those.
      const z = input(3, 0.5);
      assertSummariesMatch((await rt.run([z], { captureValues: ['*'], captureAs: 'summaries', runs: 3 })).summaries!, (await rt.run([z], { captureValues: ['*'] })).captured, `opset ${opset}, batch 3`);
      // A few values: no reduction worth building, summaries from the tensors, which come back too.
      const few = await rt.run([x], { captureValues: ['sin', 'log'], captureAs: 'summaries' });
      assert.deepEqual(few.captured.map((t) => t.name), ['sin', 'log']);
      assertSummariesMatch(few.summaries!, few.captured, 'K = 2');
    } finally {
      await rt.dispose();
    }
  });
}

/** Same-elements ops and exact Casts over x [2, 3, 40], with enough other values for a reduction. */
function aliasSpec(): ModelSpec {
  const unary = ['Relu', 'Sigmoid', 'Tanh', 'Sin', 'Cos', 'Abs', 'Neg', 'Exp', 'Softsign', 'Atan', 'Erf', 'Floor', 'Ceil', 'Round'];
  const nodes: NodeSpec[] = [
    ...unary.map((op): NodeSpec => ({ op, inputs: ['x'], outputs: [op.toLowerCase()] })),
    { op: 'Reshape', inputs: ['sin', 'flat_shape'], outputs: ['sin_flat'] },
    { op: 'Transpose', inputs: ['sin_flat'], outputs: ['sin_t'], attributes: [{ name: 'perm', ints: [1, 0] }] },
    { op: 'Identity', inputs: ['sin_t'], outputs: ['sin_id'] },
    { op: 'Unsqueeze', inputs: ['cos', 'axis0'], outputs: ['cos_u'] },
    { op: 'Squeeze', inputs: ['cos_u', 'axis0'], outputs: ['cos_s'] },
    { op: 'Flatten', inputs: ['tanh'], outputs: ['tanh_f'], attributes: [{ name: 'axis', i: 2 }] },
    // A bool mask and a small int: each reports its exact float32 Cast's summary.
    { op: 'Greater', inputs: ['x', 'zero'], outputs: ['mask'] },
    { op: 'Cast', inputs: ['mask'], outputs: ['mask_f'], attributes: [{ name: 'to', i: 1 }] },
    { op: 'Cast', inputs: ['round'], outputs: ['round_i'], attributes: [{ name: 'to', i: 6 }] },
    { op: 'Cast', inputs: ['round_i'], outputs: ['round_if'], attributes: [{ name: 'to', i: 1 }] },
    // Not exact: float32 → float16 rounds; its float32 twin back is not the same numbers.
    { op: 'Cast', inputs: ['atan'], outputs: ['atan_h'], attributes: [{ name: 'to', i: 10 }] },
    // Scalar maps y = a·x + b, chained: derived from sin's summary.
    { op: 'Mul', inputs: ['sin', 'minus_half'], outputs: ['sin_scaled'] },
    { op: 'Add', inputs: ['three', 'sin_scaled'], outputs: ['sin_shifted'] },
    { op: 'Sub', inputs: ['three', 'cos'], outputs: ['three_minus_cos'] },
    { op: 'Neg', inputs: ['tanh'], outputs: ['tanh_neg'] },
    // NaN in the source (log of negatives), an overflow to Inf (exp · 1e38): each summarized from its own tensor.
    { op: 'Log', inputs: ['x'], outputs: ['log'] },
    { op: 'Mul', inputs: ['log', 'three'], outputs: ['log3'] },
    { op: 'Mul', inputs: ['exp', 'huge'], outputs: ['exp_huge'] },
  ];
  return {
    opsets: [{ domain: '', version: 13 }],
    graph: {
      name: 'aliases', nodes,
      inputs: [{ name: 'x', dtype: F, shape: [2, 3, 40] }],
      outputs: ['sin_id', 'cos_s', 'tanh_f', 'mask_f', 'round_if', 'atan_h', 'sin_shifted', 'three_minus_cos', 'tanh_neg', 'log3', 'exp_huge', ...unary.map((op) => op.toLowerCase())].map((name) => ({ name })),
      initializers: [
        scalar('zero', 0), scalar('minus_half', -0.5), scalar('three', 3), scalar('huge', 1e38),
        { name: 'flat_shape', dtype: 'int64', dims: [2], int64Data: [6, 40] },
        { name: 'axis0', dtype: 'int64', dims: [1], int64Data: [0] },
      ],
    },
  };
}

test('findSummaryAliases: same-elements ops map to their input, exact Casts join the float one, scalar ops compose; nothing else', () => {
  const stats = (min: number, max: number) => ({ min, max, mean: 0, std: 1, nan: 0, inf: 0 });
  const v = (name: string, dtype: DataType = F, s = stats(-1, 1)) => ({ name, dtype, stats: s });
  const n = (op: string, inputs: string[], out: string) => ({ name: '', op, inputs, outputs: [out] });
  const nodes = [
    n('Relu', ['x'], 'r'), n('Reshape', ['r', 's'], 'rr'), n('Transpose', ['rr'], 'rt'), n('Dropout', ['rt'], 'rd'),
    n('Dropout', ['rt', 'ratio', 'training'], 'rtrain'), n('Reshape', ['x', 's'], 'xr'),
    n('Greater', ['r', 'z'], 'm'), n('Cast', ['m'], 'mf'), n('Reshape', ['m', 's'], 'mr'),
    n('Cast', ['r'], 'big'), n('Cast', ['big'], 'big_f'), n('Cast', ['r'], 'half'), n('Cast', ['half'], 'half_f'),
    n('Mul', ['rr', 'two'], 'r2'), n('Sub', ['three', 'r2'], 'r3'), n('Neg', ['r3'], 'r4'), n('Add', ['r', 'w'], 'rw'), n('Mul', ['r', 'r'], 'rsq'),
    n('Div', ['r', 'two'], 'rdiv'), n('Mul', ['half', 'two'], 'half2'),
  ];
  const values = [v('r'), v('rr'), v('rt'), v('rd'), v('rtrain'), v('xr'), v('m', 'bool'), v('mf'), v('mr', 'bool'),
    v('big', 'int64', stats(0, 2 ** 24)), v('big_f'), v('half', 'float16'), v('half_f'), v('r2'), v('r3'), v('r4'), v('rw'), v('rsq'), v('rdiv'), v('half2', 'float16')];
  const scalars = new Map([['two', 2], ['three', 3]]);
  const same = (of: string) => ({ of, scale: 1, shift: 0 });
  assert.deepEqual(Object.fromEntries(findSummaryAliases(nodes, values, scalars)), {
    rr: same('r'), rt: same('r'), rd: same('r'), // through a chain, to the first value that is not one itself
    m: same('mf'), mr: same('mf'), half: same('half_f'), // the float32 Cast of an exact dtype; a Reshape of it follows
    r2: { of: 'r', scale: 2, shift: 0 }, r3: { of: 'r', scale: -2, shift: 3 }, r4: { of: 'r', scale: 2, shift: -3 }, // 2r, 3 − 2r, −(3 − 2r)
  }, 'not: a training Dropout, a Reshape of an uncaptured input, an int64 past 2^24, a non-scalar or captured operand, Div, a float16 op');
  // The scalars come from the graph's one-element float32 initializers (flat_shape and axis0 are int64).
  assert.deepEqual(Object.fromEntries(readScalarInitializers(encodeModel(aliasSpec()))), { zero: 0, minus_half: -0.5, three: 3, huge: Math.fround(1e38) });
});

test('aliased values report their source\'s summary under their own name, dtype and shape, and come from the graph', async () => {
  const rt = await RuntimeHost.start({ processPath });
  try {
    await rt.load(writeModel(dir, 'aliases.onnx', encodeModel(aliasSpec())), { provider: 'cpu' });
    const x = input(2, 0.4);
    // On the source graph, whose nodes are the fixture's (ORT's optimizer may move a Transpose).
    const full = await rt.run([x], { captureValues: ['*'], captureGraph: 'source' });
    const overview = await rt.run([x], { captureValues: ['*'], captureAs: 'summaries', captureGraph: 'source' });
    assertSummariesMatch(overview.summaries!, full.captured, 'aliases');
    assertSummariesMatch((await rt.run([x], { captureValues: ['*'], captureAs: 'summaries' })).summaries!, full.captured, 'aliases, optimized graph');
    const by = new Map(overview.summaries!.map((s) => [s.name, s]));
    const numbers = (name: string) => { const s = by.get(name)!; return [s.min, s.max, s.mean, s.std, s.nan, s.inf]; };
    for (const [alias, source] of [['sin_flat', 'sin'], ['sin_t', 'sin'], ['sin_id', 'sin'], ['cos_u', 'cos'], ['cos_s', 'cos'], ['tanh_f', 'tanh'], ['mask', 'mask_f'], ['round_i', 'round_if']]) {
      assert.deepEqual(numbers(alias), numbers(source), `${alias} has ${source}'s summary`);
      assert.equal(by.get(alias)!.from, 'graph', `${alias} comes from the reduction`);
    }
    for (const n of ['sin_scaled', 'sin_shifted', 'three_minus_cos', 'tanh_neg']) assert.equal(by.get(n)!.from, 'graph', `${n} is derived from its source's reduction`);
    for (const n of ['log3', 'exp_huge']) assert.equal(by.get(n)!.from, undefined, `${n} (NaN or Inf) is summarized from its own tensor`);
    assert.ok(by.get('log3')!.nan > 0 && by.get('exp_huge')!.inf > 0);
    assert.deepEqual(by.get('sin_t')!.shape, [40, 6]);
    assert.equal(by.get('mask')!.dtype, 'bool');
    // The bool mask (240 elements) would otherwise be fetched whole: it is too small for a Cast of its own.
    assert.notDeepEqual(numbers('atan_h'), numbers('atan'), 'a rounding Cast is summarized on its own');
  } finally {
    await rt.dispose();
  }
});

test('Run panel: run.activations paints from the reduced summaries; opening a value fetches its tensor for the histogram', async () => {
  const file = writeModel(dir, 'mixed-panel.onnx', encodeModel(mixedSpec(17)));
  const model = await openModel(file);
  const sessions = new RuntimeSessions({ processPath });
  try {
    const h = createRunHandlers({ sessions });
    const ctx = { model, key: model.path, signal: new AbortController().signal, trusted: true, provider: 'cpu' as const };
    const params = { inputs: [{ name: 'x', source: 'fill', kind: 'range' }], dims: { batch: 2 }, runs: 1, warmup: 0 };
    const act = await h['run.activations']({ ...params, nodes: 'all' }, ctx) as ActivationsResult;
    const byValue = new Map(act.activations.map((a) => [a.value, a]));
    const sin = byValue.get('sin')!;
    assert.deepEqual(sin.shape, [2, 3, 40]);
    // The same run with every tensor whole: the reference the panel's numbers must match.
    const { host, load } = await sessions.runtimeFor(model.path, model, 'cpu');
    const x = buildGeneratedInputs(load.inputs, { kind: 'range' }, { batch: 2 });
    const full = new Map((await host.run(x, { captureValues: ['*'] })).captured.map((t) => [t.name, summaryOf(t)]));
    for (const a of act.activations.filter((x) => x.fusedInto === undefined)) {
      const w = full.get(a.value)!;
      assert.equal(a.nan, w.nan, `${a.value} NaN`);
      const absMax = w.min === null ? null : Math.max(Math.abs(w.min), Math.abs(w.max!));
      if (absMax === null) assert.equal(a.absMax, null); else assert.ok(Math.abs(a.absMax! - absMax) <= 1e-6 * Math.max(1, absMax), `${a.value} abs max ${a.absMax} vs ${absMax}`);
      if (w.mean === null) assert.equal(a.mean, null); else assert.ok(Math.abs(a.mean! - w.mean) <= 1e-5 * Math.max(1, Math.abs(w.mean), w.std!), `${a.value} mean ${a.mean} vs ${w.mean}`);
    }
    // sin was summarized in the graph, not sent: opening it runs once more for its whole tensor.
    const hist = await h['run.activationHistogram']({ nodeId: sin.nodeId }, ctx) as { value: string; shape: number[]; stats: TensorStatsSummary; histogram: { counts: number[] } };
    assert.equal(hist.value, 'sin');
    assert.deepEqual(hist.shape, [2, 3, 40]);
    assert.equal(hist.histogram.counts.reduce((a, b) => a + b, 0), 240, 'the histogram counts every element');
    assert.ok(Math.abs(hist.stats.mean! - full.get('sin')!.mean!) <= 1e-6);
  } finally {
    await sessions.disposeAll();
  }
});

const shared = path.resolve(repoRoot, '../shared/models');
const gen = path.resolve(repoRoot, '../shared/bench/gen-onnx.mjs');
// Each entry: a name, the file (null when absent), and what is missing then.
const real: [string, () => string | null, string][] = [
  ['generated transformer (20 layers)', () => {
    if (!existsSync(gen)) return null;
    const file = path.join(dir, 'transformer.onnx');
    execFileSync(process.execPath, [gen, 'transformer', '--layers', '20', '--hidden', '64', '--out', file], { stdio: 'ignore' });
    return file;
  }, '../shared/bench/gen-onnx.mjs'],
  ...([['magika', 'onnx/magika/standard_v3_3/model.onnx'], ['Ultraface RFB-320', 'onnx/ort-inference-examples/Ultraface_version-RFB-320.onnx'], ['SqueezeNet (light)', 'onnx-backend-tests/light/light_squeezenet.onnx']] as const)
    .map(([name, rel]): [string, () => string | null, string] => [name, () => (existsSync(path.join(shared, rel)) ? path.join(shared, rel) : null), `../shared/models/${rel}`]),
];

for (const [name, fileOf, needs] of real) {
  test(`${name}: the reduced overview matches the full tensors' stats, and most values are reduced`, async (t) => {
    const file = fileOf();
    if (!file) { t.skip(`${needs} is absent`); return; }
    const rt = await RuntimeHost.start({ processPath });
    try {
      const loaded = await rt.load(file, { provider: 'cpu' });
      const inputs = buildGeneratedInputs(loaded.inputs, { kind: 'random', seed: 1 });
      const full = await rt.run(inputs, { captureValues: ['*'], fusedValues: 'report' });
      const overview = await rt.run(inputs, { captureValues: ['*'], fusedValues: 'report', captureAs: 'summaries' });
      assertSummariesMatch(overview.summaries!, full.captured, name);
      // Each is tapped on ORT's optimized graph (SqueezeNet was not while its unfed `__SHAPE` inputs stayed).
      assert.ok(overview.fused, `${name} is captured on the optimized graph`);
      const whole = overview.summaries!.filter((s) => s.from !== 'graph').length;
      // Below PACK_MIN_VALUES tapped values no reduction is built and the tensors come back too
      // (SqueezeNet's NCHWc graph keeps 2 values in the source layout).
      if (full.captured.length >= PACK_MIN_VALUES) {
        assert.ok(whole <= full.captured.length / 2, `${name}: ${whole} of ${full.captured.length} values summarized from whole tensors`);
        assert.deepEqual(overview.captured, []);
      }
      assert.deepEqual(overview.outputs.map((o) => Array.from(o.data as Float32Array)), full.outputs.map((o) => Array.from(o.data as Float32Array)), 'the outputs are the same run');
    } finally {
      await rt.dispose();
    }
  });
}
