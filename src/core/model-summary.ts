import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { IoInfo, ModelSummary } from './model-view-types.js';
import type { Model, Value } from './ir/graph.js';
import { collectWeights, forEachNode } from './ir/walk.js';

/** A graph input/output as name, dtype and shape (symbolic dims as strings). */
export function describeValue(v: Value): IoInfo {
  return { name: v.name, dtype: v.type?.dtype ?? null, shape: v.type?.shape ? [...v.type.shape] : null };
}

/** The facts the header and `model-lens summary` show: counts, op types, parameters by dtype, I/O. */
export function summarizeModel(model: Model): ModelSummary {
  let nodes = 0;
  const opTypes: Record<string, number> = {};
  forEachNode(model.graph, (n) => {
    nodes++;
    const op = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
    opTypes[op] = (opTypes[op] ?? 0) + 1;
  });
  const byDtype: ModelSummary['parametersByDtype'] = {};
  let parameters = 0;
  let parameterBytes = 0;
  const weights = collectWeights(model);
  for (const t of weights) {
    parameters += t.elementCount;
    parameterBytes += t.byteLength;
    const e = (byDtype[t.dtype] ??= { tensors: 0, elements: 0, bytes: 0 });
    e.tensors++;
    e.elements += t.elementCount;
    e.bytes += t.byteLength;
  }
  const files = model.files.map((f) => {
    let bytes = 0;
    try { bytes = statSync(f).size; } catch { /* a missing side file was already reported by the reader */ }
    return { path: f, bytes };
  });
  return {
    fileName: path.basename(model.path),
    path: model.path,
    format: model.format,
    producerName: model.producerName || null,
    producerVersion: model.producerVersion || null,
    irVersion: model.irVersion ?? null,
    opsets: model.opsets.map((o) => ({ domain: o.domain, version: o.version })),
    nodes,
    topLevelNodes: model.graph.nodes.length,
    opTypes: Object.fromEntries(Object.entries(opTypes).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    parameters,
    parameterBytes,
    weightTensors: weights.length,
    parametersByDtype: byDtype,
    inputs: model.graph.inputs.filter((v) => !v.tensor).map(describeValue),
    outputs: model.graph.outputs.map(describeValue),
    metadata: { ...model.metadata },
    properties: { ...model.properties },
    docString: model.docString || null,
    files,
    warnings: [...(model.warnings ?? [])],
  };
}
