import { RpcError } from './protocol.js';

// Validators for fields that come from the webview. Each returns the value typed, or throws an
// RpcError naming the field, so handlers can write `const id = int(p, 'nodeId', 0, max)`.

function fail(field: string, what: string): never {
  throw new RpcError(`invalid request: '${field}' ${what}`, 'bad-request');
}

/** The params object itself (requests without params send `{}` or null). */
export function record(x: unknown, field = 'params'): Record<string, unknown> {
  if (x === null || x === undefined) return {};
  if (typeof x !== 'object' || Array.isArray(x)) fail(field, 'must be an object');
  return x as Record<string, unknown>;
}

export function int(p: Record<string, unknown>, field: string, min: number, max: number): number {
  const v = p[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) fail(field, `must be an integer in [${min}, ${max}]`);
  return v;
}

export function optionalInt(p: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  return p[field] === undefined ? undefined : int(p, field, min, max);
}

export function num(p: Record<string, unknown>, field: string): number {
  const v = p[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, 'must be a finite number');
  return v;
}

export function str(p: Record<string, unknown>, field: string, maxLength = 4096): string {
  const v = p[field];
  if (typeof v !== 'string' || v.length > maxLength) fail(field, `must be a string of at most ${maxLength} characters`);
  return v;
}

export function bool(p: Record<string, unknown>, field: string): boolean {
  const v = p[field];
  if (typeof v !== 'boolean') fail(field, 'must be true or false');
  return v;
}

export function oneOf<T extends string>(p: Record<string, unknown>, field: string, allowed: readonly T[]): T {
  const v = p[field];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) fail(field, `must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** An ArrayBuffer (or typed-array view, copied exactly) of at most `maxBytes`. */
export function bytes(p: Record<string, unknown>, field: string, maxBytes: number): Uint8Array {
  const v = p[field];
  let out: Uint8Array | undefined;
  if (v instanceof ArrayBuffer) out = new Uint8Array(v);
  else if (ArrayBuffer.isView(v)) out = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (!out || out.byteLength > maxBytes) fail(field, `must be binary data of at most ${maxBytes} bytes`);
  return out;
}
