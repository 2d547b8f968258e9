// The core entry points the editor uses, in one place.
import { readOnnxModel } from '../core/formats/onnx/index.js';
import { looksLikeTfjsJson, readTfjsModel } from '../core/formats/tfjs/index.js';
import type { Model } from '../core/ir/graph.js';

/** Opens a model by its name: `.json` is TF.js, anything else is read as ONNX. */
export function openModel(path: string, options: { signal?: AbortSignal } = {}): Promise<Model> {
  return /\.json$/i.test(path) ? readTfjsModel(path, options) : readOnnxModel(path, options);
}

export const isTfjsModelJson = (text: string): boolean => looksLikeTfjsJson(text);
