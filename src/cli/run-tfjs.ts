// `model-lens run model.json`: a TF.js model run in Node on TF.js's CPU backend (@tensorflow/tfjs-backend-cpu,
// the backend the Run panel's worker falls back to), on inputs from the same builder as ONNX runs, printed
// by the same report. What only ONNX Runtime offers (providers, --compare, --profile) is refused by name.
import { open } from 'node:fs/promises';
import * as path from 'node:path';
import { detectFormat, openModel } from '../core/formats/index.js';
import { isModelError, ModelError } from '../core/ir/errors.js';
import { runTfjsInNode, tfjsInputInfos } from '../core/runtime/tfjs-node.js';
import type { CommandIo } from './errors.js';
import { UsageError } from './errors.js';
import { buildInputs } from './input-options.js';
import { printRunReport } from './run-report.js';
import type { RunArgs } from './run.js';

/** The provider name a TF.js run reports. */
export const TFJS_PROVIDER = 'tfjs-cpu';

/** True when `file` holds a TF.js model.json (by content, as openModel detects it). */
export async function isTfjsFile(file: string): Promise<boolean> {
  let fh;
  try { fh = await open(file, 'r'); } catch { return false; } // openModel reports a missing file precisely
  try {
    const head = new Uint8Array(4096);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return detectFormat(path.basename(file), head.subarray(0, bytesRead)) === 'tfjs';
  } finally {
    await fh.close();
  }
}

/** The options a TF.js run cannot honour, each with why. */
function refuse(a: RunArgs): void {
  const onnxOnly = 'runs ONNX models on ONNX Runtime only; TF.js models run on TF.js\'s CPU backend (tfjs-cpu)';
  if (a.provider !== 'auto' && a.provider !== 'cpu') throw new UsageError(`--provider ${a.provider}: ${onnxOnly}; leave --provider out (or give cpu)`);
  if (a.compare) throw new UsageError(`--compare ${onnxOnly}, so there is no second provider to compare with`);
  if (a.profile) throw new UsageError(`--profile reads ONNX Runtime's per-node profile; TF.js's CPU backend keeps none`);
  if (a.capture.includes('*')) throw new UsageError('--capture * is for ONNX models; name the TF.js graph nodes to capture (--capture name,name)');
}

/** Runs a TF.js model as `model-lens run` does and prints the report. */
export async function runTfjsModel(a: RunArgs, io: CommandIo): Promise<void> {
  refuse(a);
  const model = await openModel(a.file);
  try {
    const known = new Set(model.graph.nodes.flatMap((n) => [n.name, ...n.outputs.map((v) => v.name)]));
    const unknown = a.capture.filter((c) => !known.has(c));
    if (unknown.length) throw new ModelError('malformed', `--capture: the graph has no node '${unknown[0]}'`, { file: model.path });
    const { tensors, sources, defaults } = await buildInputs(a, tfjsInputInfos(model), model);
    let r;
    try {
      r = await runTfjsInNode(model, tensors, a.capture, { runs: a.runs, warmup: a.warmup });
    } catch (e) {
      if (isModelError(e)) throw e;
      // TF.js says what failed (an op it lacks, a shape it rejects) but not in which file.
      throw new ModelError('unsupported', `TF.js could not run the model: ${(e as Error)?.message ?? String(e)}`, { file: model.path });
    }
    await printRunReport({
      file: a.file, provider: TFJS_PROVIDER, fallbackReason: null, loadMs: r.loadMs, latencyMs: r.latencyMs, warmup: a.warmup,
      inputs: tensors, sources, dims: Object.fromEntries(defaults.map((d) => [d.name, d.dims])), outputs: r.outputs, captured: r.captured, saveOutputs: a.saveOutputs,
    }, a.json, io.stdout);
  } finally {
    await model.close();
  }
}
