import type { FileRange } from '../../ir/tensor.js';
import { FileRangesData } from '../../io/tensor-data.js';
import { ModelError } from '../../ir/errors.js';
import type { TensorDataWire } from '../../io/tensor-data-wire.js';

/** One shard file of a weight group: where it is, how the manifest wrote it, its size on disk. */
export interface ShardFile {
  path: string;
  written: string;
  size: number;
}

const CHUNK = 64 * 1024;

/**
 * The concatenation of one weight group's shard files, as TF.js sees it. Maps group offsets to
 * file ranges, and reads small values (string length prefixes) through a one-chunk cache.
 */
export class GroupReader {
  readonly totalBytes: number;
  private readonly starts: number[] = [];
  private readonly all: FileRangesData;
  private chunkStart = -1;
  private chunk: Uint8Array = new Uint8Array(0);

  constructor(readonly files: ShardFile[]) {
    let pos = 0;
    for (const f of files) { this.starts.push(pos); pos += f.size; }
    this.totalBytes = pos;
    this.all = new FileRangesData(files.map((f) => ({ path: f.path, offset: 0, length: f.size })));
  }

  /** File ranges whose concatenation is bytes [offset, offset+length) of the group. */
  rangesOf(offset: number, length: number): FileRange[] {
    const out: FileRange[] = [];
    let remaining = length;
    let pos = offset;
    for (let i = 0; i < this.files.length && remaining > 0; i++) {
      const start = this.starts[i];
      const end = start + this.files[i].size;
      if (pos >= end) continue;
      const n = Math.min(end - pos, remaining);
      out.push({ path: this.files[i].path, offset: pos - start, length: n });
      pos += n;
      remaining -= n;
    }
    return out;
  }

  /** Little-endian uint32 at a group offset (the caller checks it lies inside the group). */
  async uint32At(pos: number): Promise<number> {
    const b = await this.bytes(pos, 4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }

  private async bytes(pos: number, n: number): Promise<Uint8Array> {
    if (this.chunkStart < 0 || pos < this.chunkStart || pos + n > this.chunkStart + this.chunk.length) {
      this.chunkStart = pos;
      this.chunk = await this.all.read(pos, Math.max(CHUNK, n));
    }
    return this.chunk.subarray(pos - this.chunkStart, pos - this.chunkStart + n);
  }
}

/** Decodes `count` TF.js strings (each a 4-byte little-endian length, then that many UTF-8 bytes). */
export function decodeLengthPrefixedStrings(bytes: Uint8Array, count: number, tensor: string, file: string): string[] {
  const out: string[] = [];
  const decoder = new TextDecoder('utf-8');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > bytes.length) throw truncated(file, tensor, i, pos);
    const len = view.getUint32(pos, true);
    pos += 4;
    if (pos + len > bytes.length) throw truncated(file, tensor, i, pos);
    out.push(decoder.decode(bytes.subarray(pos, pos + len)));
    pos += len;
  }
  return out;
}

function truncated(file: string, tensor: string, index: number, offset: number): ModelError {
  return new ModelError('truncated', `string ${index} runs past the end of the weight's bytes (byte ${offset} of the weight)`, { file, tensor });
}

/** A TF.js string weight: `count` length-prefixed strings over shard ranges, decoded on demand. */
export class LengthPrefixedStringsData extends FileRangesData {
  constructor(ranges: FileRange[], private readonly count: number, private readonly tensor: string, private readonly file: string) {
    super(ranges);
  }
  async strings(): Promise<string[]> {
    return decodeLengthPrefixedStrings(await this.read(), this.count, this.tensor, this.file);
  }
  override toWire(): TensorDataWire {
    return { kind: 'tfjs-strings', ranges: this.fileRanges(), count: this.count, tensor: this.tensor, file: this.file };
  }
}
