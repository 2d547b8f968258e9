// Recognizes an ONNX ModelProto from its first bytes, for format detection by content.

/** ModelProto field number → the wire type it must use. */
const MODEL_FIELDS: Record<number, number> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2, 26: 2 };

/**
 * True when `head` (the first bytes of a file, 64 or more recommended) starts like an ONNX model:
 * every field key seen is a ModelProto field with the right wire type. Cheap; never throws.
 */
export function looksLikeOnnx(head: Uint8Array): boolean {
  let pos = 0, seen = 0;
  const varint = (): number => {
    let v = 0, mul = 1;
    for (let k = 0; k < 10; k++) {
      if (pos >= head.length) return -1;
      const c = head[pos++];
      v += (c & 0x7f) * mul;
      if (c < 0x80) return v;
      mul *= 128;
    }
    return -2;
  };
  while (pos < head.length && seen < 8) {
    const key = varint();
    if (key === -1) break;
    if (key < 8) return false;
    const field = Math.floor(key / 8), wire = key % 8;
    if (MODEL_FIELDS[field] !== wire) return false;
    seen++;
    if (wire === 0) { if (varint() === -2) return false; }
    else {
      const len = varint();
      if (len === -2) return false;
      if (len === -1 || pos + len > head.length) break;
      pos += len;
    }
  }
  return seen > 0;
}
