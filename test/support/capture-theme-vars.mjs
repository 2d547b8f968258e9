// Regenerates test/support/vscode-theme-vars.json: the CSS variables, body classes and default
// styles a real VS Code (code-server) gives a webview in the Light/Dark/High Contrast themes.
// The ui surface's page uses them so the webview is tested against the editor's real theme values.
//   node test/support/capture-theme-vars.mjs     (needs code-server: scripts/setup-code-server.sh)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const cs = execFileSync('bash', [path.join(repo, 'scripts/setup-code-server.sh')], { encoding: 'utf8' }).trim().split('\n').pop();
const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern', 'high-contrast': 'Default High Contrast', 'high-contrast-light': 'Default High Contrast Light' };
const out = { source: '', themes: {} };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
for (const [kind, theme] of Object.entries(THEMES)) {
  const root = mkdtempSync(path.join(tmpdir(), 'theme-cap-'));
  const ws = path.join(root, 'ws');
  mkdirSync(path.join(root, 'ud', 'User'), { recursive: true });
  mkdirSync(ws);
  writeFileSync(path.join(ws, 'readme.md'), '# Theme capture\n');
  writeFileSync(path.join(root, 'ud', 'User', 'settings.json'), JSON.stringify({ 'workbench.colorTheme': theme, 'workbench.startupEditor': 'none' }));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(path.join(cs, 'bin/code-server'), ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', path.join(root, 'ud'), '--extensions-dir', path.join(root, 'ext'), ws], { detached: true, stdio: 'ignore' });
  try {
    for (let i = 0; i < 120; i++) { try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 500)); }
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    await page.waitForTimeout(3000);
    await page.keyboard.press('Control+P');
    await page.keyboard.type('readme.md');
    await page.waitForSelector('.quick-input-list .monaco-list-row');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1500);
    await page.keyboard.press('F1');
    await page.keyboard.type('Markdown: Open Preview');
    await page.waitForSelector('.quick-input-list .monaco-list-row');
    await page.keyboard.press('Enter');
    let got;
    for (let i = 0; i < 120 && !got; i++) {
      for (const f of page.frames()) {
        got = await f.evaluate(() => {
          if (!document.body || !document.body.classList.contains('vscode-body')) return undefined;
          const vars = {};
          const st = document.documentElement.style;
          for (let i = 0; i < st.length; i++) { const n = st[i]; if (n.startsWith('--') && !n.startsWith('--markdown-')) vars[n] = st.getPropertyValue(n).trim(); }
          if (!Object.keys(vars).length) return undefined;
          return {
            bodyClass: [...document.body.classList].filter((c) => c.startsWith('vscode-')).join(' '),
            themeKind: document.body.dataset.vscodeThemeKind ?? null,
            themeId: document.body.dataset.vscodeThemeId ?? null,
            defaultStyles: document.getElementById('_defaultStyles')?.textContent ?? '',
            vars,
          };
        }).catch(() => undefined);
        if (got) break;
      }
      if (!got) await page.waitForTimeout(500);
    }
    if (!got) throw new Error(`no webview frame with theme variables for ${theme}`);
    out.themes[kind] = { theme, ...got };
    out.source = `code-server 4.139.1 (VS Code 1.139.1), captured from the Markdown preview webview`;
    console.log(kind, Object.keys(got.vars).length, 'variables', got.bodyClass);
    await page.close();
  } finally {
    try { process.kill(-child.pid, 'SIGKILL'); } catch {}
  }
}
await browser.close();
writeFileSync(path.join(here, 'vscode-theme-vars.json'), JSON.stringify(out, null, 1) + '\n');
