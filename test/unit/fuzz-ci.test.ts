// The fuzz harness's short fixed-seed run for CI (issue #8): a few hundred mutated fixture models
// per reader through open, walks, tensor reads and statistics in a worker, with the per-input
// timeout, the memory limit and the fs spy on. Any escape, hang, worker death or access outside
// the input's folder fails the test. Also checks that the spy and the mutators do what the
// harness relies on.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { installFsSpy, outsideAccesses, takeAccesses } from '../../fuzz/fs-spy.js';
import { mutateBytes, mutateJson } from '../../fuzz/mutate.js';
import { mulberry32 } from '../fixtures/bad/shared.js';
import { buildLinearModel } from '../fixtures/onnx/index.js';
import { repoRoot, tempDir } from '../support/paths.js';

const CODES = ['not-found', 'unreadable', 'unknown-format', 'truncated', 'malformed', 'unsupported', 'limit', 'path-escape', 'missing-file', 'size-mismatch', 'cancelled'];
const ITERATIONS = 250;

test(`fixed-seed fuzz run: ${ITERATIONS} inputs per reader, no crash, hang or outside access`, { timeout: 600_000 }, () => {
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'fuzz', 'run.mjs'), 'fuzz', '--iterations', String(ITERATIONS), '--seed', '42', '--no-real', '--json', '--workers', '1', '--timeout-ms', '20000'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
  const summary = JSON.parse(out.trim().split('\n').pop()!) as { readers: { reader: string; seeds: number; iterations: number; opened: number; rejected: Record<string, number>; crashes: unknown[] }[] };
  assert.deepEqual(summary.readers.map((r) => r.reader), ['onnx', 'tfjs']);
  for (const r of summary.readers) {
    assert.deepEqual(r.crashes, [], `${r.reader}: no crashes`);
    assert.equal(r.iterations, ITERATIONS);
    assert.ok(r.seeds >= 10, `${r.reader}: seeds from fixtures and the corpus (${r.seeds})`);
    const rejected = Object.values(r.rejected).reduce((a, b) => a + b, 0);
    assert.equal(r.opened + rejected, ITERATIONS, 'every input either opened or was rejected with a ModelError');
    for (const code of Object.keys(r.rejected)) assert.ok(CODES.includes(code), `rejection code ${code} is a ModelErrorCode`);
    assert.ok(r.opened > 0 && rejected > 0, `${r.reader}: mutants both open and fail (${r.opened} opened, ${rejected} rejected)`);
  }
});

test('the fs spy sees opens, stats and writes, and tells outside from inside', () => {
  installFsSpy();
  const dir = tempDir('fs-spy');
  const inside = path.join(dir, 'm', 'model.onnx');
  writeFileSync(path.join(dir, 'secret.bin'), 'x');
  takeAccesses();
  try { readFileSync(inside); } catch { /* absent: the attempt is what counts */ }
  readFileSync(path.join(dir, 'secret.bin'));
  const got = takeAccesses();
  // readFileSync opens through fs.openSync, so one call may be seen twice.
  assert.deepEqual([...new Set(got.map((a) => `${a.op} ${path.basename(a.path)}`))], ['open model.onnx', 'open secret.bin']);
  assert.deepEqual([...new Set(outsideAccesses(got, path.join(dir, 'm')).map((a) => path.basename(a.path)))], ['secret.bin']);
  writeFileSync(path.join(dir, 'm-written'), 'y');
  assert.deepEqual([...new Set(outsideAccesses(takeAccesses(), dir).map((a) => a.op))], ['write'], 'a write counts wherever it is');
});

test('mutators are deterministic per seed and make the edits they name', () => {
  const model = buildLinearModel();
  const run = (seed: number) => {
    const rnd = mulberry32(seed);
    return Array.from({ length: 200 }, () => mutateBytes(rnd, model, model));
  };
  const a = run(5), b = run(5);
  assert.deepEqual(a.map((m) => m.how), b.map((m) => m.how));
  assert.ok(a.every((m, i) => Buffer.from(m.bytes).equals(b[i].bytes)));
  const kinds = new Set(a.map((m) => m.how.replace(/[@×].*/, '')));
  for (const k of ['flip', 'byte', 'truncate', 'splice', 'delete', 'dup', 'length', 'overlong-varint']) assert.ok(kinds.has(k), `mutator ${k} used`);
  const cut = a.find((m) => m.how.startsWith('truncate@'))!;
  assert.equal(cut.bytes.length, Number(cut.how.slice('truncate@'.length)));
  const long = a.find((m) => m.how.startsWith('overlong-varint@'))!;
  assert.ok(long.bytes.length > model.length, 'an overlong varint adds bytes');
  const rnd = mulberry32(3);
  const json = JSON.stringify({ format: 'graph-model', modelTopology: { node: [{ name: 'x', op: 'Placeholder' }] }, weightsManifest: [{ paths: ['a.bin'], weights: [] }] });
  const edits = Array.from({ length: 100 }, () => mutateJson(rnd, json)).filter((m) => m !== null);
  assert.ok(edits.length > 90, 'JSON edits mostly succeed');
  assert.ok(edits.every((m) => { JSON.parse(m!.text); return true; }), 'and stay JSON');
  assert.ok(edits.some((m) => m!.text !== json));
});
