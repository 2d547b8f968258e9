// Writes the demo workspace: sample models made by the test fixture builders (linear, MLP, conv net,
// TF.js graph and layers models, broken files) plus a ~10k-node transformer when ../shared/bench is
// present. `node scripts/make-demo-workspace.mjs [folder]` (default ~/.cache/model-lens/demo-workspace).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles test/support/demo.ts (TypeScript, imports the fixtures) and imports it. */
export async function loadDemoSupport() {
  const outDir = path.join(repo, '.cache', 'demo-build');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'demo-support.mjs');
  await esbuild.build({
    entryPoints: [path.join(repo, 'test', 'support', 'demo.ts')],
    outfile, bundle: true, platform: 'node', format: 'esm', target: 'es2022', packages: 'external', logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

export function defaultDemoFolder() {
  return path.join(process.env.MODEL_LENS_CACHE ?? path.join(homedir(), '.cache', 'model-lens'), 'demo-workspace');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(process.argv[2] ?? defaultDemoFolder());
  const { makeDemoWorkspace } = await loadDemoSupport();
  const files = makeDemoWorkspace(dir);
  for (const f of files) console.log(path.relative(dir, f));
  console.log(dir);
}
