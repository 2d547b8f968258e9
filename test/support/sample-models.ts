// One folder of sample models for the ui and e2e surfaces and the demo workspace, written with the
// fixture builders (test/fixtures), with the counts each is known to have — independent of the
// reader under test, so a header that shows the wrong number is caught.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildConvNetModel, buildLinearModel, buildMlpModel } from '../fixtures/onnx/index.js';
import { writeTfjsGraphModel, writeTfjsLayersModel } from '../fixtures/tfjs/index.js';

export interface SampleModel {
  /** Path relative to the folder, e.g. `mlp.onnx` or `tfjs-layers/model.json`. */
  rel: string;
  /** All nodes (ONNX) or nodes/layers (TF.js) the fixture is built with; null when the reader decides. */
  nodes: number | null;
  /** Weight elements the fixture holds. */
  parameters: number;
}

/** The good models (fixture values from test/fixtures). */
export const GOOD_MODELS = {
  linear: { rel: 'linear.onnx', nodes: 2, parameters: 2 },
  mlp: { rel: 'mlp.onnx', nodes: 5, parameters: 4 * 8 + 8 + 8 * 8 + 8 + 8 * 3 + 3 },
  convnet: { rel: 'convnet.onnx', nodes: 6, parameters: 36 + 4 + 640 + 10 },
  tfjsGraph: { rel: 'tfjs-graph/model.json', nodes: null, parameters: 2 },
  tfjsLayers: { rel: 'tfjs-layers/model.json', nodes: null, parameters: 12 + 4 + 8 + 2 },
} satisfies Record<string, SampleModel>;

/** Files a user can open by mistake or that broke on the way; each must give the error view. */
export const BAD_MODELS = {
  /** The MLP cut in the middle of its weights. */
  truncated: 'broken/truncated.onnx',
  /** Text saved with the wrong extension. */
  text: 'broken/notes.onnx',
  /** An empty file. */
  empty: 'broken/empty.onnx',
};

/** Writes every sample (good and bad) into `dir`; returns absolute paths by key. */
export function writeSampleModels(dir: string): Record<keyof typeof GOOD_MODELS | keyof typeof BAD_MODELS, string> {
  mkdirSync(path.join(dir, 'broken'), { recursive: true });
  const put = (rel: string, bytes: Uint8Array | string) => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, bytes);
    return p;
  };
  const mlp = buildMlpModel();
  const out = {
    linear: put(GOOD_MODELS.linear.rel, buildLinearModel()),
    mlp: put(GOOD_MODELS.mlp.rel, mlp),
    convnet: put(GOOD_MODELS.convnet.rel, buildConvNetModel()),
    tfjsGraph: writeTfjsGraphModel(path.join(dir, 'tfjs-graph')),
    tfjsLayers: writeTfjsLayersModel(path.join(dir, 'tfjs-layers')),
    truncated: put(BAD_MODELS.truncated, mlp.subarray(0, Math.floor(mlp.length * 0.6))),
    text: put(BAD_MODELS.text, 'These are my notes, not a model.\nTODO: export the real one.\n'),
    empty: put(BAD_MODELS.empty, new Uint8Array(0)),
  };
  return out;
}
