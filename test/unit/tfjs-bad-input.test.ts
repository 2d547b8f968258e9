// Broken or hostile TF.js files: every failure is a ModelError with a code and a message that
// names the file and the place (shard, weight, field, byte offset).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readTfjsModel, MAX_JSON_DEPTH } from '../../src/core/formats/tfjs/index.js';
import { findJsonSyntaxError } from '../../src/core/formats/tfjs/json-syntax.js';
import { ModelError } from '../../src/core/ir/index.js';
import { writeTfjsGraphModel, writeTfjsQuantizedModel } from '../fixtures/tfjs/index.js';

const root = mkdtempSync(path.join(tmpdir(), 'tfjs-bad-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(root, String(n++));
/** Writes `text` to `name` in a fresh folder and returns the file's path. */
function writeFresh(name: string, text: string): string {
  const dir = fresh();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function failure(file: string, signal?: AbortSignal): Promise<ModelError> {
  try {
    await readTfjsModel(file, { signal });
  } catch (e) {
    assert.ok(e instanceof ModelError, `expected a ModelError, got ${String(e)}`);
    return e;
  }
  assert.fail('the model opened, but it should have failed');
}

function editJson(file: string, edit: (j: any) => void): void {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  edit(j);
  writeFileSync(file, JSON.stringify(j));
}

test('a missing shard fails with missing-file naming the file', async () => {
  const file = writeTfjsQuantizedModel(fresh());
  unlinkSync(path.join(path.dirname(file), 'group1-shard2of3.bin'));
  const e = await failure(file);
  assert.equal(e.code, 'missing-file');
  assert.match(e.message, /'group1-shard2of3\.bin' is missing/);
  assert.equal(e.place.field, 'weightsManifest[0].paths[1]');
  assert.equal(e.place.file, file);
});

test('several missing shards are all named', async () => {
  const file = writeTfjsQuantizedModel(fresh());
  unlinkSync(path.join(path.dirname(file), 'group1-shard1of3.bin'));
  unlinkSync(path.join(path.dirname(file), 'extra-shard1of1.bin'));
  const e = await failure(file);
  assert.equal(e.code, 'missing-file');
  assert.match(e.detail, /2 weight files are missing: 'group1-shard1of3\.bin', 'extra-shard1of1\.bin'/);
});

test('a short shard fails with size-mismatch naming the shard and the weight', async () => {
  const file = writeTfjsQuantizedModel(fresh());
  truncateSync(path.join(path.dirname(file), 'group1-shard3of3.bin'), 13); // group 1 now holds 77 of 80 bytes
  const e = await failure(file);
  assert.equal(e.code, 'size-mismatch');
  assert.equal(e.place.tensor, 'qi');
  assert.match(e.message, /shard 'group1-shard3of3\.bin' is too short/);
  assert.match(e.message, /weight 'qi' needs bytes 77–80 of weight group 0, but the group's shards hold only 77 bytes/);
});

test('a shard cut inside string data fails naming the string weight', async () => {
  const file = writeTfjsQuantizedModel(fresh());
  truncateSync(path.join(path.dirname(file), 'group1-shard3of3.bin'), 2);
  const e = await failure(file);
  assert.equal(e.code, 'size-mismatch');
  assert.equal(e.place.tensor, 'words');
  assert.match(e.message, /group1-shard3of3\.bin/);
});

test('a longer shard opens, with a warning that counts the extra bytes', async () => {
  const file = writeTfjsGraphModel(fresh());
  appendFileSync(path.join(path.dirname(file), 'group1-shard1of1.bin'), Buffer.alloc(5));
  const m = await readTfjsModel(file);
  assert.equal(m.warnings?.length, 1);
  assert.match(m.warnings![0], /weight group 0: its shard files hold 13 bytes, 5 more than the manifest describes \(8\)/);
});

for (const [label, written] of [
  ['a path with ..', '../../../etc/passwd'],
  ['an absolute path', '/etc/passwd'],
  ['a Windows absolute path', 'C:\\Windows\\win.ini'],
  ['a URL', 'https://example.com/group1-shard1of1.bin'],
] as const) {
  test(`shard paths: ${label} is refused (path-escape)`, async () => {
    const file = writeTfjsGraphModel(fresh());
    editJson(file, (j) => { j.weightsManifest[0].paths = [written]; });
    const e = await failure(file);
    assert.equal(e.code, 'path-escape');
    assert.equal(e.place.field, 'weightsManifest[0].paths[0]');
    assert.ok(e.message.includes(written), e.message);
  });
}

test('shard paths: a symlink pointing out of the folder is refused', async () => {
  const outside = fresh();
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'secret.bin'), Buffer.alloc(8));
  const file = writeTfjsGraphModel(fresh());
  symlinkSync(path.join(outside, 'secret.bin'), path.join(path.dirname(file), 'link.bin'));
  editJson(file, (j) => { j.weightsManifest[0].paths = ['link.bin']; });
  const e = await failure(file);
  assert.equal(e.code, 'path-escape');
  assert.match(e.message, /link that points outside/);
});

test('a shard that is a folder is unreadable', async () => {
  const file = writeTfjsGraphModel(fresh());
  mkdirSync(path.join(path.dirname(file), 'sub.bin'));
  editJson(file, (j) => { j.weightsManifest[0].paths = ['sub.bin']; });
  const e = await failure(file);
  assert.equal(e.code, 'unreadable');
  assert.match(e.message, /'sub\.bin' is not a regular file/);
});

test('deeply nested JSON fails with limit, at the offending byte, without overflowing the stack', async () => {
  const depth = 200_000;
  const file = writeFresh('deep.json', `{"modelTopology": ${'['.repeat(depth)}${']'.repeat(depth)}}`);
  const e = await failure(file);
  assert.equal(e.code, 'limit');
  assert.equal(e.place.offset, '{"modelTopology": '.length + MAX_JSON_DEPTH - 1);
  assert.match(e.message, /nesting is deeper than 256 levels/);
});

test('brackets inside strings do not count as nesting', async () => {
  const file = writeTfjsGraphModel(fresh());
  editJson(file, (j) => { j.userDefinedMetadata = { note: '['.repeat(10_000) + '\\"{' }; });
  const m = await readTfjsModel(file);
  assert.equal(m.metadata.note.length, 10_003);
});

test('a file over the size cap is refused before it is read', async () => {
  const file = writeFresh('huge.json', '');
  truncateSync(file, 600 * 1024 * 1024); // sparse: no disk used
  const e = await failure(file);
  assert.equal(e.code, 'limit');
  assert.match(e.message, /629145600 bytes; the limit is 536870912 bytes/);
});

test('text that is not JSON fails with malformed and a byte offset', async () => {
  const file = writeFresh('model.json', '{"modelTopology": {"node": [}');
  const e = await failure(file);
  assert.equal(e.code, 'malformed');
  assert.equal(e.place.offset, 28);
  assert.match(e.message, /\(byte 28\): not valid JSON: unexpected character '}' where a value should be/);
});

test('syntax errors after multi-byte text are placed by byte, not by character', async () => {
  const file = writeFresh('model.json', '{"é": 1 "x": 2}');
  const e = await failure(file);
  assert.equal(e.place.offset, 9);
  assert.match(e.detail, /expected ',' or '}', found '"'/);
});

test('JSON that is not a TF.js model fails with unknown-format', async () => {
  const file = writeFresh('package.json', '{"name": "x", "version": "1.0.0"}');
  assert.equal((await failure(file)).code, 'unknown-format');
});

test('a missing model file fails with not-found', async () => {
  const e = await failure(path.join(fresh(), 'nope.json'));
  assert.equal(e.code, 'not-found');
});

test('unsupported dtypes and incomplete quantization name the manifest field and weight', async () => {
  const a = writeTfjsGraphModel(fresh());
  editJson(a, (j) => { j.weightsManifest[0].weights[1].dtype = 'float64'; });
  const ea = await failure(a);
  assert.equal(ea.code, 'unsupported');
  assert.equal(ea.place.field, 'weightsManifest[0].weights[1].dtype');
  assert.equal(ea.place.tensor, 'dense/bias');

  const b = writeTfjsGraphModel(fresh());
  editJson(b, (j) => { j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 0.5 }; });
  const eb = await failure(b);
  assert.equal(eb.code, 'malformed');
  assert.match(eb.message, /uint8 quantization needs numeric `scale` and `min`/);

  const c = writeTfjsGraphModel(fresh());
  editJson(c, (j) => { j.weightsManifest[0].weights[0].shape = [1, -1]; });
  assert.equal((await failure(c)).place.field, 'weightsManifest[0].weights[0].shape');

  const d = writeTfjsGraphModel(fresh());
  editJson(d, (j) => { j.modelTopology.node[3].input = 'x'; });
  const ed = await failure(d);
  assert.equal(ed.code, 'malformed');
  assert.equal(ed.place.field, 'modelTopology.node[3].input');
});

test('an aborted signal cancels the read', async () => {
  const file = writeTfjsGraphModel(fresh());
  const ac = new AbortController();
  ac.abort();
  assert.equal((await failure(file, ac.signal)).code, 'cancelled');
});

test('the syntax-error finder agrees with JSON.parse on 2000 damaged model files', () => {
  const text = readFileSync(writeTfjsQuantizedModel(fresh()), 'utf8');
  let seed = 12345;
  const rand = (k: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % k; };
  const junk = ['', '"', '{', '}', '[', ']', ',', ':', '\\', '1', '-', 'e', ' ', 'nul', '\u0001'];
  let invalid = 0;
  for (let t = 0; t < 2000; t++) {
    const at = rand(text.length);
    const damaged = text.slice(0, at) + junk[rand(junk.length)] + text.slice(at + rand(3));
    let ok = true;
    try { JSON.parse(damaged); } catch { ok = false; invalid++; }
    assert.equal(findJsonSyntaxError(damaged) === null, ok, `case ${t}: ${damaged.slice(Math.max(0, at - 20), at + 20)}`);
  }
  assert.ok(invalid > 500, `most damaged files are invalid (${invalid})`);
});
