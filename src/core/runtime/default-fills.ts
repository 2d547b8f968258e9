// How each input is filled by default, and why: token ids below the row count of the embedding
// table they index, masks of ones, positions 0, 1, 2…, a scalar setting (a sample rate) as a
// constant the user is asked to check, noise for float data. The user's own fill always wins.
import { isFloatType } from '../ir/dtype.js';
import type { Graph, Node, Value } from '../ir/graph.js';
import type { RuntimeValueInfo } from './backend.js';
import type { FillSpec } from './inputs.js';
import type { ModelConfig } from './model-config.js';

/** A fill with the reason the user reads; `check` marks a guess the user should confirm. */
export interface FillDefault extends FillSpec { reason: string; check?: true }

/** Ops an id passes through unchanged on its way to the table it indexes. */
const PASS_THROUGH = new Set(['Cast', 'Unsqueeze', 'Squeeze', 'Reshape', 'Flatten', 'Identity', 'Expand', 'Transpose', 'Slice', 'Concat']);
const MAX_HOPS = 6;

/** The smallest table an integer input indexes through Gather (axis 0) on a weight: rows and the table's name, or null. */
export function gatherTableRows(graph: Graph, input: string): { rows: number; table: string; node: string } | null {
  const start = graph.values.get(input) ?? graph.inputs.find((v) => v.name === input);
  if (!start) return null;
  let best: { rows: number; table: string; node: string } | null = null;
  let frontier: Value[] = [start];
  const seen = new Set<Value>(frontier);
  for (let hop = 0; hop < MAX_HOPS && frontier.length; hop++) {
    const next: Value[] = [];
    for (const v of frontier) {
      for (const n of v.consumers) {
        const rows = tableRows(n, v);
        if (rows && (!best || rows.rows < best.rows)) best = rows;
        if (!PASS_THROUGH.has(n.opType)) continue;
        for (const o of n.outputs) if (!seen.has(o)) { seen.add(o); next.push(o); }
      }
    }
    frontier = next;
  }
  return best;
}

function tableRows(n: Node, ids: Value): { rows: number; table: string; node: string } | null {
  const axis = n.attributes.find((a) => a.name === 'axis');
  const along = axis && axis.type === 'int' ? axis.value : 0;
  let table: Value | null | undefined;
  if (n.opType === 'Gather' && n.inputs[1] === ids && along === 0) table = n.inputs[0];
  else if (n.opType === 'EmbedLayerNormalization' && n.inputs[0] === ids) table = n.inputs[2];
  const rows = table?.tensor?.shape[0];
  return table && typeof rows === 'number' && rows > 0 ? { rows, table: table.name, node: n.name || n.opType } : null;
}

const isScalar = (shape: RuntimeValueInfo['shape']) => shape !== null && shape.every((d) => d === 1);

/** The default fill of one input (`seed` feeds the random ones). */
export function defaultFill(info: RuntimeValueInfo, graph: Graph | undefined, config: ModelConfig, seed = 0): FillDefault {
  const dtype = info.dtype;
  const name = info.name.toLowerCase();
  if (!dtype || dtype === 'string') return { kind: 'random', seed, reason: 'random short strings (s0…s9): the model on made-up text, not on real data' };
  if (dtype === 'bool') {
    if (/mask/.test(name)) return { kind: 'ones', reason: 'a mask of true: every position is used' };
    return { kind: 'random', seed, reason: 'random true/false' };
  }
  if (isFloatType(dtype)) {
    if (/mask/.test(name)) return { kind: 'ones', reason: 'a mask of ones: every position is used' };
    return { kind: 'random', seed, reason: 'random normal(0, 1) noise: the outputs are the model on noise, not on real data' };
  }
  // Integers: ids, masks, positions, counts and settings.
  if (/mask/.test(name)) return { kind: 'ones', reason: 'an attention mask of ones: every token is real, none is padding' };
  if (/token_type|segment/.test(name)) return { kind: 'zeros', reason: 'segment 0 everywhere: one sentence' };
  if (/position|pos_ids/.test(name)) return { kind: 'range', reason: 'positions 0, 1, 2… in order' };
  if (/past|cache/.test(name) && isScalar(info.shape)) return { kind: 'zeros', reason: 'a cache length of 0: no earlier tokens' };
  const table = graph ? gatherTableRows(graph, info.name) : null;
  if (table) return { kind: 'uniform', seed, low: 0, high: table.rows, reason: `random ids in [0, ${table.rows}): the rows of table '${table.table}' (${table.node} reads them)` };
  if (isScalar(info.shape)) {
    if (/^sr$|sample_?rate|sampling_?rate/.test(name)) {
      const sr = config.sampleRate;
      return { kind: 'constant', value: sr?.value ?? 16000, check: true, reason: sr ? `a sample rate, from ${sr.source}; check it` : 'a sample rate: 16000 Hz, common for speech; check what the model takes' };
    }
    return { kind: 'constant', value: 1, check: true, reason: 'a single number the model reads as a setting: 1; check what it means' };
  }
  if (/ids|token/.test(name) && config.vocabSize) {
    return { kind: 'uniform', seed, low: 0, high: config.vocabSize.value, reason: `random ids in [0, ${config.vocabSize.value}), from ${config.vocabSize.source}` };
  }
  if (dtype === 'uint8' || dtype === 'int8') return { kind: 'random', seed, reason: 'random small integers 0–9; encoded data (an image file) must come from a file' };
  return { kind: 'random', seed, reason: 'random integers 0–9: valid as indices and counts' };
}
