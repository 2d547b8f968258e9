// Each node's status in a DiffReport, by side: pure (no Node modules), so the compare view can
// import it directly to colour both graphs. Unnamed nodes are `<op>#<index>`, index = the node's
// position in the main graph (its id in the graph payload).
import type { DiffReport, NodeStatus } from './types.js';

/**
 * Each node's status by its report name, for A's nodes and B's (fused partners share their match's).
 * A node in neither list is a TF.js Placeholder / Const compared against ONNX, which writes inputs
 * and weights without nodes: it has no status.
 */
export function nodeStatuses(report: DiffReport): { a: Map<string, NodeStatus>; b: Map<string, NodeStatus> } {
  const a = new Map<string, NodeStatus>(), b = new Map<string, NodeStatus>();
  for (const m of report.matches) {
    a.set(m.a, m.status);
    b.set(m.b, m.status);
    for (const n of m.fusedA ?? []) a.set(n, m.status);
    for (const n of m.fusedB ?? []) b.set(n, m.status);
  }
  for (const n of report.removed) a.set(n, 'removed');
  for (const n of report.added) b.set(n, 'added');
  return { a, b };
}

