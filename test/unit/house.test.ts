// The house's rules hold on the real tree: who may import whom, and no source file over 400 lines.
// Each rule is first shown to catch a planted violation, so a checker that sees nothing cannot pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { houseViolations, importsOf, type SourceFile } from '../support/house-rules.js';
import { repoRoot } from '../support/paths.js';

const MAX_LINES = 400;

/** [path, text] pairs as source files. */
const files = (list: [string, string][]): SourceFile[] => list.map(([p, text]) => ({ path: p, text }));

function sourceFiles(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(repoRoot, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mts)$/.test(e.name)) out.push({ path: p, text: readFileSync(path.join(repoRoot, p), 'utf8') });
    }
  };
  walk(dir);
  return out;
}

test('the checker catches each kind of broken rule (planted violations)', () => {
  const planted = files([
    ['webview/params/view.ts', "import { x } from '../../src/vscode/settings.js';\n"],
    ['webview/run/a.ts', "import {\n  createRunHandlers,\n} from '../../src/features/run/handlers.js';\n"],
    ['webview/run/b.ts', "import * as fs from 'node:fs';\n"],
    ['src/core/stats/a.ts', "import type { X } from '../../features/params/protocol.js';\n"],
    ['src/core/b.ts', "import { RpcError } from '../protocol.js';\n"],
    ['src/core/c.ts', "const m = await import('vscode');\n"],
    ['src/features/run/protocol.ts', "import { fillTensor } from '../../core/runtime/inputs.js';\n"],
    ['src/features/run/handlers.ts', "import * as vscode from 'vscode';\n"],
  ]);
  const found = houseViolations(planted);
  assert.equal(found.length, planted.length, found.join('\n'));
  for (const f of planted) assert.ok(found.some((p) => p.startsWith(`${f.path}:`)), `missed ${f.path}`);
  assert.match(found[1]!, /^webview\/run\/a\.ts:1: the webview imports host code src\/features\/run\/handlers\.ts/);
});

test('what the rules allow is not reported', () => {
  const fine = files([
    ['webview/params/view.ts', "import type { ValuesResult } from '../../src/features/params/protocol.js';\nimport { dtypeSize } from '../../src/core/ir/dtype.js';\n"],
    ['src/features/run/protocol.ts', "import type { Histogram } from '../../core/runtime/tensor-summary.js';\nimport { type A, type B } from '../../core/x.js';\nimport type { RuntimeProvider } from '../../protocol.js';\n"],
    ['src/core/a.ts', "// import { x } from '../vscode/settings.js';\nimport { readFile } from 'node:fs/promises';\n"],
  ]);
  assert.deepEqual(houseViolations(fine), []);
  assert.deepEqual(importsOf(fine[1]!).map((r) => r.typeOnly), [true, true, true]);
});

test('src/ and webview/ keep the house rules', () => {
  const files = [...sourceFiles('src'), ...sourceFiles('webview')];
  assert.ok(files.length > 100, `read only ${files.length} files`);
  assert.deepEqual(houseViolations(files), []);
});

test(`no file in src/ or webview/ is over ${MAX_LINES} lines`, () => {
  const long = [...sourceFiles('src'), ...sourceFiles('webview')]
    .map((f) => ({ path: f.path, lines: f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0) }))
    .filter((f) => f.lines > MAX_LINES)
    .map((f) => `${f.path}: ${f.lines} lines`);
  assert.deepEqual(long, []);
});
