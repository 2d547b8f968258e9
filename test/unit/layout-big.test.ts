// Big graphs open collapsed: the layout session the webview worker and `model-lens layout` run draws
// a few hundred boxes at most for a 20k-node scoped graph (and its 100k-edge twin), every node
// accounted for inside a closed group, and every edge end on a drawn box.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutPayload } from '../../src/core/layout/layout-document.js';
import { syntheticPayload } from '../support/synthetic-graph.js';

for (const [label, fanIn] of [['20k nodes', 1], ['20k nodes, 100k edges', 5]] as const) {
  test(`a ${label} graph opens collapsed to a few hundred boxes`, async () => {
    const payload = syntheticPayload(20_000, 50, fanIn);
    const { document: d } = await layoutPayload(payload);
    const closed = d.groups.filter((g) => g.collapsed);
    const boxes = d.nodes.length + closed.length;
    assert.ok(boxes >= 1 && boxes <= 500, `${boxes} boxes drawn`);
    const hidden = closed.reduce((s, g) => s + Number(/^(\d+) nodes?$/.exec(g.caption)?.[1] ?? NaN), 0);
    const drawnNodes = d.nodes.filter((n) => n.op !== 'input' && n.op !== 'output').length;
    assert.equal(hidden + drawnNodes, 20_000, 'every node is drawn or counted in a closed box');
    const ids = new Set([...d.nodes.map((n) => n.id), ...closed.map((g) => g.id)]);
    assert.ok(d.edges.length > 0 && d.edges.every((e) => ids.has(e.from) && ids.has(e.to)), 'edges join drawn boxes');
    assert.ok(d.width > 0 && d.width < 1e5 && d.height > 0 && d.height < 1e5, `drawing ${d.width}×${d.height}`);
  });
}
