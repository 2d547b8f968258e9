// The one place that turns a `model-lens` failure into what the user sees and the exit status:
// every error is one line `model-lens: …` on stderr (never a stack trace); a usage error adds the
// command's usage and exits 2, --help prints the usage on stdout and exits 0, anything else exits 1.
import { isModelError } from '../core/ir/errors.js';
import { isRuntimeError } from '../core/runtime/errors.js';

/** Exit statuses of every subcommand. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The command line is wrong: an unknown or malformed option, a missing file. Its message names the option. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `-h` / `--help`: not a failure, but it ends the command the same way (with the usage, exit 0). */
export class HelpRequested extends Error {
  constructor() {
    super('help');
    this.name = 'HelpRequested';
  }
}

/** Where a command writes (tests capture it; the CLI uses the process streams). */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: CommandIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/**
 * The one-line message of a failure. Errors a user can cause (a bad file, a failed run, a bad
 * option) and plain `Error`s say what they say; a TypeError and its kin are bugs and say so.
 */
export function errorMessage(e: unknown): string {
  let msg: string;
  if (isModelError(e) || isRuntimeError(e) || e instanceof UsageError) msg = e.message;
  else if (e instanceof Error) msg = e.constructor === Error ? e.message : `unexpected error: ${e.message}`;
  else msg = String(e);
  return msg.split('\n')[0];
}

const withNewline = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);

/** Writes what `e` shows to the user and returns the exit status; `usage` is the text of the failing command. */
export function reportError(e: unknown, io: CommandIo, usage?: string): number {
  if (e instanceof HelpRequested) {
    if (usage) io.stdout(withNewline(usage));
    return EXIT.ok;
  }
  io.stderr(`model-lens: ${errorMessage(e)}\n`);
  if (e instanceof UsageError) {
    if (usage) io.stderr(withNewline(usage));
    return EXIT.usage;
  }
  return EXIT.failure;
}
