// Mutators: byte flips, interesting bytes, splices, truncations, range copies and deletions, and
// protobuf length-field / varint edits for binary files; value swaps and hostile values at random
// places of the JSON tree for TF.js model.json files; shard cuts and extensions.
import { MARKUP } from '../test/fixtures/bad/shared.js';

export type Rng = () => number;

/** A model as a set of files: the main file plus its side files, by path relative to its folder. */
export interface InputSet {
  main: string;
  files: Map<string, Uint8Array | { symlink: string }>;
}

const int = (rnd: Rng, n: number) => Math.floor(rnd() * n);
const pick = <T>(rnd: Rng, list: readonly T[]): T => list[int(rnd, list.length)];

/** Lengths a lying length field is given: off by one, at sign and width boundaries, absurd. */
const INTERESTING_LENGTHS: readonly bigint[] = [0n, 1n, 127n, 128n, 255n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n];

function varint(v: bigint): number[] {
  const out: number[] = [];
  let n = BigInt.asUintN(64, v);
  do { let b = Number(n & 0x7fn); n >>= 7n; if (n) b |= 0x80; out.push(b); } while (n);
  return out;
}

/** Reads a varint at `at`; returns [value, byte length] or null when it runs off the end or past 10 bytes. */
function readVarint(b: Uint8Array, at: number): [bigint, number] | null {
  let v = 0n;
  for (let k = 0; k < 10 && at + k < b.length; k++) {
    v |= BigInt(b[at + k] & 0x7f) << BigInt(7 * k);
    if (b[at + k] < 0x80) return [v, k + 1];
  }
  return null;
}

function splice(b: Uint8Array, at: number, del: number, insert: ArrayLike<number>): Uint8Array {
  at = Math.min(at, b.length);
  del = Math.min(del, b.length - at);
  const out = new Uint8Array(b.length - del + insert.length);
  out.set(b.subarray(0, at), 0);
  out.set(insert as ArrayLike<number>, at);
  out.set(b.subarray(at + del), at + insert.length);
  return out;
}

/** Positions that look like the length of a length-delimited protobuf field (key with wire type 2). */
function lengthFields(b: Uint8Array): { at: number; len: number; value: bigint }[] {
  const out: { at: number; len: number; value: bigint }[] = [];
  for (let i = 0; i + 1 < b.length && out.length < 4096; i++) {
    if ((b[i] & 7) !== 2 || b[i] >= 0x80 || b[i] < 8) continue;
    const v = readVarint(b, i + 1);
    if (v && v[0] <= BigInt(b.length - i)) out.push({ at: i + 1, len: v[1], value: v[0] });
  }
  return out;
}

/** One random edit of binary bytes; `other` is a donor for splices. */
export function mutateBytes(rnd: Rng, b: Uint8Array, other: Uint8Array): { bytes: Uint8Array; how: string } {
  if (b.length === 0) return { bytes: Uint8Array.from(other.subarray(0, 64)), how: 'fill-empty' };
  const at = int(rnd, b.length);
  switch (int(rnd, 9)) {
    case 0: {
      const out = b.slice();
      const n = rnd() < 0.7 ? 1 : 1 + int(rnd, 8);
      for (let k = 0; k < n; k++) out[int(rnd, out.length)] ^= 1 << int(rnd, 8);
      return { bytes: out, how: `flip×${n}` };
    }
    case 1: {
      const out = b.slice();
      out[at] = pick(rnd, [0x00, 0xff, 0x7f, 0x80, 0x01, 0x08, 0x0a, 0x12]);
      return { bytes: out, how: `byte@${at}` };
    }
    case 2: return { bytes: b.slice(0, at), how: `truncate@${at}` };
    case 3: {
      const from = int(rnd, other.length);
      const n = Math.min(other.length - from, 1 + int(rnd, 256));
      return { bytes: splice(b, at, int(rnd, 16), other.subarray(from, from + n)), how: `splice@${at}+${n}` };
    }
    case 4: {
      const n = Math.min(b.length - at, 1 + int(rnd, 64));
      return { bytes: splice(b, at, n, []), how: `delete@${at}-${n}` };
    }
    case 5: {
      const n = Math.min(b.length - at, 1 + int(rnd, 64));
      return { bytes: splice(b, at, 0, b.slice(at, at + n)), how: `dup@${at}-${n}` };
    }
    case 6: case 7: {
      const fields = lengthFields(b);
      if (!fields.length) return { bytes: b.slice(0, at), how: `truncate@${at}` };
      const f = pick(rnd, fields);
      const choice = int(rnd, 3);
      const value = choice === 0 ? pick(rnd, INTERESTING_LENGTHS) : choice === 1 ? f.value + 1n : f.value > 0n ? f.value - 1n : f.value + 2n;
      return { bytes: splice(b, f.at, f.len, varint(value)), how: `length@${f.at}=${value}` };
    }
    default: {
      // Overlong varint: the same value with continuation bytes added (11+ bytes is invalid).
      const fields = lengthFields(b);
      const pos = fields.length ? pick(rnd, fields).at : at;
      const v = readVarint(b, pos);
      if (!v) return { bytes: b.slice(0, at), how: `truncate@${at}` };
      const bytes = varint(v[0]);
      const pad = 1 + int(rnd, 11);
      const long = [...bytes.slice(0, -1).map((x) => x | 0x80), bytes[bytes.length - 1] | 0x80, ...new Array(pad - 1).fill(0x80), 0x00];
      return { bytes: splice(b, pos, v[1], long), how: `overlong-varint@${pos}+${pad}` };
    }
  }
}

/** Values a hostile model.json puts anywhere. */
function hostileValue(rnd: Rng): unknown {
  switch (int(rnd, 14)) {
    case 0: return pick(rnd, [-1, 0, 1.5, 2 ** 31, 2 ** 53, 2 ** 64, 1e308, -1e308, Number.MAX_SAFE_INTEGER]);
    case 1: return pick(rnd, ['../secret.bin', '../../../../etc/passwd', '/etc/passwd', '/dev/zero', 'C:\\Windows\\win.ini', '..\\secret.bin', 'file:///etc/passwd', 'https://example.com/x.bin', '', 'link.bin', 'dev.bin', 'sub/../../secret.bin']);
    case 2: return pick(rnd, Object.values(MARKUP));
    case 3: return null;
    case 4: return {};
    case 5: return [];
    case 6: return true;
    case 7: { let v: unknown = 1; for (let k = 0, n = 50 + int(rnd, 400); k < n; k++) v = [v]; return v; }
    case 8: return new Array(int(rnd, 20000)).fill(0);
    case 9: return 'x'.repeat(int(rnd, 100000));
    case 10: return pick(rnd, ['DT_FLOAT', 'DT_STRING', 'DT_RESOURCE', 'float128', 'string', 'uint16', 'complex64']);
    case 11: return [pick(rnd, [-1, 0, 2 ** 40, 1.5]), pick(rnd, [-1, 2 ** 31, 3])];
    case 12: return pick(rnd, ['^x', 'x:0', 'x:99999999', ':', '^', 'a:b:c']);
    default: return String(int(rnd, 1000));
  }
}

/** Every (container, key) of a JSON tree, iteratively, capped. */
function slots(root: unknown, cap: number): { parent: Record<string, unknown> | unknown[]; key: string | number }[] {
  const out: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const stack: unknown[] = [root];
  while (stack.length && out.length < cap) {
    const v = stack.pop();
    if (Array.isArray(v)) v.forEach((x, i) => { out.push({ parent: v, key: i }); stack.push(x); });
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push({ parent: v as Record<string, unknown>, key: k }); stack.push(x); }
  }
  return out;
}

/** One structural edit of a JSON text: a hostile value, a copied subtree, a deletion. Null if it is not JSON. */
export function mutateJson(rnd: Rng, text: string): { text: string; how: string } | null {
  let root: unknown;
  try { root = JSON.parse(text); } catch { return null; }
  const all = slots(root, 20000);
  if (!all.length) return null;
  const s = pick(rnd, all);
  const op = int(rnd, 4);
  const where = String(s.key).slice(0, 40);
  if (op === 0 && !Array.isArray(s.parent)) delete (s.parent as Record<string, unknown>)[s.key as string];
  else if (op === 1) {
    const donor = pick(rnd, all);
    (s.parent as Record<string | number, unknown>)[s.key] = (donor.parent as Record<string | number, unknown>)[donor.key];
  } else (s.parent as Record<string | number, unknown>)[s.key] = hostileValue(rnd);
  try {
    return { text: JSON.stringify(root), how: `json-${['delete', 'copy', 'hostile', 'hostile'][op]}@${where}` };
  } catch {
    return null; // a copied subtree made a cycle
  }
}
