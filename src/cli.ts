// `model-lens` — the command-line twin of the editor: summary, stats, run, cost.
import { runSummaryCommand } from './cli/summary.js';
import { runStatsCommand } from './cli/stats.js';
import { runRunCommand } from './cli/run.js';
import { runCostCommand } from './cli/cost.js';
import { failWith } from './cli/common.js';

const USAGE = `usage: model-lens <command> <file> [options]

commands:
  summary <file> [--json]             format, producer, opsets, nodes, op types, parameters, inputs/outputs
  stats <file> [--json]               statistics and histograms of every weight
  run <file> [options] [--json]       run the model on test inputs (see model-lens run --help)
  cost <file> [--dim name=value] [--json]   FLOPs, MACs, memory of one forward pass and of training
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'summary': return runSummaryCommand(rest);
    case 'stats': return runStatsCommand(rest);
    case 'run': return runRunCommand(rest);
    case 'cost': return runCostCommand(rest);
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`model-lens: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

// `model-lens stats x --json | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => failWith(e),
);
