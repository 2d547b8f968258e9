// Which Vulkan device the gpu surface runs ONNX Runtime's WebGPU provider (Dawn) on: a hardware
// driver when the machine has one, else SwiftShader, the software Vulkan driver Debian's Chromium
// ships. Chromium also ships its own Vulkan loader; when the system has none (no libvulkan1), the
// runtime process is pointed at Chromium's folder for it.
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

export interface GpuDevice {
  kind: 'hardware' | 'swiftshader';
  /** What the test table says it ran on. */
  label: string;
  /** Environment for the runtime process (the host copies process.env when it starts it). */
  env: Record<string, string>;
}

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'];
const SYSTEM_LOADERS = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1', '/usr/lib/libvulkan.so.1'];

/** Hardware ICDs installed on the system (lavapipe is software, and Dawn refuses it). */
function hardwareIcds(): string[] {
  return ICD_DIRS.filter(existsSync).flatMap((d) => readdirSync(d).map((f) => path.join(d, f)))
    .filter((f) => f.endsWith('.json') && !/lvp|lavapipe|swiftshader/i.test(path.basename(f)));
}

/** The device to use, or why there is none. `VK_ICD_FILENAMES` set by the user wins. */
export function gpuDevice(): GpuDevice | string {
  const systemLoader = SYSTEM_LOADERS.some(existsSync);
  if (process.env.VK_ICD_FILENAMES) {
    return { kind: /swiftshader/i.test(process.env.VK_ICD_FILENAMES) ? 'swiftshader' : 'hardware', label: `VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}`, env: {} };
  }
  const hw = hardwareIcds();
  if (hw.length && systemLoader) return { kind: 'hardware', label: `hardware Vulkan (${hw.map((f) => path.basename(f)).join(', ')})`, env: {} };
  if (!existsSync(SWIFTSHADER_ICD)) return `no Vulkan device: no hardware driver and no SwiftShader at ${SWIFTSHADER_ICD} (Debian package chromium)`;
  const env: Record<string, string> = { VK_ICD_FILENAMES: SWIFTSHADER_ICD };
  if (!systemLoader) env.LD_LIBRARY_PATH = [path.dirname(SWIFTSHADER_ICD), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { kind: 'swiftshader', label: `SwiftShader (software Vulkan from Chromium${systemLoader ? '' : ', with its Vulkan loader'})`, env };
}
