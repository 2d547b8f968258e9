import { open } from 'node:fs/promises';
import { ModelError } from '../ir/errors.js';
import type { FileRange, TensorData } from '../ir/tensor.js';
import { exactBytes, type DescribableData, type TensorDataWire } from './tensor-data-wire.js';

function clampRange(total: number, start = 0, length?: number): [number, number] {
  const s = Math.max(0, Math.min(start, total));
  const len = Math.max(0, Math.min(length ?? total - s, total - s));
  return [s, len];
}

/** Bytes already in memory (small decoded tensors, generated data). */
export class MemoryData implements DescribableData {
  constructor(private readonly bytes: Uint8Array) {}
  get byteLength(): number { return this.bytes.byteLength; }
  toWire(): TensorDataWire { return { kind: 'bytes', bytes: exactBytes(this.bytes), sync: false }; }
  async read(start?: number, length?: number): Promise<Uint8Array> {
    const [s, len] = clampRange(this.bytes.byteLength, start, length);
    return this.bytes.slice(s, s + len);
  }
  fileRanges(): FileRange[] | null { return null; }
}

/**
 * Bytes that are the concatenation of file ranges (an ONNX raw_data field, external data, or a
 * TF.js weight spread over shards). Positioned reads: works for files over 2 GB.
 */
export class FileRangesData implements DescribableData {
  readonly byteLength: number;
  /** `kept`: the bytes, when the reader already had them (a few bytes: reads skip the file). */
  constructor(private readonly ranges: FileRange[], private readonly kept?: Uint8Array) {
    this.byteLength = ranges.reduce((a, r) => a + r.length, 0);
  }
  toWire(): TensorDataWire { return { kind: 'ranges', ranges: this.fileRanges() }; }
  fileRanges(): FileRange[] { return this.ranges.map((r) => ({ ...r })); }
  async read(start?: number, length?: number): Promise<Uint8Array> {
    const [s, len] = clampRange(this.byteLength, start, length);
    if (this.kept?.byteLength === this.byteLength) return this.kept.slice(s, s + len);
    const out = new Uint8Array(len);
    let pos = 0; // position within the concatenation
    let written = 0;
    for (const r of this.ranges) {
      if (written >= len) break;
      const rEnd = pos + r.length;
      if (rEnd > s + written) {
        const from = s + written - pos;
        const n = Math.min(r.length - from, len - written);
        await readFileRange(r.path, r.offset + from, out, written, n);
        written += n;
      }
      pos = rEnd;
    }
    return out;
  }
}

/** Reads exactly `length` bytes at `position` of `path` into `target` at `targetOffset`. */
export async function readFileRange(path: string, position: number, target: Uint8Array, targetOffset: number, length: number): Promise<void> {
  const fh = await open(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await fh.read(target, targetOffset + done, length - done, position + done);
      if (bytesRead === 0) throw new ModelError('truncated', `the file ended at byte ${position + done}, ${length - done} bytes short (it changed after the model was opened?)`, { file: path, offset: position + done });
      done += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/** Bytes produced on demand by a decoder (ONNX typed fields such as int64_data varints). */
export class DecodedData implements TensorData {
  private cache: Promise<Uint8Array> | null = null;
  constructor(readonly byteLength: number, private readonly decode: () => Promise<Uint8Array>) {}
  async read(start?: number, length?: number): Promise<Uint8Array> {
    this.cache ??= this.decode();
    const all = await this.cache;
    const [s, len] = clampRange(all.byteLength, start, length);
    return all.slice(s, s + len);
  }
  fileRanges(): FileRange[] | null { return null; }
}
