// Shape inference for the graph view: the operator rules run on the file's own dims (numbers and
// names such as `batch`), and fill the values whose type the file does not store. Small integer
// constants travel along as values (Shape → Gather → Concat → Reshape is how exporters spell a
// dynamic reshape), so such reshapes get their symbolic target. Results are marked `inferred`.
import type { Graph, Model, Value } from '../ir/graph.js';
import { allGraphs } from '../ir/walk.js';
import type { ShapeFact } from './fact.js';
import { topologicalOrder } from './order.js';
import { constantNodeValue, constantOfShapeFill, tensorFact } from './read.js';
import { rulesFor } from './rules.js';

/**
 * Fills `Value.type` (marked `inferred`) for values whose type or shape the file leaves out.
 * Reads only small tensors (Reshape's shape, axes…). Returns how many values it filled.
 */
export async function inferShapes(model: Model): Promise<{ inferred: number }> {
  const graphs = allGraphs(model);
  const values = new Map<Value, ShapeFact>();
  // Read every weight and constant first (async, independent), then infer synchronously.
  const reads: Promise<void>[] = [];
  for (const g of graphs) {
    for (const v of g.values.values()) if (v.tensor) reads.push(tensorFact(v.tensor).then((f) => { values.set(v, f); }, () => {}));
    for (const n of g.nodes) {
      if (n.opType !== 'Constant' && n.opType !== 'Const') continue;
      reads.push(constantNodeValue(n).then((f) => { if (f && n.outputs[0]) values.set(n.outputs[0], f); }, () => {}));
    }
  }
  await Promise.all(reads);

  /** What the rules see: the file's type where it has one, and any values worked out. */
  const factOf = (v: Value | null | undefined): ShapeFact | undefined => {
    if (!v) return undefined;
    const computed = values.get(v);
    if (v.type && v.type.shape !== null) return { dtype: v.type.dtype ?? computed?.dtype, shape: [...v.type.shape], values: computed?.values };
    if (computed) return computed;
    return v.type ? { dtype: v.type.dtype, shape: null } : undefined;
  };
  const rules = rulesFor(model);
  let inferred = 0;
  const processGraph = async (g: Graph) => {
    for (const n of topologicalOrder(g)) {
      const rule = rules[n.opType];
      if (!rule) continue;
      let outs: (ShapeFact | undefined)[] | undefined;
      try {
        outs = rule(n, n.inputs.map(factOf));
      } catch {
        outs = undefined; // a malformed node gets no inferred type, never an exception
      }
      if (!outs) continue;
      // ConstantOfShape's fill values: rare, but some graphs compute shapes from them.
      if (n.opType === 'ConstantOfShape' && outs[0]) outs[0] = await constantOfShapeFill(n, outs[0]).catch(() => outs![0]);
      n.outputs.forEach((v, i) => {
        const t = outs![i];
        if (!t) return;
        values.set(v, t);
        if ((v.type && v.type.shape !== null) || v.tensor) return;
        if (t.shape === null && !t.dtype) return;
        v.type = { ...(v.type ?? {}), dtype: v.type?.dtype ?? t.dtype, shape: t.shape };
        v.inferred = true;
        inferred++;
      });
    }
  };
  for (const g of graphs) await processGraph(g);
  return { inferred };
}
