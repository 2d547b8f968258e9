// Field numbers and enums of onnx.proto that the reader understands, and the names used to print
// field paths in error messages. Unknown fields are skipped, so newer files still open.
import type { DataType } from '../../ir/dtype.js';

/** Message kinds, used to name fields in error paths (`model.graph.node[3].attribute[0].t.dims`). */
export const enum Msg {
  Model, Graph, Node, Attribute, Tensor, Sparse, ValueInfo, Type, TypeTensor, TypeSeq, TypeMap,
  TypeOptional, TypeSparse, TypeOpaque, Shape, Dim, Opset, Entry, Function, Segment,
}

const FIELD_NAMES: Record<number, Record<number, string>> = {
  [Msg.Model]: { 1: 'ir_version', 2: 'producer_name', 3: 'producer_version', 4: 'domain', 5: 'model_version', 6: 'doc_string', 7: 'graph', 8: 'opset_import', 14: 'metadata_props', 20: 'training_info', 25: 'functions' },
  [Msg.Graph]: { 1: 'node', 2: 'name', 5: 'initializer', 15: 'sparse_initializer', 10: 'doc_string', 11: 'input', 12: 'output', 13: 'value_info', 14: 'quantization_annotation', 16: 'metadata_props' },
  [Msg.Node]: { 1: 'input', 2: 'output', 3: 'name', 4: 'op_type', 5: 'attribute', 6: 'doc_string', 7: 'domain', 8: 'overload', 9: 'metadata_props' },
  [Msg.Attribute]: { 1: 'name', 2: 'f', 3: 'i', 4: 's', 5: 't', 6: 'g', 7: 'floats', 8: 'ints', 9: 'strings', 10: 'tensors', 11: 'graphs', 13: 'doc_string', 14: 'tp', 15: 'type_protos', 20: 'type', 21: 'ref_attr_name', 22: 'sparse_tensor', 23: 'sparse_tensors' },
  [Msg.Tensor]: { 1: 'dims', 2: 'data_type', 3: 'segment', 4: 'float_data', 5: 'int32_data', 6: 'string_data', 7: 'int64_data', 8: 'name', 9: 'raw_data', 10: 'double_data', 11: 'uint64_data', 12: 'doc_string', 13: 'external_data', 14: 'data_location', 16: 'metadata_props' },
  [Msg.Sparse]: { 1: 'values', 2: 'indices', 3: 'dims' },
  [Msg.ValueInfo]: { 1: 'name', 2: 'type', 3: 'doc_string', 4: 'metadata_props' },
  [Msg.Type]: { 1: 'tensor_type', 4: 'sequence_type', 5: 'map_type', 6: 'denotation', 7: 'opaque_type', 8: 'sparse_tensor_type', 9: 'optional_type' },
  [Msg.TypeTensor]: { 1: 'elem_type', 2: 'shape' },
  [Msg.TypeSeq]: { 1: 'elem_type' },
  [Msg.TypeMap]: { 1: 'key_type', 2: 'value_type' },
  [Msg.TypeOptional]: { 1: 'elem_type' },
  [Msg.TypeSparse]: { 1: 'elem_type', 2: 'shape' },
  [Msg.TypeOpaque]: { 1: 'domain', 2: 'name' },
  [Msg.Shape]: { 1: 'dim' },
  [Msg.Dim]: { 1: 'dim_value', 2: 'dim_param', 3: 'denotation' },
  [Msg.Opset]: { 1: 'domain', 2: 'version' },
  [Msg.Entry]: { 1: 'key', 2: 'value' },
  [Msg.Function]: { 1: 'name', 4: 'input', 5: 'output', 6: 'attribute', 7: 'node', 8: 'doc_string', 9: 'opset_import', 10: 'domain', 11: 'attribute_proto', 12: 'value_info', 13: 'overload', 14: 'metadata_props' },
  [Msg.Segment]: { 1: 'begin', 2: 'end' },
};

/** The proto name of field `field` of message kind `msg` (or `field N` when unknown). */
export function fieldName(msg: Msg, field: number): string {
  return FIELD_NAMES[msg]?.[field] ?? `field ${field}`;
}

/** TensorProto.DataType enum → IR dtype (index = enum value). */
const DTYPES: (DataType | undefined)[] = [
  'undefined', 'float32', 'uint8', 'int8', 'uint16', 'int16', 'int32', 'int64', 'string', 'bool',
  'float16', 'float64', 'uint32', 'uint64', 'complex64', 'complex128', 'bfloat16', 'float8e4m3fn',
  'float8e4m3fnuz', 'float8e5m2', 'float8e5m2fnuz', 'uint4', 'int4', 'float4e2m1', 'float8e8m0', 'uint2', 'int2',
];

/** Maps an ONNX data_type number to the IR dtype, or undefined for a value this reader does not know. */
export function dtypeFromOnnx(code: number): DataType | undefined {
  return code >= 0 && code < DTYPES.length ? DTYPES[code] : undefined;
}

/** IR dtype → ONNX data_type number (for the writer and for messages). */
export function onnxFromDtype(dtype: DataType): number {
  return DTYPES.indexOf(dtype);
}

/** ONNX's upper-case name of a data type (`FLOAT`, `INT64`), as onnx.helper prints it. */
export function onnxTypeName(dtype: DataType): string {
  switch (dtype) {
    case 'float32': return 'FLOAT';
    case 'float64': return 'DOUBLE';
    default: return dtype.toUpperCase();
  }
}

/** AttributeProto.AttributeType */
export const enum AttrType {
  Undefined = 0, Float = 1, Int = 2, String = 3, Tensor = 4, Graph = 5, Floats = 6, Ints = 7, Strings = 8,
  Tensors = 9, Graphs = 10, SparseTensor = 11, SparseTensors = 12, TypeProto = 13, TypeProtos = 14,
}

/** Protobuf wire types. */
export const enum Wire { Varint = 0, Fixed64 = 1, Len = 2, StartGroup = 3, EndGroup = 4, Fixed32 = 5 }
