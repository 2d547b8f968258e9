// The real pair: tiny GPT-2 exported in float32 and in float16 (../shared/models; skipped when absent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { compareFiles } from '../../src/core/compare/index.js';
import { repoRoot, sharedDir } from '../support/paths.js';

const dir = path.join(sharedDir, 'models/onnx/onnxruntime-genai-tests/models/hf-internal-testing');
const fp32 = path.join(dir, 'tiny-random-gpt2-fp32/past.onnx');
const fp16 = path.join(dir, 'tiny-random-gpt2-fp16-cuda/past.onnx');
const skip = existsSync(fp32) && existsSync(fp16) ? false : 'the tiny GPT-2 pair is not in ../shared/models';

test('GPT-2 float32 → float16: every weight paired, within float16 rounding, the input Casts removed', { skip }, async () => {
  const r = await compareFiles(fp32, fp16);
  assert.equal(r.a.error ?? r.b.error, undefined);
  assert.equal(r.matched, 37);
  assert.deepEqual(r.added, []);
  assert.deepEqual(r.removed, ['Cast#0', 'Cast#1']);
  assert.deepEqual(r.weightSummary.dtypeChanges, { 'float32 → float16': 27 });
  assert.deepEqual(r.weightSummary.beyondRounding, []);
  assert.ok(r.weightSummary.maxRel > 1e-4 && r.weightSummary.maxRel <= 2 ** -11, String(r.weightSummary.maxRel));
  assert.match(r.weightSummary.words, /^27 tensors float32 → float16, max relative error 4\.\de-4$/);
  // Tensors whose values float16 holds exactly (LayerNorm ones and zeros) are not listed as changed.
  assert.equal(r.weightSummary.compared, 27);
  assert.equal(r.changedWeights.length, r.weightSummary.changed);
  assert.ok(r.changedWeights.length >= 20, String(r.changedWeights.length));
  assert.ok(r.changedWeights.every((w) => w.cosine > 0.99999 && w.sqnrDb > 60));
});

test('GPT-2 float32 → float16 --run: logits agree on every top-1 token, nothing beyond float16 rounding', { skip }, async () => {
  const cwd = process.cwd();
  process.chdir(repoRoot); // the runtime process is found in dist/
  try {
    const r = await compareFiles(fp32, fp16, { run: { fill: 'range', dims: { batch_size: 1, seq_len: 4, total_seq_len: 4, past_seq_len: 0 } } });
    assert.equal(r.runError, undefined, r.runError?.message);
    const logits = r.outputs?.find((o) => o.name === 'logits');
    assert.ok(logits && logits.cosine > 0.9999 && logits.maxAbs > 0, JSON.stringify(logits));
    assert.equal(logits.top1Agreement, 1);
    assert.equal(r.outputs?.find((o) => o.name === 'present_0')?.top1Agreement, undefined);
    assert.ok((r.activationsCompared ?? 0) > 20, String(r.activationsCompared));
    assert.equal(r.firstDivergence, null);
  } finally {
    process.chdir(cwd);
  }
});
