// Runs the extension-host mocha suite in desktop VS Code (Electron) with @vscode/test-electron,
// when a VS Code binary is given in VSCODE_EXECUTABLE (test-electron's own download needs internet,
// which these machines lack). Covers what code-server cannot: the Electron extension host.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot, tempDir } from '../support/paths.js';
import { writeSampleModels } from '../support/sample-models.js';

const executable = process.env.VSCODE_EXECUTABLE;
const skip = !executable
  ? 'VSCODE_EXECUTABLE is not set: point it at a desktop VS Code binary to run the extension-host suite in Electron (code-server covers it otherwise)'
  : !existsSync(executable) ? `VSCODE_EXECUTABLE=${executable} does not exist` : false;

test('extension-host suite in desktop VS Code (@vscode/test-electron)', { skip, timeout: 600_000 }, async (t) => {
  const { runTests } = await import('@vscode/test-electron');
  const folder = tempDir('electron-ws');
  writeSampleModels(folder);
  const report = path.join(tempDir('electron-report'), 'report.json');
  const profile = tempDir('electron-profile');
  const code = await runTests({
    vscodeExecutablePath: executable!,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'dist', 'test', 'index.js'),
    extensionTestsEnv: { MODEL_LENS_EXTHOST_REPORT: report },
    launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--user-data-dir', path.join(profile, 'user'), '--extensions-dir', path.join(profile, 'ext')],
  }).catch((e: unknown) => { throw new Error(`VS Code exited with a failure: ${String(e)}`); });
  const r = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) as { results: { title: string; state: string; error?: string }[] } : null;
  assert.ok(r, 'the suite wrote its report');
  for (const c of r.results) t.diagnostic(`${c.state.padEnd(7)} ${c.title}${c.error ? `\n${c.error}` : ''}`);
  assert.deepEqual(r.results.filter((c) => c.state === 'failed').map((c) => c.title), []);
  assert.equal(code, 0);
});
