// Standalone copies of byte views, for payloads that cross a message boundary.

/**
 * The exact bytes of a view as a standalone ArrayBuffer. Posting a small view of a big buffer
 * (a Node Buffer from the pool, a slice of a file) would otherwise send the whole backing store.
 */
export function exactArrayBuffer(view: ArrayBufferView): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = view;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
  const out = new ArrayBuffer(byteLength);
  new Uint8Array(out).set(new Uint8Array(buffer, byteOffset, byteLength));
  return out;
}
