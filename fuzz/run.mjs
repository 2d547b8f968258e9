// Builds the fuzz harness and the corpus tool with esbuild (into .cache/fuzz/) and runs one of them:
//   node fuzz/run.mjs fuzz [--iterations N] [--seed S] [--reader onnx|tfjs|all] [--timeout-ms 5000] …
//   node fuzz/run.mjs corpus write <dir> | commit | show [<case-prefix>]
// `npm run fuzz -- --iterations N` and `npm run corpus:bad -- commit` call this.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// .cache/ is git-ignored: the bundles are build output.
const out = join(root, '.cache', 'fuzz');
const entries = { fuzz: 'fuzz/fuzz.ts', 'fuzz-worker': 'fuzz/worker.ts', corpus: 'fuzz/corpus-cli.ts' };
const [tool = 'fuzz', ...args] = process.argv.slice(2);
if (!(tool in entries) || tool === 'fuzz-worker') {
  console.error(`usage: node fuzz/run.mjs fuzz|corpus [args…]`);
  process.exit(2);
}
// CJS, so that the fs spy's patches of require('node:fs') are what the bundled readers call.
await esbuild.build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, join(root, v)])),
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  sourcemap: 'inline',
  outExtension: { '.js': '.cjs' },
  external: ['onnxruntime-node', 'vscode'],
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['--enable-source-maps', join(out, `${tool}.cjs`), ...args], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
