// `npm run bench:params-open`: the Parameters tab on big models, as the #13 targets read it — time
// from the tab's first appearance to its first rows showing numbers (target ≤ 200 ms), and to every
// row filled and the summary in (target on the 14k-tensor chain: ≤ 1 s). The real statistics
// handlers run in this process (as the extension host runs them) and the real view in headless
// Chromium (test/ui/params-page.ts). Prints numbers; never asserted.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { loadavg } from 'node:os';
import { repoRoot } from '../test/support/paths.js';
import { openParamsPage } from '../test/ui/params-page.js';
import { weightList } from '../src/core/weight-index.js';

const outDir = path.join(repoRoot, 'bench/out');
mkdirSync(outDir, { recursive: true });
const gen = path.resolve(repoRoot, '../shared/bench/gen-onnx.mjs');
const models: [string, string[]][] = [
  ['chain 20k nodes, 14,288 tensors, 200 MB', ['chain', '--nodes', '20000', '--mb', '200']],
  ['transformer 333 layers (10k nodes)', ['transformer', '--layers', '333', '--hidden', '64']],
];
if (!existsSync(gen)) { console.log('../shared/bench/gen-onnx.mjs is absent: nothing to time'); process.exit(0); }
const pp = await openParamsPage('dark');
try {
  for (const [label, args] of models) {
    const file = path.join(outDir, `params-${args[0]}-${args[2]}.onnx`);
    if (!existsSync(file)) execFileSync(process.execPath, [gen, ...args, '--out', file], { stdio: 'ignore' });
    for (const workers of [0, 2]) {
      await pp.page.evaluate(() => {
        const w = window as unknown as { __t: Record<string, number> };
        w.__t = {};
        const tick = () => {
          const now = performance.now();
          const root = document.getElementById('params');
          if (root && w.__t.tab === undefined) w.__t.tab = now;
          if (w.__t.tab !== undefined && w.__t.rows === undefined && [...document.querySelectorAll('.ttable-rows .ttable-row .c-min')].some((c) => /\d/.test(c.textContent ?? ''))) w.__t.rows = now;
          const table = document.querySelector('.ttable');
          if (table && w.__t.filled === undefined && table.getAttribute('data-filled') && table.getAttribute('data-filled') === table.getAttribute('data-rows')) w.__t.filled = now;
          if (root?.dataset.stats === 'ready' || root?.dataset.stats === 'error') { w.__t.done = now; return; }
          requestAnimationFrame(tick);
        };
        document.getElementById('params')?.remove();
        requestAnimationFrame(tick);
      });
      const { model } = await pp.open(file, { workers }, false);
      const tensors = weightList(model).length;
      await pp.page.waitForFunction(() => (window as unknown as { __t: Record<string, number> }).__t.done !== undefined, undefined, { timeout: 120000 });
      const t = await pp.page.evaluate(() => (window as unknown as { __t: Record<string, number> }).__t);
      const ms = (a?: number) => (a === undefined ? '—' : `${(a - t.tab).toFixed(0)} ms`);
      console.log(`${label}, ${workers} workers${tensors ? ` (${tensors} tensors)` : ''}: first rows with numbers ${ms(t.rows)} [target ≤ 200 ms: ${t.rows !== undefined && t.rows - t.tab <= 200 ? 'met' : 'missed'}] · every row filled ${ms(t.filled)} · summary in ${ms(t.done)} | load ${loadavg()[0].toFixed(1)}`);
    }
  }
} finally {
  await pp.close();
}
