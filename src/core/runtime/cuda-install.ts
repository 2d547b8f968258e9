// "Install CUDA support": onnxruntime-node does not bundle its CUDA provider (too big for npm).
// Its own install script downloads it; we run that script on request, never silently.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { RuntimeError } from './errors.js';
import { ortBinaryFolder } from './providers.js';

/** What the CUDA install does, in words, for the command's confirmation and log. */
export const CUDA_INSTALL_EXPLANATION =
  'Downloads the NuGet package Microsoft.ML.OnnxRuntime.Gpu.Linux (same version as onnxruntime-node, several hundred MB) ' +
  'from api.nuget.org and extracts libonnxruntime_providers_cuda.so, libonnxruntime_providers_shared.so and ' +
  'libonnxruntime_providers_tensorrt.so into onnxruntime-node\'s bin folder. It does not install CUDA itself: ' +
  'the NVIDIA driver, CUDA 12 and cuDNN 9 runtime libraries must already be on the machine. Linux x64 only.';

export interface CudaInstallOptions {
  /** Receives the install script's output, line by line. */
  onOutput?: (line: string) => void;
  /** Stops the download after this long (default 30 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Node executable that runs the script (default: this process's). */
  execPath?: string;
}

/** Runs onnxruntime-node's `script/install` with ONNXRUNTIME_NODE_INSTALL=cuda12; rejects with a clear message on failure. */
export async function installCudaSupport(options: CudaInstallOptions = {}): Promise<void> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new RuntimeError('provider', `CUDA support for onnxruntime-node can only be installed on Linux x64 (this is ${process.platform}-${process.arch})`);
  }
  const bin = ortBinaryFolder();
  const script = bin ? path.resolve(bin, '..', '..', '..', '..', 'script', 'install.js') : null;
  if (!script || !existsSync(script)) throw new RuntimeError('failed', 'onnxruntime-node\'s install script was not found; is onnxruntime-node installed?');
  const say = options.onOutput ?? (() => undefined);
  say(CUDA_INSTALL_EXPLANATION);
  const output: string[] = [];
  const code = await new Promise<number | string>((resolve, reject) => {
    const child = spawn(options.execPath ?? process.execPath, [script], {
      cwd: path.dirname(path.dirname(script)),
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12', ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) { output.push(line); say(line); }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve('timeout'); }, options.timeoutMs ?? 30 * 60_000);
    const onAbort = () => { child.kill('SIGKILL'); resolve('cancelled'); };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => { clearTimeout(timer); reject(new RuntimeError('failed', `cannot run the install script: ${e.message}`)); });
    child.on('exit', (c) => { clearTimeout(timer); options.signal?.removeEventListener('abort', onAbort); resolve(c ?? 1); });
  });
  if (code === 0) {
    if (bin && !existsSync(path.join(bin, 'libonnxruntime_providers_cuda.so'))) throw new RuntimeError('failed', 'CUDA support install: the script finished but libonnxruntime_providers_cuda.so is still missing');
    return;
  }
  const text = output.join('\n');
  if (code === 'cancelled') throw new RuntimeError('cancelled', 'CUDA support install was cancelled');
  if (code === 'timeout') throw new RuntimeError('timeout', 'CUDA support install timed out (no answer from api.nuget.org?)');
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up/i.test(text)) {
    throw new RuntimeError('failed', 'CUDA support could not be downloaded: api.nuget.org is not reachable from this machine (offline or blocked by a proxy; set GLOBAL_AGENT_HTTPS_PROXY for a proxy)');
  }
  const last = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at ')).pop() ?? `exit code ${code}`;
  throw new RuntimeError('failed', `CUDA support install failed: ${last}`);
}
