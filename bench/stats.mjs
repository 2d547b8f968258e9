// Benchmark of the weight statistics engine (not a test). `npm run bench:stats`.
// Prints throughput of full stats + histograms (both passes) over 200 MB and 1 GB of float32 and
// float16 weights read from a temp file, each as a ratio to a memcpy of the same bytes measured in
// the same run; the same from memory (compute only); one 32 MB tensor; and a 1 GB model's weights
// through the worker pool on 2 cores. Wall and CPU time are both given: machines are shared.
import * as esbuild from 'esbuild';
import { mkdtempSync, openSync, writeSync, closeSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'bench-stats-'));
const MB = 1 << 20;
const quick = process.argv.includes('--quick'); // 200 MB only, for a smoke run
const kernelsOnly = process.argv.includes('--kernels'); // the per-dtype kernel table only
// --base DIR: also run the engine of another checkout (e.g. main) in the kernel table, interleaved in the same run.
const baseDir = process.argv.includes('--base') ? resolve(process.argv[process.argv.indexOf('--base') + 1]) : null;

try {
  // Bundle the engine (ESM) next to the temp files.
  const entry = join(work, 'engine.mjs');
  await esbuild.build({
    stdin: {
      contents: `export * from './src/core/stats/stats.ts'; export { FileRangesData, MemoryData } from './src/core/io/tensor-data.ts';`,
      resolveDir: root, loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'esm', outfile: entry, logLevel: 'warning',
  });
  const engine = await import(pathToFileURL(entry).href);
  let baseEngine = null;
  if (baseDir) {
    const baseEntry = join(work, 'base-engine.mjs');
    await esbuild.build({
      stdin: { contents: `export * from './src/core/stats/stats.ts';`, resolveDir: baseDir, loader: 'ts' },
      bundle: true, platform: 'node', format: 'esm', outfile: baseEntry, logLevel: 'warning',
    });
    baseEngine = await import(pathToFileURL(baseEntry).href);
  }
  const workerPath = join(root, 'dist/stats-worker.js');
  if (!existsSync(workerPath)) throw new Error('dist/stats-worker.js is missing: run `node esbuild.mjs` first');
  console.log(`kernel: ${engine.wasmKernelAvailable() ? 'wasm (SIMD)' : 'js'}; ${quick ? 'quick run' : 'full run'}`);

  // Deterministic normal-ish values, one 16 MB pattern rescaled per chunk.
  const CHUNK = 16 * MB;
  const base = new Float32Array(CHUNK / 4);
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  for (let i = 0; i < base.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(rnd())), t = 2 * Math.PI * rnd();
    base[i] = 0.02 * r * Math.cos(t);
    base[i + 1] = 0.02 * r * Math.sin(t);
  }
  const hf = new Float32Array(1), hu = new Uint32Array(hf.buffer);
  const toHalf = (x) => { // float32 → float16 bits (truncating; fine for benchmark data)
    hf[0] = x;
    const u = hu[0];
    const sign = (u >>> 16) & 0x8000, e = ((u >>> 23) & 0xff) - 127 + 15;
    if (e <= 0) return sign; if (e >= 31) return sign | 0x7c00;
    return sign | (e << 10) | ((u >>> 13) & 0x3ff);
  };
  function writeFile(name, dtype, bytes) {
    const file = join(work, name);
    const fd = openSync(file, 'w');
    const chunk32 = new Float32Array(base.length);
    const chunk16 = new Uint16Array(base.length);
    for (let off = 0, i = 0; off < bytes; i++) {
      const scale = 1 + (i % 13) * 0.05;
      for (let k = 0; k < base.length; k++) chunk32[k] = base[k] * scale;
      let out;
      if (dtype === 'float32') out = new Uint8Array(chunk32.buffer);
      else { for (let k = 0; k < base.length; k++) chunk16[k] = toHalf(chunk32[k]); out = new Uint8Array(chunk16.buffer); }
      writeSync(fd, out, 0, Math.min(out.length, bytes - off));
      off += out.length;
    }
    closeSync(fd);
    return file;
  }

  const cpuMs = (c) => { const u = process.cpuUsage(c); return (u.user + u.system) / 1000; };
  async function timed(fn) {
    const c = process.cpuUsage(), t = performance.now();
    const r = await fn();
    return { wall: performance.now() - t, cpu: cpuMs(c), r };
  }
  // memcpy of `bytes` bytes in 16 MB pieces between resident buffers (the baseline).
  const src = new Uint8Array(CHUNK).fill(1), dst = new Uint8Array(CHUNK);
  dst.set(src);
  function memcpy(bytes) {
    const c = process.cpuUsage(), t = performance.now();
    for (let off = 0; off < bytes; off += CHUNK) dst.set(off + CHUNK <= bytes ? src : src.subarray(0, bytes - off));
    return { wall: performance.now() - t, cpu: cpuMs(c) };
  }
  const gbs = (bytes, ms) => (bytes / ms / 1e6).toFixed(2);
  const meta = (name, dtype, bytes) => {
    const count = bytes / (dtype === 'float32' ? 4 : 2);
    return { name, dtype, shape: [count], elementCount: count, byteLength: bytes, file: name };
  };

  // Kernel, one core: a 64 MB 2-D tensor [rows, 4096] of each dtype from memory (compute only),
  // both passes, as a ratio to a memcpy of the same bytes in the same run.
  {
    const KB = 64 * MB;
    const n32 = new Float32Array(KB / 4);
    for (let i = 0; i < n32.length; i += base.length) n32.set(base.subarray(0, Math.min(base.length, n32.length - i)), i);
    const bytesOf = {
      float32: () => new Uint8Array(n32.buffer),
      float16: () => { const o = new Uint16Array(KB / 2); for (let i = 0; i < o.length; i++) o[i] = toHalf(n32[i & (n32.length - 1)]); return new Uint8Array(o.buffer); },
      bfloat16: () => { const u = new Uint32Array(n32.buffer), o = new Uint16Array(KB / 2); for (let i = 0; i < o.length; i++) o[i] = u[i & (u.length - 1)] >>> 16; return new Uint8Array(o.buffer); },
      int8: () => { const o = new Int8Array(KB); for (let i = 0; i < o.length; i++) o[i] = Math.max(-128, Math.min(127, Math.round(n32[i & (n32.length - 1)] * 2000))); return new Uint8Array(o.buffer); },
      uint8: () => { const o = new Uint8Array(KB); for (let i = 0; i < o.length; i++) o[i] = 128 + Math.max(-128, Math.min(127, Math.round(n32[i & (n32.length - 1)] * 2000))); return o; },
      int4: () => { const o = new Uint8Array(KB); const q = (x) => Math.max(-8, Math.min(7, Math.round(x * 150))) & 15;
        for (let i = 0; i < o.length; i++) o[i] = q(n32[(2 * i) & (n32.length - 1)]) | (q(n32[(2 * i + 1) & (n32.length - 1)]) << 4); return o; },
    };
    const perByte = { float32: 0.25, float16: 0.5, bfloat16: 0.5, int8: 1, uint8: 1, int4: 2 };
    console.log('\nkernel, one core: 64 MB 2-D tensor [rows, 4096] from memory, both passes (best of 3):');
    console.log(`  dtype     ${baseEngine ? ' base GB/s (wall / cpu)  ' : ''} stats GB/s (wall / cpu)   memcpy GB/s (wall / cpu)   stats/memcpy (cpu)${baseEngine ? '   stats/base (cpu)' : ''}`);
    const cell = (L, t) => `${gbs(L, t.wall).padStart(6)} / ${gbs(L, Math.max(t.cpu, 0.5)).padEnd(15)}`;
    for (const [dtype, make] of Object.entries(bytesOf)) {
      const bytes = make();
      const count = bytes.length * perByte[dtype];
      const m = { name: dtype, dtype, shape: [count / 4096, 4096], elementCount: count, byteLength: bytes.length, file: dtype };
      const data = { byteLength: bytes.length, read: async (pos, len) => bytes.subarray(pos, pos + len) };
      await engine.statsOfData({ ...m, shape: [count], name: 'warm' }, data);
      if (baseEngine) await baseEngine.statsOfData({ ...m, shape: [count], name: 'warm' }, data);
      const best = { wall: Infinity, cpu: Infinity }, bestMc = { wall: Infinity, cpu: Infinity }, bestBase = { wall: Infinity, cpu: Infinity };
      for (let i = 0; i < 3; i++) {
        const mc = memcpy(bytes.length), st = await timed(() => engine.statsOfData(m, data));
        const bs = baseEngine ? await timed(() => baseEngine.statsOfData(m, data)) : { wall: Infinity, cpu: Infinity };
        for (const k of ['wall', 'cpu']) { bestMc[k] = Math.min(bestMc[k], mc[k]); best[k] = Math.min(best[k], st[k]); bestBase[k] = Math.min(bestBase[k], bs[k]); }
      }
      const L = bytes.length;
      console.log(`  ${dtype.padEnd(10)}${baseEngine ? cell(L, bestBase) : ''}${cell(L, best)} ${cell(L, bestMc)}    ${(bestMc.cpu / best.cpu).toFixed(3)}${baseEngine ? `              ${(bestBase.cpu / best.cpu).toFixed(2)}×` : ''}`);
    }
  }
  if (kernelsOnly) { rmSync(work, { recursive: true, force: true }); process.exit(0); }

  const sizes = quick ? [200 * MB] : [200 * MB, 1024 * MB];
  const rows = [];
  const files = {};
  for (const dtype of ['float32', 'float16']) {
    const biggest = sizes[sizes.length - 1];
    files[dtype] = writeFile(`${dtype}.bin`, dtype, biggest);
    for (const bytes of sizes) {
      const data = new engine.FileRangesData([{ path: files[dtype], offset: 0, length: bytes }]);
      await engine.statsOfData(meta('warm', dtype, 16 * MB), new engine.FileRangesData([{ path: files[dtype], offset: 0, length: 16 * MB }]));
      const mc = memcpy(bytes);
      const st = await timed(() => engine.statsOfData(meta(dtype, dtype, bytes), data));
      rows.push({ what: `${dtype} ${bytes / MB} MB from file`, bytes, st, mc });
      // Compute only: the bytes come from memory (subarrays of a resident 16 MB buffer) instead of the file.
      const resident = new Uint8Array(CHUNK);
      const fromFile = await data.read(0, CHUNK);
      resident.set(fromFile);
      const memSource = { byteLength: bytes, read: async (pos, len) => resident.subarray(pos % CHUNK, (pos % CHUNK) + len) };
      const mc2 = memcpy(bytes);
      const st2 = await timed(() => engine.statsOfData(meta(dtype, dtype, bytes), memSource));
      rows.push({ what: `${dtype} ${bytes / MB} MB from memory`, bytes, st: st2, mc: mc2 });
    }
  }
  console.log('\nfull stats + 256-bin and log histograms + percentiles, one thread:');
  console.log('  case                          stats GB/s (wall / cpu)   memcpy GB/s (wall / cpu)   stats/memcpy (cpu)');
  for (const { what, bytes, st, mc } of rows) {
    console.log(`  ${what.padEnd(30)} ${gbs(bytes, st.wall).padStart(6)} / ${gbs(bytes, st.cpu).padEnd(14)} ${gbs(bytes, mc.wall).padStart(6)} / ${gbs(bytes, mc.cpu).padEnd(16)} ${(mc.cpu / st.cpu).toFixed(3)}`);
  }

  // One 32 MB float32 tensor in memory.
  const t32 = new Float32Array(8 * MB);
  for (let i = 0; i < t32.length; i += base.length) t32.set(base.subarray(0, Math.min(base.length, t32.length - i)), i);
  const tensor = { name: 't32', dtype: 'float32', shape: [8 * MB], elementCount: 8 * MB, byteLength: 32 * MB, role: 'initializer', location: 'memory', data: new engine.MemoryData(new Uint8Array(t32.buffer)) };
  await engine.computeTensorStats(tensor);
  const one = [];
  for (let i = 0; i < 3; i++) one.push(await timed(() => engine.computeTensorStats(tensor)));
  one.sort((a, b) => a.wall - b.wall);
  const jsOne = await timed(() => engine.computeTensorStats(tensor, { kernel: 'js' }));
  console.log(`\none 32 MB float32 tensor (stats + histograms), best of 3: ${one[0].wall.toFixed(1)} ms wall, ${one[0].cpu.toFixed(1)} ms cpu` +
    ` (JS kernel: ${jsOne.wall.toFixed(1)} ms wall, ${jsOne.cpu.toFixed(1)} ms cpu)`);

  // A model of file-backed weights (the 1 GB float32 file cut into tensors of 4 to 64 MB).
  const modelBytes = sizes[sizes.length - 1];
  const weights = [];
  for (let off = 0, i = 0; off < modelBytes; i++) {
    const len = Math.min(modelBytes - off, [4, 16, 64, 8, 32][i % 5] * MB);
    const count = len / 4;
    weights.push({ name: `layers.${i}.weight`, dtype: 'float32', shape: [count / 256, 256], elementCount: count, byteLength: len, role: 'initializer',
      location: `float32.bin @ ${off}`, data: new engine.FileRangesData([{ path: files.float32, offset: off, length: len }]) });
    off += len;
  }
  const model = {
    format: 'onnx', path: files.float32, files: [files.float32], opsets: [], metadata: {}, functions: [], properties: {},
    graph: { name: 'bench', nodes: [], inputs: [], outputs: [], values: new Map(), weights }, close: async () => {},
  };
  console.log(`\nmodel of ${weights.length} weights, ${(modelBytes / MB).toFixed(0)} MB:`);
  const mcModel = memcpy(modelBytes);
  for (const workers of [0, 1, 2]) {
    const r = await timed(() => engine.computeModelStats(model, { workers, workerPath }));
    console.log(`  ${workers ? `${workers} worker${workers > 1 ? 's' : ''}` : 'in-thread'}: ${r.wall.toFixed(0)} ms wall = ${gbs(modelBytes, r.wall)} GB/s` +
      ` (cpu ${r.cpu.toFixed(0)} ms; memcpy of the same bytes ${mcModel.wall.toFixed(0)} ms wall); ${r.r.flags.length} flags`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
