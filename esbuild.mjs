// Builds everything: the extension host bundle, the CLI, host workers, the webview and its workers,
// and the TypeScript tests. `node esbuild.mjs [--watch] [--minify]`.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, statSync, chmodSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

// Host side (Node, CJS). `vscode` is provided by the editor; onnxruntime-node ships native binaries.
const nodeEntries = {
  extension: 'src/extension.ts',
  'stats-worker': 'src/core/stats/stats-worker.ts',
  'runtime-process': 'src/core/runtime/runtime-process.ts',
  'parse-worker': 'src/core/formats/parse-worker.ts',
  'test/index': 'test/exthost/index.ts',
};
// Webview side (browser).
const browserEntries = {
  webview: 'webview/main.ts',
  compare: 'webview/compare/main.ts',
  'layout-worker': 'webview/graph/layout-worker.ts',
  'tfjs-runner': 'webview/run/tfjs-runner.ts',
};

function existing(entries) {
  return Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));
}

function testFiles(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (/\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

const common = { bundle: true, sourcemap: true, minify, logLevel: 'warning', target: 'es2022' };
const builds = [
  {
    ...common,
    entryPoints: existing(nodeEntries),
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    external: ['vscode', 'onnxruntime-node', 'mocha'],
  },
  {
    ...common,
    entryPoints: existing({ cli: 'src/cli.ts' }),
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    external: ['onnxruntime-node'],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: existing(browserEntries),
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    loader: { '.ttf': 'file', '.css': 'text' },
  },
];

// Tests build one file at a time, so a test that does not compile fails the build without
// keeping every other test from being built and run.
const testBuild = (file) => ({
  ...common,
  entryPoints: [file],
  outdir: join('dist-test', relative('test', dirname(file))),
  platform: 'node',
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  packages: 'external',
  logLevel: 'silent',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const tests = testFiles('test').filter((f) => !f.startsWith(join('test', 'exthost')));

if (watch) {
  for (const b of [...builds, ...tests.map(testBuild)]) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  let failed = 0;
  await Promise.all(builds.filter((b) => Object.keys(b.entryPoints).length).map((b) => esbuild.build(b)));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
  await Promise.all(tests.map((f) => esbuild.build(testBuild(f)).catch((e) => {
    failed++;
    for (const m of e.errors ?? [{ text: String(e) }]) console.error(`✘ ${f}: ${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`);
  })));
  if (failed) {
    console.error(`${failed} test file(s) did not build`);
    process.exitCode = 1;
  }
}
