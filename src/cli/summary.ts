import { openModel } from '../core/formats/index.js';
import { summarizeModel } from '../core/model-summary.js';
import { formatShape } from '../core/ir/shape.js';
import { failWith, formatBytes, formatCount, parseArgs } from './common.js';

/** `model-lens summary <file> [--json]`. */
export async function runSummaryCommand(args: string[]): Promise<number> {
  let parsed;
  try { parsed = parseArgs(args, []); } catch (e) { return failWith(e); }
  const file = parsed.positional[0];
  if (!file) {
    process.stderr.write('usage: model-lens summary <file> [--json]\n');
    return 2;
  }
  let model;
  try {
    model = await openModel(file);
  } catch (e) {
    return failWith(e);
  }
  try {
    const s = summarizeModel(model);
    if (parsed.flags.has('json')) {
      process.stdout.write(JSON.stringify(s, null, 2) + '\n');
      return 0;
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
    for (const io of s.inputs) lines.push(`  ${io.name}: ${io.dtype ?? '?'}${formatShape(io.shape)}`);
    lines.push('outputs');
    for (const io of s.outputs) lines.push(`  ${io.name}: ${io.dtype ?? '?'}${formatShape(io.shape)}`);
    lines.push('op types');
    for (const [op, n] of Object.entries(s.opTypes)) lines.push(`  ${op.padEnd(28)} ${n}`);
    for (const w of s.warnings) lines.push(`warning: ${w}`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    await model.close();
  }
}

/** `pytorch 2.3.1`; TF.js converters write the version into the name already, so it is not repeated. */
export function producerLabel(name: string, version: string | null): string {
  if (!version || name.includes(version)) return name;
  return `${name} ${version}`;
}
