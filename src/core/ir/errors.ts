/** What went wrong, as a stable code that tests and the UI can switch on. */
export type ModelErrorCode =
  | 'not-found' | 'unreadable' | 'unknown-format' | 'truncated' | 'malformed' | 'unsupported'
  | 'limit' | 'path-escape' | 'missing-file' | 'size-mismatch' | 'cancelled';

/** Where in which file the problem is: a byte offset, a field path, a tensor or shard name. */
export interface ErrorPlace {
  file: string;
  offset?: number;
  field?: string;
  tensor?: string;
}

/** An error a user can cause with a bad or incomplete file. Its message names the file and the place. */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly place: ErrorPlace;
  readonly detail: string;

  constructor(code: ModelErrorCode, detail: string, place: ErrorPlace) {
    super(`${place.file}${describePlace(place)}: ${detail}`);
    this.name = 'ModelError';
    this.code = code;
    this.place = place;
    this.detail = detail;
  }
}

function describePlace(p: ErrorPlace): string {
  const parts: string[] = [];
  if (p.offset !== undefined) parts.push(`byte ${p.offset}`);
  if (p.field) parts.push(p.field);
  if (p.tensor) parts.push(`tensor '${p.tensor}'`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function isModelError(e: unknown): e is ModelError {
  return e instanceof ModelError;
}

/** An error as plain data, to cross a thread boundary: ModelErrors keep code, detail and place. */
export interface ErrorWire {
  message: string;
  code?: ModelErrorCode;
  detail?: string;
  place?: ErrorPlace;
  stack?: string;
}

/** Describes an error for another thread. */
export function errorToWire(e: unknown): ErrorWire {
  if (e instanceof ModelError) return { message: e.message, code: e.code, detail: e.detail, place: { ...e.place } };
  const err = e as Error | undefined;
  return { message: err?.message ?? String(e), stack: typeof err?.stack === 'string' ? err.stack : undefined };
}

/** Rebuilds an error another thread described: a ModelError is the same ModelError (code, message, place). */
export function errorFromWire(w: ErrorWire): Error {
  if (w.code && w.place && w.detail !== undefined) return new ModelError(w.code, w.detail, w.place);
  const e = new Error(w.message);
  if (w.stack) e.stack = w.stack;
  return e;
}
