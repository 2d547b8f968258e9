import { readFile, stat } from 'node:fs/promises';
import { ModelError } from '../../ir/errors.js';
import { findJsonSyntaxError } from './json-syntax.js';

/** Largest model.json read (bytes). Real ones are under a few MB; this only stops runaway files. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;
/** Deepest array/object nesting accepted. Real TF.js files nest under 30 levels. */
export const MAX_JSON_DEPTH = 256;

/** Throws ModelError('cancelled') when the caller gave up. */
export function checkAborted(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted) throw new ModelError('cancelled', 'reading was cancelled', { file });
}

/**
 * Reads and parses a JSON model file with a size cap and a nesting cap. JSON.parse itself does not
 * recurse in V8, but everything that walks the result would, so depth is checked on the text first.
 */
export async function readJsonFile(file: string, signal?: AbortSignal): Promise<unknown> {
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new ModelError('unreadable', 'not a regular file', { file });
    size = st.size;
  } catch (e) {
    if (e instanceof ModelError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelError('not-found', 'file not found', { file });
    throw new ModelError('unreadable', `cannot read the file (${code ?? String(e)})`, { file });
  }
  if (size > MAX_JSON_BYTES) {
    throw new ModelError('limit', `the JSON file is ${size} bytes; the limit is ${MAX_JSON_BYTES} bytes`, { file });
  }
  let text: string;
  try {
    text = await readFile(file, { encoding: 'utf8', signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw new ModelError('cancelled', 'reading was cancelled', { file });
    throw new ModelError('unreadable', `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file });
  }
  checkAborted(signal, file);
  return parseJsonText(text, file);
}

/** Parses JSON text (BOM allowed) after checking its nesting depth; errors name the byte offset. */
export function parseJsonText(text: string, file: string): unknown {
  const bom = text.charCodeAt(0) === 0xfeff ? 3 : 0;
  if (bom) text = text.slice(1);
  const deep = findExcessiveNesting(text, MAX_JSON_DEPTH);
  if (deep !== -1) {
    throw new ModelError('limit', `JSON nesting is deeper than ${MAX_JSON_DEPTH} levels`, { file, offset: bom + byteOffset(text, deep) });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const found = findJsonSyntaxError(text);
    const reason = found?.reason ?? (e as Error).message;
    throw new ModelError('malformed', `not valid JSON: ${reason}`, { file, offset: found ? bom + byteOffset(text, found.index) : undefined });
  }
}

/** UTF-8 byte offset of a string index (the place users see in a hex editor). */
function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}

/** Index of the first bracket that opens level `maxDepth + 1`, or -1. Skips string contents. */
export function findExcessiveNesting(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return -1;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
