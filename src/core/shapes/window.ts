// Window geometry shared by Conv, ConvTranspose and pooling (shape propagation, cost and the
// by-hand computation all need the same pads and output sizes).
import type { Node } from '../ir/graph.js';
import type { Dim } from '../ir/shape.js';
import { attrInt, attrInts, attrString } from '../explain/values/attributes.js';

/** Per spatial axis: kernel size, stride, dilation and the pads actually applied. */
export interface WindowGeometry {
  kernel: number[];
  strides: number[];
  dilations: number[];
  padsBegin: number[];
  padsEnd: number[];
  /** Output size per spatial axis. */
  output: number[];
  group: number;
}

/** Pads for `auto_pad`/`padding` = SAME_UPPER | SAME_LOWER | SAME | VALID | NOTSET | EXPLICIT. */
export function resolvePads(mode: string, input: readonly number[], kernel: readonly number[], strides: readonly number[], dilations: readonly number[], explicit: readonly number[] | undefined): { begin: number[]; end: number[] } {
  const n = input.length;
  const m = mode.toUpperCase();
  if (m === 'SAME_UPPER' || m === 'SAME_LOWER' || m === 'SAME') {
    const begin: number[] = [], end: number[] = [];
    for (let i = 0; i < n; i++) {
      const out = Math.ceil(input[i] / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - input[i]);
      const small = Math.floor(total / 2);
      if (m === 'SAME_LOWER') { begin.push(total - small); end.push(small); } else { begin.push(small); end.push(total - small); }
    }
    return { begin, end };
  }
  if (m === 'VALID') return { begin: new Array(n).fill(0), end: new Array(n).fill(0) };
  const p = explicit ?? [];
  return { begin: input.map((_, i) => p[i] ?? 0), end: input.map((_, i) => p[i + n] ?? 0) };
}

/** Output size of a sliding window along one axis. */
export function windowOutput(input: number, kernel: number, stride: number, dilation: number, padBegin: number, padEnd: number, ceil = false): number {
  const span = input + padBegin + padEnd - dilation * (kernel - 1) - 1;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // ONNX/PyTorch ceil mode: the last window must start inside the (left-padded) input.
  if (ceil && (out - 1) * stride >= input + padBegin) out--;
  return Math.max(0, out);
}

/**
 * Geometry of an ONNX Conv / pooling node over NC(spatial…) input. `kernel` comes from the weight
 * shape for Conv and from `kernel_shape` for pooling.
 */
export function onnxWindowGeometry(node: Node, spatialInput: readonly number[], kernelFromWeight?: readonly number[]): WindowGeometry {
  const n = spatialInput.length;
  const kernel = attrInts(node, 'kernel_shape') ?? (kernelFromWeight ? [...kernelFromWeight] : new Array(n).fill(1));
  const strides = attrInts(node, 'strides') ?? new Array(n).fill(1);
  const dilations = attrInts(node, 'dilations') ?? new Array(n).fill(1);
  const pads = resolvePads(attrString(node, 'auto_pad', 'NOTSET'), spatialInput, kernel, strides, dilations, attrInts(node, 'pads'));
  const ceil = attrInt(node, 'ceil_mode', 0) === 1;
  const output = spatialInput.map((x, i) => windowOutput(x, kernel[i], strides[i], dilations[i], pads.begin[i], pads.end[i], ceil));
  return { kernel, strides, dilations, padsBegin: pads.begin, padsEnd: pads.end, output, group: attrInt(node, 'group', 1) };
}

/** Output spatial sizes of an ONNX ConvTranspose. */
export function convTransposeOutput(node: Node, spatialInput: readonly number[], kernel: readonly number[]): number[] {
  const n = spatialInput.length;
  const explicitOut = attrInts(node, 'output_shape');
  if (explicitOut && explicitOut.length >= n) return explicitOut.slice(explicitOut.length - n);
  const strides = attrInts(node, 'strides') ?? new Array(n).fill(1);
  const dil = attrInts(node, 'dilations') ?? new Array(n).fill(1);
  const outPad = attrInts(node, 'output_padding') ?? new Array(n).fill(0);
  const autoPad = attrString(node, 'auto_pad', 'NOTSET').toUpperCase();
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return spatialInput.map((x, i) => x * strides[i]);
  const pads = attrInts(node, 'pads') ?? new Array(2 * n).fill(0);
  return spatialInput.map((x, i) => strides[i] * (x - 1) + outPad[i] + (kernel[i] - 1) * dil[i] + 1 - pads[i] - pads[i + n]);
}

/**
 * Window output sizes over spatial dims that may be symbolic: number axes computed by `output`; a
 * symbolic axis keeps its name only under SAME padding with stride 1 (else it is unknown).
 */
export function spatialOutput(spatial: readonly Dim[], strides: readonly number[], samePadding: boolean, output: (sizes: number[]) => number[]): Dim[] {
  const out = output(spatial.map((d) => (typeof d === 'number' ? d : 1)));
  return spatial.map((d, i) => (typeof d === 'number' ? out[i] : samePadding && (strides[i] ?? 1) === 1 ? d : null));
}
