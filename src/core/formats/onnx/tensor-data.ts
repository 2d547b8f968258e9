// TensorData implementations specific to ONNX: bytes that need decoding (varint fields, sparse
// tensors), string tensors, and tensors whose stored data cannot match their header.
import { readFileRange } from '../../io/tensor-data.js';
import { exactBytes, isDescribable, type DescribableData, type PayloadWire, type TensorDataWire } from '../../io/tensor-data-wire.js';
import type { DataType } from '../../ir/dtype.js';
import { ModelError, type ModelErrorCode } from '../../ir/errors.js';
import type { FileRange, TensorData } from '../../ir/tensor.js';
import { ConversionError, densify, int64Values, varintsToPacked } from './tensor-bytes.js';

/** Where a tensor's payload bytes are: ranges of a file, or bytes already in memory. */
export type Payload = PayloadWire;

function payloadWire(p: Payload): PayloadWire {
  return p.kind === 'file' ? { kind: 'file', ranges: p.ranges.map((r) => ({ ...r })) } : { kind: 'memory', bytes: exactBytes(p.bytes) };
}

/** Reads a payload's bytes, concatenated. */
export async function readPayload(p: Payload): Promise<Uint8Array> {
  if (p.kind === 'memory') return p.bytes;
  let total = 0;
  for (const r of p.ranges) total += r.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const r of p.ranges) {
    await readFileRange(r.path, r.offset, out, at, r.length);
    at += r.length;
  }
  return out;
}

/** Data whose bytes are in memory can also be read synchronously (TensorProto files, tests). */
export interface SyncReadable {
  readSync(): Uint8Array;
  stringsSync?(): string[];
}

export function isSyncReadable(d: unknown): d is SyncReadable {
  return typeof (d as SyncReadable).readSync === 'function';
}

/** Bytes held in memory (a slice of an in-memory file or decoded values). */
export class BytesData implements DescribableData, SyncReadable {
  constructor(private readonly bytes: Uint8Array) {}
  get byteLength(): number { return this.bytes.byteLength; }
  toWire(): TensorDataWire { return { kind: 'bytes', bytes: exactBytes(this.bytes), sync: true }; }
  async read(start = 0, length?: number): Promise<Uint8Array> {
    const s = Math.max(0, Math.min(start, this.bytes.length));
    const len = Math.max(0, Math.min(length ?? this.bytes.length - s, this.bytes.length - s));
    return this.bytes.slice(s, s + len);
  }
  readSync(): Uint8Array { return this.bytes.slice(); }
  fileRanges(): FileRange[] | null { return null; }
}

/** Names the file, field and tensor for a failure while decoding a tensor's bytes. */
export interface DataPlace {
  file: string;
  /** Where the tensor's message starts in the file. */
  offset?: number;
  field: string;
  tensor: string;
}

export function placeError(e: unknown, place: DataPlace): ModelError {
  if (e instanceof ModelError) return e;
  if (e instanceof ConversionError) return new ModelError(e.code, e.message, place);
  return new ModelError('unreadable', (e as Error).message ?? String(e), place);
}

/** Data whose header and payload disagree: the graph still opens, reading says why it cannot. */
export class InvalidData implements DescribableData, SyncReadable {
  constructor(readonly byteLength: number, private readonly code: ModelErrorCode, private readonly why: string, private readonly place: DataPlace) {}
  toWire(): TensorDataWire { return { kind: 'invalid', byteLength: this.byteLength, code: this.code, why: this.why, place: { ...this.place } }; }
  readSync(): Uint8Array {
    throw new ModelError(this.code, this.why, this.place);
  }
  async read(): Promise<Uint8Array> {
    throw new ModelError(this.code, this.why, this.place);
  }
  fileRanges(): FileRange[] | null { return null; }
  async strings(): Promise<string[]> {
    throw new ModelError(this.code, this.why, this.place);
  }
}

/** A string tensor: each element is a byte range of the file (or memory), decoded as UTF-8 on demand. */
export class StringData implements DescribableData, SyncReadable {
  readonly byteLength = 0;
  constructor(private readonly source: Payload, private readonly offsets: number[], private readonly lengths: number[]) {}
  toWire(): TensorDataWire { return { kind: 'string-fields', source: payloadWire(this.source), offsets: this.offsets, lengths: this.lengths }; }
  async read(): Promise<Uint8Array> { return new Uint8Array(0); }
  readSync(): Uint8Array { return new Uint8Array(0); }
  stringsSync(): string[] {
    if (this.source.kind !== 'memory') throw new Error('stringsSync needs an in-memory source');
    return this.decodeSpan(this.source.bytes.subarray(this.offsets[0] ?? 0), this.offsets[0] ?? 0);
  }
  private decodeSpan(span: Uint8Array, first: number): string[] {
    const dec = new TextDecoder();
    const out: string[] = new Array(this.offsets.length);
    for (let i = 0; i < out.length; i++) out[i] = dec.decode(span.subarray(this.offsets[i] - first, this.offsets[i] - first + this.lengths[i]));
    return out;
  }
  fileRanges(): FileRange[] | null { return null; }
  async strings(): Promise<string[]> {
    const n = this.offsets.length;
    if (n === 0) return [];
    // The elements sit next to each other (separated by field keys): read the span once.
    const first = this.offsets[0];
    const last = this.offsets[n - 1] + this.lengths[n - 1];
    let span: Uint8Array;
    if (this.source.kind === 'memory') span = this.source.bytes.subarray(first, last);
    else {
      span = new Uint8Array(last - first);
      await readFileRange(this.source.ranges[0].path, first, span, 0, span.length);
    }
    return this.decodeSpan(span, first);
  }
}

/** Strings already decoded (Constant value_string(s)). */
export class MemoryStrings implements DescribableData, SyncReadable {
  readonly byteLength = 0;
  constructor(private readonly values: string[]) {}
  toWire(): TensorDataWire { return { kind: 'strings', values: this.values.slice() }; }
  async read(): Promise<Uint8Array> { return new Uint8Array(0); }
  readSync(): Uint8Array { return new Uint8Array(0); }
  stringsSync(): string[] { return this.values.slice(); }
  fileRanges(): FileRange[] | null { return null; }
  async strings(): Promise<string[]> { return this.values.slice(); }
}

/** How an OnnxDecodedData makes its bytes: as data, so that it can be described and rebuilt. */
export type DecodeRecipe =
  /** int32/int64/uint64_data varints → packed bytes of `dtype`. */
  | { kind: 'varints'; source: Payload; dtype: DataType; count: number }
  /** A sparse tensor's values and int64 indices → the dense tensor. `sync`: readable synchronously. */
  | { kind: 'sparse'; values: TensorData; indices: TensorData; dtype: DataType; dims: number[]; nnz: number; idxRank: number; sync: boolean };

/**
 * Bytes produced on demand by a decoder, with the failure placed. Unlike io's DecodedData it does
 * not keep the decoded bytes alive: a view asks once, and a cache would double the memory held.
 */
export class OnnxDecodedData implements DescribableData {
  constructor(readonly byteLength: number, readonly recipe: DecodeRecipe, private readonly place: DataPlace) {}
  /** Throws when a sparse tensor's parts have no description (the caller then reads the bytes). */
  toWire(): TensorDataWire {
    const r = this.recipe;
    const place = { ...this.place };
    if (r.kind === 'varints') return { kind: 'varints', byteLength: this.byteLength, source: payloadWire(r.source), dtype: r.dtype, count: r.count, place };
    const part = (d: TensorData): TensorDataWire => {
      if (!isDescribable(d)) throw new Error('a sparse part has no description');
      return d.toWire();
    };
    return { kind: 'sparse', byteLength: this.byteLength, values: part(r.values), indices: part(r.indices), dtype: r.dtype, dims: r.dims.slice(), nnz: r.nnz, idxRank: r.idxRank, place };
  }
  private decode(): Promise<Uint8Array> | Uint8Array {
    const r = this.recipe;
    if (r.kind === 'varints') return readPayload(r.source).then((src) => varintsToPacked(src, r.dtype, r.count));
    return Promise.all([r.values.read(), r.indices.read()]).then(([v, ix]) => densify(r.dtype, r.dims, v, r.nnz, int64Values(ix), r.idxRank));
  }
  private decodeSync(): Uint8Array | null {
    const r = this.recipe;
    if (r.kind === 'varints') return r.source.kind === 'memory' ? varintsToPacked(r.source.bytes, r.dtype, r.count) : null;
    if (!r.sync || !isSyncReadable(r.values) || !isSyncReadable(r.indices)) return null;
    return densify(r.dtype, r.dims, r.values.readSync(), r.nnz, int64Values(r.indices.readSync()), r.idxRank);
  }
  /** Only for data decoded from memory (TensorProto files); others throw. */
  readSync(): Uint8Array {
    let out: Uint8Array | null;
    try {
      out = this.decodeSync();
    } catch (e) {
      throw placeError(e, this.place);
    }
    if (!out) throw new ModelError('unsupported', 'this tensor is read from a file: use read()', this.place);
    return out;
  }
  async read(start = 0, length?: number): Promise<Uint8Array> {
    let all: Uint8Array;
    try {
      all = await this.decode();
    } catch (e) {
      throw placeError(e, this.place);
    }
    const s = Math.max(0, Math.min(start, all.length));
    const len = Math.max(0, Math.min(length ?? all.length - s, all.length - s));
    return s === 0 && len === all.length ? all : all.slice(s, s + len);
  }
  fileRanges(): FileRange[] | null { return null; }
}
