// `model-lens cost` as a user runs it (dist/cli.js): the JSON contract, the text report, --dim,
// and the one-line error for a bad file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { buildConvNetModel, buildLinearModel, removeDir, tempDir, writeFixture } from '../fixtures/onnx/index.js';
import { repoRoot } from '../support/paths.js';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const dir = tempDir('cost-cli');
after(() => removeDir(dir));

function cost(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'cost', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('cost --json of the conv net has totals, training and per-node counts', () => {
  const r = cost(writeFixture(dir, 'convnet.onnx', buildConvNetModel()), '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.parameters, 4 * 9 + 4 + 640 + 10);
  assert.equal(j.macs, 4 * 64 * 9 + 640);
  assert.equal(typeof j.flops, 'number');
  assert.equal(typeof j.activationBytesPeak, 'number');
  assert.equal(j.training.flopsPerExample, 3 * j.flops);
  for (const k of ['total', 'weights', 'gradients', 'optimizerState', 'activations']) assert.equal(typeof j.training.memoryBytes[k], 'number', k);
  assert.deepEqual(j.nodes.map((n: { opType: string }) => n.opType), ['Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Softmax']);
  const conv = j.nodes[0];
  assert.deepEqual([conv.name, conv.macs, conv.flops], ['conv', 2304, 2 * 2304 + 256]);
  assert.equal(j.nodes.reduce((a: number, n: { flops: number }) => a + n.flops, 0), j.flops);
});

test('cost --dim sets a symbolic dim; unset dims are reported as assumed', () => {
  const file = writeFixture(dir, 'linear.onnx', buildLinearModel());
  const one = JSON.parse(cost(file, '--json').stdout);
  assert.deepEqual(one.assumedDims, { N: 1 });
  assert.equal(one.macs, 1);
  const r = cost(file, '--dim', 'N=64', '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.dims, { N: 64 });
  assert.equal(j.macs, 64);
  assert.equal(j.flops, 64 * 2 + 64, 'MatMul 2 per MAC, Add 1 per element');
});

test('cost text report is readable', () => {
  const r = cost(writeFixture(dir, 'convnet2.onnx', buildConvNetModel()));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Parameters +690 \(690\)/m);
  assert.match(r.stdout, /Forward pass +2\.94 kMACs/);
  assert.match(r.stdout, /one training run/);
  assert.match(r.stdout, /Convention: MAC = one multiply-add/);
});

test('a bad file exits 1 with one line on stderr and no stack trace', () => {
  const bad = path.join(dir, 'bad.onnx');
  writeFixture(dir, 'bad.onnx', new Uint8Array([0x08, 0x07, 0x3a, 0xff, 0xff, 0x01]));
  const r = cost(bad, '--json');
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /bad\.onnx/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const missing = cost(path.join(dir, 'nope.onnx'));
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
});

test('bad options are usage errors (exit 2)', () => {
  assert.equal(cost('x.onnx', '--dim', 'N').status, 2);
  assert.equal(cost().status, 2);
  assert.equal(cost('--help').status, 0);
});
