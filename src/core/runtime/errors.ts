/** Why a run did not produce a result, for failures that are not the model file's fault. */
export type RuntimeErrorCode = 'crashed' | 'cancelled' | 'memory' | 'timeout' | 'provider' | 'failed' | 'disposed' | 'no-model';

/** An inference failure: the runtime process died, was stopped, or onnxruntime refused the work. */
export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string) {
    super(message);
    this.name = 'RuntimeError';
    this.code = code;
  }
}

export function isRuntimeError(e: unknown): e is RuntimeError {
  return e instanceof RuntimeError;
}
