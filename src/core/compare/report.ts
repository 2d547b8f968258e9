// Turns an alignment and the compared weights into the DiffReport both the CLI and the view read.
import type { Attribute, Model, Node } from '../ir/graph.js';
import type { Alignment } from './alignment.js';
import { PASSTHROUGH_OPS } from './graph-side.js';
import { matchMessage, weightSummary } from './summary-words.js';
import type { AttributeChange, DiffReport, NodeMatch } from './types.js';
import type { ComparedWeight } from './weights.js';

/** An attribute's value in words, for "changed attributes". */
export function attributeWords(a: Attribute): string {
  switch (a.type) {
    case 'tensor': return `tensor ${a.value.dtype}[${a.value.shape.join(', ')}]`;
    case 'tensors': return `${a.value.length} tensors`;
    case 'graph': return `graph ${a.value.name}`;
    case 'graphs': return `${a.value.length} graphs`;
    case 'type': return JSON.stringify(a.value.shape) + (a.value.dtype ?? '');
    default: return typeof a.value === 'string' ? a.value : JSON.stringify(a.value);
  }
}

/** Attributes whose words differ, and those present on one side only. */
export function attributeChanges(na: Node, nb: Node, name: string): AttributeChange[] {
  const wa = new Map(na.attributes.map((x) => [x.name, attributeWords(x)]));
  const wb = new Map(nb.attributes.map((x) => [x.name, attributeWords(x)]));
  const out: AttributeChange[] = [];
  for (const key of new Set([...wa.keys(), ...wb.keys()])) {
    const a = wa.get(key), b = wb.get(key);
    if (a !== b) out.push({ node: name, attribute: key, ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}) });
  }
  return out;
}

export interface ReportParts {
  a: Model;
  b: Model;
  al: Alignment;
  weights: ComparedWeight[];
  structureOnly?: string;
}

/** The report of a structure + weights comparison (no run). */
export function buildReport({ a, b, al, weights, structureOnly }: ReportParts): DiffReport {
  const nameA = (n: Node) => al.a.names.get(n)!, nameB = (n: Node) => al.b.names.get(n)!;
  const weightNodes = new Set<Node>();
  for (const w of weights) if (w.beyondRounding) for (const r of w.pair.readers) weightNodes.add(r);
  const changedAttributes: AttributeChange[] = [];
  const matches: NodeMatch[] = [];
  const sameFormat = a.format === b.format;
  for (const na of al.a.order) {
    const nb = al.aToB.get(na);
    if (!nb) continue;
    const reason = al.reason.get(na)!;
    const attrs = sameFormat && reason !== 'rewrite' ? attributeChanges(na, nb, nameA(na)) : [];
    changedAttributes.push(...attrs);
    const m: NodeMatch = { a: nameA(na), b: nameB(nb), reason, status: attrs.length ? 'attributes' : weightNodes.has(na) ? 'weights' : 'unchanged' };
    const fa = al.fusedA.get(na), fb = al.fusedB.get(nb);
    if (fa?.length) m.fusedA = fa.map(nameA);
    if (fb?.length) m.fusedB = fb.map(nameB);
    if (reason !== 'rewrite' && passesThrough(al, na, nb)) m.reason = 'passthrough';
    matches.push(m);
  }
  // TF.js writes graph inputs and weights as Placeholder / Const nodes, ONNX as graph inputs and
  // initializers: against ONNX those nodes are the format's way of writing, not added or removed.
  const wayOfWriting = (n: Node, other: Model) => other.format === 'onnx' && (n.opType === 'Placeholder' || n.opType === 'Const');
  const removed = al.a.nodes.filter((n) => !al.takenA(n) && !wayOfWriting(n, b)).map(nameA);
  const added = al.b.nodes.filter((n) => !al.takenB(n) && !wayOfWriting(n, a)).map(nameB);
  const report: DiffReport = {
    a: { path: a.path, format: a.format, nodes: al.a.nodes.length },
    b: { path: b.path, format: b.format, nodes: al.b.nodes.length },
    matched: matches.length,
    added,
    removed,
    matches,
    changedAttributes,
    changedWeights: weights.filter((w) => !w.identical).map((w) => w.diff),
    weightSummary: weightSummary(weights),
  };
  if (structureOnly) report.structureOnly = structureOnly;
  const message = matchMessage(al.a.nodes.length - removed.length, al.a.nodes.length, al.b.nodes.length - added.length, al.b.nodes.length);
  if (message) report.message = message;
  for (const w of weights) {
    if (!w.unreadable) continue;
    const side = report[w.unreadable.side];
    side.error ??= `weights unreadable: ${w.unreadable.message}`;
  }
  return report;
}

/** True when an inserted Q/DQ or Cast node stands between this node and a matched producer on B's side only. */
function passesThrough(al: Alignment, na: Node, nb: Node): boolean {
  for (let i = 0; i < nb.inputs.length; i++) {
    const vb = nb.inputs[i], va = na.inputs[i];
    const p = vb?.producer;
    if (!p || al.takenB(p)) continue;
    if (PASSTHROUGH_OPS.has(p.opType) && va?.producer?.opType !== p.opType) return true;
  }
  return false;
}
