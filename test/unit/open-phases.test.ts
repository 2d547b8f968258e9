// The output channel's line for one open: every phase named, in order, with its time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatOpenPhases, recordActivation, takeActivation } from '../../src/vscode/open-phases.js';

const host = { parseMs: 41.6, shapesMs: 3.25, payloadMs: 12 };
const webview = { transferMs: 20, graphModelMs: 5, layoutMs: 120.4, drawMs: 8, paintedMs: 140 };

test('the line names each phase in the order it happens, and the total is their sum', () => {
  assert.equal(formatOpenPhases('det.onnx', 672, host, webview, 95),
    'Opened det.onnx (672 nodes) in 305 ms: activation 95 ms · read + parse 42 ms · shape inference 3.3 ms · payload 12 ms · transfer 20 ms · graph model 5.0 ms · layout 120 ms · first draw 8.0 ms');
});

test('activation is reported once: the first open paid it, later ones did not', () => {
  recordActivation(80);
  assert.equal(takeActivation(), 80);
  assert.equal(takeActivation(), null);
  assert.doesNotMatch(formatOpenPhases('a.onnx', 1, host, webview, null), /activation/);
});

test('a clock that went backwards (host and webview clocks differ) counts as 0, not a negative time', () => {
  assert.match(formatOpenPhases('a.onnx', 1, host, { ...webview, transferMs: -3 }, null), /transfer 0\.0 ms/);
});
