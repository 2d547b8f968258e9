// Runs the extension-host mocha suite (test/exthost → dist/test/index.js) inside a real VS Code:
// code-server with its smoke-test driver, which honours extensionDevelopmentPath and
// extensionTestsPath from the URL payload and reports the suite's outcome through
// window.codeAutomationExit (facts: ../shared/notes/offline-setup.md).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { chromiumMissingReason, launchChromium } from '../support/chromium.js';
import { ensureCodeServer, makeProfile, startCodeServer, type CodeServerInstall } from '../support/code-server.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { writeSampleModels } from '../support/sample-models.js';

const cs = chromiumMissingReason() ? chromiumMissingReason()! : ensureCodeServer();

interface Report { failures: number; results: { title: string; state: string; error?: string }[] }

describe('extension-host suite in code-server', { skip: typeof cs === 'string' ? cs : false }, () => {
  test('mocha inside the editor passes', { timeout: 600_000 }, async (t) => {
    for (const f of ['dist/extension.js', 'dist/test/index.js', 'dist/webview.js']) {
      assert.ok(existsSync(path.join(repoRoot, f)), `${f} is built (node esbuild.mjs)`);
    }
    const folder = tempDir('exthost-ws');
    writeSampleModels(folder);
    const report = path.join(tempDir('exthost-report'), 'report.json');
    const profile = makeProfile();
    const server = await startCodeServer(cs as CodeServerInstall, {
      profile, smokeTestDriver: true, env: { MODEL_LENS_EXTHOST_REPORT: report },
    });
    const browser = await launchChromium();
    const logs: string[] = [];
    try {
      const page = await browser.newPage();
      page.setDefaultNavigationTimeout(180_000);
      const exit = new Promise<number>((resolve) => {
        void page.exposeFunction('codeAutomationExit', (code: number) => { resolve(code); });
      });
      await page.exposeFunction('codeAutomationLog', (...args: unknown[]) => { logs.push(args.map(String).join(' ')); });
      page.on('console', (m) => { if (/mocha|passing|failing|✔|✓|\d+\) /.test(m.text())) logs.push(m.text()); });
      const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
      const payload = JSON.stringify([
        ['extensionDevelopmentPath', remote(repoRoot)],
        ['extensionTestsPath', remote(path.join(repoRoot, 'dist', 'test', 'index.js'))],
        ['skipWelcome', 'true'],
      ]);
      await page.goto(server.folderUrl(folder, { payload }), { waitUntil: 'domcontentloaded' });
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exit,
        new Promise<number>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the suite did not finish in 8 minutes\n${logs.join('\n')}\n${server.log().slice(-3000)}`)), 480_000);
        }),
      ]).finally(() => clearTimeout(timer));
      const r: Report | null = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : null;
      assert.ok(r, `the suite wrote no report (exit ${code}); editor log:\n${server.log().slice(-4000)}\n${logs.join('\n')}`);
      for (const c of r.results) t.diagnostic(`${c.state.padEnd(7)} ${c.title}${c.error ? `\n${c.error}` : ''}`);
      const failed = r.results.filter((c) => c.state === 'failed');
      assert.deepEqual(failed.map((c) => `${c.title}: ${c.error}`), [], 'extension-host tests failed');
      assert.equal(code, 0, 'run() resolved');
      assert.ok(r.results.filter((c) => c.state === 'passed').length >= 5, 'the suites ran');
      const pending = r.results.filter((c) => c.state === 'pending');
      if (pending.length) t.diagnostic(`${pending.length} skipped inside the editor: the extension exports no __test hook from activate()`);
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
