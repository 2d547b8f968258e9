// Conformance over ../shared/models (real third-party files): every .onnx opens or fails with a
// ModelError; the curated models match the README's table; backend-test TensorProto files decode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeTensorProto, looksLikeOnnx, onnxTypeName, readOnnxModel } from '../../src/core/formats/onnx/index.js';
import { packedByteLength } from '../../src/core/ir/dtype.js';
import { isModelError } from '../../src/core/ir/errors.js';
import type { Model, Value } from '../../src/core/ir/graph.js';
import { allGraphs, collectWeights, countNodes } from '../../src/core/ir/walk.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const models = resolve(repoRoot, '../shared/models');
const present = existsSync(join(models, 'README.md'));

function walk(dir: string, pick: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, pick, out);
    else if (pick(name)) out.push(p);
  }
  return out;
}

/** One row of README section 1. */
interface Row { file: string; ir: string; opset: string; nodes: string; ort: string; io: string; notes: string }

function readmeRows(): Row[] {
  const text = readFileSync(join(models, 'README.md'), 'utf8');
  const section = text.slice(text.indexOf('## 1.'), text.indexOf('## 2.'));
  const rows: Row[] = [];
  let folder = '';
  for (const line of section.split('\n')) {
    const h = /^### (onnx\/\S+?)\/?$/.exec(line.trim());
    if (h) { folder = h[1]; continue; }
    if (!line.startsWith('| ') || line.startsWith('| file') || line.startsWith('|---')) continue;
    const c = line.slice(2, -2).split(' | ');
    if (c.length < 8) continue;
    rows.push({ file: `${folder}/${c[0]}`, ir: c[2], opset: c[3], nodes: c[4], ort: c[5], io: c.slice(6, c.length - 1).join(' | '), notes: c[c.length - 1] });
  }
  return rows;
}

/** `name:FLOAT[batch,3]` the way the README writes a graph input or output. */
function describe(v: Value): string {
  const t = v.type;
  if (!t || (!t.dtype && !t.kind)) return `${v.name}:?`;
  if (t.kind && t.kind !== 'tensor') return `${v.name}:${t.description ?? t.kind}`;
  const shape = t.shape === null ? '' : `[${t.shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
  return `${v.name}:${t.dtype ? onnxTypeName(t.dtype) : '?'}${shape}`;
}

/** Checks one side (`a, b ...` or a cut-off `a, b, c...`) of the README's io column against ours. */
function checkSide(listed: string, ours: Value[], what: string): void {
  let s = listed.trim();
  let exactCount = true;
  if (s.endsWith(' ...')) { s = s.slice(0, -4).replace(/,$/, ''); exactCount = false; }
  const items = s.split(', ');
  if (s.endsWith('...')) { items.pop(); exactCount = false; }
  if (exactCount) assert.equal(ours.length, items.length, `${what}: ${ours.map(describe).join(', ')} vs ${listed}`);
  items.forEach((it, i) => assert.equal(describe(ours[i]), it, `${what} ${i}`));
}

function initCounts(m: Model): string[] {
  const counts = new Map<string, number>();
  // The README counts initializers of every graph, subgraphs included.
  for (const t of allGraphs(m).flatMap((g) => g.weights)) counts.set(onnxTypeName(t.dtype), (counts.get(onnxTypeName(t.dtype)) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k}:${n}`).sort();
}

test('curated ONNX models match the README table (section 1)', async (t) => {
  if (!present) { t.skip('../shared/models is absent'); return; }
  const rows = readmeRows();
  assert.ok(rows.length > 60, `parsed ${rows.length} rows`);
  let checked = 0;
  for (const row of rows) {
    const file = join(models, row.file);
    const where = row.file;
    if (/external data missing/.test(row.ort)) {
      await assert.rejects(readOnnxModel(file), (e: unknown) => isModelError(e) && e.code === 'missing-file' && /model\.onnx\.data/.test(e.message) && e.message.includes(file), where);
      checked++;
      continue;
    }
    const m = await readOnnxModel(file);
    assert.equal(String(m.irVersion), row.ir, `${where} ir_version`);
    const [, dflt, others] = /^(\S+)(?: \[(.*)\])?$/.exec(row.opset) ?? [];
    const def = m.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
    assert.equal(def ? String(def.version) : '-', dflt, `${where} opset`);
    if (others) {
      const ours = m.opsets.filter((o) => o.domain !== '' && o.domain !== 'ai.onnx').map((o) => `${o.domain}:${o.version}`).sort();
      assert.deepEqual(ours, others.split(', ').sort(), `${where} other opsets`);
    }
    const [, total, top] = /^(\d+)(?: \((\d+)\))?$/.exec(row.nodes) ?? [];
    assert.deepEqual(countNodes(m), { total: Number(total), topLevel: Number(top ?? total) }, `${where} nodes`);
    const [ins, outs] = row.io.split(' -> ');
    checkSide(ins, m.graph.inputs.filter((v) => !v.tensor), `${where} inputs`);
    if (outs !== undefined) checkSide(outs, m.graph.outputs, `${where} outputs`);
    const inits = /inits ([A-Z0-9:,]+)/.exec(row.notes);
    if (inits) assert.deepEqual(initCounts(m), inits[1].split(',').sort(), `${where} initializer dtypes`);
    if (/no initializers/.test(row.notes)) assert.equal(m.graph.weights.length, 0, `${where} no initializers`);
    if (/weights in Constant nodes/.test(row.notes)) assert.ok(collectWeights(m).some((w) => w.role === 'constant'), `${where} constant weights`);
    const fn = /(\d+) local function\(s\), (\d+) fn nodes/.exec(row.notes);
    if (fn) {
      assert.equal(m.functions.length, Number(fn[1]), `${where} functions`);
      assert.equal(m.functions.reduce((a, f) => a + f.graph.nodes.length, 0), Number(fn[2]), `${where} function nodes`);
    }
    const ext = /external data: (\d+) tensors -> (\S+);/.exec(row.notes);
    if (ext) {
      const external = collectWeights(m).filter((w) => w.location.startsWith(ext[2]));
      assert.equal(external.length, Number(ext[1]), `${where} external tensors`);
      assert.ok(m.files.some((f) => f.endsWith(ext[2])));
      const first = await external[0].data.read();
      assert.equal(first.length, external[0].byteLength);
    }
    checked++;
  }
  t.diagnostic(`${checked} curated rows checked`);
});

test('every .onnx under onnx/ and onnx-backend-tests/ opens or fails with a ModelError', async (t) => {
  if (!present) { t.skip('../shared/models is absent'); return; }
  const files = [...walk(join(models, 'onnx'), (n) => n.endsWith('.onnx')), ...walk(join(models, 'onnx-backend-tests'), (n) => n.endsWith('.onnx'))];
  let opened = 0, weightsRead = 0;
  const expected: string[] = [];
  const unexpected: string[] = [];
  for (const file of files) {
    try {
      const m = await readOnnxModel(file);
      opened++;
      assert.equal(m.files[0], file);
      if (!looksLikeOnnx(readFileSync(file).subarray(0, 256))) unexpected.push(`${relative(models, file)}: looksLikeOnnx said no`);
      for (const w of collectWeights(m)) {
        try {
          if (w.dtype === 'string') { if ((await w.data.strings?.())?.length !== w.elementCount) throw new Error(`${w.name}: string count`); }
          else if ((await w.data.read()).length !== packedByteLength(w.dtype, w.elementCount)) throw new Error(`${w.name}: byte length`);
          weightsRead++;
        } catch (e) {
          if (isModelError(e)) expected.push(`${relative(models, file)}: ${e.code}: ${e.message.slice(file.length)}`);
          else unexpected.push(`${relative(models, file)}: weight ${w.name}: ${(e as Error).message}`);
        }
      }
    } catch (e) {
      if (isModelError(e)) expected.push(`${relative(models, file)}: ${e.code}: ${e.message.slice(file.length)}`);
      else unexpected.push(`${relative(models, file)}: ${(e as Error)?.stack ?? e}`);
    }
  }
  t.diagnostic(`tally: ${files.length} models, ${opened} opened, ${expected.length} expected failures (ModelError), ${unexpected.length} unexpected; ${weightsRead} weights read`);
  for (const line of expected) t.diagnostic(`expected failure: ${line}`);
  assert.deepEqual(unexpected, []);
  assert.ok(opened >= files.length - 10, `${opened} of ${files.length} opened`);
});

test('backend-test TensorProto files decode and agree with the model inputs/outputs', async (t) => {
  if (!present) { t.skip('../shared/models is absent'); return; }
  const root = join(models, 'onnx-backend-tests');
  let decoded = 0, nonTensor = 0;
  for (const suite of readdirSync(root)) {
    const sdir = join(root, suite);
    if (!statSync(sdir).isDirectory()) continue;
    for (const name of readdirSync(sdir)) {
      const dir = join(sdir, name);
      if (!existsSync(join(dir, 'model.onnx'))) continue;
      const m = await readOnnxModel(join(dir, 'model.onnx'));
      const ins = m.graph.inputs.filter((v) => !v.tensor);
      for (const set of readdirSync(dir).filter((d) => d.startsWith('test_data_set_'))) {
        for (const pb of readdirSync(join(dir, set))) {
          const [, kind, idx] = /^(input|output)_(\d+)\.pb$/.exec(pb) ?? [];
          if (!kind) continue;
          const v = (kind === 'input' ? ins : m.graph.outputs)[Number(idx)];
          const where = `${suite}/${name}/${set}/${pb}`;
          if (!v || (v.type?.kind && v.type.kind !== 'tensor')) { nonTensor++; continue; } // SequenceProto / OptionalProto / MapProto
          const d = decodeTensorProto(readFileSync(join(dir, set, pb)), where);
          if (v.type?.dtype) assert.equal(d.dtype, v.type.dtype, `${where} dtype`);
          if (v.type?.shape) assert.equal(d.shape.length, v.type.shape.length, `${where} rank`);
          if (d.dtype === 'string') assert.equal(d.strings?.length, d.elementCount, where);
          else assert.equal(d.bytes.length, packedByteLength(d.dtype, d.elementCount), where);
          decoded++;
        }
      }
    }
  }
  t.diagnostic(`${decoded} TensorProto files decoded, ${nonTensor} sequence/optional/map files skipped`);
  assert.ok(decoded > 5000, `${decoded} decoded`);
});
