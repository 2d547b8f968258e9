// The facts the engine starts from: weights and Constant nodes, with the values of the small ones
// read (shapes, axes and indices are integers; float ones matter only as Resize scales and the like).
import { isIntegerType } from '../ir/dtype.js';
import type { Node } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import { attrFloat, attrFloats, attrInt, attrInts } from '../explain/values/attributes.js';
import { isDecodable, readTensorNumbers } from '../explain/values/tensor-values.js';
import type { KnownValue, ShapeFact } from './fact.js';
import { KNOWN_VALUE_LIMIT, prod } from './small-tensor.js';

/** A weight's shape and dtype, with its values when it is small enough to matter for shapes. */
export async function tensorFact(t: Tensor): Promise<KnownValue> {
  const dtype = t.logicalType ?? t.dtype;
  // Reading every small bias would cost a file read each: floats only up to a handful of elements.
  const small = t.elementCount <= KNOWN_VALUE_LIMIT && (isIntegerType(t.dtype) || t.elementCount <= 8) && isDecodable(t.dtype);
  let values: number[] | undefined;
  if (small) {
    try { values = Array.from(await readTensorNumbers(t)); } catch { values = undefined; }
  }
  return { shape: [...t.shape], dtype, values };
}

/** The output of a Constant (ONNX) or Const (TF) node. */
export async function constantNodeValue(node: Node): Promise<KnownValue | undefined> {
  for (const a of node.attributes) {
    if (a.type === 'tensor') return tensorFact(a.value);
    if (a.name === 'value_int') return { shape: [], dtype: 'int64', values: [attrInt(node, 'value_int', 0)] };
    if (a.name === 'value_ints') { const v = attrInts(node, 'value_ints') ?? []; return { shape: [v.length], dtype: 'int64', values: v }; }
    if (a.name === 'value_float') return { shape: [], dtype: 'float32', values: [attrFloat(node, 'value_float', 0)] };
    if (a.name === 'value_floats') { const v = attrFloats(node, 'value_floats') ?? []; return { shape: [v.length], dtype: 'float32', values: v }; }
  }
  return undefined;
}

/** ConstantOfShape's output with its fill values, when its shape is known and small. */
export async function constantOfShapeFill(node: Node, out: ShapeFact): Promise<ShapeFact> {
  if (!out.shape || !out.shape.every((d) => typeof d === 'number')) return out;
  const n = prod(out.shape as number[]);
  if (n > KNOWN_VALUE_LIMIT) return out;
  const a = node.attributes.find((x) => x.name === 'value');
  let fill = 0;
  if (a?.type === 'tensor' && isDecodable(a.value.dtype)) fill = (await readTensorNumbers(a.value))[0] ?? 0;
  return { ...out, values: new Array(n).fill(fill) };
}
