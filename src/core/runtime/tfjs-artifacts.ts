// The files of an opened TF.js model, for the webview's TF.js runner: the topology and weight specs
// from model.json and the shards' bytes concatenated in manifest order. Reads only `model.files`
// (what the reader opened), never a path the webview names.
import { readFile } from 'node:fs/promises';
import type { Model } from '../ir/graph.js';
import { ModelError } from '../ir/errors.js';

/** What tf.io's IOHandler.load returns, plus which loader to use. */
export interface TfjsArtifacts {
  kind: 'graph' | 'layers';
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
  format?: string;
  signature?: unknown;
  userDefinedMetadata?: unknown;
}

/** Largest weight total sent to the webview (it holds them all in memory to run). */
export const MAX_TFJS_WEIGHT_BYTES = 1024 * 2 ** 20;

/** Reads model.json and its shards (model.files[1..], manifest order) of an opened TF.js model. */
export async function readTfjsArtifacts(model: Model): Promise<TfjsArtifacts> {
  if (model.format === 'onnx') throw new ModelError('unsupported', 'not a TF.js model', { file: model.path });
  const [json, ...shards] = model.files;
  const parsed = JSON.parse(await readFile(json, 'utf8')) as Record<string, unknown>;
  const manifest = Array.isArray(parsed.weightsManifest) ? parsed.weightsManifest as { weights?: unknown[] }[] : [];
  const weightSpecs = manifest.flatMap((g) => (Array.isArray(g?.weights) ? g.weights : []));
  const parts = await Promise.all(shards.map((f) => readFile(f)));
  const total = parts.reduce((n, b) => n + b.byteLength, 0);
  if (total > MAX_TFJS_WEIGHT_BYTES) throw new ModelError('limit', `the weights are ${total} bytes, more than the ${MAX_TFJS_WEIGHT_BYTES} the panel runs`, { file: json });
  const weightData = new ArrayBuffer(total);
  const bytes = new Uint8Array(weightData);
  let at = 0;
  for (const b of parts) { bytes.set(b, at); at += b.byteLength; }
  const topology = parsed.modelTopology;
  const layers = model.format === 'tfjs-layers';
  return {
    kind: layers ? 'layers' : 'graph',
    modelTopology: topology,
    weightSpecs,
    weightData,
    format: typeof parsed.format === 'string' ? parsed.format : undefined,
    signature: parsed.signature,
    userDefinedMetadata: parsed.userDefinedMetadata,
  };
}
