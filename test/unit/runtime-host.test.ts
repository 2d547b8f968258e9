// The runtime process seen from the caller: results, provider fallback, cancel, crash, memory guard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { RuntimeHost, RuntimeError, allClose, type RuntimeTensor } from '../../src/core/runtime/index.js';
import { ModelError } from '../../src/core/ir/errors.js';
import { bigOutputModel, dtypesModel, mixedChainModel, slowModel, truncatedModel, writeModel } from './runtime-fixtures.js';
import { buildExternalDataModel, buildLinearModel, convNetSpec, mlpSpec, encodeModel, writeFixtureSet } from '../fixtures/onnx/index.js';
import { repoRoot, tempDir } from '../support/paths.js';

const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
const dir = tempDir('runtime-host');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const linear = writeModel(dir, 'linear.onnx', buildLinearModel());
/** Input of the linear fixture: x float32 [N, 1]. */
const x = (values: number[]): RuntimeTensor => ({ name: 'x', dtype: 'float32', shape: [values.length, 1], data: Float32Array.from(values) });

/** Starts a runtime host for `fn` and disposes of it afterwards, whatever `fn` does. */
async function withRuntimeHost(fn: (rt: RuntimeHost) => Promise<void>, options: Parameters<typeof RuntimeHost.start>[0] = {}): Promise<void> {
  const rt = await RuntimeHost.start({ processPath, ...options });
  try {
    await fn(rt);
  } finally {
    await rt.dispose();
  }
}

test('y = 2x + 1 returns 2x + 1, with latency stats', async () => {
  await withRuntimeHost(async (rt) => {
    const loaded = await rt.load(linear, { provider: 'cpu' });
    assert.equal(loaded.provider, 'cpu');
    assert.equal(loaded.fallbackReason, null);
    assert.deepEqual(loaded.inputs, [{ name: 'x', dtype: 'float32', shape: ['N', 1], isTensor: true }]);
    const r = await rt.run([x([0, 1, -2, 3.5, 10, 20, 30, 40])], { runs: 5, warmup: 2 });
    assert.equal(r.outputs.length, 1);
    assert.equal(r.outputs[0].name, 'y');
    assert.deepEqual(r.outputs[0].shape, [8, 1]);
    assert.deepEqual(Array.from(r.outputs[0].data as Float32Array), [1, 3, -3, 8, 21, 41, 61, 81]);
    assert.equal(r.latencyMs.runs, 5);
    assert.ok(r.latencyMs.min <= r.latencyMs.p50 && r.latencyMs.p50 <= r.latencyMs.p90);
    assert.equal(r.provider, 'cpu');
  });
});

test('auto provider falls back one provider at a time and says why', async () => {
  await withRuntimeHost(async (rt) => {
    const loaded = await rt.load(linear, { provider: 'auto' });
    if (loaded.provider === 'cpu') {
      // No GPU provider worked here: each one tried must be named with its reason.
      assert.ok(loaded.fallbackReason, 'a CPU fallback must say why');
      assert.match(loaded.fallbackReason!, /webgpu: \S/);
      if (process.platform === 'linux') assert.match(loaded.fallbackReason!, /cuda: \S/);
      assert.deepEqual(loaded.attempts.map((a) => a.provider), process.platform === 'linux' ? ['cuda', 'webgpu'] : loaded.attempts.map((a) => a.provider));
    }
    const r = await rt.run([x([1, 2, 3, 4])]);
    assert.deepEqual(Array.from(r.outputs[0].data as Float32Array), [3, 5, 7, 9]);
    // A forced provider either runs or fails with a 'provider' error naming it; never a silent CPU run.
    try {
      const forced = await rt.load(linear, { provider: 'webgpu' });
      assert.equal(forced.provider, 'webgpu');
    } catch (e) {
      assert.ok(e instanceof RuntimeError);
      assert.equal(e.code, 'provider');
      assert.match(e.message, /webgpu/);
    }
  });
});

test('a cancelled run stops, and the host runs again afterwards', async () => {
  const slow = writeModel(dir, 'slow.onnx', slowModel());
  await withRuntimeHost(async (rt) => {
    await rt.load(slow, { provider: 'cpu' });
    const input: RuntimeTensor = { name: 'x', dtype: 'float32', shape: [384, 384], data: new Float32Array(384 * 384).fill(0.01) };
    const ac = new AbortController();
    const started = rt.run([input], { runs: 100000, signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    await assert.rejects(started, (e: unknown) => e instanceof RuntimeError && e.code === 'cancelled');
    const again = await rt.run([input], { runs: 1 });
    assert.deepEqual(again.outputs[0].shape, [384, 384]);
    // An already-aborted signal never starts.
    await assert.rejects(rt.run([input], { signal: AbortSignal.abort() }), (e: unknown) => e instanceof RuntimeError && e.code === 'cancelled');
  });
});

test('a crash of the runtime process rejects clearly; the host lives on with a new process', async () => {
  const slow = writeModel(dir, 'slow2.onnx', slowModel());
  await withRuntimeHost(async (rt) => {
    await rt.load(slow, { provider: 'cpu' });
    const firstPid = rt.pid!;
    const input: RuntimeTensor = { name: 'x', dtype: 'float32', shape: [384, 384], data: new Float32Array(384 * 384).fill(0.01) };
    const running = rt.run([input], { runs: 100000 });
    setTimeout(() => process.kill(firstPid, 'SIGKILL'), 300);
    await assert.rejects(running, (e: unknown) => e instanceof RuntimeError && e.code === 'crashed' && /killed by SIGKILL/.test(e.message));
    // The next call starts a new process and reloads the model by itself.
    const r = await rt.run([input], { runs: 1 });
    assert.deepEqual(r.outputs[0].shape, [384, 384]);
    assert.notEqual(rt.pid, firstPid);
    // A new load in the new process works too.
    await rt.load(linear, { provider: 'cpu' });
    const y = await rt.run([x([0, 0, 0, 0])]);
    assert.deepEqual(Array.from(y.outputs[0].data as Float32Array), [1, 1, 1, 1]);
  });
});

test('a run that outgrows the memory limit is stopped with a clear error', async () => {
  const big = writeModel(dir, 'big.onnx', bigOutputModel());
  await withRuntimeHost(async (rt) => {
    await rt.load(big, { provider: 'cpu' });
    await assert.rejects(
      rt.run([{ name: 'x', dtype: 'float32', shape: [1, 16], data: new Float32Array(16) }], { runs: 20 }),
      (e: unknown) => e instanceof RuntimeError && e.code === 'memory' && /over the 200 MB limit/.test(e.message),
    );
  }, { memoryLimitMb: 200 });
});

test('a timeout stops a run', async () => {
  const slow = writeModel(dir, 'slow3.onnx', slowModel());
  await withRuntimeHost(async (rt) => {
    await rt.load(slow, { provider: 'cpu' });
    const input: RuntimeTensor = { name: 'x', dtype: 'float32', shape: [384, 384], data: new Float32Array(384 * 384) };
    await assert.rejects(rt.run([input], { runs: 100000, timeoutMs: 300 }), (e: unknown) => e instanceof RuntimeError && e.code === 'timeout');
  });
});

test('bad model files and bad inputs are ModelErrors naming the file', async () => {
  await withRuntimeHost(async (rt) => {
    const missing = path.join(dir, 'nope.onnx');
    await assert.rejects(rt.load(missing), (e: unknown) => e instanceof ModelError && e.code === 'not-found' && e.message.startsWith(missing));
    const junk = writeModel(dir, 'junk.onnx', new TextEncoder().encode('this is not a model'));
    await assert.rejects(rt.load(junk, { provider: 'cpu' }), (e: unknown) => e instanceof ModelError && e.message.startsWith(junk));
    await rt.load(linear, { provider: 'cpu' });
    await assert.rejects(rt.run([{ name: 'nope', dtype: 'float32', shape: [1], data: new Float32Array(1) }]), (e: unknown) => e instanceof ModelError && /no input named 'nope'/.test(e.message));
    await assert.rejects(rt.run([{ name: 'x', dtype: 'float32', shape: [1, 5, 1], data: new Float32Array(5) }]), (e: unknown) => e instanceof ModelError && e.message.startsWith(linear) && /input 'x' must have 2 dims \(rank 2\), got 3/.test(e.message));
  });
});

test('every runtime dtype crosses the process boundary intact', async () => {
  const file = writeModel(dir, 'dtypes.onnx', dtypesModel());
  await withRuntimeHost(async (rt) => {
    const loaded = await rt.load(file, { provider: 'cpu' });
    assert.deepEqual(loaded.inputs.map((i) => [i.name, i.dtype]), [['ids', 'int64'], ['mask', 'bool'], ['half', 'float16'], ['text', 'string'], ['bytes', 'uint8'], ['count', 'int32'], ['wide', 'float64']]);
    const inputs: RuntimeTensor[] = [
      { name: 'ids', dtype: 'int64', shape: [1, 3], data: BigInt64Array.from([1n, -2n, 9007199254740993n]) },
      { name: 'mask', dtype: 'bool', shape: [1, 3], data: Uint8Array.from([1, 0, 1]) },
      { name: 'half', dtype: 'float16', shape: [2, 3], data: Uint16Array.from([0x3c00, 0xc000, 0x3800, 0, 0x7c00, 0x7e00]) },
      { name: 'text', dtype: 'string', shape: [2], data: ['héllo', ''] },
      { name: 'bytes', dtype: 'uint8', shape: [1, 3, 1, 1], data: Uint8Array.from([0, 128, 255]) },
      { name: 'count', dtype: 'int32', shape: [1, 1, 2], data: Int32Array.from([-7, 2147483647]) },
      { name: 'wide', dtype: 'float64', shape: [], data: Float64Array.from([Math.PI]) },
    ];
    const r = await rt.run(inputs);
    for (const inp of inputs) {
      const out = r.outputs.find((o) => o.name === `${inp.name}_out`)!;
      assert.equal(out.dtype, inp.dtype, inp.name);
      assert.deepEqual(out.shape, inp.shape, inp.name);
      assert.deepEqual(Array.from(out.data as ArrayLike<unknown>), Array.from(inp.data as ArrayLike<unknown>), inp.name);
      assert.ok(allClose(out, inp), inp.name);
    }
  });
});

test('activation capture returns what the truncated graph computes', async () => {
  await withRuntimeHost(async (rt) => {
    const cases: { name: string; spec: ReturnType<typeof mlpSpec>; input: RuntimeTensor }[] = [
      { name: 'mlp', spec: mlpSpec(), input: { name: 'x', dtype: 'float32', shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => Math.cos(i) * 2) } },
      { name: 'convnet', spec: convNetSpec(), input: { name: 'x', dtype: 'float32', shape: [1, 1, 8, 8], data: Float32Array.from({ length: 64 }, (_, i) => Math.sin(i)) } },
    ];
    for (const { name, spec, input } of cases) {
      const full = writeModel(dir, `${name}.onnx`, encodeModel(spec));
      await rt.load(full, { provider: 'cpu' });
      const nodeOutputs = spec.graph.nodes.map((n) => n.outputs[0]);
      assert.deepEqual((await rt.valueNames()).nodeOutputs, nodeOutputs);
      const plain = await rt.run([input]);
      const two = await rt.run([input], { captureValues: [nodeOutputs[2], nodeOutputs[0]] });
      assert.deepEqual(two.captured.map((t) => t.name), [nodeOutputs[0], nodeOutputs[2]], 'captured values come in graph order');
      assert.deepEqual(Array.from(two.outputs[0].data as Float32Array), Array.from(plain.outputs[0].data as Float32Array), 'capturing does not change the outputs');
      const all = await rt.run([input], { captureValues: ['*'] });
      assert.deepEqual(all.captured.map((t) => t.name), nodeOutputs);
      // Reference: the graph cut after node k, run on its own.
      for (let k = 1; k < nodeOutputs.length; k++) {
        await rt.load(writeModel(dir, `${name}-${k}.onnx`, truncatedModel(spec, k)), { provider: 'cpu' });
        const ref = (await rt.run([input])).outputs[0];
        const got = all.captured.find((t) => t.name === ref.name)!;
        assert.deepEqual(got.shape, ref.shape, `${name} ${ref.name}`);
        assert.deepEqual(Array.from(got.data as Float32Array), Array.from(ref.data as Float32Array), `${name} ${ref.name}`);
      }
      await rt.load(full, { provider: 'cpu' });
      const weight = spec.graph.initializers![0].name!;
      await assert.rejects(rt.run([input], { captureValues: [weight] }), (e: unknown) => e instanceof ModelError && e.message.includes(`cannot capture '${weight}'`));
    }
  });
});

test('capture works for a model whose weights are in an external data file', async () => {
  const extDir = path.join(dir, 'external');
  const file = writeFixtureSet(extDir, 'linear.onnx', buildExternalDataModel());
  await withRuntimeHost(async (rt) => {
    await rt.load(file, { provider: 'cpu' });
    const r = await rt.run([x([1, 2, 3])], { captureValues: ['*'] });
    assert.deepEqual(Array.from(r.outputs[0].data as Float32Array), [3, 5, 7]);
    assert.deepEqual(r.captured.map((t) => [t.name, Array.from(t.data as Float32Array)]), [['xw', [2, 4, 6]], ['y', [3, 5, 7]]]);
  });
});

test('capturing many values (gathered in-graph) gives the same tensors as capturing them one by one', async () => {
  const file = writeModel(dir, 'mixed.onnx', mixedChainModel());
  await withRuntimeHost(async (rt) => {
    await rt.load(file, { provider: 'cpu' });
    const names = (await rt.valueNames()).nodeOutputs;
    assert.equal(names.length, 24);
    for (const batch of [3, 1]) {
      const input: RuntimeTensor = { name: 'x', dtype: 'float32', shape: [batch, 6], data: Float32Array.from({ length: batch * 6 }, (_, i) => Math.sin(i) * 3) };
      const all = await rt.run([input], { captureValues: ['*'], runs: 3 });
      assert.deepEqual(all.captured.map((t) => t.name), names);
      const byName = new Map(all.captured.map((t) => [t.name, t]));
      assert.deepEqual([byName.get('shape')!.dtype, Array.from(byName.get('shape')!.data as BigInt64Array)], ['int64', [BigInt(batch), 6n]]);
      assert.deepEqual([byName.get('n')!.dtype, byName.get('n')!.shape], ['int64', []]);
      assert.deepEqual([byName.get('big')!.dtype, byName.get('h16')!.dtype], ['bool', 'float16']);
      assert.deepEqual(all.outputs.map((t) => t.name), ['y', 'n']);
      for (let i = 0; i < names.length; i += 5) {
        const few = await rt.run([input], { captureValues: names.slice(i, i + 5) }); // below the gathering threshold
        for (const t of few.captured) {
          const got = byName.get(t.name)!;
          assert.deepEqual([got.dtype, got.shape], [t.dtype, t.shape], t.name);
          assert.deepEqual(Array.from(got.data as ArrayLike<unknown>), Array.from(t.data as ArrayLike<unknown>), t.name);
        }
      }
    }
  });
});
