// Packages Model Lens as a platform-specific .vsix that carries the onnxruntime-node binaries of
// that platform and nothing else: `npm run package [-- --target linux-x64]` (or VSCE_TARGET=…).
// The default target is this machine's. Works offline: the package is assembled in a staging
// folder with an exact node_modules, so vsce's `npm list` sees only what ships.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];

const argTarget = process.argv.find((a, i) => process.argv[i - 1] === '--target') ?? process.argv.find((a) => a.startsWith('--target='))?.slice(9);
const target = argTarget ?? process.env.VSCE_TARGET ?? `${process.platform}-${process.arch}`;
if (!TARGETS.includes(target)) {
  console.error(`Cannot package for '${target}': onnxruntime-node ships binaries for ${TARGETS.join(', ')} only` + (target === 'darwin-x64' ? ' (no Intel macOS builds after 1.23).' : '.'));
  process.exit(1);
}
const [os, arch] = target.split('-');

const run = (cmd, args, cwd = repo) => execFileSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });

// 1. Build minified bundles.
run(process.execPath, ['esbuild.mjs', '--minify']);
run(process.execPath, ['scripts/copy-assets.mjs']);

// 2. Stage exactly what ships.
// One staging folder per run: two packaging runs at once (a demo and a test) must not share it.
const stage = join(repo, '.cache', 'vsix-staging', `${target}-${process.pid}`);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const ortPkg = JSON.parse(readFileSync(join(repo, 'node_modules/onnxruntime-node/package.json'), 'utf8'));
const commonPkg = JSON.parse(readFileSync(join(repo, 'node_modules/onnxruntime-common/package.json'), 'utf8'));

const copyFiltered = (from, to, keep) => {
  if (!existsSync(from)) return;
  for (const name of readdirSync(from)) {
    const src = join(from, name), dst = join(to, name);
    if (statSync(src).isDirectory()) copyFiltered(src, dst, keep);
    else if (keep(relative(repo, src))) {
      mkdirSync(dirname(dst), { recursive: true });
      cpSync(src, dst);
    }
  }
};
// Everything the bundles need at run time is in dist/ (source maps stay home) and media/.
// The CLI (dist/cli.js) and the extension-host test entry are not part of the extension.
copyFiltered(join(repo, 'dist'), join(stage, 'dist'), (f) => !f.endsWith('.map') && !f.startsWith('dist/test/') && f !== 'dist/cli.js');
copyFiltered(join(repo, 'media'), join(stage, 'media'), () => true);
for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', 'package.nls.json']) if (existsSync(join(repo, f))) cpSync(join(repo, f), join(stage, f));

// onnxruntime-node is loaded with require() from dist/ (it is external to the bundles): its JS,
// its binaries for this target only, and onnxruntime-common. Its install-time deps stay out.
const ortDir = join(stage, 'node_modules/onnxruntime-node');
copyFiltered(join(repo, 'node_modules/onnxruntime-node'), ortDir, (f) => {
  const rel = f.slice('node_modules/onnxruntime-node/'.length);
  return /^dist\/[^/]+\.js$/.test(rel) || rel.startsWith(`bin/napi-v6/${os}/${arch}/`) || /^(LICENSE|README\.md|ThirdPartyNotices\.txt)$/i.test(rel);
});
if (!existsSync(join(ortDir, 'bin/napi-v6', os, arch))) {
  console.error(`node_modules/onnxruntime-node has no binaries for ${target}`);
  process.exit(1);
}
writeFileSync(join(ortDir, 'package.json'), JSON.stringify({
  name: ortPkg.name, version: ortPkg.version, license: ortPkg.license, main: ortPkg.main,
  dependencies: { 'onnxruntime-common': commonPkg.version },
}, null, 2));
const commonDir = join(stage, 'node_modules/onnxruntime-common');
copyFiltered(join(repo, 'node_modules/onnxruntime-common'), commonDir, (f) => /^node_modules\/onnxruntime-common\/(dist\/cjs\/.*\.js|LICENSE|README\.md)$/.test(f));
writeFileSync(join(commonDir, 'package.json'), JSON.stringify({
  name: commonPkg.name, version: commonPkg.version, license: commonPkg.license, main: commonPkg.main,
  exports: { require: commonPkg.exports?.require ?? './dist/cjs/index.js' },
}, null, 2));
// dist/cjs has its own package.json ({"type":"commonjs"}) in some versions: keep it if present.
if (existsSync(join(repo, 'node_modules/onnxruntime-common/dist/cjs/package.json'))) {
  cpSync(join(repo, 'node_modules/onnxruntime-common/dist/cjs/package.json'), join(commonDir, 'dist/cjs/package.json'));
}

// On linux-x64 the "Install CUDA Support" command runs onnxruntime-node's own install script, which
// needs its install helpers and their dependencies (adm-zip, global-agent). Other targets have no
// CUDA download, so they carry none of it.
if (target === 'linux-x64') {
  copyFiltered(join(repo, 'node_modules/onnxruntime-node/script'), join(ortDir, 'script'), (f) => /\/install[^/]*\.js$/.test(f));
  const closure = new Set();
  const walk = (name) => {
    if (closure.has(name)) return;
    closure.add(name);
    const p = JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8'));
    for (const d of Object.keys(p.dependencies ?? {})) walk(d);
  };
  for (const d of Object.keys(ortPkg.dependencies ?? {})) if (d !== 'onnxruntime-common') walk(d);
  for (const name of closure) {
    copyFiltered(join(repo, 'node_modules', name), join(stage, 'node_modules', name),
      (f) => !/\/(test|tests|\.github)\//.test(f) && (!/\.(map|ts|md|markdown)$/i.test(f) || /LICEN[CS]E/i.test(f)));
  }
  const stagedOrt = JSON.parse(readFileSync(join(ortDir, 'package.json'), 'utf8'));
  stagedOrt.dependencies = { ...stagedOrt.dependencies, ...Object.fromEntries(Object.keys(ortPkg.dependencies).filter((d) => d !== 'onnxruntime-common').map((d) => [d, ortPkg.dependencies[d]])) };
  writeFileSync(join(ortDir, 'package.json'), JSON.stringify(stagedOrt, null, 2));
}

const { scripts: _s, devDependencies: _d, bin: _b, ...manifest } = pkg;
manifest.dependencies = { 'onnxruntime-node': ortPkg.version };
writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
// The staging folder holds exactly what ships (including the CUDA installer's dependencies on
// linux-x64), so its ignore list admits every staged node_modules entry.
writeFileSync(join(stage, '.vscodeignore'), readFileSync(join(repo, '.vscodeignore'), 'utf8') + '!node_modules/**\n');

// 3. Package.
const out = join(repo, `${pkg.name}-${target}-${pkg.version}.vsix`);
const vsce = join(repo, 'node_modules/@vscode/vsce/vsce');
run(process.execPath, [vsce, 'package', '--target', target, '--out', out, '--allow-missing-repository', '--no-rewrite-relative-links', '--no-update-package-json'], stage);
rmSync(stage, { recursive: true, force: true });
console.log(`\n${relative(repo, out)}: ${(statSync(out).size / 1024 / 1024).toFixed(1)} MB`);
