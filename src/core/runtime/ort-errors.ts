// ONNX Runtime's refusals of input shapes and types, said in words: which input, which dim (by
// its name in the model), what it must be and what it got. Other messages are left as they are.
import type { Dim } from '../ir/shape.js';
import type { RuntimeValueInfo } from './backend.js';
import { spatialAxes } from './default-dims.js';

/** What a dim is called for the user: its symbolic name, or the image axis it is (height, width, channels). */
export function dimLabel(shape: readonly Dim[] | null, axis: number): string | null {
  const d = shape?.[axis];
  if (typeof d === 'string' && d) return d;
  const spatial = shape ? spatialAxes(shape.map((x, i) => (i === axis ? null : x))) : null;
  if (spatial) {
    if (axis === spatial[0]) return 'height';
    if (axis === spatial[1]) return 'width';
  }
  if (shape && shape.length >= 3 && axis === 0) return 'batch';
  return null;
}

/**
 * The user-facing message for ORT's shape or type refusal of an input (`input 'x' dim 2 (height)
 * must be 32, got 224`), with the input named; null when the message is something else.
 */
export function describeOrtRejection(raw: string, inputs: readonly RuntimeValueInfo[]): { message: string; input: string } | null {
  const find = (name: string) => inputs.find((i) => i.name === name);
  const dims = /Got invalid dimensions for input: (.+?) for the following indices((?:\s*index: \d+ Got: \d+ Expected: \d+)+)/.exec(raw);
  if (dims) {
    const input = dims[1].trim();
    const shape = find(input)?.shape ?? null;
    const parts = [...dims[2].matchAll(/index: (\d+) Got: (\d+) Expected: (\d+)/g)].map(([, a, got, want]) => {
      const label = dimLabel(shape, Number(a));
      return `dim ${a}${label ? ` (${label})` : ''} must be ${want}, got ${got}`;
    });
    return { input, message: `input '${input}' ${parts.join('; ')}` };
  }
  const rank = /Invalid rank for input: (.+?) Got: (\d+) Expected: (\d+)/.exec(raw);
  if (rank) {
    const input = rank[1].trim();
    return { input, message: `input '${input}' must have ${rank[3]} dims (rank ${rank[3]}), got ${rank[2]}` };
  }
  const type = /Unexpected input data type\. Actual: \((.+?)\)\s*,\s*expected: \((.+?)\)/.exec(raw);
  if (type) {
    const want = type[2].replace(/^tensor\((.*)\)$/, '$1');
    const input = inputs.find((i) => i.dtype === want || `tensor(${i.dtype})` === type[2])?.name ?? '?';
    return { input, message: `input '${input}' must be ${want}, got ${type[1].replace(/^tensor\((.*)\)$/, '$1')}` };
  }
  return null;
}

/**
 * ORT's failure inside one node ("Non-zero status code returned while running Pad node.
 * Name:'/stft/padding/Pad' Status Message: … Input shape:{1,16}"), said as which node, its op,
 * what it said and its input's shape as the user reads shapes; null when the message is something else.
 */
export function describeOrtNodeFailure(raw: string): { node: string; op: string; message: string } | null {
  const m = /Non-zero status code returned while running (\S+) node\. Name:'([^']*)' Status Message: ([\s\S]*)/.exec(raw);
  if (!m) return null;
  const [, op, node, rest] = m;
  let said = rest.split('\n').map((l) => l.trim()).filter(Boolean)[0] ?? rest.trim();
  said = said.replace(/^\/?\S+\.(cc|cpp|h):\d+\s+\S+\s*/, '').replace(/^\S+ was false\.\s*/, '');
  const shapes: string[] = [];
  said = said.replace(/\s*Input shape:\s*\{([^}]*)\}\.?/g, (_, dims: string) => { shapes.push(`[${dims.split(',').map((d) => d.trim()).join(', ')}]`); return ''; }).trim();
  said = said.replace(/\.$/, '');
  const shown = said.length > 300 ? `${said.slice(0, 297)}...` : said;
  return { node, op, message: `${op} failed: ${shown}${shapes.length ? ` (its input: ${shapes.join(', ')})` : ''}` };
}
