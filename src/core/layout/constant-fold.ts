// Which nodes only hold constants, and fold into the nodes that read them: ONNX `Constant` and TF.js
// `Const` nodes, and Identity/Cast chains fed only by constants or initializers. A folded node is not
// drawn; its value is shown inside each consumer as a weight row, the way an initializer is. A
// constant read by several nodes folds into every one of them: an initializer read by several nodes
// is already listed in each, and drawing one shared box would bring back the long edges (and, for a
// shape constant read across a model, the wall of hairlines) that folding is there to remove.
// DOM-free and pure, so the rules are unit-tested in Node.
import type { GraphPayload } from '../model-view-types.js';

/** Ops whose node is nothing but a constant value. */
const CONSTANT_OPS = new Set(['Constant', 'Const']);
/** Ops that pass a constant on unchanged (or only re-typed): a chain of them fed by constants is a constant. */
const PASS_OPS = new Set(['Identity', 'Cast']);

export interface ConstantFold {
  /** 1 for a node folded into its consumers (not drawn). */
  folded: Uint8Array;
  /** Per value: the weight it shows as inside its consumers (an initializer, or a folded constant's), else -1. */
  valueWeight: Int32Array;
  /** Per node: a drawn node that shows it (its first consumer past the folded chain), else -1. */
  foldTarget: Int32Array;
  /** Per value: the folded node that produced it, when there is one, else -1. */
  foldedFrom: Int32Array;
}

/** The constant-only nodes of a payload and where each shows; `enabled` false folds nothing. */
export function foldConstants(p: GraphPayload, enabled = true): ConstantFold {
  const N = p.nodes.length, V = p.values.length;
  const folded = new Uint8Array(N);
  const valueWeight = new Int32Array(V);
  for (let v = 0; v < V; v++) valueWeight[v] = p.values[v].weight;
  const foldTarget = new Int32Array(N).fill(-1);
  const foldedFrom = new Int32Array(V).fill(-1);
  if (!enabled) return { folded, valueWeight, foldTarget, foldedFrom };
  // A graph's outputs need a box to come from: nodes producing them stay.
  const isGraphOutput = new Uint8Array(V);
  for (const g of p.graphs) for (const v of g.outputs) isGraphOutput[v] = 1;
  const weightOfNode = (id: number): number => {
    const n = p.nodes[id];
    // Most nodes compute: rejected on their op before anything is allocated.
    if (n.outputs.length !== 1 || !(CONSTANT_OPS.has(n.opType) || PASS_OPS.has(n.opType))) return -1;
    const out = n.outputs[0];
    if (isGraphOutput[out] || !p.values[out].consumers.length) return -1;
    const ins = n.inputs.filter((v) => v >= 0);
    if (CONSTANT_OPS.has(n.opType) && !ins.length) {
      if (p.values[out].weight >= 0) return p.values[out].weight;
      const a = n.attributes.find((x) => x.weight !== undefined && x.weight >= 0);
      return a ? a.weight! : -1;
    }
    if (PASS_OPS.has(n.opType) && ins.length === 1) return valueWeight[ins[0]];
    return -1;
  };
  // Chains are short and usually in file order; repeat until nothing more folds (bounded by N passes).
  for (let changed = true, pass = 0; changed && pass < N + 1; pass++) {
    changed = false;
    for (let id = 0; id < N; id++) {
      if (folded[id]) continue;
      const w = weightOfNode(id);
      if (w < 0) continue;
      folded[id] = 1;
      const out = p.nodes[id].outputs[0];
      valueWeight[out] = w;
      foldedFrom[out] = id;
      changed = true;
    }
  }
  // Where a folded node shows: follow its consumers until one is drawn.
  const targetOf = (id: number): number => {
    let cur = id;
    for (let guard = 0; guard <= N && folded[cur]; guard++) {
      const cs = p.values[p.nodes[cur].outputs[0]].consumers;
      if (!cs.length) return -1;
      cur = cs[0];
    }
    return folded[cur] ? -1 : cur;
  };
  for (let id = 0; id < N; id++) if (folded[id]) foldTarget[id] = targetOf(id);
  return { folded, valueWeight, foldTarget, foldedFrom };
}
