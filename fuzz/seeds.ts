// Seeds of the fuzzer: the fixture models the project writes, the committed bad corpus, and real
// models from ../shared/models (small ones, so that one input stays fast). Each seed is a file set.
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { badCases } from '../test/fixtures/bad/corpus.js';
import {
  buildAllDtypesModel, buildConstantWeightsModel, buildConvNetModel, buildExternalDataModel, buildFunctionModel,
  buildIfModel, buildLinearModel, buildMlpModel, buildSparseModel,
} from '../test/fixtures/onnx/index.js';
import {
  writeTfjsFunctionalModel, writeTfjsGraphModel, writeTfjsKeras3Model, writeTfjsLayersModel, writeTfjsQuantizedModel, writeTfjsWeightsManifestOnly,
} from '../test/fixtures/tfjs/index.js';
import type { InputSet } from './mutate.js';

export type Reader = 'onnx' | 'tfjs';

export interface Seed extends InputSet {
  name: string;
}

const one = (name: string, main: string, bytes: Uint8Array): Seed => ({ name, main, files: new Map([[main, bytes]]) });

function onnxFixtureSeeds(): Seed[] {
  const ext = buildExternalDataModel();
  const extSet: Seed = { name: 'fixture:external', main: 'model.onnx', files: new Map<string, Uint8Array | { symlink: string }>([['model.onnx', ext.model], ...Object.entries(ext.files)]) };
  const linkSet: Seed = { name: 'fixture:external-link', main: 'model.onnx', files: new Map<string, Uint8Array | { symlink: string }>([['model.onnx', buildExternalDataModel('link.weights').model], ['link.weights', { symlink: '../secret.bin' }]]) };
  return [
    one('fixture:linear', 'model.onnx', buildLinearModel()), one('fixture:mlp', 'model.onnx', buildMlpModel()),
    one('fixture:convnet', 'model.onnx', buildConvNetModel()), one('fixture:if', 'model.onnx', buildIfModel()),
    one('fixture:constants', 'model.onnx', buildConstantWeightsModel()), one('fixture:sparse', 'model.onnx', buildSparseModel()),
    one('fixture:function', 'model.onnx', buildFunctionModel()), one('fixture:all-dtypes', 'model.onnx', buildAllDtypesModel()),
    extSet, linkSet,
  ];
}

/** Reads every regular file of a folder (not below it) into a seed, when they total at most `maxBytes`. */
function folderSeed(name: string, dir: string, main: string, maxBytes: number): Seed | null {
  const files = new Map<string, Uint8Array | { symlink: string }>();
  let total = 0;
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    const st = lstatSync(p);
    if (!st.isFile()) continue;
    total += st.size;
    if (total > maxBytes) return null;
    files.set(f, readFileSync(p));
  }
  return files.has(main) ? { name, main, files } : null;
}

function tfjsFixtureSeeds(): Seed[] {
  const writers: [string, (dir: string) => string][] = [
    ['graph', writeTfjsGraphModel], ['quantized', writeTfjsQuantizedModel], ['manifest-only', writeTfjsWeightsManifestOnly],
    ['layers', writeTfjsLayersModel], ['functional', writeTfjsFunctionalModel], ['keras3', writeTfjsKeras3Model],
  ];
  const out: Seed[] = [];
  for (const [name, write] of writers) {
    const dir = mkdtempSync(path.join(tmpdir(), 'model-lens-fuzz-seed-'));
    try {
      const file = write(dir);
      const s = folderSeed(`fixture:tfjs-${name}`, dir, path.basename(file), 1 << 20);
      if (s) out.push(s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

function corpusSeeds(reader: Reader): Seed[] {
  return badCases()
    .filter((c) => !c.generatedOnly && c.name.startsWith(reader === 'onnx' ? 'onnx-' : 'tfjs-') && !/-(cut|flip)-/.test(c.name))
    .map((c) => ({ name: `corpus:${c.name}`, main: c.main, files: new Map(Object.entries(c.files).filter((e): e is [string, Uint8Array] => e[1] instanceof Uint8Array)) }));
}

function walk(dir: string, accept: (p: string) => boolean, out: string[], cap: number): void {
  const stack = [dir];
  while (stack.length && out.length < cap) {
    const d = stack.pop()!;
    let names: string[];
    try { names = readdirSync(d).sort(); } catch { continue; }
    for (const n of names) {
      const p = path.join(d, n);
      let st;
      try { st = lstatSync(p); } catch { continue; }
      if (st.isDirectory()) stack.push(p);
      else if (st.isFile() && accept(p)) out.push(p);
    }
  }
}

/** Real models under ../shared/models: `.onnx` files up to 256 KB (every k-th, up to `cap`), TF.js folders up to 1 MB. */
function realSeeds(reader: Reader, shared: string, cap: number): Seed[] {
  if (!existsSync(shared)) return [];
  if (reader === 'onnx') {
    const files: string[] = [];
    for (const sub of ['onnx', 'onnx-backend-tests']) walk(path.join(shared, sub), (p) => p.endsWith('.onnx') && statSync(p).size <= 256 * 1024, files, 100_000);
    files.sort();
    const step = Math.max(1, Math.floor(files.length / cap));
    return files.filter((_, i) => i % step === 0).slice(0, cap).map((f) => one(`real:${path.relative(shared, f)}`, path.basename(f), readFileSync(f)));
  }
  const jsons: string[] = [];
  walk(path.join(shared, 'tfjs'), (p) => p.endsWith('.json'), jsons, 10_000);
  const out: Seed[] = [];
  for (const j of jsons.sort()) {
    const s = folderSeed(`real:${path.relative(shared, j)}`, path.dirname(j), path.basename(j), 1 << 20);
    if (s) out.push(s);
    if (out.length >= cap) break;
  }
  return out;
}

/** Every seed of a reader. */
export function loadSeeds(reader: Reader, opts: { shared?: string; realCap?: number } = {}): Seed[] {
  const fixtures = reader === 'onnx' ? onnxFixtureSeeds() : tfjsFixtureSeeds();
  const real = opts.shared ? realSeeds(reader, opts.shared, opts.realCap ?? 60) : [];
  return [...fixtures, ...corpusSeeds(reader), ...real];
}
