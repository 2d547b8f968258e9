#!/usr/bin/env node
// npm run bench:layout [-- --quick] [--min-nodes 200] [--dagre-cap 3000] [--dagre-budget 30]: bundles
// bench/layout-bench.ts and its worker (the view's layout worker, or dagre) and runs it.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await esbuild.build({
  entryPoints: { 'layout-bench': path.join(root, 'bench/layout-bench.ts'), 'layout-worker': path.join(root, 'bench/layout-worker.ts') },
  bundle: true, platform: 'node', format: 'esm', target: 'es2022', outdir: path.join(root, 'bench/out'), outExtension: { '.js': '.mjs' },
  packages: 'external', loader: { '.css': 'text' }, logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const r = spawnSync(process.execPath, [path.join(root, 'bench/out/layout-bench.mjs'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
