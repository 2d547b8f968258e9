// Entry of the extension-host test suite (bundled to dist/test/index.js). The editor loads it as
// `extensionTestsPath` and calls run(): resolving means all passed, throwing means some failed —
// the same contract @vscode/test-electron and code-server's smoke-test driver use.
// Results also go to the file named by MODEL_LENS_EXTHOST_REPORT (when set) so the Node-side test
// that launched the editor can print exactly what failed.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import { defineActivationTests } from './activation.js';
import { defineEditorTests } from './custom-editor.js';

interface CaseResult { title: string; state: 'passed' | 'failed' | 'pending'; error?: string; ms?: number }

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec' });
  // Bundled suites cannot be added as files: expose mocha's tdd globals, then let each suite register.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'exthost', mocha);
  defineActivationTests();
  defineEditorTests();

  const results: CaseResult[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }));
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
  });
  const report = process.env.MODEL_LENS_EXTHOST_REPORT;
  if (report) writeFileSync(report, JSON.stringify({ failures, results }, null, 2));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
