// The graph view readable by default: which nodes fold into their consumers, what a closed
// control-flow or function box says, and the layout contract (edge ends on borders, no overlaps,
// chains straight, no edge through a box) on PaddleOCR-, IS-Net- and Silero-like fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { openModel } from '../../src/core/formats/index.js';
import { buildGraphPayload } from '../../src/core/graph-payload.js';
import type { GraphPayload } from '../../src/core/model-view-types.js';
import { buildHierarchy, groupCaption, GroupKind, initialExpansion } from '../../src/core/layout/hierarchy.js';
import { CompoundLayout } from '../../src/core/layout/compound.js';
import { layoutDag } from '../../src/core/layout/layout-dag.js';
import { buildGraphModel, type GraphModel } from '../../src/core/layout/graph-model.js';
import { layoutInit, LayoutSession } from '../../src/core/layout/layout-session.js';
import { foldConstants } from '../../src/core/layout/constant-fold.js';
import { writeTfjsGraphModel } from '../fixtures/tfjs/index.js';
import {
  buildConstantHeavyModel, buildConstantWeightsModel, buildFunctionModel, buildIfHeavyModel, buildLongChainModel, removeDir, tempDir, writeFixture,
} from '../fixtures/onnx/index.js';
import { chainViolations, edgeEndViolations, edgeThroughBoxViolations, overlapViolations, type SceneContext } from './graph-scene-check.js';
import { repoRoot } from '../support/paths.js';

async function payloadOf(name: string, bytes: Uint8Array | string): Promise<GraphPayload> {
  const dir = tempDir('graph-readable');
  try {
    const m = await openModel(typeof bytes === 'string' ? bytes : writeFixture(dir, name, bytes));
    const p = buildGraphPayload(m);
    await m.close();
    return p;
  } finally { removeDir(dir); }
}

/** What the worker builds for a model (its LayoutSession): the hierarchy, the opening expansion and its scene. */
function laidOut(m: GraphModel, expandAll = false, budget = 250) {
  const session = new LayoutSession(layoutInit(m, 'TB', null, budget));
  const hier = session.hierarchy;
  const expanded = session.expansion(expandAll ? 'all' : 'default');
  const captions = session.info.groupCaption;
  const scene = session.layout(expanded, 'TB');
  const ctx: SceneContext = { scene, hier, leafCount: m.leafCount, nodeCount: m.nodeCount };
  return { hier, expanded, captions, scene, ctx };
}

const drawnNodes = (m: GraphModel, scene: { items: Int32Array; kind: Uint8Array }) =>
  [...scene.items].filter((it, i) => scene.kind[i] === 0 && it < m.nodeCount).map((it) => m.payload.nodes[it].opType);

test('Constant nodes and Constant → Cast chains fold into their consumers as weight rows', async () => {
  const p = await payloadOf('ocr.onnx', buildConstantHeavyModel(5));
  const m = await buildGraphModel(p);
  const folded = p.nodes.filter((_, i) => m.folded[i]).map((n) => n.opType);
  // 6 per block, the shared scalar, and the Reshape's shape (Constant → Cast).
  assert.equal(folded.filter((op) => op === 'Constant').length, 32);
  assert.deepEqual(folded.filter((op) => op !== 'Constant'), ['Cast']);
  const bn = p.nodes.findIndex((n) => n.name === 'p2o.BatchNormalization.0');
  assert.deepEqual(m.texts[bn].lines, ['scale ⟨4⟩', 'offset ⟨4⟩', 'mean ⟨4⟩', 'variance ⟨4⟩']);
  const conv = p.nodes.findIndex((n) => n.name === 'p2o.Conv.0');
  assert.deepEqual(m.texts[conv].lines, ['kernel 3×3, pads 1,1,1,1', 'w_0 ⟨4×1×3×3⟩', 'b_0 ⟨4⟩']);
  // A constant read by two nodes shows in both.
  for (const name of ['p2o.Add.1', 'p2o.Add.3']) assert.deepEqual(m.texts[p.nodes.findIndex((n) => n.name === name)].lines, ['half ⟨scalar⟩'], name);
  // The Cast chain's weight is the Constant's tensor, shown in the Reshape; find lands on the Reshape.
  const reshape = p.nodes.findIndex((n) => n.name === 'p2o.Reshape.0');
  assert.deepEqual(m.texts[reshape].lines, ['shape_i32 ⟨2⟩']);
  assert.equal(m.foldTarget[p.nodes.findIndex((n) => n.name === 'p2o.Constant.shape')], reshape);
  // No edge leaves a folded node; what is drawn is the network itself: 5 × (Conv, BN, HardSwish) + 2 Add + Reshape + Softmax.
  for (let e = 0; e < m.edgeSrc.length; e++) assert.ok(!(m.edgeSrc[e] < m.nodeCount && m.folded[m.edgeSrc[e]]));
  const { scene } = laidOut(m);
  assert.equal(drawnNodes(m, scene).length, 19);
  // Shown as nodes again: every node is drawn, and boxes no longer list the Constant values.
  const shown = await buildGraphModel(p, undefined, { foldConstants: false });
  assert.equal(shown.folded.reduce((a, b) => a + b, 0), 0);
  assert.deepEqual(shown.texts[conv].lines, ['kernel 3×3, pads 1,1,1,1']);
  assert.equal(drawnNodes(shown, laidOut(shown).scene).length, p.nodes.length);
});

test('what does not fold: a constant that is a graph output, an unused one, Identity of a computed value or a graph input', async () => {
  const p = await payloadOf('cw.onnx', buildConstantWeightsModel());
  // Hand-made variations of one payload: the rules read only opType, inputs, outputs and weights.
  const base = foldConstants(p);
  assert.deepEqual(p.nodes.filter((_, i) => base.folded[i]).map((n) => n.name), ['const_w', 'const_b', 'const_shape']);
  const asOutput = structuredClone(p);
  asOutput.graphs[0].outputs.push(asOutput.nodes[0].outputs[0]);
  assert.equal(foldConstants(asOutput).folded[0], 0, 'a Constant that is a graph output keeps its box');
  const unused = structuredClone(p);
  unused.values[unused.nodes[1].outputs[0]].consumers = [];
  assert.equal(foldConstants(unused).folded[1], 0, 'a Constant nobody reads keeps its box');
  const identity = structuredClone(p);
  identity.nodes[3].opType = 'Identity';
  identity.nodes[3].inputs = [identity.nodes[3].inputs[0]];
  assert.equal(foldConstants(identity).folded[3], 0, 'Identity of the graph input x stays');
  assert.equal(foldConstants(p, false).folded.some((f) => f === 1), false);
});

test('TF.js Const nodes fold into the ops that read them', async () => {
  const dir = tempDir('graph-readable-tfjs');
  try {
    const p = await payloadOf('model.json', writeTfjsGraphModel(dir));
    const m = await buildGraphModel(p);
    assert.deepEqual(p.nodes.filter((_, i) => m.folded[i]).map((n) => n.name), ['dense/kernel', 'dense/bias']);
    assert.deepEqual(m.texts[p.nodes.findIndex((n) => n.name === 'dense/MatMul')].lines, ['kernel ⟨1×1⟩']);
    assert.deepEqual(drawnNodes(m, laidOut(m).scene).sort(), ['BiasAdd', 'Identity', 'MatMul', 'Placeholder']);
  } finally { removeDir(dir); }
});

test('a Loop with one body says so; a nested control node stays inside its body', () => {
  // Node 0 Loop (main) with body graph 1 holding nodes 1 (Add) and 2 (an If with branches 2, 3: nodes 3, 4).
  const names = ['loop', 'body_add', 'body_if', 'then_mul', 'else_neg'];
  const graphs = [
    { kind: 'main' as const, ownerNode: -1, label: 'main' }, { kind: 'subgraph' as const, ownerNode: 0, label: 'body' },
    { kind: 'subgraph' as const, ownerNode: 2, label: 'then_branch' }, { kind: 'subgraph' as const, ownerNode: 2, label: 'else_branch' },
  ];
  const h = buildHierarchy({ names, graphOf: Int32Array.from([0, 1, 1, 2, 3]), graphs });
  const ops = ['Loop', 'Add', 'If', 'Mul', 'Neg'];
  const loop = h.leafParent[0], inner = h.leafParent[2];
  assert.equal(groupCaption(h, loop, (l) => ops[l]), 'Loop · body · 4 nodes');
  assert.equal(groupCaption(h, inner, (l) => ops[l]), 'If · 2 branches · 2 nodes');
  // The inner If's group lies inside the Loop's body; both control groups open closed, the body open.
  let g = inner;
  while (g >= 0 && g !== loop) g = h.groupParent[g];
  assert.equal(g, loop);
  const exp = initialExpansion(h, 1000);
  assert.deepEqual([exp[loop], exp[inner]], [0, 0]);
});

test('If bodies and functions open closed, as one box that says what is inside; bodies open with it', async () => {
  const p = await payloadOf('ifs.onnx', buildIfHeavyModel(3, 8));
  const m = await buildGraphModel(p);
  const { hier, expanded, captions, scene } = laidOut(m);
  const controls = [...Array(hier.groupCount).keys()].filter((g) => hier.groupKind[g] === GroupKind.control && m.graphOf[hier.groupOwner[g]] === 0);
  assert.equal(controls.length, 3);
  // If_0: then = 8 ops + Tanh + nested If + Identity, with the nested branches' 2 + Identity and
  // 1 + Identity (16); else = 2 ops + Identity (3). The others have no nested If: 10 + 3. Constants
  // are folded, so they are not counted.
  assert.deepEqual(controls.map((g) => captions[g]), ['If · 2 branches · 19 nodes', 'If · 2 branches · 13 nodes', 'If · 2 branches · 13 nodes']);
  assert.ok(controls.every((g) => !expanded[g]), 'closed');
  // Drawn boxes: cond, x, Relu, three If boxes, Sigmoid, y (and the open frame of the `model` scope).
  assert.equal([...scene.kind].filter((k) => k !== 2).length, 8);
  assert.deepEqual([...scene.kind].filter((k) => k === 1).length, 3);
  // Bodies are marked open, so one click on the If box shows both branches' nodes.
  const bodies = [...Array(hier.groupCount).keys()].filter((g) => hier.groupKind[g] === GroupKind.body && hier.groupParent[g] === controls[0]);
  assert.equal(bodies.length, 2);
  assert.ok(bodies.every((g) => expanded[g]));
  const open = expanded.slice();
  open[controls[0]] = 1;
  const layout = new CompoundLayout({ hierarchy: hier, leafW: m.leafW, leafH: m.leafH, edgeSrc: m.edgeSrc, edgeDst: m.edgeDst, hidden: layoutInit(m, 'TB', null, 250).hidden, groupW: new Float32Array(hier.groupCount).fill(150), groupH: new Float32Array(hier.groupCount).fill(40) });
  const after = layout.layout(open, 'TB');
  const shownOps = [...after.items].filter((it) => it < m.nodeCount).map((it) => p.nodes[it].name);
  assert.ok(shownOps.includes('then0/Tanh') && shownOps.includes('else0/Identity') && shownOps.includes('/model/If_0'), shownOps.join(' '));
  assert.ok(!shownOps.includes('then0_inner_then/Identity'), 'the nested If stays closed');

  const f = await buildGraphModel(await payloadOf('fn.onnx', buildFunctionModel()));
  const fl = laidOut(f);
  const fg = fl.hier.groupLabel.indexOf('ƒ local.fn:Affine');
  assert.ok(fg >= 0);
  assert.equal(fl.expanded[fg], 0);
  assert.equal(fl.captions[fg], 'function · 2 nodes');
});

const fixtures: [string, () => Uint8Array][] = [
  ['PaddleOCR-like', () => buildConstantHeavyModel(6)], ['IS-Net-like', () => buildLongChainModel(2)], ['If-heavy', () => buildIfHeavyModel(3, 8)],
];
for (const [name, build] of fixtures) {
  for (const expandAll of [false, true]) {
    test(`layout contract, ${name}${expandAll ? ', every group open' : ', as it opens'}: edge ends on borders, no overlaps, straight chains, no edge through a box`, async () => {
      const m = await buildGraphModel(await payloadOf(`${name}.onnx`, build()));
      const { ctx } = laidOut(m, expandAll);
      assert.deepEqual(edgeEndViolations(ctx), []);
      assert.deepEqual(overlapViolations(ctx), []);
      assert.deepEqual(chainViolations(ctx), []);
      assert.deepEqual(edgeThroughBoxViolations(ctx), []);
    });
  }
}

test('a U-Net of boxes of different widths: the main path is one column, each skip edge one straight run beside it', () => {
  // G: wide stage boxes, P: pools, R: resizes, C: concats reading the skip from G; G0 → … → D0.
  const names = ['G0', 'P0', 'G1', 'P1', 'G2', 'P2', 'G3', 'R2', 'C2', 'D2', 'R1', 'C1', 'D1', 'R0', 'C0', 'D0'];
  const w = [199, 145, 199, 145, 199, 145, 199, 93, 59, 199, 93, 59, 199, 93, 59, 199];
  const id = (s: string) => names.indexOf(s);
  const edges = [...names.slice(1).map((b, i) => [names[i], b]), ['G2', 'C2'], ['G1', 'C1'], ['G0', 'C0']];
  const r = layoutDag({ n: names.length, w: Float32Array.from(w), h: new Float32Array(names.length).fill(60), src: Int32Array.from(edges, (e) => id(e[0])), dst: Int32Array.from(edges, (e) => id(e[1])) });
  const xs = names.map((_, i) => r.x[i]);
  assert.ok(Math.max(...xs) - Math.min(...xs) < 1, `main path x: ${xs.map((x) => x.toFixed(1)).join(' ')}`);
  for (let e = names.length - 1; e < edges.length; e++) {
    const run: number[] = [];
    for (let p = r.edgeStart[e] + 1; p < r.edgeStart[e + 1] - 1; p++) run.push(r.points[2 * p]);
    assert.ok(run.length >= 4 && Math.max(...run) - Math.min(...run) < 0.5, `skip ${edges[e].join('→')} runs at ${run.map((x) => x.toFixed(1)).join(' ')}`);
    assert.ok(Math.min(...run.map((x) => Math.abs(x - xs[0]))) > 99, 'beside the widest box, not through it');
  }
});

test('IS-Net-like: the whole encoder-decoder chain is one vertical line (was a staircase)', async () => {
  const m = await buildGraphModel(await payloadOf('isnet.onnx', buildLongChainModel(2)));
  const { ctx, scene } = laidOut(m, false, 100000);
  const at = new Map<number, number>();
  scene.items.forEach((it, i) => at.set(it, i));
  // Every Conv of the main path (each stage's first node) sits at the same x, whatever its group.
  const convX = m.payload.nodes.flatMap((n, i) => (n.opType === 'Conv' && n.name !== '/side/Conv' && at.has(i) ? [scene.x[at.get(i)!]] : []));
  assert.equal(convX.length, 14);
  assert.ok(Math.max(...convX) - Math.min(...convX) < 1, `Conv x spread ${Math.max(...convX) - Math.min(...convX)}`);
  assert.deepEqual(chainViolations(ctx), []);
});

test('Silero VAD opens with its If nodes closed and its Constants folded', { skip: existsSync(path.resolve(repoRoot, '../shared/models/onnx/silero-vad-github/silero_vad_16k_op15.onnx')) ? false : '../shared/models absent' }, async () => {
  const file = path.resolve(repoRoot, '../shared/models/onnx/silero-vad-github/silero_vad_16k_op15.onnx');
  const payload = await payloadOf('silero.onnx', file);
  const folded = await buildGraphModel(payload);
  const shown = await buildGraphModel(payload, undefined, { foldConstants: false });
  const a = laidOut(folded), b = laidOut(shown);
  assert.ok(folded.folded.reduce((x, y) => x + y, 0) >= 150, 'its 160 Constants, nearly all');
  const closedIfs = [...a.scene.items].filter((it, i) => a.scene.kind[i] === 1 && a.hier.groupKind[it - folded.leafCount] === GroupKind.control);
  assert.ok(closedIfs.length >= 3, `${closedIfs.length} closed If boxes`);
  assert.ok([...a.scene.items].every((it) => it >= folded.leafCount || folded.graphOf[it] <= 0), 'no body node drawn at first');
  assert.ok(a.scene.items.length < b.scene.items.length * 0.7, `${a.scene.items.length} items vs ${b.scene.items.length} with constants shown`);
  assert.deepEqual(overlapViolations(a.ctx), []);
  assert.deepEqual(edgeEndViolations(a.ctx), []);
  assert.deepEqual(edgeThroughBoxViolations(a.ctx), []);
  // Of its ~60 chain links a few sit off the line where two of them compete for one spot (5 today;
  // 21 when the anti-lean shear tilted every chain by 3 px a layer).
  assert.ok(chainViolations(a.ctx).length < 10, chainViolations(a.ctx).join('\n'));
});

const sharedModels = path.join(repoRoot, '..', 'shared', 'models');
const REAL_READABLE = [
  'tfjs/vscode-languagedetection/model.json', 'onnx/silero-vad-github/silero_vad_half.onnx', 'onnx/silero-vad-github/silero_vad_16k_op15.onnx',
  'onnx-backend-tests/light/light_inception_v2.onnx', 'onnx/ort-extensions-tests/FastestDet.onnx',
];
test('real models as they open: edge ends on borders, no overlaps, no edge through a box (an edge closing a cycle through a group runs upwards beside it)', { skip: !existsSync(sharedModels) && 'no ../shared/models' }, async () => {
  let checked = 0;
  for (const rel of REAL_READABLE) {
    const file = path.join(sharedModels, rel);
    if (!existsSync(file)) continue;
    const { ctx } = laidOut(await buildGraphModel(await payloadOf(path.basename(file), file)));
    assert.deepEqual(edgeEndViolations(ctx), [], rel);
    assert.deepEqual(overlapViolations(ctx), [], rel);
    assert.deepEqual(edgeThroughBoxViolations(ctx), [], rel);
    checked++;
  }
  assert.ok(checked > 0, 'at least one shared model checked');
});
