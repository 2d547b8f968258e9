// Moves host⇄webview messages between Node and a Chromium page without losing binary payloads.
// Playwright serializes evaluate()/exposeFunction() arguments as JSON-like values, which would turn
// an ArrayBuffer into {}; the protocol sends large numeric payloads as ArrayBuffers, so each binary
// value is replaced by a tagged base64 record on one side and rebuilt on the other.

/** Source of the page-side codec; evaluated in the page, defines `window.__mlWire`. */
export const PAGE_WIRE_SOURCE = String.raw`(() => {
  const KINDS = ['Int8Array','Uint8Array','Uint8ClampedArray','Int16Array','Uint16Array','Int32Array','Uint32Array','Float32Array','Float64Array','BigInt64Array','BigUint64Array'];
  const toB64 = (u8) => { let s = ''; for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000)); return btoa(s); };
  const fromB64 = (b) => { const s = atob(b); const u8 = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i); return u8; };
  const enc = (v) => {
    if (v instanceof ArrayBuffer) return { __mlBin: 'ArrayBuffer', b64: toB64(new Uint8Array(v)) };
    if (ArrayBuffer.isView(v)) return { __mlBin: v.constructor.name, b64: toB64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    if (typeof v === 'bigint') return { __mlBigInt: v.toString() };
    if (Array.isArray(v)) return v.map(enc);
    if (v && typeof v === 'object') { const o = {}; for (const k of Object.keys(v)) o[k] = enc(v[k]); return o; }
    return v;
  };
  const dec = (v) => {
    if (Array.isArray(v)) return v.map(dec);
    if (v && typeof v === 'object') {
      if (typeof v.__mlBigInt === 'string') return BigInt(v.__mlBigInt);
      if (typeof v.__mlBin === 'string') {
        const u8 = fromB64(v.b64);
        if (v.__mlBin === 'ArrayBuffer') return u8.buffer;
        const C = KINDS.includes(v.__mlBin) ? globalThis[v.__mlBin] : Uint8Array;
        return new C(u8.buffer, 0, u8.byteLength / C.BYTES_PER_ELEMENT);
      }
      const o = {}; for (const k of Object.keys(v)) o[k] = dec(v[k]); return o;
    }
    return v;
  };
  window.__mlWire = { enc, dec };
})();`;

type TypedArrayCtor = { new (buf: ArrayBuffer, off: number, len: number): ArrayBufferView; BYTES_PER_ELEMENT: number };

/** Node side: replaces binary values with tagged base64 records. */
export function encodeWire(v: unknown): unknown {
  if (v instanceof ArrayBuffer) return { __mlBin: 'ArrayBuffer', b64: Buffer.from(v).toString('base64') };
  if (ArrayBuffer.isView(v)) {
    const name = v instanceof Buffer ? 'Uint8Array' : v.constructor.name;
    return { __mlBin: name, b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  }
  if (typeof v === 'bigint') return { __mlBigInt: v.toString() };
  if (Array.isArray(v)) return v.map(encodeWire);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = encodeWire(x);
    return o;
  }
  return v;
}

/** Node side: rebuilds binary values from tagged base64 records. */
export function decodeWire(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeWire);
  if (v && typeof v === 'object') {
    const r = v as Record<string, unknown>;
    if (typeof r.__mlBigInt === 'string') return BigInt(r.__mlBigInt);
    if (typeof r.__mlBin === 'string' && typeof r.b64 === 'string') {
      const bytes = Buffer.from(r.b64, 'base64');
      const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      if (r.__mlBin === 'ArrayBuffer') return ab;
      const C = (globalThis as unknown as Record<string, TypedArrayCtor>)[r.__mlBin] ?? Uint8Array;
      return new C(ab, 0, ab.byteLength / C.BYTES_PER_ELEMENT);
    }
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(r)) o[k] = decodeWire(x);
    return o;
  }
  return v;
}
