// Paths written inside models (ONNX external_data location, TF.js shard paths) never make the host
// touch a file outside the model's folder (issue #8). An fs spy records every open, stat and
// readlink while each escaping corpus case is opened and its tensors are read; a decoy secret.bin
// sits right outside every case folder. resolveInsideFolder itself is checked on POSIX and
// Windows-style spellings.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { installFsSpy, outsideAccesses, takeAccesses } from '../../fuzz/fs-spy.js';
import { openModel } from '../../src/core/formats/index.js';
import { resolveInsideFolder } from '../../src/core/io/paths.js';
import { isModelError } from '../../src/core/ir/errors.js';
import { collectWeights } from '../../src/core/ir/walk.js';
import { SECRET_NAME, badCases, writeBadCorpus } from '../fixtures/bad/corpus.js';
import { tempDir } from '../support/paths.js';

/** Every way of spelling "somewhere else" the corpus and these tests use. */
const ESCAPES: [string, string][] = [
  ['parent', '../secret.bin'],
  ['deep parent', '../../../../../../../../etc/passwd'],
  ['parent after a folder', 'sub/../../secret.bin'],
  ['parent after a dot', './../secret.bin'],
  ['POSIX absolute', '/etc/passwd'],
  ['device', '/dev/zero'],
  ['proc', '/proc/self/environ'],
  ['Windows drive, backslashes', 'C:\\Windows\\win.ini'],
  ['Windows drive, slashes', 'C:/secret.bin'],
  ['Windows drive-relative', 'C:secret.bin'],
  ['Windows parent', '..\\secret.bin'],
  ['Windows parent after a folder', 'sub\\..\\..\\secret.bin'],
  ['Windows mixed separators', 'sub/..\\../secret.bin'],
  ['UNC share', '\\\\server\\share\\w.bin'],
  ['Windows device namespace', '\\\\.\\PhysicalDrive0'],
  ['Windows root-relative', '\\secret.bin'],
  ['file URL', 'file:///etc/passwd'],
  ['https URL', 'https://example.com/w.bin'],
  ['NUL byte', 'w.bin\0../../secret.bin'],
  ['empty', ''],
];

describe('resolveInsideFolder refuses every escaping spelling before touching the disk', () => {
  let dir: string;
  let model: string;
  before(() => {
    installFsSpy();
    dir = tempDir('paths');
    mkdirSync(path.join(dir, 'm', 'sub'), { recursive: true });
    writeFileSync(path.join(dir, SECRET_NAME), 'decoy');
    writeFileSync(path.join(dir, 'm', 'w.bin'), 'data');
    symlinkSync('../secret.bin', path.join(dir, 'm', 'link-out.bin'));
    symlinkSync('/dev/zero', path.join(dir, 'm', 'link-dev.bin'));
    symlinkSync('../..', path.join(dir, 'm', 'sub', 'up'));
    model = path.join(dir, 'm', 'model.onnx');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [label, written] of ESCAPES) {
    test(`${label}: ${JSON.stringify(written)}`, () => {
      takeAccesses();
      assert.throws(() => resolveInsideFolder(model, written, 'f'), (e: unknown) => isModelError(e) && e.code === 'path-escape' && e.message.includes(model) && e.message.includes('(f)'));
      assert.deepEqual(takeAccesses(), [], 'refused on the spelling alone: nothing looked up');
    });
  }

  for (const [label, written] of [['link to a file outside', 'link-out.bin'], ['link to a device', 'link-dev.bin'], ['through a link to the parent folder', 'sub/up/secret.bin']]) {
    test(`symlink: ${label}`, () => {
      takeAccesses();
      assert.throws(() => resolveInsideFolder(model, written, 'f'), (e: unknown) => isModelError(e) && e.code === 'path-escape' && /link that points outside/.test(e.message));
      assert.deepEqual(outsideAccesses(takeAccesses(), path.join(dir, 'm')), [], 'only the link itself (inside) was looked at');
    });
  }

  test('files inside the folder resolve, with either separator', () => {
    assert.equal(resolveInsideFolder(model, 'w.bin', 'f'), path.join(dir, 'm', 'w.bin'));
    writeFileSync(path.join(dir, 'm', 'sub', 'x.bin'), 'x');
    assert.equal(resolveInsideFolder(model, 'sub\\x.bin', 'f'), path.join(dir, 'm', 'sub', 'x.bin'));
    assert.equal(resolveInsideFolder(model, './sub/x.bin', 'f'), path.join(dir, 'm', 'sub', 'x.bin'));
  });

  test('Windows device names and alternate data streams are refused on every platform', () => {
    for (const name of ['NUL', 'CON', 'COM1', 'aux.bin', 'sub/lpt2.data', 'sub\\nul.txt']) {
      assert.throws(() => resolveInsideFolder(model, name, 'f'), (e: unknown) => isModelError(e) && e.code === 'path-escape' && /Windows device/.test(e.message), name);
    }
    assert.throws(() => resolveInsideFolder(model, 'x.bin:secret', 'f'), (e: unknown) => isModelError(e) && e.code === 'path-escape' && /alternate data stream/.test(e.message));
    // Names that only start like a device are ordinary files.
    assert.throws(() => resolveInsideFolder(model, 'console.bin', 'f'), (e: unknown) => isModelError(e) && e.code === 'missing-file');
  });
});

describe('opening every escaping corpus case reads nothing outside its folder', () => {
  let dir: string;
  const cases = badCases().filter((c) => /^(onnx-external-|tfjs-path-)/.test(c.name));
  const files = new Map<string, string>();
  before(() => {
    installFsSpy();
    dir = tempDir('paths-corpus');
    for (const [c, f] of writeBadCorpus(dir)) files.set(c.name, f);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the corpus has the escaping cases', () => assert.ok(cases.length >= 30, `${cases.length} cases`));

  for (const c of cases) {
    test(c.name, async () => {
      const file = files.get(c.name)!;
      takeAccesses();
      let outcome: string;
      try {
        const model = await openModel(file);
        for (const t of collectWeights(model)) await t.data.read().catch((e: unknown) => { if (!isModelError(e)) throw e; });
        outcome = 'opened';
      } catch (e) {
        assert.ok(isModelError(e), `a ModelError, not ${String(e)}`);
        outcome = e.code;
      }
      const seen = takeAccesses();
      assert.deepEqual(outsideAccesses(seen, path.dirname(file)), [], 'no access outside the model folder');
      assert.ok(!seen.some((a) => a.path.endsWith(SECRET_NAME) && a.op === 'open'), 'the decoy was never opened');
      if ('error' in c.expect) assert.equal(outcome, c.expect.error);
    });
  }
});
