// The packaged extension for the e2e surface: built once per test process with `npm run package`
// (scripts/package.mjs: minified bundles + this platform's onnxruntime-node binaries).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths.js';

let built: string | undefined;

/** Runs `npm run package` (once) and returns the .vsix path. Throws with the tool's output on failure. */
export function packageVsix(): string {
  if (built && existsSync(built)) return built;
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const expected = path.join(repoRoot, `${pkg.name}-${process.platform}-${process.arch}-${pkg.version}.vsix`);
  const started = Date.now();
  const r = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8', timeout: 10 * 60_000, env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  if (r.status !== 0) throw new Error(`npm run package failed (${r.status}):\n${(r.stdout ?? '').slice(-3000)}\n${(r.stderr ?? '').slice(-3000)}`);
  const named = /([\w.-]+\.vsix)/.exec(r.stdout.split('\n').reverse().find((l) => l.includes('.vsix')) ?? '')?.[1];
  const candidates = [named ? path.resolve(repoRoot, named) : '', expected].filter((p) => p && existsSync(p) && statSync(p).mtimeMs >= started - 1000);
  if (!candidates.length) throw new Error(`npm run package produced no fresh .vsix (looked for ${expected}):\n${r.stdout.slice(-2000)}`);
  built = candidates[0];
  return built;
}

/** The extension's id as VS Code knows it (publisher.name). */
export function extensionId(): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; publisher: string };
  return `${pkg.publisher}.${pkg.name}`;
}
