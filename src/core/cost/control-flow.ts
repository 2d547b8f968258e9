// If / Loop / Scan: what one application costs (the costlier If branch; a Loop body times its trip
// count when known; a Scan body times the sequence length).
import type { Node } from '../ir/graph.js';
import { attrInt, attrInts } from '../explain/values/attributes.js';
import type { KnownValue } from '../shapes/index.js';

/** How many times a body runs for one application of the node, and why. */
export function bodyRuns(node: Node, ins: readonly (KnownValue | undefined)[]): { runs: number; why: string } {
  if (node.opType === 'Loop') {
    const trips = ins[0]?.values?.[0];
    return trips !== undefined ? { runs: trips, why: `${trips} iterations` } : { runs: 1, why: 'one iteration (the trip count is only known at run time)' };
  }
  if (node.opType === 'Scan') {
    const nScan = attrInt(node, 'num_scan_inputs', 0);
    const first = ins[ins.length - nScan];
    const ax = attrInts(node, 'scan_input_axes')?.[0] ?? 0;
    const len = first?.shape ? first.shape[ax < 0 ? ax + first.shape.length : ax] : undefined;
    return len !== undefined ? { runs: len, why: `${len} scan steps` } : { runs: 1, why: 'one step (the sequence length is unknown)' };
  }
  return { runs: 1, why: '' };
}
