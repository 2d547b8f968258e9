// Every model of the ONNX backend test data (../shared/models/onnx-backend-tests) run through the
// runtime process with its test_data_set inputs, compared to the reference outputs (rtol 1e-3,
// atol 1e-5). Counts pass / fail / unsupported-by-ORT. A mismatch is only tolerated for tests
// listed in KNOWN_ORT_MISMATCHES (onnxruntime's own results differ; our decoding is not involved).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { RuntimeHost, RuntimeError, allClose, readTensorProtoInput, type RuntimeTensor, type RuntimeValueInfo } from '../../src/core/runtime/index.js';
import { ModelError } from '../../src/core/ir/errors.js';
import { repoRoot, sharedDir } from '../support/paths.js';

const suiteRoot = path.join(sharedDir, 'models', 'onnx-backend-tests');
const SUITES = ['node', 'simple', 'pytorch-converted', 'pytorch-operator'];

/**
 * Tests where onnxruntime 1.30 (CPU) itself disagrees with the ONNX reference. Each was checked
 * by hand: the decoded inputs are right and ORT computes something else.
 * - DFT/STFT: ORT's float32 kernel leaves ~1e-4 where the float64 reference has exact zeros
 *   (cosine similarity 1.000000; only atol 1e-5 fails).
 * - The rest are listed as failing in onnxruntime's own onnx_backend_test_series_filters.jsonc:
 *   MaxUnpool with output_shape (result not unique), Resize with align_corners downsampling,
 *   training-mode Dropout (random masks cannot match fixed references).
 */
const KNOWN_ORT_MISMATCHES: RegExp[] = [
  /^node\/test_dft(_|$)/,
  /^node\/test_stft(_|$)/,
  /^node\/test_maxunpool_export_with_output_shape$/,
  /^node\/test_resize_downsample_scales_(cubic|linear)_align_corners$/,
  /^node\/test_training_dropout/,
];

interface Case { name: string; model: string; dataSets: string[] }

function listCases(): Case[] {
  const cases: Case[] = [];
  for (const suite of SUITES) {
    const dir = path.join(suiteRoot, suite);
    if (!existsSync(dir)) continue;
    for (const t of readdirSync(dir).sort()) {
      const model = path.join(dir, t, 'model.onnx');
      if (!existsSync(model)) continue;
      const dataSets = readdirSync(path.join(dir, t)).filter((d) => d.startsWith('test_data_set_')).sort().map((d) => path.join(dir, t, d));
      cases.push({ name: `${suite}/${t}`, model, dataSets });
    }
  }
  return cases;
}

function numbered(dir: string, prefix: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3))).map((f) => path.join(dir, f));
}

// Inputs by name when the TensorProto carries one that the model declares, else by position.
function assignInputs(infos: RuntimeValueInfo[], decoded: RuntimeTensor[]): RuntimeTensor[] {
  const names = new Set(infos.map((i) => i.name));
  const byName = decoded.every((d) => d.name && names.has(d.name));
  return decoded.map((d, k) => ({ ...d, name: byName ? d.name : infos[k]?.name ?? d.name }));
}

test('ONNX backend test data: ORT results through our runtime match the references', { timeout: 15 * 60_000 }, async (t) => {
  if (!existsSync(suiteRoot)) { t.skip(`${suiteRoot} is absent`); return; }
  const cases = listCases();
  const rt = await RuntimeHost.start({ processPath: path.join(repoRoot, 'dist', 'runtime-process.js') });
  const counts = { pass: 0, fail: 0, unsupportedByOrt: 0, ortRunError: 0, nonTensorData: 0, unfeedableDtype: 0, crashed: 0, knownOrtMismatch: 0 };
  const failures: string[] = [];
  const runErrors: string[] = [];
  const known: string[] = [];
  try {
    for (const c of cases) {
      let infos: RuntimeValueInfo[];
      let outInfos: RuntimeValueInfo[];
      try {
        ({ inputs: infos, outputs: outInfos } = await rt.load(c.model, { provider: 'cpu' }));
      } catch (e) {
        if (e instanceof ModelError && e.code === 'unsupported') { counts.unsupportedByOrt++; continue; }
        if (e instanceof RuntimeError && e.code === 'crashed') { counts.crashed++; runErrors.push(`${c.name}: ${e.message}`); continue; }
        throw e;
      }
      // Sequence / optional / map values are not TensorProtos: out of the runtime's scope.
      if ([...infos, ...outInfos].some((i) => !i.isTensor)) { counts.nonTensorData += c.dataSets.length; continue; }
      for (const ds of c.dataSets) {
        const label = `${c.name}/${path.basename(ds)}`;
        let inputs: RuntimeTensor[], expected: RuntimeTensor[];
        try {
          inputs = assignInputs(infos, await Promise.all(numbered(ds, 'input_').map(readTensorProtoInput)));
          expected = await Promise.all(numbered(ds, 'output_').map(readTensorProtoInput));
        } catch (e) {
          // float8 / 4-bit / 2-bit / complex data has no typed array the runtime can feed.
          if (e instanceof ModelError && e.code === 'unsupported') { counts.unfeedableDtype++; continue; }
          throw new Error(`${label}: cannot decode the test data: ${(e as Error).message}`);
        }
        let outputs: RuntimeTensor[];
        try {
          outputs = (await rt.run(inputs, { timeoutMs: 120_000 })).outputs;
        } catch (e) {
          if (e instanceof RuntimeError && e.code === 'crashed') counts.crashed++;
          else counts.ortRunError++;
          runErrors.push(`${label}: ${(e as Error).message.split('\n')[0]}`);
          continue;
        }
        const bad = expected.map((ref, k) => ({ ref, got: outputs[k] }))
          .filter(({ ref, got }) => !got || !allClose(got, ref, 1e-3, 1e-5))
          .map(({ ref, got }) => `${ref.name || '?'}: ${got ? `got ${got.dtype}[${got.shape}]` : 'missing'} vs ${ref.dtype}[${ref.shape}]`);
        if (!bad.length) counts.pass++;
        else if (KNOWN_ORT_MISMATCHES.some((re) => re.test(c.name))) { counts.knownOrtMismatch++; known.push(label); }
        else { counts.fail++; failures.push(`${label}: ${bad.join('; ')}`); }
      }
    }
    // light/: classic CNNs without input data; the reference only fixes the output shape.
    const light = path.join(suiteRoot, 'light');
    let lightRan = 0;
    if (existsSync(light)) {
      for (const f of readdirSync(light).filter((n) => n.endsWith('.onnx')).sort()) {
        const loaded = await rt.load(path.join(light, f), { provider: 'cpu' });
        const inputs = loaded.inputs.map((i) => ({ name: i.name, dtype: 'float32' as const, shape: i.shape as number[], data: new Float32Array((i.shape as number[]).reduce((a, b) => a * b, 1)) }));
        const out = (await rt.run(inputs, { timeoutMs: 120_000 })).outputs[0];
        const ref = await readTensorProtoInput(path.join(light, f.replace('.onnx', '_output_0.pb')));
        assert.deepEqual(out.shape, ref.shape, `${f}: output shape`);
        lightRan++;
      }
    }
    t.diagnostic(`onnx-backend-tests: ${cases.length} models + ${lightRan} light models; data sets pass ${counts.pass}, fail ${counts.fail}, known ORT mismatches ${counts.knownOrtMismatch}; models unsupported by ORT ${counts.unsupportedByOrt}; ORT run errors ${counts.ortRunError}, crashes ${counts.crashed}; non-tensor data skipped ${counts.nonTensorData}, unfeedable dtypes ${counts.unfeedableDtype}`);
    if (failures.length || process.env.MODEL_LENS_VERBOSE) console.log(JSON.stringify({ counts, lightRan, failures, known, runErrors }, null, 1));
  } finally {
    await rt.dispose();
  }
  assert.deepEqual(failures, [], `${failures.length} mismatches not explained by onnxruntime`);
});
