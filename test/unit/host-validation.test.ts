import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError } from '../../src/core/ir/errors.js';
import { toErrorInfo } from '../../src/vscode/error-info.js';
import { bytes, int, oneOf, record, str } from '../../src/protocol-validate.js';

test('ModelErrors become error-view info with code, file and place', () => {
  const e = new ModelError('truncated', 'length 1289577 runs past the end of the file (5000 bytes)', { file: '/ws/broken.onnx', offset: 19, field: 'model.graph' });
  const info = toErrorInfo(e, '/ws/broken.onnx');
  assert.equal(info.code, 'truncated');
  assert.equal(info.file, '/ws/broken.onnx');
  assert.deepEqual(info.place, { offset: 19, field: 'model.graph', tensor: undefined });
  assert.equal(info.detail, 'length 1289577 runs past the end of the file (5000 bytes)');
  assert.equal(info.message, '/ws/broken.onnx (byte 19, model.graph): length 1289577 runs past the end of the file (5000 bytes)');
});

test('a ModelError that crossed a worker as a plain object keeps its code and place', () => {
  const plain = { name: 'ModelError', code: 'missing-file', message: '/m/model.json (weightsManifest[0].paths[0]): shard missing', detail: 'shard missing', place: { file: '/m/model.json', field: 'weightsManifest[0].paths[0]' } };
  const info = toErrorInfo(plain, '/m/model.json');
  assert.equal(info.code, 'missing-file');
  assert.equal(info.place.field, 'weightsManifest[0].paths[0]');
});

test('anything else is reported as an internal error that still names the file', () => {
  const info = toErrorInfo(new TypeError('x is undefined'), '/ws/a.onnx');
  assert.equal(info.code, 'internal');
  assert.equal(info.file, '/ws/a.onnx');
  assert.match(info.message, /^\/ws\/a\.onnx: x is undefined$/);
  assert.match(info.detail, /bug in Model Lens/);
});

test('validators accept well-formed fields and name the field they refuse', () => {
  const p = record({ nodeId: 3, name: 'conv1', format: 'graph-svg', data: new Uint8Array([1, 2, 3]) });
  assert.equal(int(p, 'nodeId', 0, 10), 3);
  assert.equal(str(p, 'name', 16), 'conv1');
  assert.equal(oneOf(p, 'format', ['graph-svg', 'graph-png'] as const), 'graph-svg');
  assert.deepEqual([...bytes(p, 'data', 16)], [1, 2, 3]);
  assert.throws(() => int(p, 'nodeId', 0, 2), /'nodeId' must be an integer in \[0, 2\]/);
  assert.throws(() => int({ nodeId: 1.5 }, 'nodeId', 0, 10), /'nodeId'/);
  assert.throws(() => int({ nodeId: '3' }, 'nodeId', 0, 10), /'nodeId'/);
  assert.throws(() => str({ path: 42 }, 'path'), /'path' must be a string/);
  assert.throws(() => oneOf(p, 'name', ['a', 'b']), /'name' must be one of a, b/);
  assert.throws(() => bytes(p, 'data', 2), /'data' must be binary data of at most 2 bytes/);
  assert.throws(() => record([1, 2]), /'params' must be an object/);
  assert.deepEqual(record(null), {});
});
