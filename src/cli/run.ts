// `model-lens run <file>`: runs a model once (or N times) on generated or file inputs and prints
// the outputs, their statistics and the latency.
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ModelError } from '../core/ir/errors.js';
import { PROVIDER_CHOICES } from '../core/runtime/backend.js';
import { compareOutputs, type OutputDifference } from '../core/runtime/compare.js';
import { writeNpyFile } from '../core/runtime/npy.js';
import { valueStats } from '../core/runtime/output-stats.js';
import { attributeProfile, placementOf, profileGraph } from '../core/runtime/profile.js';
import { duration } from '../core/runtime/auto-provider.js';
import { openModel } from '../core/formats/index.js';
import { profileJson, profileTable } from './run-profile.js';
import { RuntimeHost } from '../core/runtime/runtime-host.js';
import { toNumberArray, type RuntimeTensor } from '../core/runtime/tensor-value.js';
import { defineCommand, type Command } from './command.js';
import { buildInputs, imageOptions, INPUT_OPTIONS, type InputArgs } from './input-options.js';
import { choice, flag, list, nameList, text, value, wholeNumber, type CommandSpec, type OptionSpec, type ParsedArgs } from './options.js';

const USAGE = `usage: model-lens run <model.onnx> [--input name=file.npy|.json|.pb|.png|.jpg ...] [--fill random|uniform|zeros|ones|range]
       [--seed N] [--dim name=size ... | --dim input:axis=size] [--provider ${PROVIDER_CHOICES.join('|')}] [--runs N] [--warmup N]
       [--compare PROVIDER] [--capture name,name|*] [--image-layout nchw|nhwc] [--channel-order rgb|bgr] [--scale X]
       [--mean a,b,c] [--std a,b,c] [--profile] [--json] [--save-outputs DIR]`;

/** Outputs with more elements than this are summarized without their values in --json. */
const MAX_JSON_ELEMENTS = 100_000;


const spec = {
  usage: USAGE,
  positional: { name: 'model file', count: 1 },
  options: {
    ...INPUT_OPTIONS,
    provider: value(choice(PROVIDER_CHOICES), 'auto'),
    compare: value(choice(PROVIDER_CHOICES)),
    runs: value(wholeNumber(1), 1),
    warmup: value(wholeNumber(0), 0),
    json: flag(),
    profile: flag(),
    saveOutputs: value(text),
    capture: list(nameList),
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

type RunOptions = ParsedArgs<typeof spec.options>['options'];

interface RunArgs extends Omit<RunOptions, 'capture'>, InputArgs {
  capture: string[];
}

async function rejectTfjs(file: string): Promise<void> {
  if (!file.toLowerCase().endsWith('.json')) return;
  let head = '';
  try { head = (await readFile(file, 'utf8')).slice(0, 1 << 20); } catch { return; }
  if (head.includes('"modelTopology"') || head.includes('"weightsManifest"')) {
    throw new ModelError('unsupported', 'TensorFlow.js models run in the editor\'s Run panel (webview); `model-lens run` runs ONNX models', { file });
  }
}

function jsonValues(t: RuntimeTensor): (number | string | null)[] {
  if (t.dtype === 'string') return [...(t.data as string[])];
  return Array.from(toNumberArray(t), (v) => (Number.isFinite(v) ? v : null));
}

function describeTensor(t: RuntimeTensor, withData: boolean) {
  const n = t.data.length;
  return { name: t.name, dtype: t.dtype, shape: t.shape, stats: valueStats(t), ...(withData && n <= MAX_JSON_ELEMENTS ? { data: jsonValues(t) } : {}) };
}

const fmt = (v: number | null) => (v === null ? '-' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : Number(v.toFixed(4)).toString());

/** Runs `model-lens run` (args after `run`); returns the process exit code (0 ok, 1 error, 2 usage). */
export const runRunCommand: Command = defineCommand(spec, async ({ positional, options }, io) => {
  const a: RunArgs = { ...options, file: positional[0], capture: options.capture.flat(), image: imageOptions(options) };
  let host: RuntimeHost | null = null;
  try {
    await rejectTfjs(a.file);
    host = await RuntimeHost.start();
    const loaded = await host.load(a.file, { provider: a.provider });
    const { tensors, sources } = await buildInputs(a, loaded.inputs);
    // A run on a GPU provider is profiled too: the profile says which nodes ran there (placement).
    const result = await host.run(tensors, { runs: a.runs, warmup: a.warmup, captureValues: a.capture.length ? a.capture : undefined, profile: a.profile || loaded.provider !== 'cpu' });
    const profile = result.trace ? attributeProfile(result.trace, profileGraph((await openModel(a.file)).graph), result.latencyMs.p50) : null;
    const placement = profile && result.provider !== 'cpu' ? { placement: placementOf(profile), placementSummary: profile.verdict } : null;
    let comparison: { provider: string; fallbackReason: string | null; outputs: OutputDifference[] } | null = null;
    if (a.compare) {
      const other = await host.load(a.file, { provider: a.compare });
      const r2 = await host.run(tensors, { runs: 1 });
      comparison = { provider: other.provider, fallbackReason: other.fallbackReason, outputs: compareOutputs(r2.outputs, result.outputs) };
    }
    if (a.saveOutputs) {
      await mkdir(a.saveOutputs, { recursive: true });
      for (const t of [...result.outputs, ...result.captured]) {
        await writeNpyFile(path.join(a.saveOutputs, `${t.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.npy`), { dtype: t.dtype, shape: t.shape, data: t.data });
      }
    }
    if (a.json) {
      const doc = {
        file: path.resolve(a.file),
        provider: result.provider,
        fallbackReason: loaded.fallbackReason,
        loadMs: loaded.loadMs,
        latencyMs: result.latencyMs,
        inputs: tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, source: sources[t.name] })),
        outputs: result.outputs.map((t) => describeTensor(t, true)),
        ...(result.captured.length ? { captured: result.captured.map((t) => describeTensor(t, true)) } : {}),
        ...(result.fused?.length ? { fused: result.fused } : {}),
        ...(comparison ? { comparison } : {}),
        ...(result.firstRunMs !== undefined ? { firstRunMs: result.firstRunMs } : {}),
        ...(result.auto ? { auto: result.auto } : {}),
        ...(placement ?? {}),
        ...(profile && a.profile ? profileJson(profile) : {}),
      };
      io.stdout(`${JSON.stringify(doc)}\n`);
    } else {
      const lines = [`${path.basename(a.file)} on ${result.provider}${loaded.fallbackReason ? ` (passed over: ${loaded.fallbackReason})` : ''}`];
      if (result.auto) lines.push(`  auto: ${result.auto.reason}`);
      if (result.firstRunMs !== undefined) lines.push(`  first run ${duration(result.firstRunMs)} (compiling GPU kernels, first run only; not in the latency)`);
      if (placement) lines.push(`  placement: ${placement.placementSummary}`);
      for (const t of tensors) lines.push(`  input  ${t.name} ${t.dtype} [${t.shape.join(', ')}] from ${sources[t.name]}`);
      const l = result.latencyMs;
      lines.push(`  latency min ${fmt(l.min)} ms, p50 ${fmt(l.p50)} ms, p90 ${fmt(l.p90)} ms (${l.runs} run${l.runs === 1 ? '' : 's'}${a.warmup ? `, ${a.warmup} warm-up` : ''})`);
      const fusedInto = new Map(result.fused?.map((f) => [f.value, f.blocked ? ' (in NCHWc blocks at run time)' : f.into ? ` (fused into ${f.into})` : ' (folded at load)']));
      for (const [label, list] of [['output', result.outputs], ['capture', result.captured]] as const) {
        for (const t of list) {
          const s = valueStats(t);
          lines.push(`  ${label} ${t.name} ${t.dtype} [${t.shape.join(', ')}] min ${fmt(s.min)} max ${fmt(s.max)} mean ${fmt(s.mean)} std ${fmt(s.std)}${s.nan ? ` nan ${s.nan}` : ''}${s.inf ? ` inf ${s.inf}` : ''}${label === 'capture' ? fusedInto.get(t.name) ?? '' : ''}`);
        }
      }
      if (comparison) {
        lines.push(`  compared with ${comparison.provider}${comparison.fallbackReason ? ` (passed over: ${comparison.fallbackReason})` : ''}:`);
        for (const d of comparison.outputs) lines.push(`    ${d.name}: max abs diff ${fmt(d.maxAbsDiff)}, max rel diff ${fmt(d.maxRelDiff)}, cosine ${d.cosine.toFixed(6)}`);
      }
      if (profile && a.profile) lines.push(...profileTable(profile));
      if (a.saveOutputs) lines.push(`  outputs saved as .npy in ${a.saveOutputs}`);
      io.stdout(`${lines.join('\n')}\n`);
    }
  } finally {
    await host?.dispose();
  }
});
