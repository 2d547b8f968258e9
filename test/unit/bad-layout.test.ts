// Graphs that are not DAGs (issue #8) still get drawn: the webview's layered layout breaks cycles,
// ignores self-loops and terminates, with every node and edge given finite coordinates — on the
// corpus's cyclic graphs as the graph payload sends them, and on a 20,000-node ring.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { layoutDag } from '../../src/core/layout/layout-dag.js';
import type { DagInput } from '../../src/core/layout/types.js';
import { openModel } from '../../src/core/formats/index.js';
import { buildGraphPayload } from '../../src/core/graph-payload.js';
import { badCases, writeCase } from '../fixtures/bad/corpus.js';
import { tempDir } from '../support/paths.js';

let dir: string;
before(() => { dir = tempDir('bad-layout'); });
after(() => rmSync(dir, { recursive: true, force: true }));

/** Node-to-node edges of the main graph, as the graph view derives them from the payload. */
async function dagOf(name: string): Promise<DagInput> {
  const c = badCases().find((x) => x.name === name)!;
  const p = buildGraphPayload(await openModel(writeCase(dir, c)));
  const nodes = p.graphs[0].nodes;
  const index = new Map(nodes.map((id, i) => [id, i]));
  const src: number[] = [], dst: number[] = [];
  for (const id of nodes) {
    for (const vid of p.nodes[id].inputs) {
      if (vid < 0) continue;
      const from = index.get(p.values[vid].producer);
      if (from !== undefined) { src.push(from); dst.push(index.get(id)!); }
    }
  }
  const n = nodes.length;
  return { n, w: new Float32Array(n).fill(80), h: new Float32Array(n).fill(24), src: Int32Array.from(src), dst: Int32Array.from(dst) };
}

function assertDrawn(input: DagInput, label: string): void {
  const l = layoutDag(input);
  assert.equal(l.x.length, input.n, `${label}: every node placed`);
  assert.ok([...l.x, ...l.y].every(Number.isFinite), `${label}: finite node coordinates`);
  assert.equal(l.edgeStart.length, input.src.length + 1, `${label}: one route per edge`);
  assert.ok([...l.points].every(Number.isFinite), `${label}: finite edge routes`);
  assert.ok(Number.isFinite(l.width) && Number.isFinite(l.height) && l.width > 0 && l.height > 0, `${label}: a finite drawing`);
}

for (const name of ['onnx-cycle', 'onnx-self-loop', 'onnx-duplicate-output', 'tfjs-cycle', 'tfjs-self-loop', 'tfjs-duplicate-names']) {
  test(`${name}: the graph view's layout terminates and places everything`, async () => {
    const input = await dagOf(name);
    assert.ok(input.n > 0);
    if (/cycle|self/.test(name)) assert.ok([...input.src].some((s, i) => s >= input.dst[i]), 'the edges really go back up');
    assertDrawn(input, name);
  });
}

test('a 20,000-node ring with chords and self-loops is laid out', () => {
  const n = 20_000;
  const src: number[] = [], dst: number[] = [];
  for (let i = 0; i < n; i++) {
    src.push(i); dst.push((i + 1) % n);
    if (i % 97 === 0) { src.push(i); dst.push((i * 31) % n); }
    if (i % 501 === 0) { src.push(i); dst.push(i); }
  }
  assertDrawn({ n, w: new Float32Array(n).fill(80), h: new Float32Array(n).fill(24), src: Int32Array.from(src), dst: Int32Array.from(dst) }, 'ring');
});
