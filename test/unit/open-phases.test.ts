// The output channel's line for one open: every phase named, in order, with its time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatOpenPhases, recordActivation, takeActivation } from '../../src/vscode/open-phases.js';

const host = { parseMs: 41.6, shapesMs: 3.25, payloadMs: 12 };
const webview = { transferMs: 20, graphModelMs: 5, layoutMs: 120.4, drawMs: 8, paintedMs: 140 };

const report = { fileName: 'det.onnx', nodes: 672, host, webview, activationMs: null, webviewStartMs: null, wallMs: null };

test('the line names each phase in the order it happens; a new editor reports its wall time', () => {
  assert.equal(formatOpenPhases({ ...report, activationMs: 95, webviewStartMs: 250, wallMs: 480 }),
    'Opened det.onnx (672 nodes) in 480 ms: activation 95 ms · webview start 250 ms · read + parse 42 ms · shape inference 3.3 ms · payload 12 ms · transfer 20 ms · graph model 5.0 ms · layout 120 ms · first draw 8.0 ms');
});

test('a reload (no wall time) reports the sum of its phases', () => {
  assert.match(formatOpenPhases(report), /^Opened det\.onnx \(672 nodes\) in 210 ms: read \+ parse/);
});

test('activation is reported once: the first open paid it, later ones did not', () => {
  recordActivation(80);
  assert.equal(takeActivation(), 80);
  assert.equal(takeActivation(), null);
  assert.doesNotMatch(formatOpenPhases(report), /activation/);
});

test('a clock that went backwards (host and webview clocks differ) counts as 0, not a negative time', () => {
  assert.match(formatOpenPhases({ ...report, webview: { ...webview, transferMs: -3 } }), /transfer 0\.0 ms/);
});
