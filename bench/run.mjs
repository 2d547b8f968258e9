// Inference overhead benchmark (`npm run bench:run`). Ratios against baselines measured in the
// same run, because the machine is shared and noisy:
//   1. Model Lens run latency (timed inside the runtime process) ÷ a bare `session.run` in this
//      process, same model, input and provider. Target ≤ 1.05×.
//   2. IPC round trip of one run (request → outputs back in the caller), reported in ms.
//   3. Capturing all activations (`captureValues: ['*']`) ÷ a plain run. Target ≤ 2×.
//   4. The profiled run (ORT's profiler on, `profile: true`) ÷ a plain run, and what a whole
//      profile request costs (its own session, warm-up, trace written, read and mapped).
// Models: the 20-layer transformer from ../shared/bench/gen-onnx.mjs and the conv-net fixture.
//   node bench/run.mjs [--runs N] [--provider cpu|webgpu|cuda|...] [--json]
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i < 0 ? dflt : args[i + 1]; };
const RUNS = Number(opt('runs', 400));
const PROVIDER = opt('provider', 'cpu');
const ROUNDS = 3;
const WARMUP = 20;

const work = mkdtempSync(path.join(tmpdir(), 'model-lens-bench-run-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// The runtime API and the fixture writer are TypeScript: bundle them once for this script.
const lib = path.join(work, 'lib.mjs');
await esbuild.build({
  stdin: {
    contents: "export * from './src/core/runtime/index.ts'; export { buildConvNetModel } from './test/fixtures/onnx/models.ts';",
    resolveDir: root, loader: 'ts',
  },
  // Everything bundled but onnxruntime-node (native; only the runtime process loads it).
  bundle: true, platform: 'node', format: 'esm', external: ['onnxruntime-node'], outfile: lib, logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const rtlib = await import(pathToFileURL(lib).href);
const ort = createRequire(path.join(root, 'package.json'))('onnxruntime-node');
const processPath = path.join(root, 'dist', 'runtime-process.js');
if (!existsSync(processPath)) { console.error('dist/runtime-process.js is missing: run `node esbuild.mjs` first'); process.exit(1); }

const models = [];
const gen = path.resolve(root, '../shared/bench/gen-onnx.mjs');
if (existsSync(gen)) {
  const file = path.join(work, 'transformer-20.onnx');
  execFileSync(process.execPath, [gen, 'transformer', '--layers', '20', '--hidden', '64', '--out', file], { stdio: 'ignore' });
  models.push({ name: 'transformer 20 layers, hidden 64', file });
} else {
  console.log(`(${gen} is absent: transformer skipped)`);
}
const conv = path.join(work, 'convnet.onnx');
writeFileSync(conv, rtlib.buildConvNetModel());
models.push({ name: 'conv net fixture', file: conv });

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// The same bare loop in a fresh plain Node process (no IPC channel, nothing else loaded): the
// caller's own event loop can slow `await session.run` wake-ups, which flatters our ratio.
const bareScript = path.join(work, 'bare.mjs');
writeFileSync(bareScript, `
import { createRequire } from 'node:module';
const ort = createRequire(${JSON.stringify(path.join(root, 'package.json'))})('onnxruntime-node');
const lib = await import(${JSON.stringify(pathToFileURL(lib).href)});
const [file, provider, runs, warmup] = process.argv.slice(2);
const s = await ort.InferenceSession.create(file, { executionProviders: [provider], logSeverityLevel: 3 });
const infos = s.inputMetadata.map((m) => ({ name: m.name, dtype: m.type, shape: m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' ? d : null)), isTensor: true }));
const feeds = Object.fromEntries(lib.buildGeneratedInputs(infos, { kind: 'random', seed: 1 }).map((t) => [t.name, new ort.Tensor(t.dtype, t.data, t.shape)]));
for (let i = 0; i < Number(warmup); i++) await s.run(feeds);
const t = [];
for (let i = 0; i < Number(runs); i++) { const t0 = performance.now(); await s.run(feeds); t.push(performance.now() - t0); }
t.sort((a, b) => a - b);
console.log(JSON.stringify(t[t.length >> 1]));
`);
const bareFreshP50 = (file) => Number(execFileSync(process.execPath, [bareScript, file, PROVIDER, String(BLOCK), String(WARMUP)], { encoding: 'utf8' }).trim());

const BLOCK = 20;
const blockP50 = async (run) => { const t = []; for (let i = 0; i < BLOCK; i++) { const t0 = performance.now(); await run(); t.push(performance.now() - t0); } return median(t); };

const results = [];
const rt = await rtlib.RuntimeHost.start({ processPath });
try {
  for (const m of models) {
    const loaded = await rt.load(m.file, { provider: PROVIDER });
    const inputs = rtlib.buildGeneratedInputs(loaded.inputs, { kind: 'random', seed: 1 });
    const feedsOf = () => Object.fromEntries(inputs.map((t) => [t.name, new ort.Tensor(t.dtype, t.data, t.shape)]));
    const names = await rt.valueNames();
    // Short blocks, interleaved, many times; each side keeps its best block p50. On a shared,
    // overloaded machine the best block is the one least disturbed by others.
    const session = await ort.InferenceSession.create(m.file, { executionProviders: [PROVIDER], logSeverityLevel: 3 });
    const feeds = feedsOf();
    for (let i = 0; i < WARMUP; i++) await session.run(feeds);
    await rt.run(inputs, { runs: 1, warmup: WARMUP });
    await rt.run(inputs, { runs: 1, warmup: WARMUP, captureValues: ['*'] });
    const bare = [], lens = [], cap = [], fresh = [];
    for (let r = 0; r < Math.max(3, Math.round(RUNS / BLOCK)); r++) {
      bare.push(await blockP50(() => session.run(feeds)));
      lens.push((await rt.run(inputs, { runs: BLOCK })).latencyMs.p50);
      cap.push((await rt.run(inputs, { runs: BLOCK, captureValues: ['*'] })).latencyMs.p50);
    }
    await session.release();
    for (let r = 0; r < ROUNDS; r++) fresh.push(bareFreshP50(m.file));
    const best = (xs) => Math.min(...xs);
    // Round trips of single runs: request, run, outputs back over IPC.
    const trips = [], tripsCap = [];
    for (let i = 0; i < 30; i++) {
      trips.push((await rt.run(inputs, { runs: 1 })).roundTripMs);
      tripsCap.push((await rt.run(inputs, { runs: 1, captureValues: ['*'] })).roundTripMs);
    }
    // Profile: the profiled run's own time (in its profiling session) against the plain run.
    const prof = [], profTrips = [];
    for (let i = 0; i < 5; i++) {
      const r = await rt.run(inputs, { runs: 1, warmup: 2, profile: true });
      prof.push(r.trace.wallMs);
      profTrips.push(r.roundTripMs);
    }
    results.push({
      model: m.name, provider: loaded.provider, nodes: names.nodeOutputs.length, runs: RUNS,
      bareP50Ms: best(bare), bareFreshProcessP50Ms: best(fresh), lensP50Ms: best(lens), captureP50Ms: best(cap),
      // Against the faster of the two bare baselines: the conservative ratio.
      lensOverBare: best(lens) / Math.min(best(bare), best(fresh)), captureOverPlain: best(cap) / best(lens),
      roundTripP50Ms: median(trips), roundTripCaptureP50Ms: median(tripsCap),
      profiledRunMs: best(prof), profileOverPlain: best(prof) / best(lens), profileRequestP50Ms: median(profTrips),
    });
  }
} finally {
  await rt.dispose();
}

if (args.includes('--json')) console.log(JSON.stringify(results, null, 1));
else {
  const f = (x, d = 3) => x.toFixed(d);
  for (const r of results) {
    console.log(`${r.model} on ${r.provider} (${r.nodes} node outputs; best p50 of ${BLOCK}-run blocks, ${r.runs} runs a side)`);
    console.log(`  bare session.run        ${f(r.bareP50Ms)} ms here, ${f(r.bareFreshProcessP50Ms)} ms in a fresh process`);
    console.log(`  Model Lens run (child)  ${f(r.lensP50Ms)} ms   ratio ${f(r.lensOverBare)}× of the faster bare  (target ≤ 1.05×) ${r.lensOverBare <= 1.05 ? 'ok' : 'OVER'}`);
    console.log(`  capture all activations ${f(r.captureP50Ms)} ms   ratio ${f(r.captureOverPlain)}×  (target ≤ 2×) ${r.captureOverPlain <= 2 ? 'ok' : 'OVER'}`);
    console.log(`  profiled run            ${f(r.profiledRunMs)} ms   ratio ${f(r.profileOverPlain)}× of a plain run  (a whole profile request: ${f(r.profileRequestP50Ms, 1)} ms)`);
    console.log(`  IPC round trip, 1 run   ${f(r.roundTripP50Ms)} ms plain, ${f(r.roundTripCaptureP50Ms)} ms with all activations`);
  }
}
