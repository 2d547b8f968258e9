// Headless Chromium for the ui and e2e surfaces: Debian's /usr/bin/chromium driven by playwright-core
// (which never downloads a browser of its own). Flags from ../shared/notes/offline-setup.md: without
// the network flags Chromium keeps trying hosts this machine cannot reach.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Path of the Chromium binary (env CHROMIUM_PATH wins), or null when none is installed. */
export function chromiumPath(): string | null {
  const env = process.env.CHROMIUM_PATH;
  if (env && existsSync(env)) return env;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/**
 * Why the browser surfaces cannot run here, or null when they can. Under CI it is always null:
 * .ci/run installs Chromium, so a missing one must fail the run, not skip it.
 */
export function chromiumMissingReason(): string | null {
  if (chromiumPath() || process.env.CI) return null;
  return 'no Chromium at /usr/bin/chromium (apt-get install -y chromium, or set CHROMIUM_PATH)';
}

/**
 * With a GPU: WebGL 2 (and WebGPU on secure origins) through ANGLE on Vulkan, which is SwiftShader,
 * the software driver Chromium ships, when the machine has no GPU. What the TF.js run tests need.
 */
export const CHROMIUM_GPU_ARGS = [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

/** Headless Linux Chromium keeps WebGPU behind this flag; with it, `navigator.gpu` has a SwiftShader adapter. */
export const CHROMIUM_WEBGPU_ARGS = [...CHROMIUM_GPU_ARGS, '--enable-unsafe-webgpu'];

/** Launches headless Chromium with the offline-safe flags; `gpu` gives pages WebGL on SwiftShader, `webgpu` WebGPU too. */
export async function launchChromium(opts: { gpu?: boolean; webgpu?: boolean } = {}): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(chromiumMissingReason()!);
  return chromium.launch({ executablePath, headless: true, args: opts.webgpu ? CHROMIUM_WEBGPU_ARGS : opts.gpu ? CHROMIUM_GPU_ARGS : CHROMIUM_ARGS });
}
