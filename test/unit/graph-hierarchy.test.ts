// Grouping by name scope and subgraph, the initial overview, and the per-group layout cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHierarchy, GroupKind, initialExpansion, scopeOf } from '../../src/core/layout/hierarchy.js';
import { CompoundLayout } from '../../src/core/layout/compound.js';

test('scopeOf drops the node’s own name and empty parts', () => {
  assert.deepEqual(scopeOf('/model/layers.3/attn/q_proj/MatMul'), ['model', 'layers.3', 'attn', 'q_proj']);
  assert.deepEqual(scopeOf('dense_1/MatMul'), ['dense_1']);
  assert.deepEqual(scopeOf('Relu_7'), []);
});

function transformerNames(layers: number): string[] {
  const names: string[] = [];
  for (let l = 0; l < layers; l++) {
    for (const p of ['q_proj', 'k_proj', 'v_proj']) names.push(`/model/layers.${l}/attn/${p}/MatMul`, `/model/layers.${l}/attn/${p}/Add`);
    names.push(`/model/layers.${l}/attn/Softmax`, `/model/layers.${l}/mlp/up/MatMul`, `/model/layers.${l}/mlp/down/MatMul`, `/model/layers.${l}/attn_residual/Add`);
  }
  names.push('/model/norm/LayerNormalization');
  return names;
}

test('groups follow name scopes; single-child chains collapse into one labelled group', () => {
  const names = transformerNames(3);
  const h = buildHierarchy({ names, graphOf: new Int32Array(names.length), graphs: [{ kind: 'main', ownerNode: -1, label: 'main' }] });
  const labels = new Set(h.groupLabel);
  // /model holds everything: it survives (several children); norm and attn_residual hold one node each: dissolved.
  assert.ok(labels.has('model'));
  assert.ok(labels.has('layers.0') && labels.has('attn') && labels.has('q_proj'));
  assert.ok(!labels.has('norm') && !labels.has('attn_residual'));
  // mlp/up holds one node: dissolved, so mlp's children are the two MatMuls directly.
  assert.ok(!labels.has('up'));
  const layer0 = h.groupLabel.indexOf('layers.0');
  assert.equal(h.groupLeaves[layer0], 10);
  assert.equal(h.groupLeaves[h.groupLabel.indexOf('model')], names.length);
  // Parents come before children.
  for (let g = 0; g < h.groupCount; g++) assert.ok(h.groupParent[g] < g);
});

test('a chain of single-child scopes is one group named by the whole path', () => {
  const names = ['/a/b/c/x', '/a/b/c/y'];
  const h = buildHierarchy({ names, graphOf: new Int32Array(2), graphs: [{ kind: 'main', ownerNode: -1, label: '' }] });
  assert.deepEqual(h.groupLabel, ['a/b/c']);
  assert.deepEqual(Array.from(h.leafParent), [0, 0]);
});

test('a control-flow node and its bodies form one group in its scope; functions get their own group', () => {
  // Node 0 If (main), nodes 1,2 in then-branch (graph 1), nodes 3,4 in else (graph 2), 5,6 in a function (graph 3).
  const names = ['/blk/If', 'then_add', 'then_c', 'else_mul', 'else_c', 'fa', 'fb'];
  const graphOf = Int32Array.from([0, 1, 1, 2, 2, 3, 3]);
  const graphs = [
    { kind: 'main' as const, ownerNode: -1, label: 'main' },
    { kind: 'subgraph' as const, ownerNode: 0, label: 'then_branch' },
    { kind: 'subgraph' as const, ownerNode: 0, label: 'else_branch' },
    { kind: 'function' as const, ownerNode: -1, label: 'custom:Fn' },
  ];
  const h = buildHierarchy({ names, graphOf, graphs });
  const then = h.groupLabel.indexOf('If.then_branch');
  const els = h.groupLabel.indexOf('If.else_branch');
  assert.ok(then >= 0 && els >= 0);
  // The If node and both branches sit in one group (it closes into one box in the flow); blk held
  // only that group, so it dissolved into its label.
  const ctl = h.leafParent[0];
  assert.equal(h.groupLabel[ctl], 'blk/If');
  assert.equal(h.groupKind[ctl], GroupKind.control);
  assert.equal(h.groupParent[ctl], -1);
  assert.equal(h.groupParent[then], ctl);
  assert.equal(h.groupParent[els], ctl);
  assert.equal(h.leafParent[1], then);
  assert.equal(h.groupLabel[h.leafParent[5]], 'ƒ custom:Fn');
  assert.equal(h.groupKind[h.leafParent[5]], GroupKind.function);
});

test('the initial overview opens groups breadth-first within the budget', () => {
  const names = transformerNames(30);
  const h = buildHierarchy({ names, graphOf: new Int32Array(names.length), graphs: [{ kind: 'main', ownerNode: -1, label: '' }] });
  // Opening model shows 30 layers + the final norm = 31 items; opening every layer adds 2 × 30.
  const exp = initialExpansion(h, 40);
  const model = h.groupLabel.indexOf('model');
  assert.equal(exp[model], 1, 'the single top group opens');
  assert.deepEqual([0, 1, 29].map((l) => exp[h.groupLabel.indexOf(`layers.${l}`)]), [0, 0, 0], 'a level opens whole or not at all');
  const wider = initialExpansion(h, 91);
  assert.deepEqual([0, 1, 29].map((l) => wider[h.groupLabel.indexOf(`layers.${l}`)]), [1, 1, 1], 'all 30 layers fit in 91');
  assert.equal(initialExpansion(h, 5)[model], 1, 'a lone top group opens even over budget');
  assert.equal(initialExpansion(h, 100000).every((e) => e === 1), true);
});

test('opening a group re-lays out only that group and its ancestors', () => {
  const names = transformerNames(8);
  const n = names.length;
  const h = buildHierarchy({ names, graphOf: new Int32Array(n), graphs: [{ kind: 'main', ownerNode: -1, label: '' }] });
  // A chain through all nodes in order.
  const src = Int32Array.from({ length: n - 1 }, (_, i) => i), dst = Int32Array.from({ length: n - 1 }, (_, i) => i + 1);
  const sizes = new Float32Array(h.groupCount).fill(100), gh = new Float32Array(h.groupCount).fill(40);
  const cl = new CompoundLayout({ hierarchy: h, leafW: new Float32Array(n).fill(80), leafH: new Float32Array(n).fill(30), edgeSrc: src, edgeDst: dst, groupW: sizes, groupH: gh });
  const exp = new Uint8Array(h.groupCount);
  exp[h.groupLabel.indexOf('model')] = 1;
  const first = cl.layout(exp, 'TB');
  const closedLayers = [...first.items].filter((it, i) => it >= n && first.kind[i] === 1 && h.groupLabel[it - n].startsWith('layers.')).length;
  assert.equal(closedLayers, 8);
  assert.equal(first.edgeA.length, 8, 'one drawn edge between consecutive closed layers, plus one to the final norm');
  const again = cl.layout(exp, 'TB');
  assert.equal(again.relaid, 0, 'nothing changed: all from cache');
  const open = exp.slice();
  open[h.groupLabel.indexOf('layers.3')] = 1;
  const third = cl.layout(open, 'TB');
  // layers.3 itself, then model (its parent) and the top level.
  assert.equal(third.relaid, 3);
  assert.ok(third.items.length > first.items.length);
  // Children of the opened group lie inside its box.
  const gi = [...third.items].indexOf(n + h.groupLabel.indexOf('layers.3'));
  for (let i = 0; i < third.items.length; i++) {
    const it = third.items[i];
    if (it >= n || !names[it].startsWith('/model/layers.3/')) continue;
    assert.ok(Math.abs(third.x[i] - third.x[gi]) <= third.w[gi] / 2 && Math.abs(third.y[i] - third.y[gi]) <= third.h[gi] / 2, `${names[it]} inside`);
  }
});
