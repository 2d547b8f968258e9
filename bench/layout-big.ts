// Big-graph opening (`npm run bench:layout-big`): time and memory of the layout session the
// webview worker and `model-lens layout` run, at the editor's opening expansion, on a 200k-node
// scoped graph and on a 1M-edge one. Prints numbers; never asserted.
import { layoutPayload } from '../src/core/layout/layout-document.js';
import { syntheticPayload } from '../test/support/synthetic-graph.js';

for (const [label, nodes, fanIn] of [['200k nodes', 200_000, 1], ['1M edges', 200_000, 5]] as const) {
  const payload = syntheticPayload(nodes, 50, fanIn);
  const edges = payload.values.reduce((s, v) => s + v.consumers.length, 0);
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const r = await layoutPayload(payload);
  const heap = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  const d = r.document;
  console.log(`${label}: ${nodes} nodes, ${edges} edges; graph model ${r.modelMs.toFixed(0)} ms, hierarchy ${r.hierarchyMs.toFixed(0)} ms, `
    + `first scene ${r.layoutMs.toFixed(0)} ms; drawn ${d.nodes.length} nodes + ${d.groups.filter((g) => g.collapsed).length} closed groups; `
    + `heap +${heap.toFixed(0)} MB, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
}
