#!/usr/bin/env node
// `node bench/run-ts.mjs <name>[+<worker>...] [args]`: bundles bench/<name>.ts (a benchmark written
// against the TypeScript sources of core, webview and test support), and bench/<worker>.ts beside it
// for each `+<worker>`, then runs bench/out/<name>.mjs with the remaining arguments.
// bench:graph (graph-bench) needs dist/ built and Chromium; bench:open (open-bench) code-server too.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [spec, ...rest] = process.argv.slice(2);
if (!spec) { console.error('usage: node bench/run-ts.mjs <bench name>[+<worker>...] [args]'); process.exit(2); }
const names = spec.split('+');
const out = path.join(root, `bench/out/${names[0]}.mjs`);
await esbuild.build({
  entryPoints: Object.fromEntries(names.map((n) => [n, path.join(root, `bench/${n}.ts`)])),
  bundle: true, platform: 'node', format: 'esm', target: 'es2022',
  outdir: path.join(root, 'bench/out'), outExtension: { '.js': '.mjs' }, packages: 'external', loader: { '.css': 'text' }, logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const r = spawnSync(process.execPath, [out, ...rest], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
