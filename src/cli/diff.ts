// `model-lens diff A B`: compares two models (B against the reference A): which nodes match, were
// added or removed, changed attributes and weights, and with --run the values of one run each.
import * as path from 'node:path';
import { compareFiles, reportLines } from '../core/compare/index.js';
import type { DiffReport } from '../core/compare/types.js';
import { PROVIDER_CHOICES } from '../core/runtime/backend.js';
import { defineCommand, type Command } from './command.js';
import { buildInputs, imageOptions, INPUT_OPTIONS } from './input-options.js';
import { choice, flag, value, wholeNumber, type CommandSpec, type OptionSpec } from './options.js';

const USAGE = `usage: model-lens diff <A> <B> [--json] [--run [--input name=file ...] [--fill random|uniform|zeros|ones|range] [--seed N]
       [--dim name=size ...] [--provider ${PROVIDER_CHOICES.join('|')}] [--timeout SECONDS]]

Compares model B against the reference A (ONNX or TF.js model.json, either side):
  structure   nodes matched by name, then by op type and topology (inserted Q/DQ and Cast nodes,
              BatchNorm folded into Conv, MatMul + Add as Gemm, fused ops are recognised)
  weights     every paired tensor: dtype and shape, max abs and relative error, cosine, SQNR;
              quantized weights compared through their dequantized values
  --run       runs both on the same inputs (ONNX in ONNX Runtime, TF.js on TF.js's CPU backend),
              compares every matched intermediate value (TF.js layers models: outputs only) and
              the outputs, and names the first node whose output differs beyond float rounding
--json prints the report: matched, added, removed, changedAttributes, changedWeights, weightSummary,
  and with --run activations, firstDivergence, outputs (or runError). Numbers that are not finite are
  null: sqnrDb is null where the values are equal (an infinite SQNR); maxAbs, maxRel, cosine and
  sqnrDb are null where values could not be compared (the entry's note says why).
Exit status: 0 compared; 1 a side could not be read or run (the report still prints); 2 usage.`;

const spec = {
  usage: USAGE,
  positional: { name: 'model file', count: 2 },
  options: {
    json: flag(),
    run: flag(),
    ...INPUT_OPTIONS,
    provider: value(choice(PROVIDER_CHOICES), 'cpu'),
    timeout: value(wholeNumber(1)),
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** The report as JSON: non-finite numbers become null (what JSON.stringify does, said here on purpose). */
export function reportJson(r: DiffReport): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

/** Runs `model-lens diff` (args after `diff`); returns the exit code (0 ok, 1 a side unreadable or failing, 2 usage). */
export const runDiffCommand: Command = defineCommand(spec, async ({ positional, options: o }, io) => {
  const [fileA, fileB] = positional;
  const image = imageOptions(o);
  const run = o.run
    ? {
      provider: o.provider,
      timeoutMs: o.timeout ? o.timeout * 1000 : undefined,
      buildInputs: async (infos: Parameters<typeof buildInputs>[1]) => (await buildInputs({ file: fileA, input: o.input, fill: o.fill, seed: o.seed, dim: o.dim, image }, infos)).tensors,
    }
    : undefined;
  const report = await compareFiles(fileA, fileB, { run });
  if (o.json) io.stdout(`${reportJson(report)}\n`);
  else io.stdout(`${reportLines({ ...report, a: { ...report.a, path: path.relative(process.cwd(), report.a.path) || report.a.path }, b: { ...report.b, path: path.relative(process.cwd(), report.b.path) || report.b.path } }).join('\n')}\n`);
  const failures = [report.a.error && `A: ${report.a.error}`, report.b.error && `B: ${report.b.error}`, report.runError && `run of ${report.runError.side.toUpperCase()}: ${report.runError.message}`].filter(Boolean);
  if (failures.length) throw new Error(failures.join('; '));
});
