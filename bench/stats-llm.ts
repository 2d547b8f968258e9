// Benchmark (not a test) of the Parameters statistics on an LLM-shaped model: `npm run bench:stats-llm`.
// Generates, into a temp dir that is removed afterwards, a transformer of 24 blocks with float16
// weights in an external-data file (hidden 1024, ≈640 MB, ≈290 tensors; `--big` adds its 3 GB
// cousin, hidden 2304), then times open + statistics of every weight end to end with 0, 1 and 2
// workers, each run in its own process so that its peak RSS is its own. The baseline is a plain
// read of the same external-data file in 16 MB pieces in the same run (machines are shared).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openModel } from '../src/core/formats/index.js';
import { computeModelStats } from '../src/core/stats/stats-model.js';
import { encodeModel, type NodeSpec, type TensorSpec } from '../test/fixtures/onnx/writer.js';

const MB = 1 << 20;
const here = fileURLToPath(new URL('.', import.meta.url));
const workerPath = join(here, '../../dist/stats-worker.js');

if (process.argv[2] === '--child') {
  // One timed run: open + statistics; prints wall, cpu and peak RSS as JSON.
  const [file, workers] = [process.argv[3], Number(process.argv[4])];
  const c = process.cpuUsage(), t = performance.now();
  const model = await openModel(file);
  const stats = await computeModelStats(model, { workers, workerPath });
  const wall = performance.now() - t, u = process.cpuUsage(c);
  await model.close();
  console.log(JSON.stringify({
    wall, cpu: (u.user + u.system) / 1000, maxRss: process.resourceUsage().maxRSS * 1024,
    tensors: stats.tensors.length, skipped: stats.skipped.length, flags: stats.flags.length,
  }));
  process.exit(0);
}

/** float32 → float16 bits, round to nearest even (normal range; the generated values stay in it). */
const f = new Float32Array(1), u = new Uint32Array(f.buffer);
function toHalf(x: number): number {
  f[0] = x;
  const b = u[0], sign = (b >>> 16) & 0x8000, e = ((b >>> 23) & 0xff) - 112;
  if (e <= 0) return sign;
  const m = b & 0x7fffff, r = (e << 10 | (m >>> 13)) + ((m >>> 12) & 1 && (m & 0x2fff) ? 1 : 0);
  return sign | Math.min(r, 0x7bff);
}

// 8M float16 normals (σ = 1) as a pool; each tensor takes a slice at its own offset, scaled per tensor.
const POOL = 8 * MB;
const pool = new Float32Array(POOL);
let seed = 7;
const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
for (let i = 0; i < POOL; i += 2) {
  const r = Math.sqrt(-2 * Math.log(rnd())), t = 2 * Math.PI * rnd();
  pool[i] = r * Math.cos(t); pool[i + 1] = r * Math.sin(t);
}

interface Made { file: string; dataBytes: number; tensors: number; dataFile: string }

function makeModel(dir: string, hidden: number, layers = 24, vocab = 16384): Made {
  const dataName = 'model.onnx.data';
  const dataFile = join(dir, dataName);
  const fd = openSync(dataFile, 'w');
  const inits: TensorSpec[] = [];
  const nodes: NodeSpec[] = [];
  let offset = 0, index = 0;
  const piece = new Uint16Array(4 * MB);
  const add = (name: string, dims: number[], std: number, mean = 0) => {
    const count = dims.reduce((a, b) => a * b, 1);
    let start = (index++ * 7_777_777) % POOL;
    for (let done = 0; done < count;) {
      const n = Math.min(piece.length, count - done);
      for (let i = 0; i < n; i++) { piece[i] = toHalf(mean + std * pool[start]); start = start + 1 === POOL ? 0 : start + 1; }
      writeSync(fd, new Uint8Array(piece.buffer, 0, 2 * n));
      done += n;
    }
    inits.push({ name, dtype: 'float16', dims, external: { location: dataName, offset, length: 2 * count } });
    offset += 2 * count;
  };
  const ffn = 4 * hidden;
  add('embed_tokens.weight', [vocab, hidden], 0.02);
  nodes.push({ op: 'Gather', name: 'embed', inputs: ['embed_tokens.weight', 'input_ids'], outputs: ['h0'] });
  let h = 'h0';
  for (let l = 0; l < layers; l++) {
    const p = `layers.${l}`;
    const step = (op: string, w: string, out: string) => { nodes.push({ op, name: `${p}.${out}`, inputs: [h, w], outputs: [`${p}.${out}`] }); h = `${p}.${out}`; };
    add(`${p}.input_layernorm.weight`, [hidden], 0.05, 1); step('Mul', `${p}.input_layernorm.weight`, 'ln1');
    add(`${p}.input_layernorm.bias`, [hidden], 0.01); step('Add', `${p}.input_layernorm.bias`, 'ln1b');
    for (const m of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) { add(`${p}.self_attn.${m}.weight`, [hidden, hidden], 0.02); step('MatMul', `${p}.self_attn.${m}.weight`, m); }
    add(`${p}.post_attention_layernorm.weight`, [hidden], 0.05, 1); step('Mul', `${p}.post_attention_layernorm.weight`, 'ln2');
    add(`${p}.post_attention_layernorm.bias`, [hidden], 0.01); step('Add', `${p}.post_attention_layernorm.bias`, 'ln2b');
    add(`${p}.mlp.up_proj.weight`, [hidden, ffn], 0.02); step('MatMul', `${p}.mlp.up_proj.weight`, 'up');
    add(`${p}.mlp.up_proj.bias`, [ffn], 0.01); step('Add', `${p}.mlp.up_proj.bias`, 'upb');
    add(`${p}.mlp.down_proj.weight`, [ffn, hidden], 0.01); step('MatMul', `${p}.mlp.down_proj.weight`, 'down');
    add(`${p}.mlp.down_proj.bias`, [hidden], 0.01); step('Add', `${p}.mlp.down_proj.bias`, 'downb');
  }
  add('norm.weight', [hidden], 0.05, 1);
  nodes.push({ op: 'Mul', name: 'norm', inputs: [h, 'norm.weight'], outputs: ['logits'] });
  closeSync(fd);
  const file = join(dir, 'model.onnx');
  writeFileSync(file, encodeModel({
    producerName: 'model-lens-bench', opsets: [{ domain: '', version: 17 }],
    graph: {
      name: 'llm', nodes, initializers: inits,
      inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', 'seq'] }],
      outputs: [{ name: 'logits', dtype: 'float16', shape: ['batch', 'seq', hidden] }],
    },
  }));
  return { file, dataBytes: offset, tensors: inits.length, dataFile };
}

/** Plain read of a file in 16 MB pieces: the baseline. */
function plainRead(file: string, bytes: number): { wall: number; cpu: number } {
  const buf = new Uint8Array(16 * MB);
  const fd = openSync(file, 'r');
  const c = process.cpuUsage(), t = performance.now();
  for (let pos = 0; pos < bytes;) pos += readSync(fd, buf, 0, Math.min(buf.length, bytes - pos), pos) || bytes;
  const wall = performance.now() - t, u = process.cpuUsage(c);
  closeSync(fd);
  return { wall, cpu: (u.user + u.system) / 1000 };
}

// --base DIR: also time the engine of another checkout (e.g. main) in the same run; DIR/bench/out/stats-llm.mjs
// must exist (copy this file to DIR/bench/ and run `node bench/run-ts.mjs stats-llm --build` there once).
const baseDir = process.argv.includes('--base') ? process.argv[process.argv.indexOf('--base') + 1] : null;
if (process.argv.includes('--build')) process.exit(0);
const engines: [string, string][] = [['this', fileURLToPath(import.meta.url)]];
if (baseDir) engines.unshift(['base', join(baseDir, 'bench/out/stats-llm.mjs')]);

const sizes: [string, number][] = [['LLM-shaped, hidden 1024', 1024]];
if (process.argv.includes('--big')) sizes.push(['3 GB cousin, hidden 2304', 2304]);
const gbs = (bytes: number, ms: number) => (bytes / ms / 1e6).toFixed(2);
for (const [label, hidden] of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-stats-llm-'));
  try {
    const made = makeModel(dir, hidden);
    console.log(`\n${label}: ${made.tensors} float16 tensors, ${(made.dataBytes / MB).toFixed(0)} MB of external data`);
    plainRead(made.dataFile, made.dataBytes); // into the page cache, as for the runs
    const base = plainRead(made.dataFile, made.dataBytes);
    console.log(`  plain read of the data file: ${base.wall.toFixed(0)} ms wall = ${gbs(made.dataBytes, base.wall)} GB/s`);
    console.log('  engine  workers   wall ms   GB/s   plain read/stats   cpu ms   peak RSS MB   tensors');
    for (const workers of [0, 1, 2]) {
      for (const [name, script] of engines) {
        const r = spawnSync(process.execPath, [script, '--child', made.file, String(workers)], { encoding: 'utf8' });
        if (r.status !== 0) { console.log(`  ${name} ${workers}: failed: ${r.stderr.trim().split('\n').pop()}`); continue; }
        const o = JSON.parse(r.stdout.trim().split('\n').pop()!);
        console.log(`  ${name.padEnd(6)}  ${String(workers).padStart(7)}   ${o.wall.toFixed(0).padStart(7)}   ${gbs(made.dataBytes, o.wall).padStart(4)}   ${(base.wall / o.wall).toFixed(3).padStart(16)}   ${o.cpu.toFixed(0).padStart(6)}   ${(o.maxRss / MB).toFixed(0).padStart(11)}   ${o.tensors}${o.skipped ? ` (${o.skipped} skipped)` : ''}`);
      }
    }
  } finally {
    if (process.argv.includes('--keep')) console.log(`  kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
