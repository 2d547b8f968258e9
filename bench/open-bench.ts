// Opening a model in the real editor (run through bench/open.mjs): code-server with the packaged
// .vsix, a .png opened first (the editor's one-time webview start-up, paid by any webview), then
// Quick Open on each model, timed until the graph is painted (#graph[data-state=painted]). Beside it,
// Netron 9.2.1 on the same files in the same run (../shared/baselines/netron/time.mjs), and the
// phases the extension wrote to its output channel for each open, and VS Code's own image preview
// timed the same way (the floor any webview editor pays). `--reps N` keeps the fastest of N opens.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { openModel } from '../src/core/formats/index.js';
import { summarizeModel } from '../src/core/model-summary.js';
import { ensureCodeServer } from '../test/support/code-server.js';
import { startEditor } from '../test/support/editor.js';
import { repoRoot, tempDir } from '../test/support/paths.js';
import { packageVsix } from '../test/support/vsix.js';
import { closeAllEditors, quickOpen } from '../test/support/workbench.js';

const args = process.argv.slice(2);
const maxModels = Number(args[args.indexOf('--models') + 1]) || 12;
/** `--reps N`: each open (ours and Netron's) N times, the fastest kept — the machines are noisy. */
const reps = args.includes('--reps') ? Math.max(1, Number(args[args.indexOf('--reps') + 1]) || 1) : 1;
const minNodes = 300;
const shared = path.resolve(repoRoot, '../shared');
const netronTimer = path.join(shared, 'baselines/netron/time.mjs');
const gen = path.join(shared, 'bench/gen-onnx.mjs');

function onnxFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? onnxFiles(p) : e.name.endsWith('.onnx') ? [p] : [];
  });
}

async function nodeCount(file: string): Promise<number> {
  try {
    const model = await openModel(file);
    try { return summarizeModel(model).nodes; } finally { await model.close(); }
  } catch { return -1; }
}

/** Real models of 300+ nodes (single-file ONNX: they are copied into the workspace), largest first, one per name. */
async function realModels(): Promise<{ file: string; nodes: number }[]> {
  const seen = new Set<string>();
  const out: { file: string; nodes: number }[] = [];
  for (const file of onnxFiles(path.join(shared, 'models'))) {
    const name = path.basename(file);
    if (seen.has(name) || statSync(file).size > 200 * 2 ** 20) continue;
    const nodes = await nodeCount(file);
    if (nodes >= minNodes) { seen.add(name); out.push({ file, nodes }); }
  }
  return out.sort((a, b) => b.nodes - a.nodes).slice(0, maxModels);
}

/** Polls every frame until one shows a loaded image (VS Code's image preview); ms from `t0`. */
async function timeImageShown(page: Page, t0: number, timeoutMs = 60_000): Promise<number> {
  while (Date.now() - t0 < timeoutMs) {
    for (const f of page.frames()) {
      const done = await f.evaluate(() => [...document.images].some((i) => i.complete && i.naturalWidth > 0)).catch(() => false);
      if (done) return Date.now() - t0;
    }
    await page.waitForTimeout(10);
  }
  throw new Error(`no image preview after ${timeoutMs} ms`);
}

/** Polls every frame until one shows `name` with its graph painted; ms from `t0`. */
async function timePainted(page: Page, name: string, t0: number, timeoutMs = 120_000): Promise<number> {
  while (Date.now() - t0 < timeoutMs) {
    for (const f of page.frames()) {
      const done = await f.evaluate((n) => document.querySelector('.model-header h1.file-name')?.textContent === n
        && document.getElementById('graph')?.dataset.state === 'painted', name).catch(() => false);
      if (done) return Date.now() - t0;
    }
    await page.waitForTimeout(10);
  }
  throw new Error(`${name}: no painted graph after ${timeoutMs} ms`);
}

function phaseLines(userDataDir: string): string[] {
  const logs: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('Model Lens.log')) logs.push(...readFileSync(p, 'utf8').split('\n').filter((l) => l.includes('] Opened ')));
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return logs.map((l) => l.replace(/^.*?\] Opened /, 'Opened '));
}

function netron(files: string[]): Map<string, number | string> {
  const out = new Map<string, number | string>();
  if (!existsSync(netronTimer)) return out;
  const text = execFileSync(process.execPath, [netronTimer, ...Array.from({ length: reps }, () => files).flat()], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, timeout: 30 * 60_000 });
  for (const line of text.split('\n').filter((l) => l.startsWith('{'))) {
    const r = JSON.parse(line) as { file: string; ms: number; status: string };
    const name = path.basename(r.file), had = out.get(name);
    if (r.status !== 'ok') { if (had === undefined) out.set(name, r.status); continue; }
    out.set(name, typeof had === 'number' ? Math.min(had, r.ms) : r.ms);
  }
  return out;
}

async function main(): Promise<void> {
  const cs = ensureCodeServer();
  if (typeof cs === 'string') { console.log(`bench:open skipped: ${cs}`); return; }
  const folder = path.join(tempDir('bench-open'), 'models');
  mkdirSync(folder, { recursive: true });
  const models = await realModels();
  const files = models.map((m) => { const to = path.join(folder, path.basename(m.file)); copyFileSync(m.file, to); return { ...m, file: to }; });
  if (existsSync(gen)) {
    const to = path.join(folder, 'transformer-10k.onnx');
    execFileSync(process.execPath, [gen, 'transformer', '--layers', '333', '--hidden', '64', '--out', to], { stdio: 'ignore' });
    files.push({ file: to, nodes: await nodeCount(to) });
  }
  if (!files.length) { console.log('bench:open: no models (../shared/models and ../shared/bench are absent)'); return; }
  const png = new PNG({ width: 64, height: 64 });
  writeFileSync(path.join(folder, 'warm-up.png'), PNG.sync.write(png));

  const editor = await startEditor(cs, { folder, vsix: packageVsix() });
  const ours = new Map<string, number>();
  let floor = Infinity;
  try {
    // The one-time webview start-up of the editor: any webview (VS Code's image preview too) pays it.
    await quickOpen(editor.page, 'warm-up.png');
    await editor.page.waitForTimeout(3000);
    await closeAllEditors(editor.page);
    // The floor: VS Code's own image preview, a webview editor too, from the pick to the image shown.
    for (let i = 0; i < Math.max(2, reps); i++) {
      await quickOpen(editor.page, 'warm-up.png');
      floor = Math.min(floor, await timeImageShown(editor.page, Date.now()));
      await closeAllEditors(editor.page);
      await editor.page.waitForTimeout(500);
    }
    for (let rep = 0; rep < reps; rep++) {
      for (const m of files) {
        const name = path.basename(m.file);
        // From the pick (Quick Open's Enter), as Netron's figure starts from the file chosen in its dialog.
        await quickOpen(editor.page, name);
        const t0 = Date.now();
        const ms = await timePainted(editor.page, name, t0);
        ours.set(name, Math.min(ours.get(name) ?? Infinity, ms));
        await closeAllEditors(editor.page);
        await editor.page.waitForTimeout(500);
      }
    }
  } finally {
    await editor.stop();
  }
  const phases = phaseLines(editor.profile.userDataDir);
  const theirs = netron(files.map((f) => f.file));

  console.log(`\nQuick Open → graph painted in code-server, Netron 9.2.1 on the same files in the same run${reps > 1 ? ` (fastest of ${reps} each)` : ''}`);
  console.log(`VS Code's image preview of a 64×64 .png (the floor of any webview editor here): ${floor} ms\n`);
  console.log('| model | nodes | Model Lens | Netron | ratio |');
  console.log('| --- | --- | --- | --- | --- |');
  const ratios: number[] = [];
  for (const m of files) {
    const name = path.basename(m.file);
    const a = ours.get(name)!;
    const b = theirs.get(name);
    const ratio = typeof b === 'number' ? a / b : null;
    if (ratio !== null) ratios.push(ratio);
    console.log(`| ${name} | ${m.nodes} | ${a} ms | ${typeof b === 'number' ? `${Math.round(b)} ms` : b ?? 'not run'} | ${ratio !== null ? `${ratio.toFixed(2)}×` : '–'} |`);
  }
  if (ratios.length) {
    const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
    console.log(`\ngeometric mean ratio ${geo.toFixed(2)}× over ${ratios.length} models; worst ${Math.max(...ratios).toFixed(2)}×`);
  }
  console.log('\nPhases the extension reported (output channel "Model Lens"):');
  for (const l of phases) console.log(`  ${l}`);
}

await main();
