// `model-lens summary <file>`: format, producer, opsets, node counts, op types, parameters, inputs/outputs.
import { openModel } from '../core/formats/index.js';
import { summarizeModel } from '../core/model-summary.js';
import { formatShape } from '../core/ir/shape.js';
import { defineCommand, type Command } from './command.js';
import { formatBytes, formatCount } from './format.js';
import { flag, type CommandSpec, type OptionSpec } from './options.js';

const spec = {
  usage: 'usage: model-lens summary <file> [--json]',
  positional: { name: 'model file', count: 1 },
  options: { json: flag() },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** `model-lens summary <file> [--json]`. */
export const runSummaryCommand: Command = defineCommand(spec, async ({ positional, options }, io) => {
  const model = await openModel(positional[0]);
  try {
    const s = summarizeModel(model);
    if (options.json) {
      io.stdout(JSON.stringify(s, null, 2) + '\n');
      return;
    }
    const lines: string[] = [];
    lines.push(`${s.fileName}  (${s.format})`);
    if (s.producerName) lines.push(`producer     ${producerLabel(s.producerName, s.producerVersion)}`);
    if (s.irVersion !== null) lines.push(`ir version   ${s.irVersion}`);
    if (s.opsets.length) lines.push(`opsets       ${s.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')}`);
    lines.push(`nodes        ${s.nodes} (${s.topLevelNodes} top level)`);
    lines.push(`parameters   ${formatCount(s.parameters)} (${s.parameters}) in ${s.weightTensors} tensors, ${formatBytes(s.parameterBytes)}`);
    for (const [dt, e] of Object.entries(s.parametersByDtype)) {
      lines.push(`  ${dt.padEnd(10)} ${String(e.tensors).padStart(6)} tensors ${String(e.elements).padStart(12)} elements ${formatBytes(e.bytes).padStart(10)}`);
    }
    lines.push('inputs');
    for (const v of s.inputs) lines.push(`  ${v.name}: ${v.dtype ?? '?'}${formatShape(v.shape)}`);
    lines.push('outputs');
    for (const v of s.outputs) lines.push(`  ${v.name}: ${v.dtype ?? '?'}${formatShape(v.shape)}`);
    lines.push('op types');
    for (const [op, n] of Object.entries(s.opTypes)) lines.push(`  ${op.padEnd(28)} ${n}`);
    for (const w of s.warnings) lines.push(`warning: ${w}`);
    io.stdout(lines.join('\n') + '\n');
  } finally {
    await model.close();
  }
});

/** `pytorch 2.3.1`; TF.js converters write the version into the name already, so it is not repeated. */
export function producerLabel(name: string, version: string | null): string {
  if (!version || name.includes(version)) return name;
  return `${name} ${version}`;
}
