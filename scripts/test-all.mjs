// `npm test`: builds, then runs every test surface in one node:test run so the last line is one
// summary. Surfaces: unit (core), ui (webview in headless Chromium), e2e and exthost (real VS Code
// via code-server), conformance (../shared/models, skipped when absent), gpu (ONNX Runtime's WebGPU
// provider on a Vulkan device: hardware, else Chromium's SwiftShader).
// `node scripts/test-all.mjs [unit|ui|e2e|conformance ...]` runs only those surfaces.
// On a fresh clone it first sets up what the chosen surfaces need (scripts/ensure-setup.mjs).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium, ensureCodeServer, ensureDependencies } from './ensure-setup.mjs';

const surfaces = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wanted = surfaces.length ? surfaces : ['unit', 'ui', 'conformance', 'gpu', 'e2e'];

ensureDependencies();
if (wanted.some((s) => ['ui', 'e2e', 'gpu'].includes(s))) ensureChromium();
if (wanted.includes('e2e')) ensureCodeServer();

// A fresh dist-test/ so a deleted test cannot linger as a stale bundle; the build is `npm run build`'s.
rmSync('dist-test', { recursive: true, force: true });
const build = [['esbuild.mjs'], ['scripts/copy-assets.mjs']]
  .map((args) => spawnSync(process.execPath, args, { stdio: 'inherit' }))
  .find((r) => r.status !== 0) ?? { status: 0 };
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.test\.mjs$/.test(n) ? [p] : [];
  }).sort();
}
const list = wanted.flatMap((s) => files(join('dist-test', s)));
if (!list.length) {
  console.log('0 passed, 0 failed');
  process.exit(0);
}

// Surfaces that drive a browser or an editor share the machine's two cores badly: run files one at a time.
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...list], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
// The runner's own totals (`ℹ pass 12`) are read as they stream by: the list of failures it prints
// after them can be long, so they are not always near the end.
const totals = {};
let partial = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (partial + chunk.toString()).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    const m = /^ℹ (tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line.trim());
    if (m) totals[m[1]] = Number(m[2]);
  }
});
child.on('close', (code) => {
  const num = (k) => totals[k] ?? 0;
  const pass = num('pass');
  let fail = num('fail') + num('cancelled');
  const skip = num('skipped') + num('todo');
  if (code !== 0 && fail === 0) fail = 1;
  console.log(`${pass} passed, ${fail} failed, ${skip} skipped`);
  process.exit(code ?? 1);
});
