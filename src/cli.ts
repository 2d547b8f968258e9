// `model-lens` — the command-line twin of the editor: summary, stats, run, cost, diff, layout. This file only
// dispatches: each subcommand is one file in cli/, parsed by cli/options.ts, failing through cli/errors.ts.
import type { Command } from './cli/command.js';
import { runCostCommand } from './cli/cost.js';
import { runDiffCommand } from './cli/diff.js';
import { EXIT, processIo, reportError, UsageError } from './cli/errors.js';
import { runLayoutCommand } from './cli/layout.js';
import { runRunCommand } from './cli/run.js';
import { runStatsCommand } from './cli/stats.js';
import { runSummaryCommand } from './cli/summary.js';

const USAGE = `usage: model-lens <command> <file> [options]

commands:
  summary <file> [--json]             format, producer, opsets, nodes, op types, parameters, inputs/outputs
  stats <file> [--json]               statistics and histograms of every weight
  run <file> [options] [--json]       run the model on test inputs (see model-lens run --help)
  cost <file> [--dim name=value] [--json]   FLOPs, MACs, memory of one forward pass and of training
  diff <A> <B> [--run] [--json]       compare two models: matched nodes, changed weights, with --run values
  layout <file> [--expand none|default|all] [--json]   the graph view's drawing: boxes, groups, edges with positions
`;

const COMMANDS: Record<string, Command> = { summary: runSummaryCommand, stats: runStatsCommand, run: runRunCommand, cost: runCostCommand, diff: runDiffCommand, layout: runLayoutCommand };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') {
    processIo.stdout(USAGE);
    return EXIT.ok;
  }
  if (command === undefined) return reportError(new UsageError('no command given'), processIo, USAGE);
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) return reportError(new UsageError(`unknown command '${command}'`), processIo, USAGE);
  return run(rest, processIo);
}

// `model-lens stats x --json | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.exitCode = reportError(e, processIo); },
);
