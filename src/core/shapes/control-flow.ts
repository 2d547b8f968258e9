// If / Loop / Scan: what their bodies receive and what they return, under concrete dims.
import type { Graph, Node, Value } from '../ir/graph.js';
import { attrInt, attrInts } from '../explain/values/attributes.js';
import type { KnownValue } from './fact.js';

/** Known facts for a body graph's inputs, in order. */
export function seedBodyInputs(node: Node, body: Graph, ins: readonly (KnownValue | undefined)[]): (KnownValue | undefined)[] {
  if (node.opType === 'Loop') {
    // Body inputs: iteration number, condition, then the loop-carried values.
    return [{ shape: [], dtype: 'int64' }, { shape: [], dtype: 'bool' }, ...ins.slice(2)];
  }
  if (node.opType === 'Scan') {
    const nScan = attrInt(node, 'num_scan_inputs', 0);
    const nState = ins.length - nScan;
    const axes = attrInts(node, 'scan_input_axes') ?? new Array(nScan).fill(0);
    const slices = ins.slice(nState).map((k, i) => {
      if (!k?.shape) return undefined;
      const ax = axes[i] < 0 ? axes[i] + k.shape.length : axes[i];
      return { shape: k.shape.filter((_, d) => d !== ax), dtype: k.dtype };
    });
    return [...ins.slice(0, nState), ...slices];
  }
  return body.inputs.map(() => undefined);
}

/** The node's outputs as its bodies determine them (If: the then-branch when both agree). */
export function controlFlowOutputs(node: Node, ins: readonly (KnownValue | undefined)[], known: (v: Value) => KnownValue | undefined): (KnownValue | undefined)[] | undefined {
  const [first, second] = node.subgraphs;
  if (!first) return undefined;
  if (node.opType === 'If') {
    const cond = ins[0]?.values?.[0];
    if (cond !== undefined) {
      const taken = cond ? first : second;
      return node.outputs.map((_, i) => (taken?.outputs[i] ? known(taken.outputs[i]) : undefined));
    }
    return node.outputs.map((_, i) => {
      const a = first.outputs[i] ? known(first.outputs[i]) : undefined;
      const b = second?.outputs[i] ? known(second.outputs[i]) : undefined;
      return a?.shape && (!b?.shape || a.shape.join() === b.shape.join()) ? a : undefined;
    });
  }
  if (node.opType === 'Loop') {
    const carried = ins.length - 2;
    const trips = ins[0]?.values?.[0];
    return node.outputs.map((_, i) => {
      if (i < carried) return ins[2 + i];
      const per = first.outputs[1 + i] ? known(first.outputs[1 + i]) : undefined;
      return per?.shape && trips !== undefined ? { shape: [trips, ...per.shape], dtype: per.dtype } : undefined;
    });
  }
  return undefined;
}
