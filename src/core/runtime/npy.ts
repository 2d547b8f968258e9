// NumPy .npy reader and writer (format versions 1.0–3.0), so users can feed inputs from and save
// outputs for Python without any native dependency.
import { readFile, writeFile } from 'node:fs/promises';
import type { DataType } from '../ir/dtype.js';
import { ModelError } from '../ir/errors.js';
import { shapeSize, viewArray, type TensorArray } from './tensor-value.js';

/** A decoded .npy array in C order. */
export interface NpyArray {
  dtype: DataType;
  shape: number[];
  data: TensorArray;
}

const DESCR_TO_DTYPE: Record<string, { dtype: DataType; size: number }> = {
  f4: { dtype: 'float32', size: 4 }, f8: { dtype: 'float64', size: 8 }, f2: { dtype: 'float16', size: 2 },
  i1: { dtype: 'int8', size: 1 }, u1: { dtype: 'uint8', size: 1 }, i2: { dtype: 'int16', size: 2 },
  u2: { dtype: 'uint16', size: 2 }, i4: { dtype: 'int32', size: 4 }, u4: { dtype: 'uint32', size: 4 },
  i8: { dtype: 'int64', size: 8 }, u8: { dtype: 'uint64', size: 8 }, b1: { dtype: 'bool', size: 1 },
};
const DTYPE_TO_DESCR: Partial<Record<DataType, string>> = {
  float32: '<f4', float64: '<f8', float16: '<f2', int8: '|i1', uint8: '|u1', int16: '<i2', uint16: '<u2',
  int32: '<i4', uint32: '<u4', int64: '<i8', uint64: '<u8', bool: '|b1',
};
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Decodes .npy bytes. `file` names the source in error messages. */
export function decodeNpy(bytes: Uint8Array, file = '<npy>'): NpyArray {
  const fail = (detail: string, offset?: number): never => { throw new ModelError('malformed', detail, { file, offset }); };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (missing \\x93NUMPY magic)', 0);
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number, headerStart: number;
  if (major === 1) { headerLen = dv.getUint16(8, true); headerStart = 10; }
  else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('file ends inside the header length', 8);
    headerLen = dv.getUint32(8, true); headerStart = 12;
  } else return fail(`unsupported .npy format version ${major}.${bytes[7]}`, 6);
  if (headerStart + headerLen > bytes.length) fail(`header of ${headerLen} bytes runs past the end of the file`, headerStart);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) return fail(`header is not a NumPy array header: ${header.trim()}`, headerStart);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`bad shape (${shapeText})`, headerStart);
  const count = shapeSize(shape);
  const dataStart = headerStart + headerLen;
  const order = descr[0];
  const code = descr.slice(1);
  let dtype: DataType;
  let data: TensorArray;
  if (code.startsWith('U')) {
    // Fixed-width UTF-32 strings.
    const width = Number(code.slice(1));
    if (dataStart + count * width * 4 > bytes.length) fail(`data is ${bytes.length - dataStart} bytes, expected ${count * width * 4}`, dataStart);
    const strings: string[] = [];
    for (let i = 0; i < count; i++) {
      let s = '';
      for (let j = 0; j < width; j++) {
        const cp = order === '>' ? dv.getUint32(dataStart + (i * width + j) * 4, false) : dv.getUint32(dataStart + (i * width + j) * 4, true);
        if (cp === 0) break;
        s += String.fromCodePoint(cp);
      }
      strings.push(s);
    }
    dtype = 'string';
    data = strings;
  } else {
    const info = DESCR_TO_DTYPE[code];
    if (!info) return fail(`unsupported NumPy dtype '${descr}'`, headerStart);
    dtype = info.dtype;
    const byteLen = count * info.size;
    if (dataStart + byteLen > bytes.length) fail(`data is ${bytes.length - dataStart} bytes, shape (${shape.join(', ')}) of ${descr} needs ${byteLen}`, dataStart);
    const raw = new Uint8Array(bytes.subarray(dataStart, dataStart + byteLen)); // a copy (Buffer.slice would be a view): aligned, detached
    if (order === '>' && info.size > 1) swapBytes(raw, info.size);
    data = viewArray(dtype, raw.buffer, 0, count);
  }
  if (fortran === 'True' && shape.length > 1) data = fortranToC(data, shape);
  return { dtype, shape, data };
}

/** Encodes an array as .npy version 1.0 (3.0 if the header needs unicode), little-endian, C order. */
export function encodeNpy(arr: NpyArray): Uint8Array {
  let descr = DTYPE_TO_DESCR[arr.dtype];
  let body: Uint8Array;
  if (arr.dtype === 'string') {
    const strings = arr.data as string[];
    const cps = strings.map((s) => Array.from(s, (c) => c.codePointAt(0)!));
    const width = Math.max(1, ...cps.map((c) => c.length));
    descr = `<U${width}`;
    const u32 = new Uint32Array(strings.length * width);
    cps.forEach((c, i) => u32.set(c, i * width));
    body = new Uint8Array(u32.buffer);
  } else {
    if (!descr) throw new RangeError(`.npy cannot hold ${arr.dtype} tensors`);
    const d = arr.data as Exclude<TensorArray, string[]>;
    body = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  }
  const shapeText = arr.shape.length === 1 ? `(${arr.shape[0]},)` : `(${arr.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const prefix = 10;
  const total = Math.ceil((prefix + header.length + 1) / 64) * 64;
  header = header.padEnd(total - prefix - 1, ' ') + '\n';
  const out = new Uint8Array(total + body.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), prefix);
  out.set(body, total);
  return out;
}

/** Reads a .npy file. Errors name the file. */
export async function readNpyFile(file: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try { bytes = await readFile(file); } catch (e) {
    throw new ModelError('not-found', `cannot read: ${(e as Error).message}`, { file });
  }
  return decodeNpy(bytes, file);
}

/** Writes a .npy file. */
export async function writeNpyFile(file: string, arr: NpyArray): Promise<void> {
  await writeFile(file, encodeNpy(arr));
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size) {
    for (let j = 0; j < size >> 1; j++) {
      const t = b[i + j]; b[i + j] = b[i + size - 1 - j]; b[i + size - 1 - j] = t;
    }
  }
}

// Fortran order stores the first axis fastest; rewrite into C order (last axis fastest).
function fortranToC(data: TensorArray, shape: number[]): TensorArray {
  const n = data.length;
  const out = Array.isArray(data) ? new Array<string>(n) : new (data.constructor as new (n: number) => Exclude<TensorArray, string[]>)(n);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  for (let f = 0; f < n; f++) {
    // f enumerates Fortran order: idx[0] fastest.
    let c = 0;
    for (let k = 0; k < rank; k++) c = c * shape[k] + idx[k];
    (out as unknown as unknown[])[c] = (data as unknown as unknown[])[f];
    for (let k = 0; k < rank; k++) { if (++idx[k] < shape[k]) break; idx[k] = 0; }
  }
  return out as TensorArray;
}
