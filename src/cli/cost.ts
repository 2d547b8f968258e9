// `model-lens cost <file>`: FLOPs/MACs of one forward pass per node and in total, parameters in
// several precisions, activation memory, and one training step/run next to one inference.
import { computeCost, type CostOptions, type CostReport } from '../core/cost/cost.js';
import { formatBytes, formatCount, formatSeconds, formatWithUnit } from '../core/cost/format.js';
import type { Optimizer } from '../core/cost/training.js';
import { openModel } from '../core/formats/index.js';
import { defineCommand, type Command } from './command.js';
import { UsageError } from './errors.js';
import { choice, flag, list, number, value, wholeNumber, type CommandSpec, type OptionSpec } from './options.js';

const USAGE = `usage: model-lens cost <model> [--dim name=size ...] [--batch N] [--dataset N] [--epochs N]
       [--phone-gflops X] [--optimizer adam|sgd|sgd-momentum] [--top N] [--json]`;

const OPTIMIZERS = ['adam', 'sgd', 'sgd-momentum'] as const satisfies readonly Optimizer[];

/** `--dim name=size`, a size ≥ 1. */
const dimEntry = (raw: string, flag: string): [string, number] => {
  const m = /^([^=]+)=(\d+)$/.exec(raw);
  if (!m || Number(m[2]) < 1) throw new UsageError(`${flag} takes name=size with a size ≥ 1, got '${raw}'`);
  return [m[1], Number(m[2])];
};

const spec = {
  usage: USAGE,
  positional: { name: 'model file', count: 1 },
  options: {
    dim: list(dimEntry),
    batch: value(wholeNumber(1)),
    dataset: value(wholeNumber(1)),
    epochs: value(wholeNumber(1)),
    phoneGflops: value(number(0)),
    optimizer: value(choice(OPTIMIZERS)),
    top: value(wholeNumber(0), 15),
    json: flag(),
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** The `--json` document: totals, training, and per node name/opType/macs/flops. */
export function costJson(r: CostReport): Record<string, unknown> {
  return {
    file: r.file, dims: r.dims, assumedDims: r.assumedDims, batch: r.batch, inputs: r.inputs,
    parameters: r.parameters, parameterBytes: r.parameterBytes, parameterBytesAs: r.parameterBytesAs,
    trainableParameters: r.trainableParameters, computedWeightElements: r.computedWeightElements,
    macs: r.macs, flops: r.flops, macsPerExample: r.macsPerExample, flopsPerExample: r.flopsPerExample,
    activationBytesPeak: r.activationBytesPeak, activationBytesTotal: r.activationBytesTotal,
    training: r.training, phone: r.phone, byOpType: r.byOpType,
    unsupportedOps: r.unsupportedOps, unresolvedNodes: r.unresolvedNodes, convention: r.convention,
    nodes: r.nodes.map((n) => ({ name: n.name, opType: n.opType, macs: n.macs, flops: n.flops, outputShapes: n.outputShapes, ...(n.constant ? { constant: true } : {}) })),
  };
}

/** The text report. */
export function costText(r: CostReport, top: number): string {
  const L: string[] = [];
  const shape = (s: number[] | null) => (s ? `[${s.join(', ')}]` : '?');
  L.push(`Cost of ${r.file}`);
  L.push(`Inputs: ${r.inputs.map((i) => `${i.name} ${shape(i.shape)}`).join(', ') || '(none)'}`);
  const assumed = Object.entries(r.assumedDims);
  if (assumed.length) L.push(`Assumed dims (set with --dim name=size): ${assumed.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  L.push('');
  L.push(`Parameters      ${formatCount(r.parameters)} (${r.parameters}) — stored ${formatBytes(r.parameterBytes)}; fp32 ${formatBytes(r.parameterBytesAs.fp32)}, fp16 ${formatBytes(r.parameterBytesAs.fp16)}, int8 ${formatBytes(r.parameterBytesAs.int8)}`);
  if (r.computedWeightElements) L.push(`                + ${formatCount(r.computedWeightElements)} weight elements computed by constant nodes (not stored in the file)`);
  L.push(`Forward pass    ${formatWithUnit(r.macs, 'MACs')}, ${formatWithUnit(r.flops, 'FLOPs')} at batch ${r.batch}`);
  L.push(`Activations     peak ${formatBytes(r.activationBytesPeak)}${r.activationPeakAt ? ` (at ${r.activationPeakAt})` : ''}, all ${formatBytes(r.activationBytesTotal)}`);
  const t = r.training;
  L.push('');
  L.push(`Training (${t.optimizer}, batch ${t.batch}, ${t.datasetSize} examples × ${t.epochs} epochs = ${t.steps} steps)`);
  L.push(`  per example   ${formatWithUnit(t.flopsPerExample, 'FLOPs')} (forward + backward ≈ 3 × forward)`);
  L.push(`  per run       ${formatWithUnit(t.flopsPerRun, 'FLOPs')} = ${formatCount(t.inferencesPerRun)} inferences (one inference = 1)`);
  const m = t.memoryBytes;
  L.push(`  memory        ${formatBytes(m.total)} = weights ${formatBytes(m.weights)} + gradients ${formatBytes(m.gradients)} + optimizer ${formatBytes(m.optimizerState)} + activations ${formatBytes(m.activations)}`);
  L.push(`Phone-class chip at ${r.phone.gflops} GFLOPS: one inference ${formatSeconds(r.phone.inferenceSeconds)}, one training step ${formatSeconds(r.phone.trainingStepSeconds)}, one training run ${formatSeconds(r.phone.trainingRunSeconds)}`);
  const ops = Object.entries(r.byOpType).sort((a, b) => b[1].flops - a[1].flops);
  if (ops.length) {
    L.push('');
    L.push('By operator type:');
    for (const [op, e] of ops.slice(0, 12)) L.push(`  ${op.padEnd(24)} ×${String(e.count).padEnd(5)} ${formatWithUnit(e.macs, 'MACs').padStart(14)} ${formatWithUnit(e.flops, 'FLOPs').padStart(14)} ${pct(e.flops, r.flops)}`);
  }
  if (top > 0) {
    const heavy = r.nodes.filter((n) => !n.constant && n.flops > 0).sort((a, b) => b.flops - a.flops).slice(0, top);
    if (heavy.length) {
      L.push('');
      L.push(`Heaviest ${heavy.length} nodes:`);
      for (const n of heavy) L.push(`  ${n.name.slice(0, 40).padEnd(40)} ${n.opType.padEnd(20)} ${formatWithUnit(n.macs, 'MACs').padStart(14)} ${formatWithUnit(n.flops, 'FLOPs').padStart(14)} ${pct(n.flops, r.flops)}`);
    }
  }
  if (r.unsupportedOps.length) L.push(`\nCounted as 0 (no cost rule): ${r.unsupportedOps.join(', ')}`);
  if (r.unresolvedNodes.length) L.push(`Output shape unknown for ${r.unresolvedNodes.length} node(s): ${r.unresolvedNodes.slice(0, 8).join(', ')}${r.unresolvedNodes.length > 8 ? ', …' : ''}`);
  L.push('');
  L.push(`Convention: ${r.convention}`);
  return L.join('\n') + '\n';
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1).padStart(5)}%` : '';
}

/** Runs `model-lens cost`; returns the process exit code (0 ok, 1 error, 2 usage). */
export const runCostCommand: Command = defineCommand(spec, async ({ positional, options: o }, io) => {
  const options: CostOptions = { dims: Object.fromEntries(o.dim), batch: o.batch, datasetSize: o.dataset, epochs: o.epochs, phoneGflops: o.phoneGflops, optimizer: o.optimizer };
  const model = await openModel(positional[0]);
  try {
    const report = await computeCost(model, options);
    io.stdout(o.json ? JSON.stringify(costJson(report), null, 2) + '\n' : costText(report, o.top));
  } finally {
    await model.close();
  }
});
