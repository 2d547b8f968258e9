// A subcommand is its spec and its body: defineCommand parses the arguments with the one parser and
// sends every failure, of the command line or of the work, through the one error formatter.
import { EXIT, processIo, reportError, type CommandIo } from './errors.js';
import { parseOptions, type CommandSpec, type OptionSpec, type ParsedArgs } from './options.js';

/** What `model-lens <name>` runs: the arguments after the subcommand in, the exit status out. */
export type Command = (args: string[], io?: CommandIo) => Promise<number>;

export function defineCommand<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  body: (args: ParsedArgs<O>, io: CommandIo) => Promise<void>,
): Command {
  return async (args, io = processIo) => {
    try {
      await body(parseOptions(spec, args), io);
      return EXIT.ok;
    } catch (e) {
      return reportError(e, io, spec.usage);
    }
  };
}
