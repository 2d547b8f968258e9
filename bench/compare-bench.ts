// The compare engine's speed claims (`npm run bench:compare`, bundled by bench/run-ts.mjs):
// structure alignment of two ~10k-node transformers (from ../shared/bench/gen-onnx.mjs), once with
// names intact and once with every node and intermediate value renamed (topology only), target
// ≤ 1 s; and weight comparison throughput over a large float32 set against a perturbed copy,
// target ≥ 1 GB/s (bytes of both sides per second), next to a plain one-array sum loop in the same
// run as the memory-bound baseline. Prints numbers and targets; never asserts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignModels, compareArrays } from '../src/core/compare/index.js';
import { compareModels } from '../src/core/compare/index.js';
import { openModel } from '../src/core/formats/index.js';
import type { Model } from '../src/core/ir/graph.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const gen = path.resolve(root, '../shared/bench/gen-onnx.mjs');
const outDir = path.join(root, 'bench/out');
mkdirSync(outDir, { recursive: true });
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => { const i = args.indexOf(`--${name}`); return i < 0 ? dflt : Number(args[i + 1]); };

const best = (runs: number, fn: () => void): number => {
  let t = Infinity;
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); fn(); t = Math.min(t, performance.now() - t0); }
  return t;
};

/** Renames every node and every value that is not a graph input, output or weight, in memory. */
function renameAll(m: Model): void {
  const keep = new Set([...m.graph.inputs, ...m.graph.outputs]);
  m.graph.nodes.forEach((n, i) => {
    n.name = `n${i}`;
    n.outputs.forEach((v, k) => { if (!keep.has(v) && !v.tensor) v.name = `v${i}_${k}`; });
  });
}

async function alignmentRows(): Promise<void> {
  if (!existsSync(gen)) { console.log('../shared/bench/gen-onnx.mjs is absent: alignment rows skipped'); return; }
  const layers = opt('layers', 333);
  const file = path.join(outDir, `compare-t${layers}.onnx`);
  if (!existsSync(file)) execFileSync(process.execPath, [gen, 'transformer', '--layers', String(layers), '--hidden', '64', '--out', file]);
  const t0 = performance.now();
  const a = await openModel(file);
  const parseMs = performance.now() - t0;
  const b = await openModel(file);
  const nodes = a.graph.nodes.length;
  console.log(`structure alignment, transformer of ${nodes} nodes against a copy (target ≤ 1000 ms; parse of one side ${parseMs.toFixed(0)} ms as the baseline):`);
  let al = alignModels(a, b);
  const byName = best(5, () => { al = alignModels(a, b); });
  console.log(`  names intact     ${byName.toFixed(0).padStart(6)} ms   ${al.aToB.size}/${nodes} matched   ${(byName / parseMs).toFixed(2)}× parse`);
  renameAll(b);
  const renamed = best(5, () => { al = alignModels(a, b); });
  // B is A's file with names replaced by n<index>: a right pair has the same index on both sides.
  const index = new Map(a.graph.nodes.map((n, i) => [n, i]));
  const right = [...al.aToB].filter(([na, nb]) => nb.name === `n${index.get(na)}`).length;
  console.log(`  all renamed      ${renamed.toFixed(0).padStart(6)} ms   ${al.aToB.size}/${nodes} matched, ${right} of them the right partner   ${(renamed / parseMs).toFixed(2)}× parse`);
  const t1 = performance.now();
  const report = await compareModels(a, b);
  console.log(`  full report (renamed; alignment + ${report.weightSummary.compared} weights read and compared) ${(performance.now() - t1).toFixed(0)} ms`);
  await a.close(); await b.close();
}

function throughputRows(): void {
  const tensors = opt('tensors', 16), elements = opt('elements', 1 << 22);
  const a: Float32Array[] = [], b: Float32Array[] = [];
  let seed = 1;
  const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296 - 0.5; };
  for (let t = 0; t < tensors; t++) {
    const x = new Float32Array(elements), y = new Float32Array(elements);
    for (let i = 0; i < elements; i++) { x[i] = rand(); y[i] = x[i] * (1 + 1e-3 * rand()); }
    a.push(x); b.push(y);
  }
  const bytes = 2 * tensors * elements * 4;
  let sink = 0;
  const baseline = best(3, () => { for (const x of a) { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]; sink += s; } });
  const compare = best(3, () => { for (let t = 0; t < tensors; t++) sink += compareArrays(a[t], b[t]).sqnrDb; });
  const gbs = (ms: number, n: number) => n / (ms / 1000) / 1e9;
  console.log(`weight comparison, ${tensors} float32 tensors × ${elements} elements against a perturbed copy (${(bytes / 2 ** 20).toFixed(0)} MiB both sides; target ≥ 1 GB/s):`);
  console.log(`  compareArrays    ${compare.toFixed(0).padStart(6)} ms   ${gbs(compare, bytes).toFixed(2)} GB/s (max abs, max rel, cosine, SQNR in one pass)`);
  console.log(`  baseline: sum of A alone ${baseline.toFixed(0)} ms   ${gbs(baseline, bytes / 2).toFixed(2)} GB/s   compare at ${(gbs(compare, bytes) / gbs(baseline, bytes / 2)).toFixed(2)}× the baseline's rate`);
  if (sink === 42) console.log('');
}

await alignmentRows();
throughputRows();
