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
