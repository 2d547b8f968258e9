// `model-lens run <file>`: runs a model once (or N times) on generated or file inputs and prints
// the outputs, their statistics and the latency (run-report.ts). ONNX models run here on ONNX Runtime;
// TF.js models in run-tfjs.ts on TF.js's CPU backend.
import { PROVIDER_CHOICES } from '../core/runtime/backend.js';
import { compareOutputs, type OutputDifference } from '../core/runtime/compare.js';
import { attributeProfile, placementOf, profileGraph } from '../core/runtime/profile.js';
import { openModel } from '../core/formats/index.js';
import type { Model } from '../core/ir/graph.js';
import { profileJson, profileTable } from './run-profile.js';
import { printRunReport } from './run-report.js';
import { isTfjsFile, runTfjsModel } from './run-tfjs.js';
import { RuntimeHost } from '../core/runtime/runtime-host.js';
import { defineCommand, type Command } from './command.js';
import { buildInputs, imageOptions, INPUT_OPTIONS, type InputArgs } from './input-options.js';
import { choice, flag, list, nameList, text, value, wholeNumber, type CommandSpec, type OptionSpec, type ParsedArgs } from './options.js';

const USAGE = `usage: model-lens run <model.onnx|model.json> [--input name=file.npy|.json|.pb|.png|.jpg ...] [--fill default|random|uniform|zeros|ones|range]
       [--seed N] [--dim name=size ... | --dim input:axis=size] [--provider ${PROVIDER_CHOICES.join('|')}] [--runs N] [--warmup N]
       [--compare PROVIDER] [--capture name,name|*] [--image-layout nchw|nhwc] [--channel-order rgb|bgr] [--scale X]
       [--mean a,b,c] [--std a,b,c] [--profile] [--json] [--save-outputs DIR]`;

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

/** The parsed `run` options, with the model file and image options (run-tfjs.ts reads them too). */
export interface RunArgs extends Omit<RunOptions, 'capture'>, InputArgs {
  capture: string[];
}

/** Runs `model-lens run` (args after `run`); returns the process exit code (0 ok, 1 error, 2 usage). */
export const runRunCommand: Command = defineCommand(spec, async ({ positional, options }, io) => {
  const a: RunArgs = { ...options, file: positional[0], capture: options.capture.flat(), image: imageOptions(options) };
  let host: RuntimeHost | null = null;
  let model: Model | null = null;
  try {
    if (await isTfjsFile(a.file)) return await runTfjsModel(a, io);
    host = await RuntimeHost.start();
    const loaded = await host.load(a.file, { provider: a.provider });
    // Opened once here: the input defaults read its graph, and so does the profile.
    model = await openModel(a.file);
    const { tensors, sources, defaults } = await buildInputs(a, loaded.inputs, model);
    // A run on a GPU provider is profiled too: the profile says which nodes ran there (placement).
    // The text report prints only stats of captured values: they are reduced in the graph
    // (captureAs 'summaries'); --json and --save-outputs need the values themselves.
    const summarized = a.capture.length > 0 && !a.json && !a.saveOutputs;
    const result = await host.run(tensors, { runs: a.runs, warmup: a.warmup, captureValues: a.capture.length ? a.capture : undefined, ...(summarized ? { captureAs: 'summaries' as const } : {}), profile: a.profile || loaded.provider !== 'cpu' });
    const profile = result.trace ? attributeProfile(result.trace, profileGraph(model.graph), result.latencyMs.p50) : null;
    const placement = profile && result.provider !== 'cpu' ? { placement: placementOf(profile), placementSummary: profile.verdict } : null;
    let comparison: { provider: string; fallbackReason: string | null; outputs: OutputDifference[] } | null = null;
    if (a.compare) {
      const other = await host.load(a.file, { provider: a.compare });
      const r2 = await host.run(tensors, { runs: 1 });
      comparison = { provider: other.provider, fallbackReason: other.fallbackReason, outputs: compareOutputs(r2.outputs, result.outputs) };
    }
    await printRunReport({
      file: a.file, provider: result.provider, fallbackReason: loaded.fallbackReason, loadMs: loaded.loadMs, latencyMs: result.latencyMs, warmup: a.warmup,
      inputs: tensors, sources, dims: Object.fromEntries(defaults.map((d) => [d.name, d.dims])), outputs: result.outputs, captured: result.captured, ...(result.summaries ? { capturedSummaries: result.summaries } : {}), saveOutputs: a.saveOutputs,
      fused: result.fused, comparison, firstRunMs: result.firstRunMs, auto: result.auto, placement,
      profile: profile && a.profile ? { json: profileJson(profile), lines: profileTable(profile) } : null,
    }, a.json, io.stdout);
  } finally {
    await host?.dispose();
    await model?.close();
  }
});
