// `npm run demo`: from a fresh clone to Model Lens open in a real VS Code on sample models.
//   1. npm ci when node_modules is missing or stale (scripts/ensure-setup.mjs);
//   2. build and package the .vsix (npm run package);
//   3. write the demo workspace (scripts/make-demo-workspace.mjs);
//   4. `code` on PATH: install the .vsix and open the folder in desktop VS Code;
//      otherwise: code-server (scripts/setup-code-server.sh, offline) serving VS Code on
//      http://127.0.0.1:PORT until Ctrl+C, opened with xdg-open when there is a display.
// Flags: --smoke (alias --no-open): start code-server, check headless that the page loads and a
//        model opens, then exit 0;  --code-server: use code-server even when `code` exists;
//        --port N (or PORT=N): the port code-server listens on (default 8080, or a free one).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './ensure-setup.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke') || args.includes('--no-open');
const forceCodeServer = args.includes('--code-server') || smoke;
const portArg = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : Number(process.env.PORT ?? 0);
const cacheRoot = process.env.MODEL_LENS_CACHE ?? path.join(homedir(), '.cache', 'model-lens');
const t0 = Date.now();
const step = (what) => console.log(`\n[demo ${((Date.now() - t0) / 1000).toFixed(0)}s] ${what}`);
const run = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { cwd: repo, stdio: 'inherit', ...opts });
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

step('checking dependencies (npm ci when node_modules is missing or stale)');
ensureDependencies();

step('building and packaging the extension (npm run package)');
run('npm', ['run', 'package']);
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
const vsix = path.join(repo, `${pkg.name}-${process.platform}-${process.arch}-${pkg.version}.vsix`);
if (!existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);

step('writing the demo workspace');
const { loadDemoSupport, defaultDemoFolder } = await import('./make-demo-workspace.mjs');
const support = await loadDemoSupport();
const folder = defaultDemoFolder();
const files = support.makeDemoWorkspace(folder);
console.log(`${folder}: ${files.map((f) => path.relative(folder, f)).join(', ')}`);

if (has('code') && !forceCodeServer) {
  step('installing into VS Code and opening the workspace');
  run('code', ['--install-extension', vsix, '--force']);
  run('code', [folder]);
  console.log(`\nOpened ${folder} in VS Code. Open mlp.onnx to see Model Lens.`);
  process.exit(0);
}

step('setting up code-server (a real VS Code served to the browser; cached after the first run)');
const setup = execFileSync('bash', [path.join(repo, 'scripts', 'setup-code-server.sh')], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const csBin = path.join(setup.trim().split('\n').pop(), 'bin', 'code-server');
const profile = path.join(cacheRoot, 'demo-profile');
const userData = path.join(profile, 'user-data');
const extensions = path.join(profile, 'extensions');
mkdirSync(path.join(userData, 'User'), { recursive: true });
mkdirSync(extensions, { recursive: true });
// First run only: a calm start (no welcome page, no empty chat side bar); the user's later choices stay.
const settingsFile = path.join(userData, 'User', 'settings.json');
if (!existsSync(settingsFile)) {
  writeFileSync(settingsFile, JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
  }, null, 2));
}
run(csBin, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix, '--force']);

const port = await choosePort(portArg || 8080, !!portArg);
const server = spawn(csBin, [
  '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust', '--disable-getting-started-override', ...(smoke ? ['--ignore-last-opened'] : []),
  '--user-data-dir', userData, '--extensions-dir', extensions, folder,
], { detached: true, stdio: smoke ? 'ignore' : ['ignore', 'inherit', 'inherit'] });
const stop = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } };
process.on('SIGINT', () => { stop(); process.exit(0); });
process.on('SIGTERM', () => { stop(); process.exit(0); });
process.on('exit', stop);
server.on('exit', (code) => { if (!smoke) { console.log(`code-server exited (${code})`); process.exit(code ?? 1); } });

const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
await waitForHttp(`http://127.0.0.1:${port}/healthz`, 120_000);

if (smoke) {
  step('smoke check: headless Chromium opens the page and mlp.onnx');
  const r = await support.smokeCheck(url);
  console.log(`Model Lens showed mlp.onnx with Nodes = ${r.nodes} (screenshot ${r.screenshot})`);
  stop();
  if (!/^5\b/.test(r.nodes)) { console.error('smoke check FAILED: expected 5 nodes'); process.exit(1); }
  console.log(`\ndemo smoke check passed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  process.exit(0);
}

console.log(`\nModel Lens demo is running (offline) at:\n\n    ${url}\n\nOpen mlp.onnx or transformer.onnx from the explorer. Press Ctrl+C to stop.`);
if (has('xdg-open') && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
  spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).unref();
}

function choosePort(preferred, strict) {
  const tryListen = (p) => new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(null));
    s.listen(p, '127.0.0.1', () => { const got = s.address().port; s.close(() => resolve(got)); });
  });
  return tryListen(preferred).then((p) => {
    if (p !== null) return p;
    if (strict) throw new Error(`port ${preferred} is in use`);
    return tryListen(0);
  });
}

async function waitForHttp(u, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try { if ((await fetch(u)).ok) return; } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${u}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
