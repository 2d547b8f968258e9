// What `npm test` and `npm run demo` set up on a fresh clone before they run: node_modules (npm ci
// when missing or out of date with package-lock.json), Chromium for the ui/e2e surfaces (installed
// with apt when running as root, else a one-line message naming the Debian package) and code-server
// for the e2e surface (scripts/setup-code-server.sh, cached outside the repo). Node builtins only:
// it runs before anything is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const say = (what) => console.error(`[setup] ${what}`);

/**
 * Why node_modules does not match package-lock.json (null when it does): a package the lock file
 * installs on this platform is missing or has another version.
 */
export function dependenciesOutOfDate(root = repo) {
  const lockFile = path.join(root, 'package-lock.json');
  if (!existsSync(path.join(root, 'node_modules'))) return 'node_modules is missing';
  const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    // Optional packages are the other platforms' binaries (esbuild's, for one); nested ones follow their parent.
    if (!key.startsWith('node_modules/') || entry.optional || entry.link || key.lastIndexOf('node_modules/') > 0) continue;
    const manifest = path.join(root, key, 'package.json');
    if (!existsSync(manifest)) return `${key.slice('node_modules/'.length)} is not installed`;
    const version = JSON.parse(readFileSync(manifest, 'utf8')).version;
    if (entry.version && version !== entry.version) return `${key.slice('node_modules/'.length)} is ${version}, package-lock.json wants ${entry.version}`;
  }
  return null;
}

/** Runs `npm ci` when node_modules is missing or stale. */
export function ensureDependencies() {
  const why = dependenciesOutOfDate();
  if (!why) return;
  say(`${why}: npm ci`);
  // .npmrc skips onnxruntime-node's CUDA download (it fails offline); the variable says the same to any npm.
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: repo, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
}

export function chromiumInstalled() {
  return Boolean(process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) || CHROMIUM_PATHS.some((p) => existsSync(p));
}

/** Installs Debian's chromium when root; otherwise says in one line what to install (the tests then skip). */
export function ensureChromium() {
  if (chromiumInstalled()) return;
  if (process.getuid?.() !== 0) {
    say('Chromium is missing, so the ui and e2e tests will skip: install the Debian package `chromium` (sudo apt-get install chromium)');
    return;
  }
  say('Chromium is missing: apt-get install chromium');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env }).status === 0;
  if (!apt(['update', '-qq']) || !apt(['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core', 'fonts-liberation'])) {
    say('apt-get could not install chromium; the ui and e2e tests will fail or skip');
  }
}

/** Installs code-server once into ~/.cache/model-lens (the e2e tests find it there). */
export function ensureCodeServer() {
  say('code-server (scripts/setup-code-server.sh, cached in ~/.cache/model-lens)');
  const r = spawnSync('bash', [path.join(repo, 'scripts', 'setup-code-server.sh')], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  // A failure is reported again, with its reason, by the e2e tests that need it.
  if (r.status !== 0) say(`scripts/setup-code-server.sh exited ${r.status}`);
}
