// Capturing hundreds of values: onnxruntime-node pays a fixed cost per graph output (~25 µs to
// build each JS tensor), which made "capture all" 4× a plain run on a 600-node transformer. So
// the captured values are gathered inside the graph instead: per dtype, Reshape(v, [-1]) of every
// value feeds one Concat; one more Concat gathers Shape(v). Three or four outputs in all, split
// back into tensors (views, no copy) here. The nodes are appended by splicing, like the outputs.
import type { DataType } from '../ir/dtype.js';
import { appendToGraph, encodeGraphOutputs, encodeNode, intAttribute as intAttr, messageField as msg, stringField as str } from '../model-write/index.js';
import { shapeSize, type RuntimeTensor, type TensorArray } from './tensor-value.js';

/** Below this many captured values the plain extra outputs are cheaper than gathering. */
export const PACK_MIN_VALUES = 16;
/** Reshape takes its shape as an input from opset 5. */
export const PACK_MIN_OPSET = 5;

const PREFIX = '__model_lens_capture_';

export interface CapturedValueInfo {
  name: string;
  dtype: DataType;
  /** Rank seen in a first run; checked against the gathered shapes on every run. */
  rank: number;
}

export interface PackLayout {
  groups: { output: string; dtype: DataType; members: number[] }[];
  shapesOutput: string;
  values: CapturedValueInfo[];
}

const node = (op: string, inputs: string[], outputs: string[], attrs: number[] = []): number[] => encodeNode(op, `${PREFIX}${op}_${outputs[0]}`, inputs, outputs, attrs);

/** Returns the model with gather nodes and outputs appended, and how to split the outputs again. */
export function buildPackedCaptureModel(model: Uint8Array, values: readonly CapturedValueInfo[], file = '<model>'): { bytes: Uint8Array; layout: PackLayout } {
  const extra: number[] = [];
  // Initializer [-1] (int64): Reshape(v, [-1]) flattens any tensor.
  const minusOne = `${PREFIX}minus_one`;
  extra.push(...msg(5, [8, 1, 16, 7, ...str(8, minusOne), ...msg(9, [255, 255, 255, 255, 255, 255, 255, 255])]));
  const byDtype = new Map<DataType, number[]>();
  values.forEach((v, i) => { const g = byDtype.get(v.dtype); if (g) g.push(i); else byDtype.set(v.dtype, [i]); });
  const groups: PackLayout['groups'] = [];
  let g = 0;
  for (const [dtype, members] of byDtype) {
    const flats = members.map((i) => `${PREFIX}flat_${i}`);
    members.forEach((i, k) => extra.push(...node('Reshape', [values[i].name, minusOne], [flats[k]])));
    const output = `${PREFIX}gather_${g++}`;
    extra.push(...node('Concat', flats, [output], intAttr('axis', 0)));
    groups.push({ output, dtype, members });
  }
  const shapes = values.map((_, i) => `${PREFIX}shape_${i}`);
  values.forEach((v, i) => extra.push(...node('Shape', [v.name], [shapes[i]])));
  const shapesOutput = `${PREFIX}shapes`;
  extra.push(...node('Concat', shapes, [shapesOutput], intAttr('axis', 0)));
  extra.push(...encodeGraphOutputs([...groups.map((x) => x.output), shapesOutput]));
  return { bytes: appendToGraph(model, extra, file), layout: { groups, shapesOutput, values: [...values] } };
}

/** Output names the packed session must return besides the model's own outputs. */
export function packOutputNames(layout: PackLayout): string[] {
  return [...layout.groups.map((g) => g.output), layout.shapesOutput];
}

/**
 * Splits the gathered outputs back into one tensor per captured value (views into the gathered
 * arrays). Null when the sizes do not add up (a value's rank changed): the caller then falls back.
 */
export function unpackCapture(layout: PackLayout, got: (name: string) => { data: TensorArray } | undefined): RuntimeTensor[] | null {
  const shapesData = got(layout.shapesOutput)?.data;
  if (!(shapesData instanceof BigInt64Array)) return null;
  const shapes: number[][] = [];
  let at = 0;
  for (const v of layout.values) {
    if (at + v.rank > shapesData.length) return null;
    shapes.push(Array.from(shapesData.subarray(at, at + v.rank), Number));
    at += v.rank;
  }
  if (at !== shapesData.length) return null;
  const out: RuntimeTensor[] = new Array(layout.values.length);
  for (const group of layout.groups) {
    const data = got(group.output)?.data;
    if (!data) return null;
    let offset = 0;
    for (const i of group.members) {
      const n = shapeSize(shapes[i]);
      if (offset + n > data.length) return null;
      const part = Array.isArray(data) ? data.slice(offset, offset + n) : (data as Exclude<TensorArray, string[]>).subarray(offset, offset + n);
      out[i] = { name: layout.values[i].name, dtype: group.dtype, shape: shapes[i], data: part as TensorArray };
      offset += n;
    }
    if (offset !== data.length) return null;
  }
  return out;
}
