import type { DataType } from './dtype.js';
import type { Shape } from './shape.js';
import type { Tensor } from './tensor.js';

/** Type of a value flowing between nodes. `dtype` is undefined when the file does not say. */
export interface ValueType {
  dtype?: DataType;
  shape: Shape;
  /** Non-tensor types (sequence, map, optional) are described in words. */
  kind?: 'tensor' | 'sequence' | 'map' | 'optional' | 'sparse' | 'opaque';
  /** Element description for non-tensor kinds, e.g. `seq(tensor(float))`. */
  description?: string;
}

/** A named edge of the graph: a graph input, a node output, or a weight. */
export interface Value {
  name: string;
  type?: ValueType;
  /** True when `type` was computed by shape inference rather than read from the file. */
  inferred?: boolean;
  producer?: Node;
  consumers: Node[];
  /** Set when the value is a weight (initializer, Const, manifest entry). */
  tensor?: Tensor;
}

export type AttributeValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }
  | { type: 'bools'; value: boolean[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensor'; value: Tensor }
  | { type: 'tensors'; value: Tensor[] }
  | { type: 'graph'; value: Graph }
  | { type: 'graphs'; value: Graph[] }
  | { type: 'dtype'; value: DataType | string }
  | { type: 'dtypes'; value: (DataType | string)[] }
  | { type: 'shape'; value: Shape }
  | { type: 'shapes'; value: Shape[] }
  | { type: 'type'; value: ValueType }
  | { type: 'ref'; value: string }
  | { type: 'other'; value: string };

export type Attribute = AttributeValue & { name: string; docString?: string };

/** One operator application. Missing optional inputs are null (ONNX writes them as ''). */
export interface Node {
  name: string;
  opType: string;
  /** Operator domain ('' = default ONNX / core TF ops). */
  domain: string;
  inputs: (Value | null)[];
  outputs: Value[];
  attributes: Attribute[];
  /** Graphs held by attributes (If/Loop/Scan bodies…), in attribute order. */
  subgraphs: Graph[];
  docString?: string;
  /** Device or other placement hint written by the exporter (TF.js `device`). */
  device?: string;
}

/** A graph: nodes in file order, its own values, and the weights it declares. */
export interface Graph {
  name: string;
  nodes: Node[];
  inputs: Value[];
  outputs: Value[];
  /** Every value declared or used in this graph by name (outer-scope references resolve in `parent`). */
  values: Map<string, Value>;
  /** Weights this graph declares (initializers, manifest weights); Constant-node tensors live on nodes. */
  weights: Tensor[];
  docString?: string;
  parent?: Graph;
  /** The node whose attribute holds this graph, for subgraphs. */
  owner?: Node;
}

/** A model-local function (ONNX FunctionProto) drawn as a graph. */
export interface ModelFunction {
  name: string;
  domain: string;
  graph: Graph;
  attributeNames: string[];
  opsets: OpsetImport[];
}

export interface OpsetImport {
  domain: string;
  version: number;
}

export type ModelFormat = 'onnx' | 'tfjs-graph' | 'tfjs-layers';

/** One opened model file, format-neutral. */
export interface Model {
  format: ModelFormat;
  /** Absolute path of the file that was opened. */
  path: string;
  /** Every file the model reads (the main file, shards, external data) — for watching and size. */
  files: string[];
  producerName?: string;
  producerVersion?: string;
  /** Format version: ONNX ir_version, TF.js `format` string version where given. */
  irVersion?: number;
  opsets: OpsetImport[];
  metadata: Record<string, string>;
  docString?: string;
  graph: Graph;
  functions: ModelFunction[];
  /** Extra per-format facts worth showing (`signature`, `generatedBy`, `convertedBy`). */
  properties: Record<string, string>;
  /** Problems that did not stop the model from opening (a shard longer than its manifest says…). */
  warnings?: string[];
  /** Releases open file handles. The model's TensorData stays usable (it reopens on demand). */
  close(): Promise<void>;
}
