// A real VS Code for the e2e surface: code-server (installed by scripts/setup-code-server.sh into
// ~/.cache/model-lens), started on 127.0.0.1 with its own user-data and extensions folders, and
// stopped by killing its whole process group (its extension-host children keep stdout open otherwise).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { repoRoot, tempDir } from './paths.js';

export interface CodeServerInstall {
  /** The launcher written by the setup script (runs code-server on its own Node 24). */
  bin: string;
  dir: string;
}

let cached: CodeServerInstall | string | undefined;

/**
 * Finds code-server in the setup script's cache, running the (idempotent) script when it is not
 * complete. Returns the install, or a reason string when it cannot be installed on this machine.
 * Under CI it throws instead: CI installs code-server, so a missing one is a failure there.
 */
export function ensureCodeServer(): CodeServerInstall | string {
  if (cached === undefined) {
    const r = spawnSync('bash', [path.join(repoRoot, 'scripts', 'setup-code-server.sh')], {
      cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30 * 60_000,
    });
    const dir = r.stdout.trim().split('\n').pop() ?? '';
    const bin = path.join(dir, 'bin', 'code-server');
    if (r.status === 0 && existsSync(bin)) cached = { bin, dir };
    else cached = `code-server could not be installed (scripts/setup-code-server.sh exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`;
  }
  if (typeof cached === 'string' && process.env.CI) throw new Error(cached);
  return cached;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface EditorProfile {
  userDataDir: string;
  extensionsDir: string;
}

/** Fresh user-data and extensions folders, with the given user settings. */
export function makeProfile(settings: Record<string, unknown> = {}): EditorProfile {
  const root = tempDir('vscode');
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings({ userDataDir, extensionsDir }, settings);
  return { userDataDir, extensionsDir };
}

/** Writes the user settings.json: quiet defaults for tests plus the given settings. */
export function writeUserSettings(profile: EditorProfile, settings: Record<string, unknown>): void {
  const base = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    'window.commandCenter': false,
    // The secondary side bar (chat) would open empty and take a quarter of every screenshot.
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.colorTheme': 'Default Dark Modern',
  };
  writeFileSync(path.join(profile.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...base, ...settings }, null, 2));
}

/** Installs a packaged .vsix into the profile's extensions folder (copying a folder is not picked up). */
export function installVsix(cs: CodeServerInstall, profile: EditorProfile, vsix: string): void {
  const r = spawnSync(cs.bin, [
    '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir,
    '--install-extension', vsix, '--force',
  ], { encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
}

export interface RunningCodeServer {
  port: number;
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  /** The workbench URL for a folder, with optional extra query parameters. */
  folderUrl(folder: string, query?: Record<string, string>): string;
  /** Everything the server printed so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  profile: EditorProfile;
  folder?: string;
  /** Honour the dev options (extensionDevelopmentPath/extensionTestsPath in the URL payload). */
  smokeTestDriver?: boolean;
  env?: Record<string, string>;
}

/** Starts code-server and waits until it answers HTTP. */
export async function startCodeServer(cs: CodeServerInstall, opts: StartOptions): Promise<RunningCodeServer> {
  const port = await freePort();
  const args = [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', opts.profile.userDataDir, '--extensions-dir', opts.profile.extensionsDir,
  ];
  if (opts.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (opts.folder) args.push(opts.folder);
  let out = '';
  const child: ChildProcess = spawn(cs.bin, args, {
    detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env, CS_DISABLE_FILE_DOWNLOADS: '0' },
  });
  const keep = (b: Buffer) => { out = (out + b.toString()).slice(-200_000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  child.on('exit', () => { exited = true; });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exited || child.pid === undefined) return;
    const done = new Promise<void>((r) => child.once('exit', () => r()));
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    const t = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await done;
    clearTimeout(t);
    // Extension hosts may outlive the parent a moment; the group kill reaches them too.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited before serving:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { await stop(); throw new Error(`code-server did not answer on ${url}:\n${out}`); }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    port, url,
    folderUrl(folder, query = {}) {
      const q = new URLSearchParams({ folder, ...query });
      return `${url}/?${q.toString()}`;
    },
    log: () => out,
    stop,
  };
}
