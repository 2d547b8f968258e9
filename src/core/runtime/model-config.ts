// What a model says about its own inputs, outside the graph: ONNX metadata_props, and the
// config files exporters put next to it (Hugging Face `config.json`, `preprocessor_config.json`,
// onnxruntime-genai's `genai_config.json`). Read only inside the model's folder, never required.
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Model } from '../ir/graph.js';
import { resolveInsideFolder } from '../io/paths.js';

/** A number a config states, and where it says it (`config.json: vocab_size`). */
export interface ConfigValue { value: number; source: string }

export interface ModelConfig {
  /** Sizes of symbolic dims by name (metadata `sequence_length=128`). */
  dims: Record<string, ConfigValue>;
  imageHeight?: ConfigValue;
  imageWidth?: ConfigValue;
  vocabSize?: ConfigValue;
  sampleRate?: ConfigValue;
  /** Longest sequence the model takes (`max_position_embeddings`, genai `context_length`). */
  maxPositions?: ConfigValue;
  /** Config files that were there but could not be read, with why. */
  warnings: string[];
}

export const CONFIG_FILES = ['config.json', 'preprocessor_config.json', 'genai_config.json'] as const;
const MAX_CONFIG_BYTES = 1 << 20;

const wholeNumber = (x: unknown): number | null => {
  const n = typeof x === 'string' && /^\s*\d+\s*$/.test(x) ? Number(x) : x;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** Reads a model's config: metadata_props first, then the sibling config files that exist. */
export function readModelConfig(model: Pick<Model, 'path' | 'metadata'>): ModelConfig {
  const config: ModelConfig = { dims: {}, warnings: [] };
  for (const [k, v] of Object.entries(model.metadata ?? {})) {
    const n = wholeNumber(v);
    if (n !== null) config.dims[k] = { value: n, source: `model metadata: ${k}` };
  }
  for (const name of CONFIG_FILES) {
    const json = readSibling(model.path, name, config.warnings);
    if (json) takeConfig(config, name, json);
  }
  return config;
}

function readSibling(modelPath: string, name: string, warnings: string[]): Record<string, unknown> | null {
  let file: string;
  try {
    file = resolveInsideFolder(modelPath, name, name);
  } catch {
    return null; // absent, or a link out of the folder: not read
  }
  try {
    if (statSync(file).size > MAX_CONFIG_BYTES) {
      warnings.push(`${name}: over ${MAX_CONFIG_BYTES >> 20} MiB, not read`);
      return null;
    }
    const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (json && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
    warnings.push(`${name}: not a JSON object, ignored`);
  } catch (e) {
    warnings.push(`${name} (${path.dirname(file)}): ${(e as Error).message}`);
  }
  return null;
}

/** Walks `o` along `keys` (`['model', 'context_length']`). */
const at = (o: unknown, keys: string[]): unknown => keys.reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);

function takeConfig(config: ModelConfig, file: string, json: Record<string, unknown>): void {
  const first = (paths: string[][]): ConfigValue | undefined => {
    for (const p of paths) {
      const n = wholeNumber(at(json, p));
      if (n !== null) return { value: n, source: `${file}: ${p.join('.')}` };
    }
    return undefined;
  };
  config.vocabSize ??= first([['vocab_size'], ['model', 'vocab_size'], ['text_config', 'vocab_size']]);
  config.maxPositions ??= first([['max_position_embeddings'], ['model', 'context_length'], ['n_positions']]);
  config.sampleRate ??= first([['sampling_rate'], ['sample_rate']]);
  const side = first([['size'], ['image_size'], ['crop_size'], ['size', 'shortest_edge'], ['vision_config', 'image_size']]);
  config.imageHeight ??= first([['size', 'height'], ['crop_size', 'height']]) ?? side;
  config.imageWidth ??= first([['size', 'width'], ['crop_size', 'width']]) ?? side;
}
