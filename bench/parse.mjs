// `npm run bench:parse`: how fast the ONNX reader gets a model's structure, against plain
// fs.readFile of the same file in the same run (machines are shared and noisy: ratios travel,
// absolute numbers do not). Also shows a > 2 GB model opening through positioned reads.
//
// Models come from ../shared/bench/gen-onnx.mjs (transformer ≈ 10k nodes; chain 20k nodes with
// 200 MB of weights) and are written to a temporary folder that is removed at the end.
// Each measurement runs in a fresh child process so that RSS growth belongs to one open.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const REPS = Number(process.env.BENCH_REPS ?? 7);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// ---- child: one model, one process ----------------------------------------------------------
if (process.argv[2] === '--child') {
  const [, , , bundle, file] = process.argv;
  const lib = await import(pathToFileURL(bundle).href);
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const stats = { bytesRead: 0 };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const model = await lib.readOnnxModel(file, {}, stats);
  const firstMs = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  const peakGrowth = process.resourceUsage().maxRSS * 1024 - rss0;
  const nodes = lib.countNodes(model).total;
  const weights = lib.collectWeights(model).length;
  const openMs = [firstMs], cpuMs = [(c1.user + c1.system) / 1000];
  for (let i = 1; i < REPS; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await lib.readOnnxModel(file);
    openMs.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpuMs.push((d.user + d.system) / 1000);
  }
  const readMs = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await readFile(file);
    readMs.push(performance.now() - t);
  }
  console.log(JSON.stringify({
    nodes, weights, bytesRead: stats.bytesRead, size: statSync(file).size, peakGrowth, firstMs,
    openMs: median(openMs), cpuMs: median(cpuMs), readMs: median(readMs),
    bestOpenMs: Math.min(...openMs), bestReadMs: Math.min(...readMs),
  }));
  process.exit(0);
}

// ---- parent -------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'model-lens-bench-'));
const cleanup = () => rmSync(work, { recursive: true, force: true });
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

const bundle = join(work, 'onnx-bench-lib.mjs');
await esbuild.build({
  stdin: {
    contents: [
      "export { readOnnxModel } from './src/core/formats/onnx/index.ts';",
      "export { countNodes, collectWeights } from './src/core/ir/walk.ts';",
      "export { ProtoWriter } from './test/fixtures/onnx/writer.ts';",
    ].join('\n'),
    resolveDir: repoRoot, loader: 'ts', sourcefile: 'bench-entry.ts',
  },
  bundle: true, platform: 'node', format: 'esm', target: 'es2022', outfile: bundle, logLevel: 'warning',
});
const lib = await import(pathToFileURL(bundle).href);

const mb = (n) => (n / 1048576).toFixed(1);
const rows = [];
const gen = resolve(repoRoot, '../shared/bench/gen-onnx.mjs');
if (!existsSync(gen)) {
  console.log(`(skipped the generated models: ${gen} is absent)`);
} else {
  const models = [
    ['transformer ~10k nodes', ['transformer', '--layers', '333', '--hidden', '64'], 't10k.onnx'],
    ['chain 20k nodes, 200 MB', ['chain', '--nodes', '20000', '--mb', '200'], 'c20k.onnx'],
  ];
  for (const [label, args, name] of models) {
    const out = join(work, name);
    const g = spawnSync(process.execPath, [gen, ...args, '--out', out], { encoding: 'utf8' });
    if (g.status !== 0) throw new Error(`gen-onnx failed: ${g.stderr}`);
    const c = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', bundle, out], { encoding: 'utf8', env: { ...process.env, BENCH_REPS: String(REPS) } });
    if (c.status !== 0) throw new Error(`bench child failed: ${c.stderr}`);
    rows.push({ label, ...JSON.parse(c.stdout.trim().split('\n').pop()) });
    rmSync(out, { force: true });
  }
}

if (rows.length) {
  console.log(`\nONNX structure read (median of ${REPS} opens; readFile = fs.promises.readFile of the same file, same process)\n`);
  const head = ['model', 'file MB', 'nodes', 'open ms', 'best open ms', 'cpu ms', 'readFile ms', 'best readFile ms', 'open/readFile', 'nodes/s', 'peak RSS growth MB', 'growth/file', 'read from disk MB'];
  const table = rows.map((r) => [
    r.label, mb(r.size), String(r.nodes), r.openMs.toFixed(1), r.bestOpenMs.toFixed(1), r.cpuMs.toFixed(1), r.readMs.toFixed(1), r.bestReadMs.toFixed(1),
    (r.openMs / r.readMs).toFixed(2), String(Math.round(r.nodes / (r.openMs / 1000))), mb(r.peakGrowth),
    (r.peakGrowth / r.size).toFixed(3), mb(r.bytesRead),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const t of table) console.log(line(t));
  const chain = rows.find((r) => r.label.startsWith('chain'));
  if (chain) {
    console.log(`\ntargets (chain model): structure ≤ 150 ms: median ${chain.openMs.toFixed(1)} ms, best ${chain.bestOpenMs.toFixed(1)} ms; ` +
      `RSS growth ≤ 0.3× file: ${(chain.peakGrowth / chain.size).toFixed(3)}×; ≥ 300k nodes/s: median ${Math.round(chain.nodes / (chain.openMs / 1000))}, best ${Math.round(chain.nodes / (chain.bestOpenMs / 1000))}`);
    console.log('(wall times depend on the machine\'s load; open/readFile, measured alongside, is the comparable number)');
  }
}

// ---- files over 2 GB ------------------------------------------------------------------------
const { ProtoWriter } = lib;
const f32 = (xs) => new Uint8Array(Float32Array.from(xs).buffer);
const valueInfo = (name, dims) => new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1,
  new ProtoWriter().int(1, 1).message(2, dims.reduce((s, d) => s.message(1, new ProtoWriter().int(1, d)), new ProtoWriter()))));
const opset = new ProtoWriter().string(1, '').int(2, 17);
const addNode = (b) => new ProtoWriter().string(1, 'x').string(1, b).string(2, 'y').string(3, 'add').string(4, 'Add');
const expected = Array.from({ length: 16 }, (_, i) => i * 1.5 - 3);

function writeAt(fd, bytes, position) {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

async function checkFar(model, name, minOffset) {
  const t = lib.collectWeights(model).find((w) => w.name === name);
  const [range] = t.data.fileRanges();
  const bytes = await t.data.read();
  const got = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 16));
  const ok = range.offset > minOffset && got.every((v, i) => v === expected[i]);
  return { ok, offset: range.offset, got };
}

// (a) the .onnx file itself is 2.2 GB: a huge raw_data initializer (a sparse hole on disk), then a
// real tensor and the node after the 2 GB mark, so parsing must continue past 2^31.
{
  const file = join(work, 'huge-main.onnx');
  const R = 2_200_000_000;
  const tensorHead = new ProtoWriter().int(1, R / 4).int(2, 1).string(8, 'huge').key(9, 2).varint(R).finish();
  const graphTail = new ProtoWriter()
    .message(5, new ProtoWriter().int(1, 16).int(2, 1).string(8, 'far').bytes(9, f32(expected)))
    .message(1, addNode('far')).string(2, 'huge_graph').message(11, valueInfo('x', [16])).message(12, valueInfo('y', [16])).finish();
  const graphHead = new ProtoWriter().key(5, 2).varint(tensorHead.length + R).raw(tensorHead).finish();
  const graphLen = graphHead.length + R + graphTail.length;
  const head = new ProtoWriter().int(1, 8).string(2, 'bench').message(8, opset).key(7, 2).varint(graphLen).raw(graphHead).finish();
  const fd = openSync(file, 'w');
  try {
    writeAt(fd, head, 0);
    ftruncateSync(fd, head.length + R);
    writeAt(fd, graphTail, head.length + R);
  } finally {
    closeSync(fd);
  }
  const t0 = performance.now();
  const stats = { bytesRead: 0 };
  const m = await lib.readOnnxModel(file, {}, stats);
  const ms = performance.now() - t0;
  const far = await checkFar(m, 'far', 2 ** 31);
  const huge = lib.collectWeights(m).find((w) => w.name === 'huge');
  const tail = await huge.data.read(R - 8, 8);
  console.log(`\n> 2 GB model file: ${mb(statSync(file).size)} MB (sparse), opened in ${ms.toFixed(1)} ms reading ${(stats.bytesRead / 1024).toFixed(0)} KB; ` +
    `${m.graph.nodes.length} node after the 2 GB mark; tensor 'far' at byte ${far.offset} reads back ${far.ok ? 'correctly' : `WRONG ${far.got}`}; ` +
    `last 8 bytes of the 2.2 GB tensor read by position: [${Array.from(tail).join(',')}]`);
  rmSync(file, { force: true });
  if (!far.ok) process.exitCode = 1;
}

// (b) external data: a small .onnx whose tensor lives at byte 2.4e9 of a 2.5 GB side file.
{
  const data = join(work, 'big.data');
  const model = join(work, 'external.onnx');
  const OFFSET = 2_400_000_000;
  const fd = openSync(data, 'w');
  try {
    ftruncateSync(fd, 2_500_000_000);
    writeAt(fd, f32(expected), OFFSET);
  } finally {
    closeSync(fd);
  }
  const entry = (k, v) => new ProtoWriter().string(1, k).string(2, v);
  const tensor = new ProtoWriter().int(1, 16).int(2, 1).string(8, 'far_ext')
    .message(13, entry('location', 'big.data')).message(13, entry('offset', String(OFFSET))).message(13, entry('length', '64')).int(14, 1);
  const graph = new ProtoWriter().message(1, addNode('far_ext')).string(2, 'external').message(5, tensor)
    .message(11, valueInfo('x', [16])).message(12, valueInfo('y', [16]));
  const bytes = new ProtoWriter().int(1, 8).string(2, 'bench').message(7, graph).message(8, opset).finish();
  const mfd = openSync(model, 'w');
  writeAt(mfd, bytes, 0);
  closeSync(mfd);
  const t0 = performance.now();
  const m = await lib.readOnnxModel(model);
  const ms = performance.now() - t0;
  const far = await checkFar(m, 'far_ext', 2 ** 31);
  console.log(`> 2 GB external data: side file ${mb(statSync(data).size)} MB (sparse), model opened in ${ms.toFixed(1)} ms; ` +
    `tensor 'far_ext' at byte ${far.offset} of big.data reads back ${far.ok ? 'correctly' : `WRONG ${far.got}`}`);
  rmSync(data, { force: true });
  if (!far.ok) process.exitCode = 1;
}
cleanup();
