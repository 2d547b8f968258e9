// TensorProto and SparseTensorProto → IR Tensor. Records where the bytes are (file ranges) instead
// of copying them; typed varint fields decode on demand; external data is resolved inside the folder.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { FileRangesData } from '../../io/tensor-data.js';
import { resolveInsideFolder } from '../../io/paths.js';
import { packedByteLength, type DataType } from '../../ir/dtype.js';
import { ModelError } from '../../ir/errors.js';
import type { FileRange, Tensor, TensorData, TensorRole } from '../../ir/tensor.js';
import { Msg, Wire, dtypeFromOnnx, fieldName } from './schema.js';
import { readStringEntry } from './string-entry.js';
import { typedFieldFor } from './tensor-bytes.js';
import { BytesData, InvalidData, OnnxDecodedData, StringData, isSyncReadable, type DataPlace, type Payload } from './tensor-data.js';
import type { WireReader } from './wire-reader.js';

/** raw_data up to this size is copied while parsing (it is already in the read window). */
const KEEP_RAW_BYTES = 64;

/** What tensor parsing needs besides the reader: where the file is, and what it has pulled in. */
export interface TensorContext {
  r: WireReader;
  /** Absolute path of the file being read, or null for bytes in memory with no folder. */
  filePath: string | null;
  /** Short name for locations (`model.onnx @ 1234`). */
  label: string;
  /** External data files read, in first-use order. */
  externalFiles: Set<string>;
  externalSizes: Map<string, number>;
}

/** Accumulates unpacked repeated values' wire bytes; concatenated they read like a packed field. */
class ByteList {
  parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): void { this.parts.push(b); this.length += b.length; }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

const MAX_ELEMENTS = Number.MAX_SAFE_INTEGER;

/** Parses a TensorProto whose body ends at `end`. The reader is just inside the message. */
export function parseTensor(ctx: TensorContext, end: number, role: TensorRole, fallbackName: string): Tensor {
  const r = ctx.r;
  const start = r.pos;
  const dims: number[] = [];
  let dataType = 0, name = '', doc: string | undefined, dataLocation = 0;
  let rawOff = -1, rawLen = 0;
  let rawSmall: Uint8Array | undefined;
  let dataField = 0;
  // Allocated only when the tensor uses them: most tensors are raw_data.
  let ranges: { off: number; len: number; kept?: Uint8Array }[] | null = null;
  let unpacked: ByteList | null = null;
  let strOffs: number[] | null = null, strLens: number[] | null = null;
  let external: Record<string, string> | null = null;
  let extField = '';

  while (r.pos < end) {
    const wire = r.key();
    const f = r.field;
    switch (f) {
      case 1:
        if (wire === Wire.Len) {
          const e = r.lengthEnd();
          while (r.pos < e) dims.push(checkDim(r, r.int64()));
          if (r.pos !== e) throw r.error('malformed', 'packed dims run past their field');
        } else {
          r.expect(wire, Wire.Varint);
          dims.push(checkDim(r, r.int64()));
        }
        break;
      case 2: r.expect(wire, Wire.Varint); dataType = r.int64(); break;
      case 3: throw r.error('unsupported', 'segmented tensors (TensorProto.segment) are not supported');
      case 4: case 5: case 7: case 10: case 11: {
        if (dataField && dataField !== f) throw r.error('malformed', `the tensor stores values in both ${fieldName(Msg.Tensor, dataField)} and ${fieldName(Msg.Tensor, f)}`);
        dataField = f;
        if (wire === Wire.Len) {
          const len = r.length();
          const off = r.pos;
          const kept = len <= KEEP_RAW_BYTES && !r.inMemory ? r.bytes(len) : undefined;
          if (!kept) r.pos += len;
          (ranges ??= []).push({ off, len, kept });
        } else {
          const want = f === 4 ? Wire.Fixed32 : f === 10 ? Wire.Fixed64 : Wire.Varint;
          r.expect(wire, want);
          unpacked ??= new ByteList();
          const at = r.pos;
          if (want === Wire.Varint) { r.uvarint(); const n = r.pos - at; r.pos = at; unpacked.push(r.bytes(n)); }
          else unpacked.push(r.bytes(want === Wire.Fixed32 ? 4 : 8));
        }
        break;
      }
      case 6: {
        r.expect(wire, Wire.Len);
        const len = r.length();
        (strOffs ??= []).push(r.pos); (strLens ??= []).push(len);
        r.pos += len;
        break;
      }
      case 8: r.expect(wire, Wire.Len); name = r.string(); break;
      case 9: {
        r.expect(wire, Wire.Len);
        rawLen = r.length();
        rawOff = r.pos;
        // A few bytes (shape constants, axes, scalars) are kept now: reading them later costs a
        // file open each, and shape inference reads every one.
        if (rawLen <= KEEP_RAW_BYTES && !r.inMemory) rawSmall = r.bytes(rawLen);
        else r.pos += rawLen;
        break;
      }
      case 12: r.expect(wire, Wire.Len); doc = r.string(); break;
      case 13: {
        const [k, v] = readStringEntry(r, wire, external ? Object.keys(external).length : 0);
        (external ??= {})[k] = v;
        if (k === 'location') extField = r.fieldPath();
        break;
      }
      case 14: r.expect(wire, Wire.Varint); dataLocation = r.int64(); break;
      default: r.skip(wire);
    }
  }

  const dtype: DataType = dtypeFromOnnx(dataType) ?? 'undefined';
  let count = 1;
  for (const d of dims) count *= d;
  if (count > MAX_ELEMENTS) {
    r.field = 1;
    throw r.error('limit', `dims [${dims.join(', ')}] give ${count} elements, more than can be addressed`, start);
  }
  const tname = name || fallbackName;
  const byteLength = packedByteLength(dtype, count);
  // slice(): an exact-size copy; the pushed-into array reserved room for 17 dims.
  const tensor: Tensor = { name: tname, dtype, shape: dims.slice(), elementCount: count, byteLength, role, location: '', data: null as unknown as TensorData };
  if (doc) tensor.docString = doc;

  // The common case (raw_data in the model file, sizes agree) builds nothing else.
  if (rawOff >= 0 && rawLen === byteLength && !external && dataLocation !== 1 && dtype !== 'undefined' && dtype !== 'string' && ctx.filePath && !r.inMemory) {
    tensor.location = ctx.label + ' @ ' + rawOff;
    tensor.data = new FileRangesData([{ path: ctx.filePath, offset: rawOff, length: rawLen }], rawSmall);
    return tensor;
  }
  const place: DataPlace = { file: ctx.filePath ?? r.file, offset: start, field: r.fieldPath(false), tensor: tname };
  const invalid = (code: 'size-mismatch' | 'malformed' | 'unsupported', why: string) => {
    tensor.data = new InvalidData(byteLength, code, why, place);
  };
  const payload = (off: number, len: number): Payload =>
    ctx.filePath && !r.inMemory ? { kind: 'file', ranges: [{ path: ctx.filePath, offset: off, length: len }] } : { kind: 'memory', bytes: r.memorySlice(off, len) };

  if (dtype === 'undefined') {
    tensor.location = ctx.label;
    invalid('unsupported', `data_type ${dataType} is not a known ONNX type`);
  } else if (external || dataLocation === 1) {
    tensor.data = externalData(ctx, external ?? {}, extField || `${place.field}.external_data`, tensor, place);
  } else if (rawOff >= 0) {
    tensor.location = `${ctx.label} @ ${rawOff}`;
    if (dtype === 'string') invalid('malformed', 'a string tensor cannot use raw_data');
    else if (rawLen !== byteLength) invalid('size-mismatch', `raw_data holds ${rawLen} bytes but ${dtype}[${dims.join(', ')}] needs ${byteLength}`);
    else tensor.data = dataOf(payload(rawOff, rawLen));
  } else if (strOffs || (dtype === 'string' && count === 0)) {
    const offs = strOffs ?? [], lens = strLens ?? [];
    tensor.location = offs.length ? `${ctx.label} @ ${offs[0]}` : ctx.label;
    if (dtype !== 'string') invalid('malformed', `string_data cannot hold ${dtype}`);
    else if (offs.length !== count) invalid('size-mismatch', `string_data holds ${offs.length} strings but the dims need ${count}`);
    else tensor.data = new StringData(payload(0, r.inMemory ? r.size : 0), offs, lens);
  } else if (dataField) {
    const fname = fieldName(Msg.Tensor, dataField);
    const at = ranges ? ranges[0].off : start;
    tensor.location = unpacked ? `${ctx.label} (${fname}, unpacked)` : `${ctx.label} @ ${at} (${fname})`;
    if (ranges && unpacked) {
      invalid('malformed', `${fname} mixes packed and unpacked values`);
      return tensor;
    }
    const src: Payload = unpacked ? { kind: 'memory', bytes: unpacked.concat() } : joinPayload((ranges ?? []).map((x) => payload(x.off, x.len)));
    const kept = ranges?.every((x) => x.kept) ? joinPayload(ranges.map((x) => ({ kind: 'memory', bytes: x.kept! }))) : undefined;
    if (typedFieldFor(dtype) !== fname) invalid('malformed', `${fname} cannot hold ${dtype} values (use ${typedFieldFor(dtype)})`);
    else if (dataField === 4 || dataField === 10) {
      const len = src.kind === 'memory' ? src.bytes.length : src.ranges.reduce((a, x) => a + x.length, 0);
      if (len !== byteLength) invalid('size-mismatch', `${fname} holds ${len} bytes but ${dtype}[${dims.join(', ')}] needs ${byteLength}`);
      else tensor.data = src.kind === 'file' ? new FileRangesData(src.ranges, kept?.kind === 'memory' ? kept.bytes : undefined) : dataOf(src);
    } else {
      tensor.data = new OnnxDecodedData(byteLength, { kind: 'varints', source: kept ?? src, dtype, count }, { ...place, field: `${place.field}.${fname}` });
    }
  } else {
    tensor.location = ctx.label;
    if (count === 0) tensor.data = new BytesData(new Uint8Array(0));
    else invalid('size-mismatch', `the tensor has no data but its dims need ${count} elements`);
  }
  return tensor;
}

function checkDim(r: WireReader, d: number): number {
  if (d < 0) throw r.error('malformed', `negative dimension ${d}`);
  if (d > MAX_ELEMENTS) throw r.error('limit', `dimension ${d} is too large`);
  return d;
}

function joinPayload(parts: Payload[]): Payload {
  if (parts.length === 1) return parts[0];
  if (parts[0].kind === 'file') return { kind: 'file', ranges: parts.flatMap((p) => (p.kind === 'file' ? p.ranges : [])) };
  const bl = new ByteList();
  for (const p of parts) if (p.kind === 'memory') bl.push(p.bytes);
  return { kind: 'memory', bytes: bl.concat() };
}

function dataOf(p: Payload): TensorData {
  return p.kind === 'file' ? new FileRangesData(p.ranges) : new BytesData(p.bytes);
}

/** Resolves external_data (location/offset/length) inside the model's folder and checks the file size. */
function externalData(ctx: TensorContext, ext: Record<string, string>, field: string, tensor: Tensor, place: DataPlace): TensorData {
  const r = ctx.r;
  if (!ctx.filePath) throw r.error('unsupported', `tensor '${tensor.name}' keeps its data in an external file, which needs the model's folder`);
  const location = ext.location;
  if (location === undefined) throw r.error('malformed', `tensor '${tensor.name}' has data_location EXTERNAL but no external_data location`);
  let real: string;
  try {
    real = resolveInsideFolder(ctx.filePath, location, field);
  } catch (e) {
    // Add the byte offset of the tensor to the refusal so that it points into the file.
    if (e instanceof ModelError) throw new ModelError(e.code, e.detail, { ...e.place, offset: r.pos });
    throw e;
  }
  const num = (key: string): number | undefined => {
    const s = ext[key];
    if (s === undefined || s === '') return undefined;
    if (!/^\d+$/.test(s.trim())) throw r.error('malformed', `external_data ${key} '${s}' of tensor '${tensor.name}' is not a byte count`);
    return Number(s.trim());
  };
  const offset = num('offset') ?? 0;
  const length = num('length') ?? tensor.byteLength;
  let size = ctx.externalSizes.get(real);
  if (size === undefined) {
    const st = statSync(real);
    // A folder (or a FIFO) stats fine but fails later on read with a raw EISDIR: refuse it here.
    if (!st.isFile()) throw r.error('unreadable', `external data '${location}' of tensor '${tensor.name}' is not a regular file`);
    size = st.size;
    ctx.externalSizes.set(real, size);
  }
  ctx.externalFiles.add(real);
  tensor.location = `${location} @ ${offset}`;
  if (offset + length > size) {
    throw r.error('truncated', `tensor '${tensor.name}' needs bytes ${offset}..${offset + length} of '${location}' but that file has ${size} bytes`);
  }
  if (tensor.dtype === 'string') return new InvalidData(0, 'malformed', 'a string tensor cannot use external data', place);
  if (length !== tensor.byteLength) return new InvalidData(tensor.byteLength, 'size-mismatch', `external data holds ${length} bytes but ${tensor.dtype}[${tensor.shape.join(', ')}] needs ${tensor.byteLength}`, place);
  return new FileRangesData([{ path: real, offset, length }]);
}

/** Parses a SparseTensorProto into a tensor whose data densifies on read. */
export function parseSparseTensor(ctx: TensorContext, end: number, role: TensorRole, fallbackName: string): Tensor {
  const r = ctx.r;
  const start = r.pos;
  let values: Tensor | null = null, indices: Tensor | null = null;
  const dims: number[] = [];
  while (r.pos < end) {
    const wire = r.key();
    switch (r.field) {
      case 1: { const e = r.enter(wire, Msg.Tensor, -1); values = parseTensor(ctx, e, role, fallbackName); r.leave(e); break; }
      case 2: { const e = r.enter(wire, Msg.Tensor, -1); indices = parseTensor(ctx, e, role, `${fallbackName}.indices`); r.leave(e); break; }
      case 3:
        if (wire === Wire.Len) {
          const e = r.lengthEnd();
          while (r.pos < e) dims.push(checkDim(r, r.int64()));
          if (r.pos !== e) throw r.error('malformed', 'packed dims run past their field');
        } else { r.expect(wire, Wire.Varint); dims.push(checkDim(r, r.int64())); }
        break;
      default: r.skip(wire);
    }
  }
  if (!values || !indices) throw r.error('malformed', `sparse tensor '${fallbackName}' lacks its ${values ? 'indices' : 'values'}`);
  let count = 1;
  for (const d of dims) count *= d;
  if (count > MAX_ELEMENTS) throw r.error('limit', `dims [${dims.join(', ')}] give ${count} elements`);
  const dtype = values.dtype;
  const byteLength = packedByteLength(dtype, count);
  const name = values.name || fallbackName;
  const place: DataPlace = { file: ctx.filePath ?? r.file, offset: start, field: r.fieldPath(false), tensor: name };
  const nnz = values.elementCount;
  const idxRank = indices.shape.length === 2 ? 2 : 1;
  const v = values, ix = indices;
  let data: TensorData;
  if (ix.dtype !== 'int64') data = new InvalidData(byteLength, 'malformed', `sparse indices must be int64, not ${ix.dtype}`, place);
  else if (!(idxRank === 1 ? ix.elementCount === nnz : ix.shape[0] === nnz && ix.shape[1] === dims.length)) {
    data = new InvalidData(byteLength, 'size-mismatch', `indices [${ix.shape.join(', ')}] do not fit ${nnz} values of a rank-${dims.length} tensor`, place);
  } else {
    const vd = v.data, id = ix.data;
    const sync = r.inMemory && isSyncReadable(vd) && isSyncReadable(id);
    data = new OnnxDecodedData(byteLength, { kind: 'sparse', values: vd, indices: id, dtype, dims, nnz, idxRank, sync }, place);
  }
  return {
    name, dtype, shape: dims, elementCount: count, byteLength, role: role === 'initializer' ? 'sparse-initializer' : role,
    location: `${v.location} (sparse, ${nnz} of ${count} stored)`, data,
  };
}

/** Short label for a model file in tensor locations. */
export function fileLabel(path: string): string {
  return basename(path);
}

export type { FileRange };
