// What the host accepts from a model file, in one place: the readers' own bounds (re-exported,
// so there is one list to document and test) plus the checks applied to a model once it is read —
// node count and subgraph nesting, the largest tensor the host materializes, the parse time
// budget, and structural problems (cycles, self-loops, duplicate or missing producers) that a
// viewer still opens but must report.
import { ModelError } from './ir/errors.js';
import type { Graph, Model, Node, Value } from './ir/graph.js';
import type { Tensor } from './ir/tensor.js';
import { DEFAULT_WIRE_LIMITS } from './formats/onnx/wire-reader.js';
import { MAX_JSON_BYTES, MAX_JSON_DEPTH } from './formats/tfjs/json.js';

/** Every bound the host enforces on a model, with the reader that enforces it. */
export interface ModelLimits {
  /** ONNX: deepest protobuf message nesting (graphs in attributes, nested types). Enforced by the ONNX reader. */
  onnxMaxMessageDepth: number;
  /** ONNX: largest single string/bytes field copied into memory. Enforced by the ONNX reader. */
  onnxMaxFieldBytes: number;
  /** TF.js: deepest JSON nesting. Enforced by the TF.js reader before JSON.parse. */
  jsonMaxDepth: number;
  /** TF.js: largest model.json read. Enforced by the TF.js reader before reading. */
  jsonMaxBytes: number;
  /** Nodes of all graphs together (main graph, subgraphs, functions). Enforced by the ONNX reader while reading and by `checkModelLimits`. */
  maxNodes: number;
  /** Subgraphs inside subgraphs. Enforced by `checkModelLimits`. */
  maxGraphNesting: number;
  /** Largest tensor whose bytes the host reads into memory in one piece. Enforced by `assertMaterializable`. */
  maxMaterializedTensorBytes: number;
  /** Parse time after which the user is asked to continue or cancel (`modelLens.parse.timeBudgetSeconds`). */
  parseTimeBudgetMs: number;
}

/** The limits the extension uses unless a caller passes others. */
export const DEFAULT_MODEL_LIMITS: Readonly<ModelLimits> = Object.freeze({
  onnxMaxMessageDepth: DEFAULT_WIRE_LIMITS.maxDepth,
  onnxMaxFieldBytes: DEFAULT_WIRE_LIMITS.maxFieldBytes,
  jsonMaxDepth: MAX_JSON_DEPTH,
  jsonMaxBytes: MAX_JSON_BYTES,
  // The largest real graphs (LLMs unrolled per layer) have a few hundred thousand nodes. The ONNX
  // reader stops at the same count while reading, before the nodes are in memory.
  maxNodes: DEFAULT_WIRE_LIMITS.maxNodes,
  // ONNX nests at most 100 messages, and a subgraph costs 3 of them (node, attribute, graph).
  maxGraphNesting: 64,
  // Histograms and tensor views read bigger weights chunk by chunk; only whole reads are capped.
  maxMaterializedTensorBytes: 1 << 30,
  parseTimeBudgetMs: 60_000,
});

/**
 * Throws ModelError 'limit' when the model holds more nodes, or nests subgraphs deeper, than the
 * limits allow. Iterative, so a nesting bomb cannot overflow the stack while being measured.
 */
export function checkModelLimits(model: Model, limits: Partial<ModelLimits> = {}): void {
  const maxNodes = limits.maxNodes ?? DEFAULT_MODEL_LIMITS.maxNodes;
  const maxNesting = limits.maxGraphNesting ?? DEFAULT_MODEL_LIMITS.maxGraphNesting;
  let nodes = 0;
  const stack: { g: Graph; depth: number; field: string }[] = [
    { g: model.graph, depth: 0, field: 'graph' },
    ...model.functions.map((f, i) => ({ g: f.graph, depth: 0, field: `functions[${i}]` })),
  ];
  while (stack.length) {
    const { g, depth, field } = stack.pop()!;
    if (depth > maxNesting) {
      throw new ModelError('limit', `subgraphs are nested ${depth} levels deep; the limit is ${maxNesting}`, { file: model.path, field });
    }
    nodes += g.nodes.length;
    if (nodes > maxNodes) {
      throw new ModelError('limit', `the model has more than ${maxNodes} nodes; the limit is ${maxNodes}`, { file: model.path, field });
    }
    g.nodes.forEach((n, i) => n.subgraphs.forEach((s, k) => stack.push({ g: s, depth: depth + 1, field: `${field}.node[${i}].subgraph[${k}]` })));
  }
}

/** Throws ModelError 'limit' when reading `tensor` whole would exceed the materialization limit. */
export function assertMaterializable(tensor: Tensor, file: string, limits: Partial<ModelLimits> = {}): void {
  const max = limits.maxMaterializedTensorBytes ?? DEFAULT_MODEL_LIMITS.maxMaterializedTensorBytes;
  if (tensor.byteLength > max) {
    throw new ModelError('limit', `the tensor is ${tensor.byteLength} bytes; the host reads at most ${max} bytes of one tensor at once`, { file, tensor: tensor.name });
  }
}

/** What the parse-time budget decided: keep going, or stop (the user cancelled). */
export type BudgetAnswer = 'continue' | 'cancel';

/**
 * Runs `parse` and, each time `budgetMs` passes without it finishing, asks `onOverBudget` whether to
 * continue. 'cancel' aborts the controller handed to `parse` and rejects with ModelError 'cancelled'.
 */
export async function withParseBudget<T>(file: string, parse: (signal: AbortSignal) => Promise<T>, onOverBudget: (elapsedMs: number) => Promise<BudgetAnswer>, budgetMs = DEFAULT_MODEL_LIMITS.parseTimeBudgetMs): Promise<T> {
  const controller = new AbortController();
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  const cancelled = new Promise<never>((_, reject) => {
    const arm = () => {
      timer = setTimeout(async () => {
        if (settled) return;
        const answer = await onOverBudget(Date.now() - started);
        if (settled) return;
        if (answer === 'cancel') {
          controller.abort();
          reject(new ModelError('cancelled', `reading was cancelled after ${Math.round((Date.now() - started) / 1000)} s`, { file }));
        } else arm();
      }, budgetMs);
    };
    arm();
  });
  cancelled.catch(() => undefined);
  try {
    return await Promise.race([parse(controller.signal), cancelled]);
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}

/** Longest list of examples a structural warning quotes. */
const EXAMPLES = 3;

function graphLabel(g: Graph, index: number): string {
  if (!g.parent && !g.owner) return g.name ? `graph '${g.name}'` : index === 0 ? 'the main graph' : `graph ${index}`;
  return `subgraph '${g.name}'${g.owner ? ` of node '${g.owner.name || g.owner.opType}'` : ''}`;
}

function nodeLabel(n: Node): string {
  return `'${n.name || n.opType}'`;
}

function quote(list: string[]): string {
  return list.slice(0, EXAMPLES).join(', ') + (list.length > EXAMPLES ? ` and ${list.length - EXAMPLES} more` : '');
}

/** True when `v` is defined for graph `g` without a producer: an input, a weight, or an outer value. */
function definedWithoutProducer(g: Graph, v: Value, inputs: Set<Value>): boolean {
  if (v.tensor || inputs.has(v)) return true;
  // A value that is not in this graph's own table came from an enclosing scope.
  return g.values.get(v.name) !== v;
}

/**
 * Structural problems of a model that still opens: cycles, nodes consuming their own output,
 * values produced twice, values used but never produced, graphs with no nodes. One line per
 * problem and graph, naming examples. Iterative (Kahn's algorithm), linear in the graph size.
 */
export function structuralWarnings(model: Model): string[] {
  const out: string[] = [];
  const graphs: Graph[] = [model.graph, ...model.functions.map((f) => f.graph)];
  for (let gi = 0; gi < graphs.length; gi++) {
    const g = graphs[gi];
    for (const n of g.nodes) for (const s of n.subgraphs) graphs.push(s);
    const label = graphLabel(g, gi);
    if (g.nodes.length === 0) {
      // A bare weights file has no inputs or outputs either: only a graph that declares a
      // computation and holds no node is worth a word.
      if (gi === 0 && g.outputs.length) out.push(`${label} has no nodes: its outputs are its inputs or weights`);
      continue;
    }
    const inputs = new Set(g.inputs);
    const selfLoops: string[] = [];
    const twice: string[] = [];
    const missing: string[] = [];
    const index = new Map<Node, number>();
    g.nodes.forEach((n, i) => index.set(n, i));
    const indegree = new Int32Array(g.nodes.length);
    const succ: number[][] = g.nodes.map(() => []);
    for (let i = 0; i < g.nodes.length; i++) {
      const n = g.nodes[i];
      for (const v of n.outputs) if (v.name !== '' && v.producer !== n) twice.push(`'${v.name}' (${nodeLabel(n)} and ${v.producer ? nodeLabel(v.producer) : 'a graph input'})`);
      for (const v of n.inputs) {
        if (!v) continue;
        const p = v.producer;
        if (p === n || n.outputs.includes(v)) { selfLoops.push(`${nodeLabel(n)} reads '${v.name}'`); continue; }
        const pi = p ? index.get(p) : undefined;
        if (pi !== undefined) { succ[pi].push(i); indegree[i]++; }
        else if (!p && !definedWithoutProducer(g, v, inputs)) missing.push(`'${v.name}' (read by ${nodeLabel(n)})`);
      }
    }
    const queue: number[] = [];
    for (let i = 0; i < indegree.length; i++) if (indegree[i] === 0) queue.push(i);
    for (let q = 0; q < queue.length; q++) for (const j of succ[queue[q]]) if (--indegree[j] === 0) queue.push(j);
    // Nodes left over sit on a cycle or downstream of one; peel off the downstream ones (no
    // successor left over) so that the warning names only nodes on cycles.
    const left = new Uint8Array(g.nodes.length);
    const outdeg = new Int32Array(g.nodes.length);
    for (let i = 0; i < left.length; i++) left[i] = indegree[i] > 0 ? 1 : 0;
    const pred: number[][] = g.nodes.map(() => []);
    for (let i = 0; i < succ.length; i++) {
      if (!left[i]) continue;
      for (const j of succ[i]) if (left[j]) { outdeg[i]++; pred[j].push(i); }
    }
    const sinks: number[] = [];
    for (let i = 0; i < left.length; i++) if (left[i] && outdeg[i] === 0) sinks.push(i);
    for (let q = 0; q < sinks.length; q++) {
      left[sinks[q]] = 0;
      for (const p of pred[sinks[q]]) if (left[p] && --outdeg[p] === 0) sinks.push(p);
    }
    const stuck = g.nodes.filter((_, i) => left[i] === 1);
    if (selfLoops.length) out.push(`${label}: ${selfLoops.length} node(s) consume their own output: ${quote(selfLoops)}`);
    if (stuck.length) out.push(`${label} has a cycle: ${stuck.length} node(s) depend on themselves through other nodes, e.g. ${quote(stuck.map(nodeLabel))}`);
    if (twice.length) out.push(`${label}: ${twice.length} value(s) have more than one producer: ${quote(twice)}`);
    if (missing.length) out.push(`${label}: ${missing.length} value(s) are read but never produced: ${quote(missing)}`);
  }
  return out;
}

/** Checks the limits, then appends the structural warnings to `model.warnings`. Returns the model. */
export function applyModelChecks(model: Model, limits: Partial<ModelLimits> = {}): Model {
  checkModelLimits(model, limits);
  // Idempotent: openModel already applies the checks, and callers may apply them again.
  const had = new Set(model.warnings ?? []);
  const found = structuralWarnings(model).filter((w) => !had.has(w));
  if (found.length) model.warnings = [...(model.warnings ?? []), ...found];
  return model;
}
