// What the editor shows of one opened model: header facts and the graph with its values and
// weights. Built by core (model-summary.ts, graph-payload.ts), sent in the shell's init message.

/** A graph input or output as shown in the header and the run panel. */
export interface IoInfo {
  name: string;
  dtype: string | null;
  /** Symbolic dims as strings, unknown dims as null; null when the rank is unknown. */
  shape: (number | string | null)[] | null;
}

/** The header facts of one model; also what `model-lens summary --json` prints. */
export interface ModelSummary {
  fileName: string;
  path: string;
  format: 'onnx' | 'tfjs-graph' | 'tfjs-layers';
  producerName: string | null;
  producerVersion: string | null;
  irVersion: number | null;
  opsets: { domain: string; version: number }[];
  /** All nodes, subgraphs included. */
  nodes: number;
  topLevelNodes: number;
  opTypes: Record<string, number>;
  /** Element count of all weights, Constant-node tensors included. */
  parameters: number;
  parameterBytes: number;
  weightTensors: number;
  parametersByDtype: Record<string, { tensors: number; elements: number; bytes: number }>;
  inputs: IoInfo[];
  outputs: IoInfo[];
  metadata: Record<string, string>;
  properties: Record<string, string>;
  docString: string | null;
  files: { path: string; bytes: number }[];
  warnings: string[];
}

/** One graph of the model: the main graph (id 0), an If/Loop/Scan body, or a model-local function. */
export interface GraphInfo {
  id: number;
  name: string;
  kind: 'main' | 'subgraph' | 'function';
  /** Node (id) whose attribute holds this graph; -1 for the main graph and functions. */
  ownerNode: number;
  /** Attribute name that holds it (`then_branch`, `body`…), or the function's domain:name. */
  label: string;
  nodes: number[];
  inputs: number[];
  outputs: number[];
}

/** An attribute made ready for display; tensors and graphs are referenced by id. */
export interface AttributeInfo {
  name: string;
  type: string;
  /** Scalars as numbers/strings/booleans, lists as arrays (cut at `truncatedAt` elements). */
  value: number | string | boolean | (number | string | boolean)[] | null;
  truncatedAt?: number;
  /** Full length of a list value. */
  length?: number;
  weight?: number;
  graphs?: number[];
}

export interface NodeInfo {
  id: number;
  graph: number;
  name: string;
  opType: string;
  domain: string;
  /** Value ids; -1 for a missing optional input. */
  inputs: number[];
  outputs: number[];
  attributes: AttributeInfo[];
  subgraphs: number[];
  docString?: string;
}

export interface ValueInfo {
  id: number;
  name: string;
  graph: number;
  dtype: string | null;
  shape: (number | string | null)[] | null;
  /** True when the shape came from shape inference, not from the file. */
  inferred: boolean;
  /** Producing node id, or -1 for graph inputs and weights. */
  producer: number;
  consumers: number[];
  /** Weight id when this value is a weight, else -1. */
  weight: number;
}

export interface WeightInfo {
  id: number;
  name: string;
  dtype: string;
  logicalType: string | null;
  shape: number[];
  elementCount: number;
  byteLength: number;
  role: string;
  location: string;
  quantization: { scale: number[]; zeroPoint: number[]; axis?: number; origin: string } | null;
}

/** The whole architecture, flattened with integer ids so 50k-node graphs clone cheaply. */
export interface GraphPayload {
  graphs: GraphInfo[];
  nodes: NodeInfo[];
  values: ValueInfo[];
  weights: WeightInfo[];
}
