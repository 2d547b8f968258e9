// The default size of every symbolic dim of a model's inputs, each with the reason a user reads
// before running: what the model's config says, a size shared with another input, what the dim's
// name means, or the image convention. Explicit sizes the user gives always win (input-defaults.ts).
import type { Dim } from '../ir/shape.js';
import { dimNames, evalDim, isExpression } from '../shapes/dims.js';
import type { RuntimeValueInfo } from './backend.js';
import type { ModelConfig } from './model-config.js';

/** One axis of one input: its declared dim, the size it gets, and why. */
export interface DimDefault { axis: number; dim: Dim; value: number; reason: string }

/** A size and its reason. */
export interface SizeReason { value: number; reason: string }

export const DEFAULT_SEQUENCE_LENGTH = 16;
export const DEFAULT_IMAGE_SIZE = 224;
export const AUDIO_WINDOW = 512;

/** What a dim's name says (`batch` → 1, `seq` → 16, `past` → 0), or null when the name says nothing. */
export function sizeFromName(name: string): SizeReason | null {
  const n = name.toLowerCase();
  if (/batch|^n$|^b$|^bs$/.test(n)) return { value: 1, reason: `'${name}' is a batch size: one example` };
  if (/past|cache|prev/.test(n)) return { value: 0, reason: `'${name}' is a cache length: empty (no earlier tokens)` };
  if (/total|plus/.test(n) && /seq|len/.test(n)) return { value: DEFAULT_SEQUENCE_LENGTH, reason: `'${name}' is past + sequence: 0 + ${DEFAULT_SEQUENCE_LENGTH}` };
  if (/seq|sequence|len|token|time|step|frame|patch|words|chars/.test(n)) return { value: DEFAULT_SEQUENCE_LENGTH, reason: `'${name}' is a sequence length: a short sequence of ${DEFAULT_SEQUENCE_LENGTH}` };
  if (/height|width|^h$|^w$|img|image_size/.test(n)) return { value: DEFAULT_IMAGE_SIZE, reason: `'${name}' is an image side: ${DEFAULT_IMAGE_SIZE}, the usual ImageNet size` };
  if (/^num_|count|^n_/.test(n)) return { value: 1, reason: `'${name}' is a count: one` };
  return null;
}

/** The spatial axes of an image-like input ([N,C,H,W] or [N,H,W,C] with C 1, 3 or 4; [N,K,C,H,W]), or null. */
export function spatialAxes(shape: readonly Dim[]): [number, number] | null {
  const ch = (d: Dim) => d === 1 || d === 3 || d === 4;
  const open = (d: Dim) => typeof d !== 'number';
  if (shape.length === 4 && ch(shape[1]) && (open(shape[2]) || open(shape[3]))) return [2, 3];
  if (shape.length === 4 && ch(shape[3]) && !ch(shape[1]) && (open(shape[1]) || open(shape[2]))) return [1, 2];
  if (shape.length === 5 && (shape[2] === 1 || shape[2] === 3) && (open(shape[3]) || open(shape[4]))) return [3, 4];
  return null;
}

const FALLBACK: SizeReason = { value: 1, reason: 'nothing says its size: 1, the smallest that runs; set it if the model needs more' };
const LEADING: SizeReason = { value: 1, reason: 'the first axis, usually the batch: one example' };
/** The fallback for a dim no rule sizes: the leading axis of a tensor of rank ≥ 2 reads as its batch. */
const fallback = (io: RuntimeValueInfo, axis: number): SizeReason => (axis === 0 && (io.shape?.length ?? 0) >= 2 ? LEADING : FALLBACK);

/**
 * Default sizes for every non-numeric dim of every input, with reasons. `audioEvidence` says why
 * the model reads as taking audio when no input names a sample rate (a spectrogram in the graph).
 */
export function defaultDims(inputs: readonly RuntimeValueInfo[], config: ModelConfig, audioEvidence: string | null = null): Map<string, DimDefault[]> {
  // One size per symbolic name across all inputs, so inputs that share a name agree.
  const named = new Map<string, SizeReason>();
  const users = new Map<string, string[]>();
  for (const io of inputs) for (const d of io.shape ?? []) if (typeof d === 'string') for (const n of dimNames(d)) users.set(n, [...(users.get(n) ?? []), io.name]);
  const image = (io: RuntimeValueInfo, axis: number): SizeReason | null => {
    const axes = io.shape ? spatialAxes(io.shape) : null;
    if (!axes || !axes.includes(axis)) return null;
    const fromConfig = axis === axes[0] ? config.imageHeight : config.imageWidth;
    if (fromConfig) return { value: fromConfig.value, reason: `image side from ${fromConfig.source}` };
    const other = io.shape![axis === axes[0] ? axes[1] : axes[0]];
    if (typeof other === 'number') return { value: other, reason: `image input: square, like its other side (${other})` };
    return { value: DEFAULT_IMAGE_SIZE, reason: `image input [${io.shape!.map((x) => x ?? '?').join(', ')}]: ${DEFAULT_IMAGE_SIZE}, the usual ImageNet size` };
  };
  // A model that takes a sample rate (or computes a spectrogram) takes audio: its float input's
  // time axis is a window of samples.
  const rate = inputs.find((i) => /^sr$|sample_?rate|sampling_?rate/i.test(i.name));
  const why = rate ? null : audioEvidence;
  const audio = (io: RuntimeValueInfo, axis: number, name: string): SizeReason | null =>
    (rate || why) && /float/.test(io.dtype ?? '') && axis === (io.shape?.length ?? 0) - 1 && /seq|len|time|sample|frame/i.test(name)
      ? { value: AUDIO_WINDOW, reason: `audio samples: ${AUDIO_WINDOW} (32 ms at 16 kHz, a speech model's window${why ? `; ${why}` : ''})` } : null;
  const sizeOfName = (name: string, io: RuntimeValueInfo, axis: number): SizeReason => {
    const shared = (users.get(name) ?? []).filter((u, i, a) => u !== io.name && a.indexOf(u) === i);
    const withShared = (r: SizeReason): SizeReason => (shared.length ? { ...r, reason: `${r.reason} (shared with ${shared.map((x) => `'${x}'`).join(', ')})` } : r);
    const known = named.get(name);
    if (known) return withShared(known);
    const c = config.dims[name];
    // A name that says what the dim is (a cache length, a batch) wins over the image shape guess.
    const byName = sizeFromName(name);
    const img = byName && byName.value !== DEFAULT_IMAGE_SIZE ? null : image(io, axis);
    let r: SizeReason = c ? { value: c.value, reason: `from ${c.source}` } : img ?? audio(io, axis, name) ?? byName ?? fallback(io, axis);
    if (!c && r.value === DEFAULT_SEQUENCE_LENGTH && config.maxPositions && config.maxPositions.value < r.value) {
      r = { value: config.maxPositions.value, reason: `${r.reason}, capped at ${config.maxPositions.source}` };
    }
    named.set(name, r);
    return withShared(r);
  };
  const out = new Map<string, DimDefault[]>();
  for (const io of inputs) {
    const dims: DimDefault[] = [];
    (io.shape ?? []).forEach((d, axis) => {
      if (typeof d === 'number') return;
      if (d === null) {
        const r = image(io, axis) ?? sharedAxis(inputs, io, axis) ?? fallback(io, axis);
        dims.push({ axis, dim: d, ...r });
      } else if (isExpression(d)) {
        const sizes: Record<string, number> = {};
        for (const n of dimNames(d)) sizes[n] = sizeOfName(n, io, axis).value;
        const v = evalDim(d, sizes);
        dims.push({ axis, dim: d, value: v ?? 1, reason: v === null ? FALLBACK.reason : `${d} with ${Object.entries(sizes).map(([k, x]) => `${k} = ${x}`).join(', ')}` });
      } else {
        dims.push({ axis, dim: d, ...sizeOfName(d, io, axis) });
      }
    });
    out.set(io.name, dims);
  }
  return out;
}

/** An unnamed dim sized like the same axis of another input of the same rank that states it. */
function sharedAxis(inputs: readonly RuntimeValueInfo[], io: RuntimeValueInfo, axis: number): SizeReason | null {
  for (const other of inputs) {
    if (other === io || other.shape?.length !== io.shape?.length) continue;
    const d = other.shape?.[axis];
    if (typeof d === 'number' && d > 0) return { value: d, reason: `same as axis ${axis} of input '${other.name}' (${d})` };
  }
  return null;
}
