import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { ExecutionProvider, ProviderChoice } from './backend.js';

/**
 * Providers to try, in order, for a choice on a platform. 'auto' is GPU first: CUDA (Linux),
 * DirectML (Windows), CoreML (macOS), then WebGPU, then CPU. A named provider is tried alone.
 */
export function providerOrder(choice: ProviderChoice, platform: NodeJS.Platform = process.platform): ExecutionProvider[] {
  if (choice !== 'auto') return [choice];
  const gpu: ExecutionProvider[] = platform === 'linux' ? ['cuda'] : platform === 'win32' ? ['dml'] : platform === 'darwin' ? ['coreml'] : [];
  return [...gpu, 'webgpu', 'cpu'];
}

/** The folder holding onnxruntime-node's native files for this platform, or null if not found. */
export function ortBinaryFolder(): string | null {
  try {
    const pkg = require.resolve('onnxruntime-node/package.json');
    return path.join(path.dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null;
  }
}

/**
 * Why a provider cannot be used without trying it, or null if it is worth trying. Only CUDA is
 * checked up front: its libraries are a separate download, and the error ORT gives is generic.
 */
export function providerPrecheck(provider: ExecutionProvider): string | null {
  if (provider === 'cuda') {
    if (process.platform !== 'linux' && process.platform !== 'win32') return 'CUDA is only available on Linux and Windows';
    const bin = ortBinaryFolder();
    const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    if (bin && !existsSync(path.join(bin, lib))) return `CUDA provider libraries are not installed (${lib} missing; run "Model Lens: Install CUDA support")`;
  }
  if (provider === 'dml' && process.platform !== 'win32') return 'DirectML is only available on Windows';
  if (provider === 'coreml' && process.platform !== 'darwin') return 'CoreML is only available on macOS';
  return null;
}

/** Shortens onnxruntime's multi-line, source-path-laden messages to the sentence that says why. */
export function conciseProviderError(message: string): string {
  let m = message.split('\n').map((l) => l.trim()).filter(Boolean)[0] ?? message;
  // "/onnxruntime_src/…/file.cc:136 fn() cond was false. Failed to get a WebGPU adapter: …"
  const wasFalse = m.lastIndexOf(' was false. ');
  if (wasFalse >= 0) m = m.slice(wasFalse + ' was false. '.length);
  m = m.replace(/^\/?\S+\.(cc|cpp|h):\d+\s+/, '');
  m = m.replace(/^OrtSessionOptionsAppendExecutionProvider_\w+:\s*/, '');
  m = m.replace(/^\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*\w+\s*:\s*/, '');
  return m.length > 300 ? `${m.slice(0, 297)}...` : m;
}
