// ONNX TensorProto files (.pb, as in the ONNX backend test data) as runtime arrays, decoded by
// the ONNX reader's TensorProto code.
import type { DataType } from '../ir/dtype.js';
import { ModelError } from '../ir/errors.js';
import { decodeTensorProto, readTensorProtoFile, typedValues, type DecodedTensor } from '../formats/onnx/index.js';
import { isRuntimeDtype, type TensorArray } from './tensor-value.js';

export interface DecodedTensorProto {
  name: string;
  dtype: DataType;
  shape: number[];
  data: TensorArray;
}

function toRuntime(t: DecodedTensor, file: string): DecodedTensorProto {
  const data = typedValues(t);
  if (!data || !isRuntimeDtype(t.dtype)) throw new ModelError('unsupported', `${t.dtype} tensors cannot be fed to the runtime`, { file, tensor: t.name || undefined });
  return { name: t.name, dtype: t.dtype, shape: t.shape, data };
}

/** Decodes TensorProto bytes into a runtime array. */
export function decodeTensorProtoBytes(bytes: Uint8Array, file = '<tensor>'): DecodedTensorProto {
  return toRuntime(decodeTensorProto(bytes, file), file);
}

/** Reads a TensorProto .pb file into a runtime array. */
export async function readTensorProtoInput(file: string): Promise<DecodedTensorProto> {
  return toRuntime(readTensorProtoFile(file), file);
}
