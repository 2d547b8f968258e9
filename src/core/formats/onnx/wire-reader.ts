// Protobuf wire-format reading over a file through a small moving window (positioned reads, so
// files past 2 GB work and big fields are skipped without being read), or over bytes in memory.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ModelError, type ModelErrorCode } from '../../ir/errors.js';
import { Msg, Wire, fieldName } from './schema.js';

/** Bounds the reader enforces so that a hostile file cannot exhaust the stack or memory. */
export interface WireLimits {
  /** Deepest message nesting accepted (graphs in attributes, nested types). */
  maxDepth: number;
  /** Largest single string / bytes field read into memory (raw tensor data is never read). */
  maxFieldBytes: number;
  /**
   * Most nodes read (all graphs and functions together). A node can be 5 bytes on disk and a few
   * hundred in memory, so a 200 MB file of empty nodes would otherwise exhaust the host's heap.
   */
  maxNodes: number;
}

export const DEFAULT_WIRE_LIMITS: WireLimits = { maxDepth: 100, maxFieldBytes: 512 * 1024 * 1024, maxNodes: 2_000_000 };

const MIN_CHUNK = 4096;
const MAX_CHUNK = 1 << 20;
const TWO_32 = 4294967296;

// Buffer#utf8Slice is what Buffer#toString('utf8') calls after argument checks; calling it
// directly halves the cost of the many short names a big graph holds.
type Utf8Slicer = { utf8Slice?: (start: number, end: number) => string };
const utf8Slice: ((buf: Buffer, start: number, end: number) => string) = typeof (Buffer.prototype as Utf8Slicer).utf8Slice === 'function'
  ? (buf, start, end) => (buf as unknown as Required<Utf8Slicer>).utf8Slice(start, end)
  : (buf, start, end) => buf.toString('utf8', start, end);

/**
 * A cursor over protobuf bytes. `pos` is absolute (a file offset). The reader keeps a stack of the
 * messages it is inside so that errors can say `model.graph.initializer[3].dims` and the byte offset.
 */
export class WireReader {
  buf: Buffer;
  /** File offset of buf[0]. */
  private base = 0;
  /** File offset one past the last valid byte in buf. */
  private lim = 0;
  pos = 0;
  readonly size: number;
  private fd: number;
  private chunk = 64 * 1024;
  /** Bytes actually read from disk (for the benchmark). */
  bytesRead = 0;

  // Message stack for error paths: kind, field number in the parent, repeated index (-1 if none).
  private readonly kinds: Msg[] = [];
  private readonly fields: number[] = [];
  private readonly indexes: number[] = [];
  private readonly ends: number[] = [];
  depth = 0;
  /** Field number of the key read last, in the innermost message. */
  field = 0;

  private constructor(readonly file: string, readonly rootLabel: string, readonly limits: WireLimits, fd: number, size: number, bytes: Buffer | null) {
    this.fd = fd;
    this.size = size;
    if (bytes) {
      this.buf = bytes;
      this.lim = size;
    } else {
      this.buf = Buffer.allocUnsafe(MAX_CHUNK);
    }
  }

  /** Opens `path` for windowed reading. Throws ModelError not-found/unreadable. */
  static openFile(path: string, rootLabel: string, limits: WireLimits): WireReader {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ModelError(code === 'ENOENT' ? 'not-found' : 'unreadable', code === 'ENOENT' ? 'file not found' : `cannot open: ${(e as Error).message}`, { file: path });
    }
    let size: number;
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new ModelError('unreadable', 'not a regular file', { file: path });
      size = st.size;
    } catch (e) {
      closeSync(fd);
      throw e instanceof ModelError ? e : new ModelError('unreadable', (e as Error).message, { file: path });
    }
    return new WireReader(path, rootLabel, limits, fd, size, null);
  }

  /** Reads protobuf bytes already in memory; `file` is only used in messages. */
  static fromBytes(bytes: Uint8Array, file: string, rootLabel: string, limits: WireLimits): WireReader {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new WireReader(file, rootLabel, limits, -1, bytes.byteLength, b);
  }

  get inMemory(): boolean { return this.fd < 0; }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -2;
    }
  }

  /** The bytes [offset, offset+length) of an in-memory source, without copying. */
  memorySlice(offset: number, length: number): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset + offset, length);
  }

  // ---- errors -------------------------------------------------------------------------------

  /** The field path of the current position, e.g. `model.graph.node[2].attribute[0].t.dims`. */
  fieldPath(withField = true): string {
    let s = this.rootLabel;
    for (let d = 0; d < this.depth; d++) {
      const parent = d === 0 ? this.rootKind() : this.kinds[d - 1];
      s += '.' + fieldName(parent, this.fields[d]);
      if (this.indexes[d] >= 0) s += `[${this.indexes[d]}]`;
    }
    if (withField && this.field) s += '.' + fieldName(this.depth ? this.kinds[this.depth - 1] : this.rootKind(), this.field);
    return s;
  }

  private rootMsg: Msg = Msg.Model;
  setRoot(kind: Msg): void { this.rootMsg = kind; }
  private rootKind(): Msg { return this.rootMsg; }

  /** A ModelError at the current field path; `offset` defaults to the cursor. */
  error(code: ModelErrorCode, detail: string, offset = this.pos): ModelError {
    return new ModelError(code, detail, { file: this.file, offset, field: this.fieldPath() });
  }

  // ---- window ------------------------------------------------------------------------------

  /** Makes file bytes [pos, pos+n) available in `buf`; returns the index of `pos` in `buf`. */
  private fill(pos: number, n: number): number {
    if (pos >= this.base && pos + n <= this.lim) return pos - this.base;
    if (pos + n > this.size) throw this.error('truncated', `needs ${n} bytes but the file ends at byte ${this.size}`, pos);
    if (this.fd < 0) throw this.error('unreadable', 'the file was closed');
    // Sequential reading grows the window; a jump (skipped tensor data) starts small again so that
    // reading the headers between big tensors does not pull the tensors in.
    this.chunk = pos === this.lim ? Math.min(this.chunk * 2, MAX_CHUNK) : MIN_CHUNK;
    const want = Math.min(Math.max(n, this.chunk), this.size - pos);
    if (want > this.buf.length) this.buf = Buffer.allocUnsafe(want);
    let done = 0;
    while (done < want) {
      let got: number;
      try {
        got = readSync(this.fd, this.buf, done, want - done, pos + done);
      } catch (e) {
        throw this.error('unreadable', `read failed: ${(e as Error).message}`, pos + done);
      }
      if (got === 0) throw this.error('truncated', `the file ended at byte ${pos + done} while reading (it changed while open?)`, pos + done);
      done += got;
    }
    this.bytesRead += want;
    this.base = pos;
    this.lim = pos + want;
    return 0;
  }

  // ---- primitives --------------------------------------------------------------------------

  /** Reads a field key; sets `field`. Returns the wire type. Throws on field 0 or bad wire types. */
  key(): number {
    const at = this.pos;
    const k = this.uvarint();
    if (k > 0xffffffff || k < 8) throw this.error('malformed', `invalid field key ${k}`, at);
    this.field = Math.floor(k / 8);
    const wire = k & 7;
    if (wire > 5) throw this.error('malformed', `invalid wire type ${wire}`, at);
    return wire;
  }

  /** Unsigned varint as a Number (exact below 2^53). */
  uvarint(): number {
    const p = this.pos;
    if (p >= this.base && p < this.lim) {
      const b = this.buf[p - this.base];
      if (b < 0x80) { this.pos = p + 1; return b; }
    }
    return this.varintSlow(false);
  }

  /** Signed 64-bit varint (two's complement) as a Number (exact within ±2^53). */
  int64(): number {
    const p = this.pos;
    if (p >= this.base && p < this.lim) {
      const b = this.buf[p - this.base];
      if (b < 0x80) { this.pos = p + 1; return b; }
    }
    return this.varintSlow(true);
  }

  private varintSlow(signed: boolean): number {
    const p = this.pos;
    const avail = Math.min(10, this.size - p);
    if (avail <= 0) throw this.error('truncated', `varint expected at byte ${p} but the file ends there`, p);
    let i = this.fill(p, avail);
    const b = this.buf;
    let lo = 0, hi = 0, k = 0, c = 0;
    for (; k < 4; k++) {
      if (k >= avail) throw this.error('truncated', 'varint runs past the end of the file', p);
      c = b[i++];
      lo |= (c & 0x7f) << (7 * k);
      if (c < 0x80) break;
    }
    if (c >= 0x80) {
      if (k >= avail) throw this.error('truncated', 'varint runs past the end of the file', p);
      c = b[i++]; k++;
      lo |= (c & 0x0f) << 28;
      hi = (c & 0x7f) >> 4;
      for (let s = 3; c >= 0x80; s += 7) {
        if (k >= 10) throw this.error('malformed', 'varint longer than 10 bytes', p);
        if (k >= avail) throw this.error('truncated', 'varint runs past the end of the file', p);
        c = b[i++]; k++;
        hi |= (c & 0x7f) << s;
      }
    } else {
      k++;
    }
    this.pos = p + k;
    lo >>>= 0;
    if (signed && hi & 0x80000000) return -((~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1);
    return (hi >>> 0) * TWO_32 + lo;
  }

  float32(): number {
    const i = this.fill(this.pos, 4);
    this.pos += 4;
    return this.buf.readFloatLE(i);
  }

  float64(): number {
    const i = this.fill(this.pos, 8);
    this.pos += 8;
    return this.buf.readDoubleLE(i);
  }

  /** Reads a length prefix and checks it fits in the current message. Returns the length. */
  length(): number {
    const at = this.pos;
    const n = this.uvarint();
    const end = this.depth ? this.ends[this.depth - 1] : this.size;
    if (n > end - this.pos) {
      // Inside a message whose own length fit, an overlong field is corruption; at the top level
      // (the messages that extend to the end of the file) it means the file was cut short.
      const code = this.depth === 0 ? 'truncated' : 'malformed';
      throw this.error(code, `length ${n} runs past the end of ${this.depth ? `its message (byte ${end})` : `the file (${this.size} bytes)`}`, at);
    }
    return n;
  }

  /** Reads a length prefix; returns the offset where the field's payload ends. */
  lengthEnd(): number {
    const n = this.length();
    return this.pos + n;
  }

  /** A length-delimited UTF-8 string. */
  string(): string {
    const n = this.length();
    if (n === 0) return '';
    if (n > this.limits.maxFieldBytes) throw this.error('limit', `string of ${n} bytes is over the ${this.limits.maxFieldBytes}-byte limit`);
    const i = this.fill(this.pos, n);
    this.pos += n;
    return utf8Slice(this.buf, i, i + n);
  }

  /** A length-delimited field copied out (for small payloads: unpacked numbers, attributes). */
  bytes(n: number): Uint8Array {
    if (n > this.limits.maxFieldBytes) throw this.error('limit', `field of ${n} bytes is over the ${this.limits.maxFieldBytes}-byte limit`);
    const i = this.fill(this.pos, n);
    this.pos += n;
    return Uint8Array.prototype.slice.call(this.buf, i, i + n);
  }

  /** Copies `n` raw bytes at the cursor without consuming them (used for fixed-width values). */
  peekBytes(n: number): Uint8Array {
    const i = this.fill(this.pos, n);
    return Uint8Array.prototype.slice.call(this.buf, i, i + n);
  }

  /** Skips the value of a field with wire type `wire`. */
  skip(wire: number): void {
    switch (wire) {
      case Wire.Varint: this.uvarint(); return;
      case Wire.Fixed64: this.advance(8); return;
      case Wire.Len: { const n = this.length(); this.pos += n; return; }
      case Wire.Fixed32: this.advance(4); return;
      default: throw this.error('malformed', `wire type ${wire} (groups) is not used by ONNX`);
    }
  }

  private advance(n: number): void {
    const end = this.depth ? this.ends[this.depth - 1] : this.size;
    if (this.pos + n > end) throw this.error(this.depth === 0 ? 'truncated' : 'malformed', `${n}-byte value runs past the end of its message`);
    this.pos += n;
  }

  /** Throws unless the field has wire type `want`. */
  expect(wire: number, want: Wire): void {
    if (wire !== want) throw this.error('malformed', `wire type ${wire} where ${want} was expected`);
  }

  /** Enters a length-delimited sub-message of kind `kind`; returns its end offset. */
  enter(wire: number, kind: Msg, index: number): number {
    this.expect(wire, Wire.Len);
    const n = this.length();
    const d = this.depth;
    if (d >= this.limits.maxDepth) throw this.error('limit', `messages nested deeper than ${this.limits.maxDepth} levels`);
    this.kinds[d] = kind;
    this.fields[d] = this.field;
    this.indexes[d] = index;
    this.ends[d] = this.pos + n;
    this.depth = d + 1;
    this.field = 0;
    return this.pos + n;
  }

  /** Leaves the current message; its last field must end exactly at its end. */
  leave(end: number): void {
    if (this.pos !== end) throw this.error('malformed', `a field runs past the end of its message (byte ${end})`);
    const d = --this.depth;
    this.field = this.fields[d];
  }
}
