// What `model-lens run` prints, for ONNX and TF.js models alike: the inputs, the latency, the outputs
// (and captured values) with shape and stats, as text lines or one JSON document, and the .npy files
// of --save-outputs. The runners (run.ts for ONNX, run-tfjs.ts for TF.js) fill a RunReport; only the
// ONNX runner has the optional parts (comparison, fused values, auto, placement, profile).
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { AutoDecision } from '../core/runtime/auto-provider.js';
import { duration } from '../core/runtime/auto-provider.js';
import type { LatencyStats } from '../core/runtime/backend.js';
import type { FusedValue } from '../core/runtime/capture-fused.js';
import type { OutputDifference } from '../core/runtime/compare.js';
import type { DimChoice } from '../core/runtime/input-defaults.js';
import { writeNpyFile } from '../core/runtime/npy.js';
import { summaryOf, valueStats, type ValueSummary } from '../core/runtime/output-stats.js';
import { toNumberArray, type RuntimeTensor } from '../core/runtime/tensor-value.js';

/** Outputs with more elements than this are summarized without their values in --json. */
const MAX_JSON_ELEMENTS = 100_000;

/** One run of `model-lens run`, as both output forms show it. */
export interface RunReport {
  file: string;
  /** What ran: an ONNX Runtime provider, or 'tfjs-cpu'. */
  provider: string;
  fallbackReason: string | null;
  loadMs: number;
  latencyMs: LatencyStats;
  warmup: number;
  inputs: RuntimeTensor[];
  /** Where each input came from (a file, or the fill and seed). */
  sources: Record<string, string>;
  /** For generated inputs: each open dim's size and why (input-defaults.ts), by input name. */
  dims?: Record<string, DimChoice[]>;
  outputs: RuntimeTensor[];
  captured: RuntimeTensor[];
  /** The captured values' stats when the run returned summaries (the text report's capture lines). */
  capturedSummaries?: ValueSummary[];
  saveOutputs?: string;
  fused?: FusedValue[];
  comparison?: { provider: string; fallbackReason: string | null; outputs: OutputDifference[] } | null;
  firstRunMs?: number;
  auto?: AutoDecision;
  placement?: { placement: unknown; placementSummary: string } | null;
  /** The --profile table: its JSON fields and its text lines. */
  profile?: { json: Record<string, unknown>; lines: string[] } | null;
}

function jsonValues(t: RuntimeTensor): (number | string | null)[] {
  if (t.dtype === 'string') return [...(t.data as string[])];
  return Array.from(toNumberArray(t), (v) => (Number.isFinite(v) ? v : null));
}

function describeTensor(t: RuntimeTensor) {
  const n = t.data.length;
  return { name: t.name, dtype: t.dtype, shape: t.shape, stats: valueStats(t), ...(n <= MAX_JSON_ELEMENTS ? { data: jsonValues(t) } : {}) };
}

const fmt = (v: number | null) => (v === null ? '-' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : Number(v.toFixed(4)).toString());

/** Writes each output and captured value as `<name>.npy` under r.saveOutputs (when given). */
export async function saveRunOutputs(r: RunReport): Promise<void> {
  if (!r.saveOutputs) return;
  await mkdir(r.saveOutputs, { recursive: true });
  for (const t of [...r.outputs, ...r.captured]) {
    await writeNpyFile(path.join(r.saveOutputs, `${t.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.npy`), { dtype: t.dtype, shape: t.shape, data: t.data });
  }
}

/** The --json document. */
export function runReportJson(r: RunReport): Record<string, unknown> {
  return {
    file: path.resolve(r.file),
    provider: r.provider,
    fallbackReason: r.fallbackReason,
    loadMs: r.loadMs,
    latencyMs: r.latencyMs,
    inputs: r.inputs.map((t) => {
      const dims = r.dims?.[t.name] ?? [];
      return { name: t.name, dtype: t.dtype, shape: t.shape, source: r.sources[t.name], ...(dims.length ? { dims: dims.map(({ axis, key, value, reason }) => ({ axis, name: key, value, reason })) } : {}) };
    }),
    outputs: r.outputs.map(describeTensor),
    ...(r.captured.length ? { captured: r.captured.map(describeTensor) } : {}),
    ...(r.fused?.length ? { fused: r.fused } : {}),
    ...(r.comparison ? { comparison: r.comparison } : {}),
    ...(r.firstRunMs !== undefined ? { firstRunMs: r.firstRunMs } : {}),
    ...(r.auto ? { auto: r.auto } : {}),
    ...(r.placement ?? {}),
    ...(r.profile?.json ?? {}),
  };
}

/** The text form, one line per fact. */
export function runReportText(r: RunReport): string[] {
  const lines = [`${path.basename(r.file)} on ${r.provider}${r.fallbackReason ? ` (passed over: ${r.fallbackReason})` : ''}`];
  if (r.auto) lines.push(`  auto: ${r.auto.reason}`);
  if (r.firstRunMs !== undefined) lines.push(`  first run ${duration(r.firstRunMs)} (compiling GPU kernels, first run only; not in the latency)`);
  if (r.placement) lines.push(`  placement: ${r.placement.placementSummary}`);
  for (const t of r.inputs) lines.push(`  input  ${t.name} ${t.dtype} [${t.shape.join(', ')}] from ${r.sources[t.name]}${(r.dims?.[t.name] ?? []).map((x) => `; ${x.key}=${x.value}: ${x.reason}`).join('')}`);
  const l = r.latencyMs;
  lines.push(`  latency min ${fmt(l.min)} ms, p50 ${fmt(l.p50)} ms, p90 ${fmt(l.p90)} ms (${l.runs} run${l.runs === 1 ? '' : 's'}${r.warmup ? `, ${r.warmup} warm-up` : ''})`);
  const fusedInto = new Map(r.fused?.map((f) => [f.value, f.blocked ? ' (in NCHWc blocks at run time)' : f.into ? ` (fused into ${f.into})` : ' (folded at load)']));
  const captured = r.capturedSummaries ?? r.captured.map(summaryOf);
  for (const [label, list] of [['output', r.outputs.map(summaryOf)], ['capture', captured]] as const) {
    for (const s of list) {
      lines.push(`  ${label} ${s.name} ${s.dtype} [${s.shape.join(', ')}] min ${fmt(s.min)} max ${fmt(s.max)} mean ${fmt(s.mean)} std ${fmt(s.std)}${s.nan ? ` nan ${s.nan}` : ''}${s.inf ? ` inf ${s.inf}` : ''}${label === 'capture' ? fusedInto.get(s.name) ?? '' : ''}`);
    }
  }
  if (r.comparison) {
    lines.push(`  compared with ${r.comparison.provider}${r.comparison.fallbackReason ? ` (passed over: ${r.comparison.fallbackReason})` : ''}:`);
    for (const d of r.comparison.outputs) lines.push(`    ${d.name}: max abs diff ${fmt(d.maxAbsDiff)}, max rel diff ${fmt(d.maxRelDiff)}, cosine ${d.cosine.toFixed(6)}`);
  }
  if (r.profile) lines.push(...r.profile.lines);
  if (r.saveOutputs) lines.push(`  outputs saved as .npy in ${r.saveOutputs}`);
  return lines;
}

/** Saves the outputs when asked, then prints the report as --json or text says. */
export async function printRunReport(r: RunReport, json: boolean, stdout: (s: string) => void): Promise<void> {
  await saveRunOutputs(r);
  stdout(json ? `${JSON.stringify(runReportJson(r))}\n` : `${runReportText(r).join('\n')}\n`);
}
