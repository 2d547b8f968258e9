import * as path from 'node:path';
import { ModelError } from '../../ir/errors.js';
import type { Graph, Model, ModelFormat } from '../../ir/graph.js';
import { buildFunctions, buildGraphDefGraph, parseTensorRef, readSignature } from './graph-model.js';
import { valueOf, newGraph } from './graph-build.js';
import { isObject, readJsonFile, type JsonObject } from './json.js';
import { buildLayersGraph, kerasModelConfig } from './layers-model.js';
import { loadWeightsManifest, type ManifestWeights } from './manifest.js';
import { classifyTfjsJson } from './detect.js';

export { looksLikeTfjsJson, classifyTfjsJson, type TfjsJsonKind } from './detect.js';
export { CONTROL_INPUTS_ATTRIBUTE } from './graph-model.js';
export { MAX_JSON_BYTES, MAX_JSON_DEPTH } from './json.js';

export interface ReadTfjsOptions {
  signal?: AbortSignal;
}

/**
 * Opens a TensorFlow.js model: a graph model, a layers model, or a bare weights manifest (face-api
 * style), with weights laid lazily over their shard files. Fails with a ModelError naming the file
 * and place for missing or short shards, paths leaving the folder, and malformed JSON.
 */
export async function readTfjsModel(file: string, options: ReadTfjsOptions = {}): Promise<Model> {
  const abs = path.resolve(file);
  const json = await readJsonFile(abs, options.signal);
  const kind = classifyTfjsJson(json);
  if (kind === null) {
    throw new ModelError('unknown-format', 'not a TensorFlow.js model: the JSON has neither `modelTopology` nor `weightsManifest`', { file: abs });
  }
  if (kind === 'weights-manifest') {
    const manifest = Array.isArray(json) ? json : (json as JsonObject).weightsManifest;
    const weights = await loadWeightsManifest(abs, manifest, Array.isArray(json) ? 'manifest' : 'weightsManifest', options.signal);
    const graph = newGraph(path.basename(abs, '.json'));
    graph.weights = weights.tensors;
    return assemble(abs, 'tfjs-graph', isObject(json) ? json : {}, graph, weights, { format: 'weights-manifest' });
  }
  const obj = json as JsonObject;
  const weights = await loadWeightsManifest(abs, obj.weightsManifest ?? [], 'weightsManifest', options.signal);
  if (kind === 'graph-model') return readGraphModel(abs, obj, weights);
  return readLayersModel(abs, obj, weights);
}

function readGraphModel(file: string, json: JsonObject, weights: ManifestWeights): Model {
  const topo = json.modelTopology as JsonObject;
  const sig = readSignature(json);
  const graph = buildGraphDefGraph({
    name: path.basename(file, '.json'),
    nodes: topo.node ?? [],
    field: 'modelTopology.node',
    file,
    weights: weights.byName,
    outputRefs: sig?.outputs.map((o) => o.ref),
  });
  graph.weights = weights.tensors;
  if (sig && sig.inputs.length) {
    graph.inputs = sig.inputs.map((s) => {
      const v = valueOf(graph, parseTensorRef(s.ref).value);
      v.type = s.type;
      return v;
    });
  } else {
    graph.inputs = graph.nodes.filter((n) => n.opType === 'Placeholder' && n.outputs[0]).map((n) => n.outputs[0]);
  }
  if (sig && sig.outputs.length) {
    graph.outputs = sig.outputs.map((s) => {
      const v = valueOf(graph, parseTensorRef(s.ref).value);
      v.type = s.type;
      return v;
    });
  }
  const functions = buildFunctions(topo.library, file, weights.byName);
  if (isObject(json.modelInitializer)) {
    // The initializer graph runs once at load (it fills hash tables); shown as a function.
    const init = buildGraphDefGraph({ name: 'modelInitializer', nodes: json.modelInitializer.node ?? [], field: 'modelInitializer.node', file, weights: weights.byName });
    functions.push({ name: 'modelInitializer', domain: '', graph: init, attributeNames: [], opsets: [] });
  }
  const props: Record<string, string> = { format: String(json.format ?? 'graph-model') };
  if (sig) props.signature = describeSignature(sig);
  if (isObject(topo.versions)) {
    for (const [k, v] of Object.entries(topo.versions)) props[`versions.${k}`] = String(v);
  }
  if (functions.length) props.functions = String(functions.length);
  const model = assemble(file, 'tfjs-graph', json, graph, weights, props);
  model.functions = functions;
  return model;
}

function readLayersModel(file: string, json: JsonObject, weights: ManifestWeights): Model {
  const topo = json.modelTopology as JsonObject;
  const config = kerasModelConfig(topo);
  const graph: Graph = buildLayersGraph(config, file, weights.tensors);
  graph.weights = weights.tensors;
  const props: Record<string, string> = { format: String(json.format ?? 'layers-model') };
  if (typeof config.class_name === 'string') props.modelClass = config.class_name;
  for (const k of ['keras_version', 'backend'] as const) if (topo[k] !== undefined && topo[k] !== null) props[k] = String(topo[k]);
  if (topo.training_config !== undefined && topo.training_config !== null) props.training_config = JSON.stringify(topo.training_config);
  return assemble(file, 'tfjs-layers', json, graph, weights, props);
}

function describeSignature(sig: NonNullable<ReturnType<typeof readSignature>>): string {
  const one = (e: { key: string; ref: string; type: { dtype?: string; shape: unknown } }) => {
    const shape = Array.isArray(e.type.shape) ? `[${e.type.shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]` : '?';
    return `${e.key}${e.key !== e.ref ? ` (${e.ref})` : ''}: ${e.type.dtype ?? '?'}${shape}`;
  };
  return `inputs: ${sig.inputs.map(one).join(', ') || 'none'}; outputs: ${sig.outputs.map(one).join(', ') || 'none'}`;
}

function assemble(file: string, format: ModelFormat, json: JsonObject, graph: Graph, weights: ManifestWeights, props: Record<string, string>): Model {
  const convertedBy = typeof json.convertedBy === 'string' ? json.convertedBy : undefined;
  const generatedBy = typeof json.generatedBy === 'string' ? json.generatedBy : undefined;
  const producerName = convertedBy ?? generatedBy;
  const properties: Record<string, string> = { ...props };
  if (generatedBy) properties.generatedBy = generatedBy;
  if (convertedBy) properties.convertedBy = convertedBy;
  properties.weightGroups = String(weights.groupCount);
  const metadata: Record<string, string> = {};
  if (isObject(json.userDefinedMetadata)) {
    for (const [k, v] of Object.entries(json.userDefinedMetadata)) {
      if (k !== 'signature') metadata[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  const model: Model = {
    format,
    path: file,
    files: [file, ...weights.shardFiles],
    opsets: [],
    metadata,
    graph,
    functions: [],
    properties,
    close: async () => {},
  };
  if (weights.warnings.length) model.warnings = [...weights.warnings];
  if (producerName) {
    model.producerName = producerName;
    const version = /v?(\d+(?:\.\d+)+\S*)\s*$/.exec(producerName);
    if (version) model.producerVersion = version[1];
  }
  return model;
}

