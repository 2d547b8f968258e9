/** Element types a tensor can hold, named format-neutrally (ONNX and TF.js map onto these). */
export type DataType =
  | 'float32' | 'float64' | 'float16' | 'bfloat16'
  | 'float8e4m3fn' | 'float8e4m3fnuz' | 'float8e5m2' | 'float8e5m2fnuz' | 'float8e8m0' | 'float4e2m1'
  | 'int4' | 'uint4' | 'int2' | 'uint2'
  | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'bool' | 'string' | 'complex64' | 'complex128'
  | 'undefined';

/** Bits one element occupies in the packed little-endian encoding (0 for strings, whose size varies). */
export function bitsPerElement(dtype: DataType): number {
  switch (dtype) {
    case 'float64': case 'int64': case 'uint64': case 'complex64': return 64;
    case 'complex128': return 128;
    case 'float32': case 'int32': case 'uint32': return 32;
    case 'float16': case 'bfloat16': case 'int16': case 'uint16': return 16;
    case 'float8e4m3fn': case 'float8e4m3fnuz': case 'float8e5m2': case 'float8e5m2fnuz': case 'float8e8m0':
    case 'int8': case 'uint8': case 'bool': return 8;
    case 'int4': case 'uint4': case 'float4e2m1': return 4;
    case 'int2': case 'uint2': return 2;
    case 'string': case 'undefined': return 0;
  }
}

/** Bytes needed to store `count` elements packed (sub-byte types round up to a whole byte). */
export function packedByteLength(dtype: DataType, count: number): number {
  return Math.ceil((bitsPerElement(dtype) * count) / 8);
}

export function isFloatType(dtype: DataType): boolean {
  return dtype.startsWith('float') || dtype === 'bfloat16';
}

export function isIntegerType(dtype: DataType): boolean {
  return /^u?int\d+$/.test(dtype);
}
