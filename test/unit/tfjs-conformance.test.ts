// Conformance over the real TF.js models in ../shared/models/tfjs (skipped when absent): each row
// of README.md section 3 is checked — format, producer, node/layer count, weight count and dtypes,
// quantized count, shard bytes against the manifest — and every weight is read in full. Models
// under incomplete/ must fail naming a weight file that is really missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTfjsModel, looksLikeTfjsJson } from '../../src/core/formats/tfjs/index.js';
import { collectWeights, countNodes, ModelError } from '../../src/core/ir/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const models = path.resolve(repoRoot, '../shared/models');
const readme = path.join(models, 'README.md');

interface Row {
  file: string;
  format: string;
  producer: string;
  count: number;
  weights: number;
  dtypes: Record<string, number>;
  quantized: number;
  shards: number;
  missing: number;
  match: string;
}

/** Rows of the tables under "## 3. TensorFlow.js models", with paths made absolute. */
function readRows(): Row[] {
  const text = readFileSync(readme, 'utf8');
  const section = text.slice(text.indexOf('## 3. TensorFlow.js models'));
  const rows: Row[] = [];
  let dir = '';
  for (const line of section.split('\n')) {
    const h = /^### (tfjs\/\S+?)\/?$/.exec(line.trim());
    if (h) { dir = h[1]; continue; }
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 11 || !cells[1].endsWith('.json')) continue;
    const [, file, , format, producer, nodes, weights, quant, shards, match] = cells;
    const dtypes: Record<string, number> = {};
    for (const m of (/\(([^)]*)\)/.exec(weights)?.[1] ?? '').split(',')) {
      const [k, v] = m.split(':');
      if (k && v) dtypes[k] = Number(v);
    }
    rows.push({
      file: path.join(models, dir, file),
      format,
      producer,
      count: Number(/^(\d+)/.exec(nodes)?.[1]),
      weights: Number(/^(\d+)/.exec(weights)?.[1]),
      dtypes,
      quantized: quant === '-' ? 0 : Number(/:(\d+)/.exec(quant)?.[1] ?? 0),
      shards: Number(/^(\d+)/.exec(shards)?.[1]),
      missing: Number(/\((\d+) missing\)/.exec(shards)?.[1] ?? 0),
      match,
    });
  }
  return rows;
}

const tally = { opened: 0, refusedAsIncomplete: 0, weightsRead: 0, bytesRead: 0, notModels: 0 };

test('TF.js conformance over ../shared/models/tfjs', async (t) => {
  if (!existsSync(readme)) {
    t.skip(`no shared models at ${models}`);
    return;
  }
  const rows = readRows();
  assert.ok(rows.length >= 20, `README section 3 lists the TF.js models (${rows.length} rows)`);
  for (const row of rows) {
    const name = path.relative(models, row.file);
    await t.test(name, async () => {
      if (row.missing > 0) {
        await assert.rejects(readTfjsModel(row.file), (e: unknown) => {
          assert.ok(e instanceof ModelError);
          assert.equal(e.code, 'missing-file');
          const named = [...e.detail.matchAll(/'([^']+)'/g)].map((m) => m[1]);
          assert.equal(named.length, row.missing, e.message);
          for (const f of named) assert.equal(existsSync(path.join(path.dirname(row.file), f)), false, `${f} is really missing`);
          return true;
        });
        tally.refusedAsIncomplete++;
        return;
      }
      const m = await readTfjsModel(row.file);
      assert.equal(m.format, row.format.startsWith('graph') ? 'tfjs-graph' : 'tfjs-layers');
      assert.equal(m.producerName ?? '', row.producer);
      assert.equal(countNodes(m).topLevel, row.count, 'nodes / layers');
      const ws = collectWeights(m);
      assert.equal(ws.length, row.weights, 'weights');
      const dtypes: Record<string, number> = {};
      for (const w of ws) dtypes[w.logicalType ?? w.dtype] = (dtypes[w.logicalType ?? w.dtype] ?? 0) + 1;
      assert.deepEqual(dtypes, row.dtypes);
      assert.equal(ws.filter((w) => w.quantization?.origin === 'tfjs-affine').length, row.quantized, 'quantized weights');
      assert.equal(m.files.length - 1, row.shards, 'shard files');
      const shardBytes = m.files.slice(1).reduce((a, f) => a + statSync(f).size, 0);
      const manifestBytes = ws.reduce((a, w) => a + w.byteLength, 0);
      // match=None rows hold string weights, whose sizes only the shard itself tells: they match too.
      assert.equal(shardBytes, manifestBytes, 'shard bytes equal what the manifest implies');
      assert.equal(m.warnings, undefined);
      for (const w of ws) {
        const bytes = await w.data.read();
        assert.equal(bytes.byteLength, w.byteLength, w.name);
        if (w.dtype === 'string') assert.equal((await w.data.strings!()).length, w.elementCount, w.name);
        tally.weightsRead++;
        tally.bytesRead += bytes.byteLength;
      }
      assert.ok(m.graph.inputs.length > 0 && m.graph.outputs.length > 0, 'has inputs and outputs');
      tally.opened++;
    });
  }
  // JSON files next to the models that are not models are not taken for TF.js.
  const stack = [path.join(models, 'tfjs')];
  const listed = new Set(rows.map((r) => r.file));
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.name.endsWith('.json') && !listed.has(p)) {
        assert.equal(looksLikeTfjsJson(readFileSync(p, 'utf8')), false, p);
        tally.notModels++;
      }
    }
  }
  t.diagnostic(`tally: ${JSON.stringify(tally)}`);
  console.log(`TF.js conformance: ${tally.opened} models opened, ${tally.refusedAsIncomplete} incomplete ones refused naming the missing files, ${tally.weightsRead} weights (${tally.bytesRead} bytes) read, ${tally.notModels} other JSON files not taken for models`);
});
