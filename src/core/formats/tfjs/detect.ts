import { isObject, type JsonObject } from './json.js';

/** What a TF.js JSON file holds. */
export type TfjsJsonKind = 'graph-model' | 'layers-model' | 'weights-manifest';

/** Whether a value is a TF.js weight group: `{paths: string[], weights: [{name, shape, dtype}]}`. */
function isWeightGroup(g: unknown): boolean {
  return isObject(g) && Array.isArray(g.paths) && Array.isArray(g.weights)
    && g.weights.every((w) => isObject(w) && typeof w.name === 'string' && Array.isArray(w.shape));
}

function isManifest(m: unknown): boolean {
  return Array.isArray(m) && m.length > 0 && m.every(isWeightGroup);
}

function isGraphDef(t: JsonObject): boolean {
  return Array.isArray(t.node) || isObject(t.library) || isObject(t.versions);
}

function isKerasTopology(t: JsonObject): boolean {
  const c = isObject(t.model_config) ? t.model_config : t;
  return typeof c.class_name === 'string' && (Array.isArray(c.config) || isObject(c.config));
}

/** Classifies parsed JSON as a TF.js graph model, layers model, or weights manifest; null if none. */
export function classifyTfjsJson(json: unknown): TfjsJsonKind | null {
  if (Array.isArray(json)) return isManifest(json) ? 'weights-manifest' : null;
  if (!isObject(json)) return null;
  const topo = json.modelTopology;
  if (isObject(topo)) {
    if (json.format === 'graph-model' && isGraphDef(topo)) return 'graph-model';
    if (json.format === 'layers-model' && isKerasTopology(topo)) return 'layers-model';
    if (isGraphDef(topo)) return 'graph-model';
    if (isKerasTopology(topo)) return 'layers-model';
    return null;
  }
  if ((topo === undefined || topo === null) && isManifest(json.weightsManifest)) return 'weights-manifest';
  return null;
}

/**
 * True when JSON text (or an already parsed value) is a TF.js model file: `modelTopology` and/or
 * `weightsManifest` in TF.js form, or a bare array of weight groups (face-api style manifest).
 */
export function looksLikeTfjsJson(text: string | object): boolean {
  let json: unknown = text;
  if (typeof text === 'string') {
    // Cheap refusal before parsing: every TF.js file names one of these keys.
    if (!/"(modelTopology|weightsManifest|paths)"/.test(text)) return false;
    try {
      json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      return false;
    }
  }
  return classifyTfjsJson(json) !== null;
}
