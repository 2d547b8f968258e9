// The hostile and broken model corpus (issue #8): every case, generated afresh, goes through what
// the editor does with a model (fuzz/exercise.ts: open, checks, walks, tensor reads, statistics).
// Each must give exactly the outcome pinned in test/fixtures/bad/expected.json — a ModelError whose
// message names the file and the place, or a model that opens with the warnings it should — and
// nothing but ModelErrors may escape. The committed copies under files/ must equal the generator's.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, lstatSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { badCases, committedFiles, writeBadCorpus } from '../fixtures/bad/corpus.js';
import { exerciseModel, type Outcome } from '../../fuzz/exercise.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { rmSync } from 'node:fs';

const expected = JSON.parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'bad', 'expected.json'), 'utf8')) as Record<string, Record<string, unknown>>;

/** What expected.json pins of an outcome (the same projection `corpus commit` writes). */
function pinned(o: Outcome): Record<string, unknown> {
  if (o.outcome === 'error') return { error: o.code, message: o.message };
  return { opens: o.format, nodes: o.nodes, weights: o.weights, warnings: o.warnings, tensorErrors: o.tensorErrors };
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel))) {
    const r = rel ? `${rel}/${name}` : name;
    if (lstatSync(path.join(dir, r)).isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out;
}

test('the committed corpus under test/fixtures/bad/files equals what the generator writes', () => {
  const dir = path.join(repoRoot, 'test', 'fixtures', 'bad', 'files');
  const want = committedFiles();
  const have = listFiles(dir).sort();
  assert.deepEqual(have, [...want.keys()].sort(), 'same file list (regenerate with `npm run corpus:bad -- commit`)');
  let bytes = 0;
  for (const rel of have) {
    const b = readFileSync(path.join(dir, rel));
    bytes += b.length;
    assert.ok(Buffer.from(want.get(rel)!).equals(b), `${rel} differs from the generator's bytes`);
  }
  assert.ok(bytes < 1 << 20, `the committed corpus stays under 1 MB (${bytes} bytes)`);
});

test('the corpus covers every kind of damage issue #8 lists', () => {
  const names = badCases().map((c) => c.name);
  const has = (re: RegExp, atLeast = 1) => assert.ok(names.filter((n) => re.test(n)).length >= atLeast, `cases matching ${re}`);
  has(/^onnx-.*-cut-\d+$/, 30); has(/^onnx-.*-flip-\d+$/, 20); has(/^tfjs-cut-/, 10); has(/^tfjs-flip-/, 10);
  has(/len-over-2g/); has(/len-past-end/); has(/varint-11-bytes/); has(/nesting-10000/, 4); has(/dims-overflow/);
  has(/negative-dim/, 2); has(/-cycle$/, 2); has(/self-loop/, 2); has(/zero-nodes/, 2); has(/duplicate/, 3);
  has(/missing-producer/, 2); has(/non-utf8/, 2); has(/^tfjs-huge$/); has(/^tfjs-path-/, 12); has(/shard-short/); has(/shard-long/);
  has(/^onnx-external-/, 18); has(/dev-zero/, 2); has(/link-out/, 2); has(/markup/, 2);
  assert.equal(names.length, Object.keys(expected).length, 'every case has a pinned outcome, and every pinned outcome a case');
});

describe('every corpus case gives its pinned outcome', () => {
  let dir: string;
  const files = new Map<string, string>();
  before(() => {
    dir = tempDir('bad-corpus');
    for (const [c, file] of writeBadCorpus(dir)) files.set(c.name, file);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of badCases()) {
    test(`${c.name}: ${c.about}`, async () => {
      const o = await exerciseModel(files.get(c.name)!, dir);
      assert.deepEqual(o.escapes, [], 'only ModelErrors escape');
      assert.deepEqual(pinned(o), expected[c.name], 'outcome as pinned in expected.json');
      const e = c.expect;
      if (o.outcome === 'error') {
        assert.ok(!('opens' in e), `${c.name} should open, but failed: ${o.message}`);
        if ('error' in e) assert.equal(o.code, e.error);
        const own = `<dir>/${c.name}/${c.main}`;
        assert.ok(o.message.startsWith(own), `the message names the file: ${o.message}`);
        if (['truncated', 'malformed', 'path-escape', 'size-mismatch', 'missing-file', 'unsupported'].includes(o.code)) {
          assert.match(o.message.slice(own.length), /^ \((byte \d+|[\w.[\]]+|tensor '.+')/, 'and the place: byte offset, field path or tensor');
        }
        for (const m of ('mentions' in e ? e.mentions : undefined) ?? []) assert.ok(o.message.includes(m), `message mentions ${JSON.stringify(m)}: ${o.message}`);
      } else {
        assert.ok(!('error' in e), `${c.name} should fail with ${'error' in e ? e.error : ''}, but opened`);
        if ('warning' in e && e.warning) assert.ok(o.warnings.some((w) => e.warning!.test(w)), `a warning matches ${e.warning}: ${JSON.stringify(o.warnings)}`);
        if ('tensorError' in e && e.tensorError) assert.ok(o.tensorErrors.some((w) => e.tensorError!.test(w)), `a tensor error matches ${e.tensorError}: ${JSON.stringify(o.tensorErrors)}`);
      }
    });
  }
});
