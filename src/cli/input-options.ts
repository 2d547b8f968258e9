// The input options `model-lens run` and `model-lens diff` share (--input, --fill, --seed, --dim and
// the image options), declared once for the one parser, and the inputs they build for a model.
import { ModelError } from '../core/ir/errors.js';
import type { RuntimeValueInfo } from '../core/runtime/backend.js';
import { buildGeneratedInputs, fillTensor, parseDimOverrides, resolveShape, type FillKind } from '../core/runtime/inputs.js';
import { readInputFile } from '../core/runtime/inputs-file.js';
import { inputDefaults, type InputDefault } from '../core/runtime/input-defaults.js';
import { openModel } from '../core/formats/index.js';
import type { Model } from '../core/ir/graph.js';
import type { ImageOptions } from '../core/runtime/inputs-image.js';
import type { RuntimeTensor } from '../core/runtime/tensor-value.js';
import { UsageError } from './errors.js';
import { choice, list, number, numberList, text, value, wholeNumber } from './options.js';

/** 'default': each input as input-defaults.ts says (token ids below the table rows, masks of ones, …). */
const FILLS = ['default', 'random', 'uniform', 'zeros', 'ones', 'range'] as const satisfies readonly (FillKind | 'default')[];

/** A `--dim` as the runtime reads it (`name=size` or `input:axis=size`), checked while parsing. */
const dimSpec = (raw: string, flag: string): string => {
  try { parseDimOverrides([raw]); } catch { throw new UsageError(`${flag} takes name=size or input:axis=size with a whole size ≥ 0, got '${raw}'`); }
  return raw;
};

/** The options, to spread into a command's spec. */
export const INPUT_OPTIONS = {
  input: list(text),
  fill: value(choice(FILLS), 'default'),
  seed: value(wholeNumber(0), 0),
  dim: list(dimSpec),
  imageLayout: value(choice(['nchw', 'nhwc'] as const)),
  channelOrder: value(choice(['rgb', 'bgr'] as const)),
  scale: value(number()),
  mean: value(numberList),
  std: value(numberList),
};

/** What buildInputs reads: the parsed input options and the model file they are for. */
export interface InputArgs {
  file: string;
  input: string[];
  fill: (typeof FILLS)[number];
  seed: number;
  dim: string[];
  image: ImageOptions;
}

/** The image options as given (absent ones left out). */
export function imageOptions(o: { imageLayout?: 'nchw' | 'nhwc'; channelOrder?: 'rgb' | 'bgr'; scale?: number; mean?: number[]; std?: number[] }): ImageOptions {
  const image: ImageOptions = { layout: o.imageLayout, channelOrder: o.channelOrder, scale: o.scale, mean: o.mean, std: o.std };
  for (const k of Object.keys(image) as (keyof ImageOptions)[]) if (image[k] === undefined) delete image[k];
  return image;
}

/**
 * The model's inputs: from --input files where given, generated (--fill, --seed, --dim) otherwise;
 * open dims the user left get the model's defaults, and `defaults` says each one's reason.
 */
export async function buildInputs(a: InputArgs, infos: RuntimeValueInfo[], opened?: Model): Promise<{ tensors: RuntimeTensor[]; sources: Record<string, string>; defaults: InputDefault[] }> {
  // The defaults read the graph (a Gather's table rows): the caller's open model, else one opened here.
  const model = opened ?? await openModel(a.file);
  const d = (() => { try { return inputDefaults(model, infos, parseDimOverrides(a.dim), a.seed); } finally { if (!opened) void model.close(); } })();
  const dims = d.dims;
  const fromFile = new Map<string, string>();
  for (const input of a.input) {
    const eq = input.indexOf('=');
    let name = eq > 0 ? input.slice(0, eq) : '';
    const file = eq > 0 ? input.slice(eq + 1) : input;
    if (!name) {
      if (infos.length !== 1) throw new ModelError('malformed', `the model has ${infos.length} inputs; name the one to fill: --input name=${file}`, { file: a.file });
      name = infos[0].name;
    }
    if (!infos.some((i) => i.name === name)) throw new ModelError('malformed', `the model has no input '${name}' (inputs: ${infos.map((i) => i.name).join(', ')})`, { file: a.file });
    fromFile.set(name, file);
  }
  const tensors: RuntimeTensor[] = [];
  const sources: Record<string, string> = {};
  const fill = a.fill === 'default' ? 'random' : a.fill;
  const generated = a.fill === 'default' ? [] : buildGeneratedInputs(infos.filter((i) => !fromFile.has(i.name)), { kind: fill, seed: a.seed }, dims, a.file);
  for (const info of infos) {
    const file = fromFile.get(info.name);
    if (file) {
      tensors.push(await readInputFile(info, file, dims, a.image));
      sources[info.name] = file;
    } else {
      const own = d.inputs.find((x) => x.name === info.name)?.fill;
      const spec = a.fill === 'default' && own ? own : { kind: fill, seed: a.seed };
      tensors.push(generated.find((t) => t.name === info.name) ?? fillTensor(info.name, info.dtype!, resolveShape(info, dims, a.file), spec));
      sources[info.name] = a.fill === 'default' && own ? `default: ${own.check ? 'CHECK ' : ''}${own.reason}` : `${a.fill} (seed ${a.seed})`;
    }
  }
  // A file's own shape is what runs: the defaults are reported for generated inputs only.
  return { tensors, sources, defaults: d.inputs.filter((x) => !fromFile.has(x.name)) };
}
