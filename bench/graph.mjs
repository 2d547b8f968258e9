#!/usr/bin/env node
// npm run bench:graph [-- --quick]: bundles bench/graph-bench.ts (TypeScript sources of the core and
// the graph view) and runs it. Needs dist/ built (the layout worker) and Chromium.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'bench/out/graph-bench.mjs');
await esbuild.build({
  entryPoints: [path.join(root, 'bench/graph-bench.ts')], bundle: true, platform: 'node', format: 'esm', target: 'es2022',
  outfile: out, packages: 'external', loader: { '.css': 'text' }, logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
