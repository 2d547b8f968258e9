// Synthetic graph payloads of any size, scoped the way exported models are (/model/blocks.K/...):
// `nodes` nodes in blocks of `perBlock`, each node reading its predecessor and `fanIn - 1` earlier
// values, so the edge count is about nodes × fanIn. For the big-graph opening checks and bench.
import type { GraphPayload, NodeInfo, ValueInfo } from '../../src/core/model-view-types.js';

/** The payload of a synthetic scoped graph (see above). */
export function syntheticPayload(nodes: number, perBlock = 50, fanIn = 1): GraphPayload {
  const values: ValueInfo[] = [{ id: 0, name: 'x', graph: 0, dtype: 'float32', shape: [1, 16], inferred: false, producer: -1, consumers: [], weight: -1 }];
  const list: NodeInfo[] = [];
  for (let i = 0; i < nodes; i++) {
    const out = i + 1;
    const inputs = [i];
    for (let k = 1; k < fanIn && i - k * 3 >= 0; k++) inputs.push(i - k * 3);
    for (const v of inputs) values[v].consumers.push(i);
    values.push({ id: out, name: `v${i}`, graph: 0, dtype: 'float32', shape: [1, 16], inferred: false, producer: i, consumers: [], weight: -1 });
    list.push({ id: i, graph: 0, name: `/model/blocks.${Math.floor(i / perBlock)}/n${i}/${fanIn > 1 ? 'Sum' : 'Relu'}`, opType: fanIn > 1 ? 'Sum' : 'Relu', domain: '', inputs, outputs: [out], attributes: [], subgraphs: [] });
  }
  return { graphs: [{ id: 0, name: 'main', kind: 'main', ownerNode: -1, label: 'main', inputs: [0], outputs: [nodes], nodes: list.map((n) => n.id) }], nodes: list, values, weights: [] };
}
