// Inference overhead benchmark (`npm run bench:run`). Ratios against baselines measured in the
// same run, because the machine is shared and noisy:
//   1. Model Lens run latency (timed inside the runtime process) ÷ a bare `session.run` in this
//      process, same model, input and provider. Target ≤ 1.05×.
//   2. IPC round trip of one run (request → outputs back in the caller), reported in ms.
//   3. Capturing all activations (`captureValues: ['*']`) ÷ a plain run. Target ≤ 2×.
//   4. The profiled run (ORT's profiler on, `profile: true`) ÷ a plain run, and what a whole
//      profile request costs (its own session, warm-up, trace written, read and mapped).
//   5. Capture on the optimized graph (capture-fused.ts): capture all ÷ plain for the old path
//      (source graph, every value an extra output), all tensors (optimized graph, every value
//      gathered whole: the overview before #14), the overview (captureAs 'summaries': every value
//      reduced in the graph to min/max/sum/sum of squares, capture-reduce.ts; target ≤ 1.5×) and
//      K = 5 values spread over the graph (target ≤ 1.1×), per session.run and per whole request
//      (IPC and summaries included), and what opening one value costs afterwards (K = 1, one request).
// Models: the 20-layer transformer from ../shared/bench/gen-onnx.mjs, the conv-net fixture, and
// real models from ../shared/models when present (magika, Ultraface RFB-320, SqueezeNet).
//   node bench/run.mjs [--runs N] [--provider cpu|webgpu|cuda|...] [--json] [--capture-only] [--model NAME]
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
const shared = path.resolve(root, '../shared/models');
for (const [name, rel] of [['magika standard v3.3', 'onnx/magika/standard_v3_3/model.onnx'], ['Ultraface RFB-320', 'onnx/ort-inference-examples/Ultraface_version-RFB-320.onnx'], ['SqueezeNet (light)', 'onnx-backend-tests/light/light_squeezenet.onnx']]) {
  if (existsSync(path.join(shared, rel))) models.push({ name, file: path.join(shared, rel), real: true });
}
const CAPTURE_ONLY = args.includes('--capture-only');
// --model <text>: only the models whose name contains it (quick checks).
if (opt('model')) models.splice(0, models.length, ...models.filter((m) => m.name.toLowerCase().includes(opt('model').toLowerCase())));

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
    if (CAPTURE_ONLY || m.real) { results.push(await captureBench(m, loaded, inputs, names)); continue; }
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
      ...(await captureBench(m, loaded, inputs, names)),
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

// Plain, old capture-all, new overview, K = 5 new: interleaved blocks, best block p50 each.
async function captureBench(m, loaded, inputs, names) {
  const all = names.nodeOutputs;
  const k5 = [0, 1, 2, 3, 4].map((i) => all[Math.min(all.length - 1, Math.floor(((i + 0.5) * all.length) / 5))]);
  const sides = {
    plain: {},
    oldAll: { captureValues: ['*'], captureGraph: 'source' },
    newAll: { captureValues: ['*'], fusedValues: 'report' },
    overview: { captureValues: ['*'], fusedValues: 'report', captureAs: 'summaries' },
    k5: { captureValues: k5 },
  };
  const p50 = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
  const trips = Object.fromEntries([...Object.keys(sides), 'newAllCompute', 'open1'].map((k) => [k, []]));
  let fused = null, tapped = 0, summarized = 0, whole = 0;
  for (const o of Object.values(sides)) await rt.run(inputs, { runs: 1, warmup: WARMUP, ...o });
  const blocks = Math.max(3, Math.round(RUNS / BLOCK));
  for (let r = 0; r < blocks; r++) {
    for (const [k, o] of Object.entries(sides)) {
      const res = await rt.run(inputs, { runs: BLOCK, ...o });
      p50[k].push(res.latencyMs.p50);
      if (k === 'newAll') { fused = res.fused ?? null; tapped = res.captured.length; }
      if (k === 'overview') { summarized = res.summaries.length; whole = res.summaries.filter((x) => x.from !== 'graph').length; }
    }
  }
  for (let i = 0; i < 15; i++) {
    // open1: what opening one value in the panel costs after the overview (its full tensor, K = 1).
    for (const [k, o] of [...Object.entries(sides), ['newAllCompute', { captureValues: ['*'] }], ['open1', { captureValues: [k5[2]] }]]) trips[k].push((await rt.run(inputs, { runs: 1, ...o })).roundTripMs);
  }
  const best = Object.fromEntries(Object.entries(p50).map(([k, xs]) => [k, Math.min(...xs)]));
  // Best of 15, like the best block above: on a shared machine the least disturbed request.
  const trip = Object.fromEntries(Object.entries(trips).map(([k, xs]) => [k, Math.min(...xs)]));
  return {
    model: m.name, provider: loaded.provider, nodes: all.length, tappedValues: tapped, summarizedValues: summarized, wholeInOverview: whole, fusedValues: fused ? fused.length : null, blockedValues: fused ? fused.filter((x) => x.blocked).length : null,
    capture: { p50Ms: best, overPlain: { oldAll: best.oldAll / best.plain, newAll: best.newAll / best.plain, overview: best.overview / best.plain, k5: best.k5 / best.plain },
      requestMs: trip, requestOverPlain: { oldAll: trip.oldAll / trip.plain, newAll: trip.newAll / trip.plain, overview: trip.overview / trip.plain, k5: trip.k5 / trip.plain, open1: trip.open1 / trip.plain } },
  };
}

const f = (x, d = 3) => x.toFixed(d);
function captureTable(rows) {
  console.log(`\ncapture, session.run inside the runtime process (best p50 of ${BLOCK}-run blocks, ms; ratio ÷ plain; targets: overview ≤ 1.5×, K=5 ≤ 1.1×)`);
  console.log('  overview = every value summarized in the graph (captureAs: summaries); all tensors = every value returned whole (the earlier overview)');
  console.log(['model', 'values (not tapped; summarized from the whole tensor in the overview)', 'plain', 'all old', 'all tensors', 'overview', 'K=5', 'old ×', 'tensors ×', 'overview ×', 'K=5 ×'].join(' | '));
  for (const r of rows) {
    const c = r.capture;
    console.log([r.model, `${r.nodes} (${r.fusedValues === null ? 'source graph' : `${r.fusedValues} fused, ${r.blockedValues} of them NCHWc`}; ${r.wholeInOverview} from whole tensors)`, f(c.p50Ms.plain), f(c.p50Ms.oldAll), f(c.p50Ms.newAll), f(c.p50Ms.overview), f(c.p50Ms.k5), f(c.overPlain.oldAll, 2), f(c.overPlain.newAll, 2), f(c.overPlain.overview, 2), f(c.overPlain.k5, 2)].join(' | '));
  }
  console.log('one whole request, wall ms (IPC, unpacking and summaries included; best of 15), and ÷ plain:');
  console.log('  model: plain | all old | all tensors | all tensors, fused computed | overview | K=5 | open one value (K=1)  ||  overview × | K=5 × | open ×');
  for (const r of rows) { const t = r.capture.requestMs, q = r.capture.requestOverPlain; console.log(`  ${r.model}: ${[t.plain, t.oldAll, t.newAll, t.newAllCompute, t.overview, t.k5, t.open1].map((x) => f(x, 1)).join(' | ')}  ||  ${[q.overview, q.k5, q.open1].map((x) => f(x, 2)).join(' | ')}`); }
}

if (args.includes('--json')) console.log(JSON.stringify(results, null, 1));
else if (CAPTURE_ONLY) captureTable(results);
else {
  for (const r of results.filter((x) => x.lensP50Ms !== undefined)) {
    console.log(`${r.model} on ${r.provider} (${r.nodes} node outputs; best p50 of ${BLOCK}-run blocks, ${r.runs} runs a side)`);
    console.log(`  bare session.run        ${f(r.bareP50Ms)} ms here, ${f(r.bareFreshProcessP50Ms)} ms in a fresh process`);
    console.log(`  Model Lens run (child)  ${f(r.lensP50Ms)} ms   ratio ${f(r.lensOverBare)}× of the faster bare  (target ≤ 1.05×) ${r.lensOverBare <= 1.05 ? 'ok' : 'OVER'}`);
    console.log(`  capture all activations ${f(r.captureP50Ms)} ms   ratio ${f(r.captureOverPlain)}×  (target ≤ 2×) ${r.captureOverPlain <= 2 ? 'ok' : 'OVER'}`);
    console.log(`  profiled run            ${f(r.profiledRunMs)} ms   ratio ${f(r.profileOverPlain)}× of a plain run  (a whole profile request: ${f(r.profileRequestP50Ms, 1)} ms)`);
    console.log(`  IPC round trip, 1 run   ${f(r.roundTripP50Ms)} ms plain, ${f(r.roundTripCaptureP50Ms)} ms with all activations`);
  }
  captureTable(results);
}
