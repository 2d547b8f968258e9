// The "auto" rule: a GPU provider that auto picked is kept only when its warm run is not slower than
// the CPU's on the same inputs. A software adapter (SwiftShader) or a small model on an integrated GPU
// can be 10–500× slower than the CPU; without this check auto would leave the user there.
import type { ExecutionProvider } from './backend.js';
import { providerLabel } from './profile.js';

/** What auto decided for one model and input shape, and why, in one line. */
export interface AutoDecision {
  provider: ExecutionProvider;
  /** The GPU provider auto tried first. */
  gpu: ExecutionProvider;
  gpuMs: number;
  cpuMs: number;
  /** The first GPU run (shader compilation, first run only), kept out of the latency. */
  gpuFirstMs: number;
  reason: string;
}

const GPU_NAMES: Partial<Record<ExecutionProvider, string>> = { webgpu: 'WebGPU', cuda: 'CUDA', dml: 'DirectML', coreml: 'CoreML' };

export function providerName(p: ExecutionProvider): string {
  return GPU_NAMES[p] ?? providerLabel(p).toUpperCase();
}

/** "17 ms", "1.7 s". */
export function duration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toPrecision(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toPrecision(2)} ms`;
}

/**
 * Keeps the GPU unless the CPU's warm run is faster. Ties go to the GPU: it frees the CPU.
 * `gpuFirstMs` is reported but not compared: compilation is paid once per session.
 */
export function decideAuto(gpu: ExecutionProvider, gpuMs: number, cpuMs: number, gpuFirstMs: number): AutoDecision {
  const name = providerName(gpu);
  const cpuWins = cpuMs < gpuMs;
  const reason = cpuWins
    ? `CPU chosen: ${duration(cpuMs)} against ${duration(gpuMs)} on ${name}${gpuMs > 20 * cpuMs ? ' (a software or very slow adapter?)' : ''}`
    : `${name} kept: ${duration(gpuMs)} against ${duration(cpuMs)} on the CPU`;
  return { provider: cpuWins ? 'cpu' : gpu, gpu, gpuMs, cpuMs, gpuFirstMs, reason };
}

/** The key auto's decision is remembered under: the input shapes. */
export function shapeKey(inputs: readonly { name: string; shape: readonly number[] }[]): string {
  return inputs.map((t) => `${t.name}:${t.shape.join('x')}`).join(',');
}

/** The node ORT names in a run error ("… while running Reshape node. Name:'reshape_1' …"), if any. */
export function nodeOfError(message: string): string | null {
  return /Name:\s*'([^']*)'/.exec(message)?.[1] || null;
}
