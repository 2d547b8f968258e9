// `model-lens cost <file>`: FLOPs/MACs of one forward pass per node and in total, parameters in
// several precisions, activation memory, and one training step/run next to one inference.
import { computeCost, type CostOptions, type CostReport } from '../core/cost/cost.js';
import { formatBytes, formatCount, formatSeconds, formatWithUnit } from '../core/cost/format.js';
import type { Optimizer } from '../core/cost/training.js';
import { openModel } from '../core/formats/index.js';
import { isModelError } from '../core/ir/errors.js';

const USAGE = `usage: model-lens cost <model> [--dim name=size ...] [--batch N] [--dataset N] [--epochs N]
       [--phone-gflops X] [--optimizer adam|sgd|sgd-momentum] [--top N] [--json]`;

class UsageError extends Error {}

interface CostArgs { file: string; options: CostOptions; json: boolean; top: number }

function parseArgs(args: string[]): CostArgs {
  const options: CostOptions = { dims: {} };
  let json = false, top = 15;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const num = (min: number, integer: boolean): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) throw new UsageError(`${flag} must be a ${integer ? 'whole ' : ''}number ≥ ${min}, got '${v}'`);
      return n;
    };
    switch (flag) {
      case '--dim': {
        const v = value();
        const m = /^([^=]+)=(\d+)$/.exec(v);
        if (!m || Number(m[2]) < 1) throw new UsageError(`--dim takes name=size with a size ≥ 1, got '${v}'`);
        options.dims![m[1]] = Number(m[2]);
        break;
      }
      case '--batch': options.batch = num(1, true); break;
      case '--dataset': options.datasetSize = num(1, true); break;
      case '--epochs': options.epochs = num(1, true); break;
      case '--phone-gflops': options.phoneGflops = num(Number.MIN_VALUE, false); break;
      case '--optimizer': {
        const v = value();
        if (v !== 'adam' && v !== 'sgd' && v !== 'sgd-momentum') throw new UsageError(`--optimizer must be adam, sgd or sgd-momentum, got '${v}'`);
        options.optimizer = v as Optimizer;
        break;
      }
      case '--top': top = num(0, true); break;
      case '--json': json = true; break;
      case '-h': case '--help': throw new UsageError('');
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        positional.push(a);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? `one model file expected, got ${positional.length}` : 'no model file given');
  return { file: positional[0], options, json, top };
}

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
export async function runCostCommand(args: string[]): Promise<number> {
  let parsed: CostArgs;
  try {
    parsed = parseArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`model-lens cost: ${e.message}\n`);
      process.stderr.write(`${USAGE}\n`);
      return e.message ? 2 : 0;
    }
    throw e;
  }
  try {
    const model = await openModel(parsed.file);
    try {
      const report = await computeCost(model, parsed.options);
      process.stdout.write(parsed.json ? JSON.stringify(costJson(report), null, 2) + '\n' : costText(report, parsed.top));
    } finally {
      await model.close();
    }
    return 0;
  } catch (e) {
    process.stderr.write(`model-lens cost: ${isModelError(e) ? e.message : e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
