// The "auto" rule: a GPU slower than the CPU is passed over, with the reason in one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideAuto, duration, shapeKey } from '../../src/core/runtime/auto-provider.js';

test('a slower GPU is passed over, and the line says both times', () => {
  const d = decideAuto('webgpu', 1700, 17, 2600);
  assert.equal(d.provider, 'cpu');
  assert.equal(d.reason, 'CPU chosen: 17 ms against 1.7 s on WebGPU (a software or very slow adapter?)');
  assert.equal(d.gpuFirstMs, 2600);
});

test('a GPU a little slower is passed over without the software-adapter guess', () => {
  const d = decideAuto('cuda', 5, 4, 900);
  assert.equal(d.provider, 'cpu');
  assert.equal(d.reason, 'CPU chosen: 4.0 ms against 5.0 ms on CUDA');
});

test('a faster GPU is kept, and so is a tie (it frees the CPU)', () => {
  assert.deepEqual([decideAuto('webgpu', 3, 17, 100).provider, decideAuto('webgpu', 3, 17, 100).reason], ['webgpu', 'WebGPU kept: 3.0 ms against 17 ms on the CPU']);
  assert.equal(decideAuto('dml', 8, 8, 0).provider, 'dml');
});

test('the decision is remembered per input shapes', () => {
  assert.equal(shapeKey([{ name: 'x', shape: [1, 3, 224, 224] }, { name: 'm', shape: [] }]), 'x:1x3x224x224,m:');
  assert.notEqual(shapeKey([{ name: 'x', shape: [1, 3] }]), shapeKey([{ name: 'x', shape: [3, 1] }]));
  assert.deepEqual([duration(0.42), duration(17.4), duration(1712)], ['0.42 ms', '17 ms', '1.7 s']);
});
