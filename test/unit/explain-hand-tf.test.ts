// The Function tab's by-hand computation on TF.js models, in their NHWC layouts: one output element
// of a conv, depthwise conv, pool or dense node computed term by term equals what TF.js's CPU backend
// (@tensorflow/tfjs-backend-cpu, the panel's CPU fallback) produced at that element — on a written
// Keras fixture (SAME/VALID, strides, depthwise multiplier, pools, activations) and on the shared
// MobileNet v2 models (graph: _FusedConv2D, FusedDepthwiseConv2dNative, AvgPool, _FusedMatMul;
// layers: Conv2D, DepthwiseConv2D, Dense), which skip when ../shared/models is absent.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { canHandCompute, handCompute } from '../../src/core/explain/by-hand/hand-compute.js';
import { openModel } from '../../src/core/formats/index.js';
import type { Model, Node } from '../../src/core/ir/graph.js';
import { buildGeneratedInputs } from '../../src/core/runtime/inputs.js';
import { toNumberArray, type RuntimeTensor } from '../../src/core/runtime/tensor-value.js';
import { runTfjsInNode, tfjsInputInfos } from '../../src/core/runtime/tfjs-node.js';
import { writeTfjsConvModel } from '../fixtures/tfjs/conv-fixtures.js';
import { createFunctionHandlers } from '../../src/features/function/handlers.js';
import type { HandResult } from '../../src/features/function/protocol.js';
import { nodeList } from '../../src/core/ir/model-nodes.js';
import { RuntimeSessions } from '../../src/core/runtime/runtime-sessions.js';
import { repoRoot, sharedDir, tempDir } from '../support/paths.js';

const dir = tempDir('explain-hand-tf');
after(() => rmSync(dir, { recursive: true, force: true }));

/** Output elements to check: first, last, and a spread between (borders included, where SAME pads). */
function picks(n: number, count = 12): number[] {
  return [...new Set([0, n - 1, ...Array.from({ length: count }, (_, i) => Math.floor(((i + 1) * 7919 * 104729) % n))])];
}

/**
 * For each node: runs the model on TF.js's CPU backend capturing the node's output and its
 * non-constant input, computes `picks` elements by hand and compares. Returns the worst relative
 * difference and how many terms fell in the padding (SAME borders must produce some).
 */
async function checkNodes(model: Model, nodes: Node[], dims: Record<string, number> = {}): Promise<{ worst: number; padded: number; checked: number }> {
  const inputs = buildGeneratedInputs(tfjsInputInfos(model), { kind: 'random', seed: 4 }, dims, model.path);
  const feeds = new Map(inputs.map((t) => [t.name, t]));
  const wanted = new Set<string>();
  for (const n of nodes) {
    wanted.add(n.outputs[0].name);
    const x = n.inputs[0];
    if (x && !x.tensor && !feeds.has(x.name)) wanted.add(x.name);
  }
  const names = [...wanted];
  const r = await runTfjsInNode(model, inputs, names.map((v) => model.graph.nodes.find((n) => n.outputs.some((o) => o.name === v))!.name));
  const got = new Map<string, RuntimeTensor>(inputs.map((t) => [t.name, t]));
  r.captured.forEach((t, i) => got.set(names[i], t));
  let worst = 0, padded = 0, checked = 0;
  for (const node of nodes) {
    assert.ok(canHandCompute(node), `${node.opType} '${node.name}' is offered by hand`);
    const out = got.get(node.outputs[0].name)!;
    const x = got.get(node.inputs[0]!.name)!;
    const values = toNumberArray(out);
    let scale = 1e-6;
    for (const v of values) scale = Math.max(scale, Math.abs(v));
    for (const i of picks(values.length)) {
      const h = await handCompute(node, [{ data: toNumberArray(x), shape: x.shape }], i);
      assert.deepEqual(h.outputShape, out.shape, `${node.opType} '${node.name}': output shape`);
      const d = Math.abs(h.result - values[i]) / Math.max(Math.abs(values[i]), scale * 1e-3);
      assert.ok(d <= 1e-4, `${node.opType} '${node.name}' element ${i} [${h.outputIndex}]: by hand ${h.result}, TF.js ${values[i]} (${d} relative)`);
      worst = Math.max(worst, d);
      padded += h.terms.filter((t) => t.padding).length;
      checked++;
    }
  }
  return { worst, padded, checked };
}

test('Keras fixture: Conv2D (SAME, stride 2, relu), DepthwiseConv2D (×2), MaxPooling2D, AveragePooling2D (SAME), Dense by hand equal TF.js', async () => {
  const model = await openModel(writeTfjsConvModel(dir));
  try {
    const nodes = model.graph.nodes.filter((n) => canHandCompute(n));
    assert.deepEqual(nodes.map((n) => n.opType), ['Conv2D', 'DepthwiseConv2D', 'MaxPooling2D', 'AveragePooling2D', 'Conv2D', 'Dense']);
    const r = await checkNodes(model, nodes);
    assert.ok(r.padded > 0, 'SAME borders read the zero padding');
    console.log(`# fixture: ${r.checked} elements, worst relative difference ${r.worst.toExponential(2)}`);
    // The depthwise multiplier: output channel 2c+q reads input channel c only.
    const dw = nodes[1];
    const h = await handCompute(dw, [{ shape: [1, 4, 4, 4], data: new Float32Array(64).fill(1) }], [0, 1, 1, 5]);
    assert.deepEqual(new Set(h.terms.map((t) => t.inputIndex[3])), new Set([2]));
    assert.deepEqual(new Set(h.terms.map((t) => t.weightIndex![3])), new Set([1]));
  } finally {
    await model.close();
  }
});

test('the Function tab\'s function.hand runs a TF.js model on TF.js\'s CPU backend: by hand equals the run, for every layer offered', async () => {
  const model = await openModel(writeTfjsConvModel(path.join(dir, 'handler')));
  const sessions = new RuntimeSessions({ processPath: path.join(repoRoot, 'dist', 'runtime-process.js') });
  try {
    const h = createFunctionHandlers({ sessions });
    const ctx = { model, key: model.path, signal: new AbortController().signal, trusted: true, provider: 'auto' as const };
    const nodes = nodeList(model);
    let offered = 0;
    for (const [nodeId, node] of nodes.entries()) {
      const f = await h['function.formula']({ nodeId }, ctx) as { handComputable: boolean };
      if (!f.handComputable) continue;
      offered++;
      const r = await h['function.hand']({ nodeId, outputIndex: 1, fill: 'random', seed: 2 }, ctx) as HandResult;
      assert.equal(r.opType, node.opType);
      assert.ok(Math.abs(r.result - r.runtime) <= 1e-5 * Math.max(1, Math.abs(r.runtime)), `${node.opType}: by hand ${r.result}, run ${r.runtime}`);
    }
    assert.equal(offered, 6, 'Conv2D ×2, DepthwiseConv2D, both pools and Dense are offered by hand');
  } finally {
    await sessions.disposeAll();
    await model.close();
  }
});

const SHARED = [
  { file: 'nsfwjs/mobilenet_v2_mid/model.json', what: 'graph model', ops: ['_FusedConv2D', 'FusedDepthwiseConv2dNative', 'AvgPool', '_FusedMatMul'], padded: true },
  { file: 'nsfwjs/mobilenet_v2/model.json', what: 'layers model', ops: ['Conv2D', 'DepthwiseConv2D', 'Dense'], padded: true },
];
for (const s of SHARED) {
  const file = path.join(sharedDir, 'models', 'tfjs', s.file);
  test(`MobileNet v2 ${s.what} (${s.file}): ${s.ops.join(', ')} by hand equal TF.js`, { skip: existsSync(file) ? false : `${file} is not here` }, async () => {
    const model = await openModel(file);
    try {
      const nodes = s.ops.flatMap((op) => model.graph.nodes.filter((n) => n.opType === op).slice(0, 2));
      assert.ok(s.ops.every((op) => nodes.some((n) => n.opType === op)), 'every op is there');
      const r = await checkNodes(model, nodes);
      if (s.padded) assert.ok(r.padded > 0, 'SAME borders read the zero padding');
      console.log(`# ${s.file}: ${r.checked} elements of ${nodes.length} nodes, worst relative difference ${r.worst.toExponential(2)}`);
    } finally {
      await model.close();
    }
  });
}
