// Installing CUDA support runs onnxruntime-node's own installer; offline it must fail clearly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installCudaSupport, CUDA_INSTALL_EXPLANATION, RuntimeError } from '../../src/core/runtime/index.js';

test('installCudaSupport explains what it downloads and fails clearly without internet', async (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    await assert.rejects(installCudaSupport(), (e: unknown) => e instanceof RuntimeError && /only be installed on Linux x64/.test(e.message));
    return;
  }
  if (process.env.MODEL_LENS_ONLINE === '1') { t.skip('MODEL_LENS_ONLINE=1: this machine may reach api.nuget.org'); return; }
  const lines: string[] = [];
  const err = await installCudaSupport({ onOutput: (l) => lines.push(l), timeoutMs: 20_000 }).then(() => null, (e: unknown) => e);
  assert.equal(lines[0], CUDA_INSTALL_EXPLANATION);
  assert.match(lines[0], /Microsoft\.ML\.OnnxRuntime\.Gpu\.Linux/);
  assert.ok(err instanceof RuntimeError, `expected a RuntimeError, got ${String(err)}`);
  assert.ok(['failed', 'timeout'].includes(err.code));
  assert.match(err.message, /CUDA support/);
  assert.doesNotMatch(err.message, /\n/);
});
