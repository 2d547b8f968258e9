import * as path from 'node:path';
import type { ErrorInfo } from '../protocol.js';

/**
 * Turns whatever reading a model threw into what the error view shows. ModelErrors (also when
 * they crossed a worker boundary as plain objects) keep their code and place; anything else is a
 * bug of ours and says so, still naming the file.
 */
export function toErrorInfo(e: unknown, file: string): ErrorInfo {
  const err = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
  const place = typeof err.place === 'object' && err.place !== null ? (err.place as Record<string, unknown>) : undefined;
  if (typeof err.code === 'string' && place && typeof place.file === 'string') {
    const message = typeof err.message === 'string' ? err.message : String(e);
    return {
      code: err.code,
      message,
      detail: typeof err.detail === 'string' ? err.detail : message,
      file: place.file,
      place: {
        offset: typeof place.offset === 'number' ? place.offset : undefined,
        field: typeof place.field === 'string' ? place.field : undefined,
        tensor: typeof place.tensor === 'string' ? place.tensor : undefined,
      },
    };
  }
  const detail = typeof err.message === 'string' ? err.message : String(e);
  return { code: 'internal', message: `${file}: ${detail}`, detail: `${detail} (this is a bug in Model Lens; details are in the "Model Lens" output channel)`, file: path.resolve(file), place: {} };
}
