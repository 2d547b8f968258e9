// TensorData implementations specific to ONNX: bytes that need decoding (varint fields, sparse
// tensors), string tensors, and tensors whose stored data cannot match their header.
import { readFileRange } from '../../io/tensor-data.js';
import { ModelError, type ModelErrorCode } from '../../ir/errors.js';
import type { FileRange, TensorData } from '../../ir/tensor.js';
import { ConversionError } from './tensor-bytes.js';

/** Where a tensor's payload bytes are: ranges of a file, or bytes already in memory. */
export type Payload = { kind: 'file'; ranges: FileRange[] } | { kind: 'memory'; bytes: Uint8Array };

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
export class BytesData implements TensorData, SyncReadable {
  constructor(private readonly bytes: Uint8Array) {}
  get byteLength(): number { return this.bytes.byteLength; }
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
export class InvalidData implements TensorData, SyncReadable {
  constructor(readonly byteLength: number, private readonly code: ModelErrorCode, private readonly why: string, private readonly place: DataPlace) {}
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
export class StringData implements TensorData, SyncReadable {
  readonly byteLength = 0;
  constructor(private readonly source: Payload, private readonly offsets: number[], private readonly lengths: number[]) {}
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
export class MemoryStrings implements TensorData, SyncReadable {
  readonly byteLength = 0;
  constructor(private readonly values: string[]) {}
  async read(): Promise<Uint8Array> { return new Uint8Array(0); }
  readSync(): Uint8Array { return new Uint8Array(0); }
  stringsSync(): string[] { return this.values.slice(); }
  fileRanges(): FileRange[] | null { return null; }
  async strings(): Promise<string[]> { return this.values.slice(); }
}

/**
 * Bytes produced on demand by a decoder, with the failure placed. Unlike io's DecodedData it does
 * not keep the decoded bytes alive: a view asks once, and a cache would double the memory held.
 */
export class OnnxDecodedData implements TensorData {
  constructor(readonly byteLength: number, private readonly decode: () => Promise<Uint8Array>, private readonly place: DataPlace, private readonly decodeSync?: () => Uint8Array) {}
  /** Only for data decoded from memory (TensorProto files); others throw. */
  readSync(): Uint8Array {
    if (!this.decodeSync) throw new ModelError('unsupported', 'this tensor is read from a file: use read()', this.place);
    try {
      return this.decodeSync();
    } catch (e) {
      throw placeError(e, this.place);
    }
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
