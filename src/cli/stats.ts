// `model-lens stats <file> [--json | --csv]`: statistics and histograms of every weight.
import { computeModelStats } from '../core/stats/stats-model.js';
import { statsJsonText, statsToCsv, statsToJson } from '../core/stats/stats-export.js';
import type { ModelStats, TensorStats } from '../core/stats/stats-types.js';
import { openModel } from '../core/formats/index.js';
import { defineCommand, type Command } from './command.js';
import { formatBytes, formatCount } from './format.js';
import { choice, flag, value, wholeNumber, type CommandSpec, type OptionSpec } from './options.js';

const USAGE = `usage: model-lens stats <file> [--json [--detail] | --csv] [--bins N] [--workers N] [--kernel auto|wasm|js]

Statistics of every weight: count, min, max, mean, std, zeros, NaN/Inf, percentiles, histograms,
and model-wide totals and flags. Quantized weights show dequantized values (stored integers under "raw").
--json is compact (figures and histogram counts, one tensor a line); --detail adds percentiles,
histogram edges, the log-magnitude histogram, outliers and per-row (channel) figures.
`;

function num(x: number): string {
  if (Number.isNaN(x)) return '-';
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  return a >= 1e5 || a < 1e-3 ? x.toExponential(2) : x.toPrecision(4);
}

function pad(s: string, n: number, right = false): string {
  if (s.length > n) s = '…' + s.slice(s.length - n + 1);
  return right ? s.padStart(n) : s.padEnd(n);
}

function row(t: TensorStats): string {
  const shape = `[${t.shape.join('×')}]`;
  const special = t.nan || t.inf ? `${t.nan} NaN ${t.inf} Inf` : '';
  return [pad(t.name, 40), pad(t.dtype + (t.quantization ? '→q' : ''), 9), pad(shape, 18), pad(num(t.min), 10, true), pad(num(t.max), 10, true),
    pad(num(t.mean), 10, true), pad(num(t.std), 10, true), pad(`${(t.sparsity * 100).toFixed(1)}%`, 7, true), special].join(' ').trimEnd();
}

/** The readable report of `model-lens stats`. */
export function formatStatsText(s: ModelStats): string {
  const lines: string[] = [];
  lines.push(`${s.path}: ${s.totals.tensors} weights, ${formatCount(s.totals.parameters)} parameters, ${formatBytes(s.totals.bytes)}`);
  lines.push('');
  lines.push([pad('name', 40), pad('dtype', 9), pad('shape', 18), pad('min', 10, true), pad('max', 10, true), pad('mean', 10, true),
    pad('std', 10, true), pad('zeros', 7, true)].join(' '));
  for (const t of s.tensors) lines.push(row(t));
  for (const k of s.skipped) lines.push(`${pad(k.name, 40)} ${pad(k.dtype, 9)} skipped: ${k.reason}`);
  const m = s.model;
  lines.push('');
  lines.push(`all float weights: ${formatCount(m.count)} values, min ${num(m.min)}, max ${num(m.max)}, mean ${num(m.mean)}, std ${num(m.std)}, ` +
    `zeros ${(m.sparsity * 100).toFixed(1)}%` + (m.nan || m.inf ? `, ${m.nan} NaN, ${m.inf} Inf` : ''));
  lines.push(`by dtype: ${s.byDtype.map((g) => `${g.key} ${formatCount(g.parameters)} (${formatBytes(g.bytes)})`).join(', ')}`);
  if (s.flags.length) {
    lines.push('');
    lines.push(`flags (${s.flags.length}):`);
    for (const f of s.flags) lines.push(`  ${f.severity} ${f.kind} ${f.tensor}: ${f.message}`);
  }
  return lines.join('\n') + '\n';
}

const spec = {
  usage: USAGE,
  positional: { name: 'model file', count: 1 },
  options: {
    json: flag(),
    csv: flag(),
    detail: flag(),
    bins: value(wholeNumber(1)),
    workers: value(wholeNumber(0)),
    kernel: value(choice(['auto', 'wasm', 'js'] as const)),
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** Runs `model-lens stats`; returns the exit status (1 with one line on stderr for a bad file, 2 for bad usage). */
export const runStatsCommand: Command = defineCommand(spec, async ({ positional, options: o }, io) => {
  const model = await openModel(positional[0]);
  try {
    const stats = await computeModelStats(model, { bins: o.bins, workers: o.workers, kernel: o.kernel });
    if (o.json) io.stdout(statsJsonText(statsToJson(stats, { detail: o.detail })));
    else if (o.csv) io.stdout(statsToCsv(stats));
    else io.stdout(formatStatsText(stats));
  } finally {
    await model.close();
  }
});
