// Where things are, for every test surface: the repo root, the shared folder beside it, scratch space.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(): string {
  // Bundled tests live in dist-test/<surface>/; sources in test/<surface>/. Walk up to package.json.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'esbuild.mjs'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** The repository root (holds package.json and esbuild.mjs). */
export const repoRoot = findRepoRoot();

/** `../shared` next to the repo (models, bench generator); absent on a plain clone. */
export const sharedDir = path.resolve(repoRoot, '../shared');

/** The transformer generator of ../shared/bench, or null when the shared folder is absent. */
export function benchGenerator(): string | null {
  const p = path.join(sharedDir, 'bench', 'gen-onnx.mjs');
  return existsSync(p) ? p : null;
}

/** Screenshots and logs of test runs: test-results/ in the repo (git-ignored). */
export function resultsDir(...sub: string[]): string {
  const dir = path.join(repoRoot, 'test-results', ...sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `model-lens-${prefix}-`));
}
