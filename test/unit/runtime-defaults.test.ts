// Default inputs: every open dim and every fill has a default with a reason, and the shared real
// models that run with explicit dims run with the defaults too (skipped without ../shared/models).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openModel } from '../../src/core/formats/index.js';
import { OnnxBackend } from '../../src/core/runtime/onnx-backend.js';
import { inputDefaults } from '../../src/core/runtime/input-defaults.js';
import { defaultDims } from '../../src/core/runtime/default-dims.js';
import { readModelConfig } from '../../src/core/runtime/model-config.js';
import { describeOrtNodeFailure, describeOrtRejection } from '../../src/core/runtime/ort-errors.js';
import { buildGeneratedInputs, fillTensor, resolveShape, type RuntimeValueInfo } from '../../src/core/runtime/index.js';
import { ModelError } from '../../src/core/ir/errors.js';
import { tempDir } from '../support/paths.js';

const info = (name: string, dtype: RuntimeValueInfo['dtype'], shape: RuntimeValueInfo['shape']): RuntimeValueInfo => ({ name, dtype, shape, isTensor: true });
const noConfig = { dims: {}, warnings: [] };
const dir = tempDir('runtime-defaults');
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('dim rules: image sides 224 or square, names, shared names, unnamed dims like another input, each with a reason', () => {
  const d = defaultDims([
    info('pixels', 'float32', [null, 3, null, null]), info('half', 'float32', ['batch', 3, 'height', 32]),
    info('ids', 'int64', ['batch', 'sequence_length']), info('mask', 'int64', ['batch', 'total_sequence_length']),
    info('past', 'float32', ['batch', 2, 'past_sequence_length', 8]), info('a', 'float32', [null, 13]), info('b', 'float32', [4, 13]),
  ], noConfig);
  const v = (n: string) => d.get(n)!.map((x) => x.value);
  assert.deepEqual(v('pixels'), [1, 224, 224]);
  assert.match(d.get('pixels')![1].reason, /image input \[\?, 3, \?, \?\]: 224/);
  assert.deepEqual(v('half'), [1, 32]);
  assert.match(d.get('half')![1].reason, /square, like its other side \(32\)/);
  assert.deepEqual(v('ids'), [1, 16]);
  assert.match(d.get('ids')![0].reason, /batch size: one example \(shared with/);
  assert.deepEqual(v('mask'), [1, 16]);
  assert.deepEqual(v('past'), [1, 0]);
  assert.match(d.get('past')![1].reason, /cache length: empty/);
  assert.deepEqual(v('a'), [4]);
  assert.match(d.get('a')![0].reason, /same as axis 0 of input 'b'/);
});

test('fills: token ids stay below the Gather table rows, the sample rate is a constant to check, user dims win', async () => {
  const silero = path.join(sharedModels, 'onnx/silero-vad-github/silero_vad_16k_op15.onnx');
  const m = existsSync(silero) ? await openModel(silero) : null;
  if (m) {
    const d = inputDefaults(m, undefined, { batch: 2 });
    const sr = d.inputs.find((i) => i.name === 'sr')!;
    assert.deepEqual([sr.fill.kind, sr.fill.value, sr.fill.check], ['constant', 16000, true]);
    assert.match(sr.fill.reason, /sample rate.*check/);
    const input = d.inputs.find((i) => i.name === 'input')!;
    assert.deepEqual(input.shape, [2, 512]);
    assert.deepEqual(input.dims.map((x) => x.reason)[0], 'set by you');
    assert.match(input.dims[1].reason, /audio samples: 512/);
    await m.close();
  }
  const half = path.join(sharedModels, 'onnx/silero-vad-github/silero_vad_half.onnx');
  if (existsSync(half)) {
    const h = await openModel(half);
    const input = inputDefaults(h).inputs.find((i) => i.name === 'input')!;
    await h.close();
    assert.deepEqual(input.shape, [1, 512]);
    assert.match(input.dims[1].reason, /audio samples: 512 .*spectrogram \(node '\/stft\//);
  }
  const gpt2 = path.join(sharedModels, 'onnx/onnxruntime-genai-tests/models/hf-internal-testing/tiny-random-gpt2-fp32/past.onnx');
  if (existsSync(gpt2)) {
    const g = await openModel(gpt2);
    const ids = inputDefaults(g).inputs.find((i) => i.name === 'input_ids')!;
    assert.equal(ids.fill.kind, 'uniform');
    assert.match(ids.fill.reason, /random ids in \[0, \d+\): the rows of table/);
    const t = fillTensor('input_ids', 'int32', ids.shape!, ids.fill);
    assert.ok(Math.max(...(t.data as Int32Array)) < ids.fill.high!);
    await g.close();
  }
});

test('config: metadata and a sibling preprocessor_config.json size dims; a broken config is a warning, nothing outside the folder is read', () => {
  const folder = path.join(dir, 'cfg');
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'preprocessor_config.json'), JSON.stringify({ size: { height: 384, width: 320 }, sampling_rate: 8000 }));
  writeFileSync(path.join(folder, 'config.json'), '{ not json');
  const cfg = readModelConfig({ path: path.join(folder, 'model.onnx'), metadata: { sequence_length: '32', note: 'x' } });
  assert.deepEqual([cfg.imageHeight?.value, cfg.imageWidth?.value, cfg.sampleRate?.value, cfg.dims.sequence_length?.value], [384, 320, 8000, 32]);
  assert.equal(cfg.warnings.length, 1);
  assert.match(cfg.warnings[0], /^config\.json/);
  const d = defaultDims([info('x', 'float32', ['N', 3, null, null]), info('ids', 'int64', ['N', 'sequence_length'])], cfg);
  assert.deepEqual(d.get('x')!.map((x) => x.value), [1, 384, 320]);
  assert.match(d.get('x')![1].reason, /preprocessor_config\.json: size\.height/);
  assert.match(d.get('ids')![1].reason, /model metadata: sequence_length/);
});

test('ORT shape refusals name the input and the dim in words', () => {
  const r = describeOrtRejection('Got invalid dimensions for input: pixels for the following indices\n index: 2 Got: 224 Expected: 32\n Please fix', [info('pixels', 'float32', ['N', 3, null, null])]);
  assert.deepEqual(r, { input: 'pixels', message: "input 'pixels' dim 2 (height) must be 32, got 224" });
  assert.equal(describeOrtRejection('Invalid rank for input: x Got: 3 Expected: 4 Please fix', [])?.message, "input 'x' must have 4 dims (rank 4), got 3");
  assert.equal(describeOrtRejection('something else', []), null);
});

const sharedModels = path.resolve('..', 'shared', 'models');
const onnxDir = path.join(sharedModels, 'onnx');
// Real models with open dims or integer inputs, and the explicit dims each runs with.
const REAL: [string, Record<string, number>][] = [
  ['silero-vad-github/silero_vad_16k_op15.onnx', { batch: 1, sequence: 512 }],
  ['silero-vad-github/silero_vad_op18_ifless.onnx', { batch: 1, sequence: 512 }],
  // No sample-rate input here: its '/stft/…' nodes say it takes audio (16 samples, a short
  // sequence, are below its STFT padding of 64).
  ['silero-vad-github/silero_vad_half.onnx', { batch: 1, sequence: 512 }],
  ['magika/standard_v3_3/model.onnx', { unk__214: 1 }],
  ['magika/fast_v2_1/model.onnx', { unk__132: 1 }],
  ['onnxconverter-common-tests/image_classifier32.onnx', { batch_size: 1 }],
  ['onnxconverter-common-tests/test_model_0_no_opt.onnx', { N: 1 }],
  ['tract-test-cases/keras-tract-tf2_example.onnx', { unk__6: 1 }],
  ['tract-test-cases/lgbm_regressor_tensor/model.onnx', { batch: 2 }],
  ['tract-test-cases/linear_regressor/model.onnx', { 'input:0': 2 }],
  ['tract-test-cases/xgboost_classifier_tree/model.onnx', { 'input:0': 2 }],
  ['tract-test-cases/byte_sb_bidi_lstm/model.onnx', { batch: 1, length: 8 }],
  ['ort-extensions-tests/bert_qa_decoder_base.onnx', { batch_size: 1, seq: 8 }],
  ['onnxruntime-genai-tests/test_models@f00eed5/tiny-random-LlamaForCausalLM-fp32/model.onnx', { batch_size: 1, sequence_length: 4, total_sequence_length: 4, past_sequence_length: 0 }],
  ['onnxruntime-genai-tests/models/hf-internal-testing/tiny-random-gpt2-fp32/past.onnx', { batch_size: 1, seq_len: 4, total_seq_len: 4, past_seq_len: 0 }],
  ['onnxruntime-genai-tests/models/engine/dummy-decoder/decoder.onnx', { batch_size: 1, sequence_length: 4, total_sequence_length: 4, past_sequence_length: 0 }],
  ['onnxruntime-genai-tests/models/hf-internal-testing/tiny-random-lfm2-fp32/decoder.onnx', { batch_size: 1, sequence_length: 4, total_sequence_length: 4, past_sequence_length: 0 }],
  ['onnxruntime-genai-tests/models/qwen3-vl/dummy_embedding.onnx', { batch_size: 1, sequence_length: 4, num_logical_patches: 1 }],
  ['onnxruntime-genai-tests/models/whisper/dummy_decoder.onnx', { batch_size: 1, sequence_length: 4, past_sequence_length: 0 }],
  ['ort-inference-examples/mnist.onnx', {}],
  ['ort-inference-examples/Ultraface_version-RFB-320.onnx', {}],
];

test('shared real models: each one that runs with explicit dims also runs with the defaults', { skip: !existsSync(onnxDir) && 'no ../shared/models' }, async (t) => {
  let explicitOk = 0, defaultOk = 0;
  const failures: string[] = [];
  for (const [rel, dims] of REAL) {
    const file = path.join(onnxDir, rel);
    if (!existsSync(file)) continue;
    const backend = new OnnxBackend();
    try {
      const load = await backend.load(file, { provider: 'cpu' });
      try {
        await backend.run(buildGeneratedInputs(load.inputs, { kind: 'random', seed: 1 }, dims, file));
      } catch {
        continue; // not runnable even with explicit dims: not this rule's to pass
      }
      explicitOk++;
      const model = await openModel(file);
      const d = inputDefaults(model, load.inputs);
      await model.close();
      for (const i of d.inputs) for (const dim of i.dims) assert.ok(dim.reason.length > 10, `${rel}: ${i.name} axis ${dim.axis} has a reason`);
      const feeds = load.inputs.map((info, k) => fillTensor(info.name, info.dtype!, resolveShape(info, d.dims, file), d.inputs[k].fill));
      try {
        const r = await backend.run(feeds);
        assert.ok(r.outputs.length > 0);
        defaultOk++;
      } catch (e) {
        failures.push(`${rel}: ${(e as Error).message}`);
      }
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
    } finally {
      await backend.dispose();
    }
  }
  t.diagnostic(`${explicitOk} ran with explicit dims, ${defaultOk} with the defaults`);
  assert.deepEqual(failures, []);
  assert.ok(explicitOk >= 15, `only ${explicitOk} models ran`);
});

test('a node ORT fails in is named, with what it said and its input shape as the user reads shapes', async () => {
  const raw = "Non-zero status code returned while running Pad node. Name:'/stft/padding/Pad' Status Message: Pad reflect: post-pad (64) exceeds maximum allowed (15) for axis 1. Input shape:{1,16}";
  assert.deepEqual(describeOrtNodeFailure(raw), { node: '/stft/padding/Pad', op: 'Pad', message: 'Pad failed: Pad reflect: post-pad (64) exceeds maximum allowed (15) for axis 1 (its input: [1, 16])' });
  assert.equal(describeOrtNodeFailure('something else'), null);
  // The real case: Silero VAD half on 16 samples (its STFT pads 64 on each side).
  const half = path.join(sharedModels, 'onnx/silero-vad-github/silero_vad_half.onnx');
  if (!existsSync(half)) return;
  const backend = new OnnxBackend();
  const load = await backend.load(half, { provider: 'cpu' });
  await assert.rejects(backend.run(buildGeneratedInputs(load.inputs, { kind: 'random', seed: 1 }, { batch: 1, sequence: 16 }, half)),
    (e: unknown) => e instanceof ModelError && e.place.field === "node '/stft/padding/Pad'" && /Pad failed: .*post-pad \(64\).*\(its input: \[1, 16\]\); the input sizes may be too small/.test(e.message));
});
