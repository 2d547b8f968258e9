// gpu surface: ONNX Runtime's WebGPU provider (the one onnxruntime-node bundles) on a Vulkan device —
// hardware when the machine has one, else SwiftShader from Debian's Chromium — on fixtures and real
// models, each output equal to the CPU provider's on the same inputs. Fails when WebGPU did not run:
// a forced provider never falls back silently, and the result must name webgpu.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { RuntimeHost, attributeProfile, placementOf, profileGraph, type RuntimeTensor } from '../../src/core/runtime/index.js';
import { openModel } from '../../src/core/formats/index.js';
import { compareOutputs } from '../../src/core/runtime/compare.js';
import { buildGeneratedInputs } from '../../src/core/runtime/inputs.js';
import { buildConvNetModel, buildFallbackModel, buildIfModel, buildMlpModel, buildReshapeInputModel, writeFixture } from '../fixtures/onnx/index.js';
import { gpuDevice } from '../support/gpu.js';
import { repoRoot, sharedDir, tempDir } from '../support/paths.js';

const device = gpuDevice();
// CI installs Chromium, so SwiftShader is there: a missing device is a failure there, a skip elsewhere.
if (typeof device === 'string' && process.env.CI) throw new Error(device);
const skip = typeof device === 'string' ? device : false;
if (typeof device !== 'string') Object.assign(process.env, device.env);

const processPath = path.join(repoRoot, 'dist', 'runtime-process.js');
const dir = tempDir('gpu');
after(() => rmSync(dir, { recursive: true, force: true }));

/** Outputs may differ by float rounding in another kernel order, nothing more. */
const COSINE_MIN = 0.9999;
const REL_TO_RANGE_MAX = 1e-3;

const real = [
  'onnx/ort-inference-examples/mnist.onnx',
  'onnx/magika/fast_v2_1/model.onnx',
  'onnx/ort-extensions-tests/FastestDet.onnx',
  'onnx-backend-tests/light/light_shufflenet.onnx',
  'onnx/ort-inference-examples/Ultraface_version-RFB-320.onnx',
];

const rows: string[] = [];
after(() => {
  if (!rows.length) return;
  console.log(`\nWebGPU vs CPU on ${typeof device === 'string' ? '-' : device.label}\n| model | outputs | nodes on WebGPU / CPU | max abs diff | max rel diff to range | min cosine | WebGPU ms | CPU ms |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}`);
});

interface GpuRun { outputs: RuntimeTensor[]; inputs: RuntimeTensor[]; provider: string; ms: number; firstRunMs?: number; placement?: { node: string; op: string; provider: string }[] }

// The first run on WebGPU (kernel compilation) is the backend's own untimed phase: no warm-up needed.
async function runOn(file: string, provider: 'webgpu' | 'cpu', inputs?: RuntimeTensor[], profile = false): Promise<GpuRun> {
  const host = await RuntimeHost.start({ processPath });
  try {
    const loaded = await host.load(file, { provider });
    const feed = inputs ?? buildGeneratedInputs(loaded.inputs, { kind: 'random', seed: 7 }, {}, file);
    const r = await host.run(feed, { runs: 1, profile });
    const placement = r.trace ? placementOf(attributeProfile(r.trace, profileGraph((await openModel(file)).graph), r.latencyMs.p50)) : undefined;
    return { outputs: r.outputs, inputs: feed, provider: r.provider, ms: r.latencyMs.p50, firstRunMs: r.firstRunMs, placement };
  } finally {
    await host.dispose();
  }
}

/** Checks WebGPU's outputs against the CPU's; with `profile`, also where each node ran (returned). */
async function checkAgainstCpu(name: string, file: string, profile = false): Promise<GpuRun['placement']> {
  const gpu = await runOn(file, 'webgpu', undefined, profile);
  assert.equal(gpu.provider, 'webgpu', `${name} ran on ${gpu.provider}`);
  assert.ok((gpu.firstRunMs ?? 0) > 0, `${name}: the first (compiling) run is reported apart`);
  const cpu = await runOn(file, 'cpu', gpu.inputs);
  const diffs = compareOutputs(gpu.outputs, cpu.outputs);
  assert.equal(diffs.length, cpu.outputs.length, `${name}: every output compared`);
  let worstAbs = 0, worstRel = 0, minCos = 1;
  for (const d of diffs) {
    const ref = cpu.outputs.find((t) => t.name === d.name)!;
    const values = Array.from(ref.data as ArrayLike<number | bigint>, Number);
    const range = Math.max(1e-6, ...values.map(Math.abs));
    assert.ok(d.shapeMatches && d.mismatched === 0, `${name}/${d.name}: shape or NaN mismatch`);
    assert.ok(d.cosine >= COSINE_MIN, `${name}/${d.name}: cosine ${d.cosine}`);
    assert.ok(d.maxAbsDiff / range <= REL_TO_RANGE_MAX, `${name}/${d.name}: max abs diff ${d.maxAbsDiff} against a range of ${range}`);
    worstAbs = Math.max(worstAbs, d.maxAbsDiff); worstRel = Math.max(worstRel, d.maxAbsDiff / range); minCos = Math.min(minCos, d.cosine);
  }
  const placed = gpu.placement ? `${gpu.placement.filter((p) => p.provider === 'webgpu').length} / ${gpu.placement.filter((p) => p.provider === 'cpu').length}` : '-';
  rows.push(`| ${name} | ${diffs.length} | ${placed} | ${worstAbs.toExponential(2)} | ${worstRel.toExponential(2)} | ${minCos.toFixed(6)} | ${gpu.ms.toFixed(1)} | ${cpu.ms.toFixed(1)} |`);
  return gpu.placement;
}

test('fixtures: MLP, conv net, an If model and a model with a CPU-only op give the CPU\'s outputs on WebGPU; placement says where each node ran', { skip }, async () => {
  const mlp = await checkAgainstCpu('mlp (fixture)', writeFixture(dir, 'mlp.onnx', buildMlpModel()), true);
  assert.ok(mlp?.length && mlp.every((p) => p.provider === 'webgpu'), `every MLP node on WebGPU: ${JSON.stringify(mlp)}`);
  await checkAgainstCpu('convnet (fixture)', writeFixture(dir, 'convnet.onnx', buildConvNetModel()), true);
  await checkAgainstCpu('if (fixture)', writeFixture(dir, 'if.onnx', buildIfModel()), true);
  // WebGPU has no Det kernel: ONNX Runtime places it on the CPU beside the WebGPU Relu, and the result still matches.
  const placed = await checkAgainstCpu('relu → det (fixture)', writeFixture(dir, 'det.onnx', buildFallbackModel()), true);
  assert.deepEqual(placed, [{ node: 'relu', op: 'Relu', provider: 'webgpu' }, { node: 'det', op: 'Det', provider: 'cpu' }]);
});

const magika = path.join(sharedDir, 'models', 'onnx/magika/fast_v2_1/model.onnx');
test('auto passes over WebGPU on a software adapter that is slower than the CPU, and says why', { skip: skip || (!existsSync(magika) && `${magika} is absent`) }, async () => {
  const host = await RuntimeHost.start({ processPath });
  try {
    const loaded = await host.load(magika, { provider: 'auto' });
    assert.equal(loaded.provider, 'webgpu', 'auto tries WebGPU first here (no CUDA)');
    const feed = buildGeneratedInputs(loaded.inputs, { kind: 'random', seed: 7 }, {}, magika);
    const r = await host.run(feed, { runs: 1 });
    assert.ok(r.auto, 'the run reports what auto decided');
    rows.push(`| magika, --provider auto | | ${r.auto.reason} | | | | ${r.auto.gpuMs.toFixed(1)} | ${r.auto.cpuMs.toFixed(1)} |`);
    assert.equal(r.provider, 'cpu', r.auto.reason);
    assert.match(r.auto.reason, /^CPU chosen: \S+ m?s against \S+ m?s on WebGPU/);
    const again = await host.run(feed, { runs: 1 });
    assert.equal(again.provider, 'cpu', 'the choice holds for the session');
    assert.equal(again.firstRunMs, undefined, 'no second compile');
  } finally {
    await host.dispose();
  }
});

for (const rel of real) {
  const file = path.join(sharedDir, 'models', rel);
  test(`${rel}: WebGPU outputs equal the CPU's`, { skip: skip || (!existsSync(file) && `${file} is absent`) }, async () => {
    await checkAgainstCpu(path.basename(rel === 'onnx/magika/fast_v2_1/model.onnx' ? 'magika-fast_v2_1.onnx' : rel), file, true);
  });
}

test('a provider that throws mid-run ends that run naming the provider and the node; the next run works on the CPU', { skip }, async () => {
  const file = writeFixture(dir, 'reshape.onnx', buildReshapeInputModel());
  const host = await RuntimeHost.start({ processPath });
  try {
    assert.equal((await host.load(file, { provider: 'webgpu' })).provider, 'webgpu');
    const x: RuntimeTensor = { name: 'x', dtype: 'float32', shape: [4], data: new Float32Array([1, -2, 3, -4]) };
    const shape = (dims: number[]): RuntimeTensor => ({ name: 's', dtype: 'int64', shape: [2], data: new BigInt64Array(dims.map(BigInt)) });
    await assert.rejects(host.run([x, shape([3, 3])], { runs: 1 }), /WebGPU failed during the run at node 'reshape': .*cannot be reshaped.*; the next run uses the CPU/);
    const next = await host.run([x, shape([2, 2])], { runs: 1 });
    assert.equal(next.provider, 'cpu');
    assert.deepEqual([...(next.outputs[0].data as Float32Array)], [1, 0, 3, 0]);
  } finally {
    await host.dispose();
  }
});

const fastestDet = path.join(sharedDir, 'models', 'onnx/ort-extensions-tests/FastestDet.onnx');
test('Cancel during the first run (compiling GPU kernels) stops it there, and the next run starts a new process', { skip: skip || (!existsSync(fastestDet) && `${fastestDet} is absent`) }, async () => {
  const host = await RuntimeHost.start({ processPath });
  try {
    const loaded = await host.load(fastestDet, { provider: 'webgpu' });
    const feed = buildGeneratedInputs(loaded.inputs, { kind: 'random', seed: 7 }, {}, fastestDet);
    const phases: (string | null)[] = [];
    const ctl = new AbortController();
    const run = host.run(feed, { runs: 1, signal: ctl.signal, onPhase: (p) => { phases.push(p); if (p === 'compiling') setTimeout(() => ctl.abort(), 200); } });
    await assert.rejects(run, /cancelled while compiling GPU kernels/);
    // The compile never finished: the phase was entered and never left.
    assert.deepEqual(phases, ['compiling']);
    const again = await host.run(feed, { runs: 1 });
    assert.equal(again.provider, 'webgpu');
  } finally {
    await host.dispose();
  }
});
