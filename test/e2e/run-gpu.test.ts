// e2e surface: a WebGPU run in a real VS Code (code-server with the packaged .vsix), the extension
// host given a Vulkan device (hardware, else Chromium's SwiftShader). MNIST with the provider set to
// webgpu: the panel says it ran on webgpu, shows the first (compiling) run apart, and the placement
// line from ONNX Runtime's profiler.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromiumMissingReason } from '../support/chromium.js';
import { ensureCodeServer, type CodeServerInstall } from '../support/code-server.js';
import { editorScreenshot, openModelInEditor, startEditor, type EditorSession } from '../support/editor.js';
import { gpuDevice } from '../support/gpu.js';
import { sharedDir, tempDir } from '../support/paths.js';
import { packageVsix } from '../support/vsix.js';

const mnistSource = path.join(sharedDir, 'models', 'onnx', 'ort-inference-examples', 'mnist.onnx');
const cs = chromiumMissingReason() ? chromiumMissingReason()! : ensureCodeServer();
const device = gpuDevice();
const skip = typeof cs === 'string' ? cs : typeof device === 'string' ? device : !existsSync(mnistSource) ? `${mnistSource} is absent (../shared/models)` : false;

let editor: EditorSession;

describe('WebGPU run in VS Code (code-server, e2e)', { skip }, () => {
  before(async () => {
    const folder = path.join(tempDir('e2e-gpu'), 'models');
    mkdirSync(folder, { recursive: true });
    copyFileSync(mnistSource, path.join(folder, 'mnist.onnx'));
    editor = await startEditor(cs as CodeServerInstall, {
      folder, vsix: packageVsix(), env: typeof device === 'string' ? {} : device.env,
      settings: { 'security.workspace.trust.enabled': false, 'modelLens.runtime.provider': 'webgpu' },
    });
  });
  after(async () => {
    await editor?.stop();
  });

  test('mnist.onnx on webgpu: the first run is shown apart and the placement line says where the nodes ran', async () => {
    const frame = await openModelInEditor(editor.page, 'mnist.onnx');
    await frame.click('vscode-tab-header[data-tab="run"]');
    await frame.waitForSelector('#run[data-trusted="true"] #run-infer:not([disabled])', { timeout: 30_000 });
    await frame.click('#run-infer');
    // The first run on WebGPU compiles its kernels (seconds on SwiftShader); the status says so meanwhile.
    await frame.waitForSelector('#run[data-state="running"] .run-compiling', { timeout: 60_000 });
    await frame.waitForSelector('#run[data-state="done"], #run[data-state="error"]', { timeout: 180_000 });
    assert.equal(await frame.getAttribute('#run', 'data-state'), 'done', await frame.textContent('#run .run-status') ?? '');
    assert.equal(await frame.getAttribute('#run', 'data-provider'), 'webgpu');
    assert.match(await frame.textContent('#run .run-first') ?? '', /^First run \S+ \S+: compiling GPU kernels/);
    assert.match(await frame.textContent('#run .run-placement') ?? '', /^Placement: WebGPU ran \d+ nodes?/);
    await editorScreenshot(editor.page, 'run-webgpu-placement-dark');
    // The profile's provider colouring: every MNIST node ran on WebGPU, so the graph's legend reads 0 to 1.
    await frame.click('#run-profile');
    await frame.waitForSelector('#run[data-state="done"] .run-profile table', { timeout: 180_000 });
    assert.match(await frame.textContent('#run .run-profile .run-verdict') ?? '', /^WebGPU ran/);
    await frame.click('#run .run-profile .run-colour-provider');
    await frame.click('vscode-tab-header[data-tab="graph"]');
    await frame.waitForSelector('#graph .graph-legend:not([hidden])', { timeout: 30_000 });
    assert.equal(await frame.textContent('#graph .graph-legend .legend-title'), 'Ran on: CPU (0) or GPU (1)');
    await editorScreenshot(editor.page, 'run-webgpu-provider-graph-dark');
  });
});
