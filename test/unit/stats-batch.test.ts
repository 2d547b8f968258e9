// The small-tensor paths: exact percentiles without a full sort, batches read in one go, results
// packed for the trip from a worker; each must give the numbers of the one-tensor path.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exactSummary } from '../../src/core/stats/stats-exact.js';
import { exactPercentiles, sparseKeysOfValues } from '../../src/core/stats/stats-keys.js';
import { computeModelStats } from '../../src/core/stats/stats-model.js';
import { computeTensorStats } from '../../src/core/stats/stats-tensor.js';
import { FileRangesData } from '../../src/core/io/tensor-data.js';
import type { ModelStats } from '../../src/core/stats/stats-types.js';
import { f32Bytes, modelOf, normals, tensorOf } from './stats-helpers.js';

const workerPath = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'dist/stats-worker.js');
const dir = mkdtempSync(join(tmpdir(), 'stats-batch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('exactSummary gives the keys and percentiles of sorting everything', () => {
  const cases: number[][] = [
    [3], [0, -0, 0, -0], [1, 1, 1, 1, 1, 2],
    Array.from(normals(5000, 3, 0, 0.02)),
    Array.from(normals(777, 4, 5, 1e-3)),
    [1e300, -1e300, 1e-300, -1e-300, 0, 7, -7, 65504, 2 ** 40 + 1, 2 ** 40],
    Array.from({ length: 3000 }, (_, i) => (i % 17) - 8),
  ];
  for (const c of cases) {
    const values = Float64Array.from(c);
    const got = exactSummary(values);
    const sorted = Float64Array.from(c).sort();
    const want = sparseKeysOfValues(sorted);
    assert.deepStrictEqual(Array.from(got.keys.index), Array.from(want.index));
    assert.deepStrictEqual(Array.from(got.keys.count), Array.from(want.count));
    assert.deepStrictEqual(got.percentiles, exactPercentiles(sorted));
    assert.deepStrictEqual(Array.from(values), c, 'input left unchanged');
  }
});

test('a batch of small file-backed tensors: one truncated tensor gets its own error row, the rest are computed', async () => {
  const file = join(dir, 'w.bin');
  const parts: Buffer[] = [];
  let offset = 0;
  const tensors = [];
  for (let i = 0; i < 40; i++) {
    const v = normals(6 * (i + 1), 10 + i, i, 0.5);
    const bytes = f32Bytes(v);
    tensors.push(tensorOf(`t${i}`, 'float32', [6, i + 1], bytes, { data: new FileRangesData([{ path: file, offset, length: bytes.length }]) }));
    parts.push(Buffer.from(bytes), Buffer.from([7, 7, 7]));
    offset += bytes.length + 3;
  }
  const big = f32Bytes(normals(300_000, 99)); // over the batch limit: the one-tensor path
  tensors.push(tensorOf('big', 'float32', [300, 1000], big, { data: new FileRangesData([{ path: file, offset, length: big.length }]) }));
  parts.push(Buffer.from(big));
  offset += big.length;
  // Past the end of the file.
  tensors.push(tensorOf('cut', 'float32', [8], new Uint8Array(32), { data: new FileRangesData([{ path: file, offset: offset - 16, length: 32 }]) }));
  writeFileSync(file, Buffer.concat(parts));
  const model = modelOf(tensors, [], file);
  const strip = ({ elapsedMs: _e, ...rest }: ModelStats) => rest;
  const inThread = await computeModelStats(model, { workers: 0 });
  for (const workers of [1, 2]) assert.deepStrictEqual(strip(await computeModelStats(model, { workers, workerPath })), strip(inThread));
  assert.equal(inThread.tensors.length, 41);
  assert.equal(inThread.skipped.length, 1);
  assert.equal(inThread.skipped[0].name, 'cut');
  assert.match(inThread.skipped[0].reason, new RegExp(`w\\.bin ended at byte ${offset}, 16 bytes short`));
  // The same figures as one tensor at a time.
  for (const t of [tensors[0], tensors[17], tensors[39]]) {
    assert.deepStrictEqual(inThread.tensors.find((s) => s.name === t.name), await computeTensorStats(t, { file }));
  }
  for (const kernel of ['js', 'wasm'] as const) {
    const s = await computeModelStats(model, { workers: 0, kernel });
    assert.deepStrictEqual(s.tensors.map(({ kernel: _k, ...r }) => r), inThread.tensors.map(({ kernel: _k, ...r }) => r));
  }
});
