// What `npm run demo` needs beyond starting an editor: the demo workspace (sample models written
// by the fixture builders, a transformer from ../shared/bench when present) and a headless smoke
// check that the editor page loads and a model opens. Bundled on the fly by scripts/demo.mjs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { launchChromium } from './chromium.js';
import { modelLensFrame, headerFact } from './editor.js';
import { benchGenerator } from './paths.js';
import { writeSampleModels } from './sample-models.js';
import { openWorkbench, quickOpen } from './workbench.js';

const README = `# Model Lens demo workspace

Open any model here; \`.onnx\` files open in Model Lens directly.

- \`linear.onnx\` — y = 2x + 1, two nodes: the smallest "function with constants".
- \`mlp.onnx\` — a 4 → 8 → 8 → 3 multilayer perceptron (Gemm + Relu).
- \`convnet.onnx\` — Conv → Relu → MaxPool → Flatten → Gemm → Softmax on an 8×8 image.
- \`transformer.onnx\` — a ~10k-node transformer (when ../shared/bench was available).
- \`tfjs-layers/model.json\`, \`tfjs-graph/model.json\` — TensorFlow.js models: they open as JSON;
  use the editor title button or "Model Lens: Open with Model Lens".
- \`broken/\` — files that are not valid models: each shows what is wrong and where.
`;

/** Writes the demo workspace into `dir` (replacing it); returns the list of files written. */
export function makeDemoWorkspace(dir: string): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = Object.values(writeSampleModels(dir));
  const gen = benchGenerator();
  if (gen) {
    const out = path.join(dir, 'transformer.onnx');
    execFileSync(process.execPath, [gen, 'transformer', '--layers', '333', '--hidden', '64', '--out', out], { stdio: 'ignore' });
    files.push(out);
  }
  writeFileSync(path.join(dir, 'README.md'), README);
  return files;
}

/** Opens the workbench at `url` headless, opens mlp.onnx with Quick Open, returns its Nodes fact. */
export async function smokeCheck(url: string): Promise<{ nodes: string; screenshot: string }> {
  const browser = await launchChromium();
  try {
    const page = await openWorkbench(browser, url);
    await quickOpen(page, 'mlp.onnx');
    const frame = await modelLensFrame(page, 'mlp.onnx', 120_000);
    const nodes = await headerFact(frame, 'Nodes');
    await frame.waitForSelector('#graph[data-state="painted"]', { timeout: 60_000 }).catch(() => undefined);
    const screenshot = path.join(path.dirname(new URL(url).searchParams.get('folder') ?? '/tmp'), 'demo-smoke.png');
    await page.screenshot({ path: screenshot });
    return { nodes, screenshot };
  } finally {
    await browser.close();
  }
}
