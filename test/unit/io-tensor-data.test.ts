// Lazy tensor bytes: ranges over several files, partial reads, and a file that shrank after opening.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileRangesData } from '../../src/core/io/tensor-data.js';
import { isModelError } from '../../src/core/ir/errors.js';
import { withTempDir } from '../fixtures/onnx/index.js';

test('FileRangesData reads across ranges of two files, whole and in part', async () => {
  await withTempDir('io', async (dir) => {
    const a = join(dir, 'a.bin'), b = join(dir, 'b.bin');
    writeFileSync(a, Uint8Array.from([9, 9, 1, 2, 3]));
    writeFileSync(b, Uint8Array.from([4, 5, 6, 9]));
    const data = new FileRangesData([{ path: a, offset: 2, length: 3 }, { path: b, offset: 0, length: 3 }]);
    assert.equal(data.byteLength, 6);
    assert.deepEqual([...(await data.read())], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...(await data.read(2, 3))], [3, 4, 5], 'a read spanning the two files');
    assert.deepEqual([...(await data.read(5, 10))], [6], 'clamped at the end');
  });
});

test('a file that shrank after opening gives a typed error naming it and the byte', async () => {
  await withTempDir('io-shrink', async (dir) => {
    const f = join(dir, 'w.bin');
    writeFileSync(f, new Uint8Array(64));
    const data = new FileRangesData([{ path: f, offset: 16, length: 32 }]);
    truncateSync(f, 20);
    await assert.rejects(data.read(), (e: unknown) => isModelError(e) && e.code === 'truncated' && e.place.file === f && e.place.offset === 20 && /w\.bin \(byte 20\)/.test(e.message));
  });
});
