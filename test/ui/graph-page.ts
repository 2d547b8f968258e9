// Serves the graph harness page in headless Chromium with a real VS Code theme's variables, and
// builds the payload for a model file with the real core (open → infer shapes → payload).
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { openModel } from '../../src/core/formats/index.js';
import { inferShapes } from '../../src/core/shapes/index.js';
import { buildGraphPayload } from '../../src/core/graph-payload.js';
import { summarizeModel } from '../../src/core/model-summary.js';
import { launchChromium } from '../support/chromium.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface GraphPage { browser: Browser; page: Page; server: StaticServer; close(): Promise<void> }

/** Bundles the harness, serves it with dist/ and opens a page in the given theme. */
export async function openGraphPage(theme: ThemeKind = 'dark', viewport = { width: 1280, height: 800 }): Promise<GraphPage> {
  const out = tempDir('graph-harness');
  await esbuild.build({ entryPoints: [path.join(repoRoot, 'test/ui/graph-harness.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'es2022',
    outfile: path.join(out, 'graph-harness.js'), loader: { '.css': 'text' }, logLevel: 'warning' });
  const themes = JSON.parse(readFileSync(path.join(repoRoot, 'test/support/vscode-theme-vars.json'), 'utf8')).themes;
  const t = themes[theme];
  const server = await startStaticServer({ '/dist/': path.join(repoRoot, 'dist'), '/h/': out });
  const vars = Object.entries(t.vars as Record<string, string>).map(([k, v]) => `${k}: ${v};`).join('\n');
  server.page('/index.html', () => `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/dist/codicons/codicon.css" id="vscode-codicon-stylesheet">
<style>${t.defaultStyles ?? ''}</style>
<style>html { ${vars} } html, body { height: 100%; margin: 0; } body { background: var(--vscode-editor-background); color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
#host { position: relative; height: 100%; }</style></head>
<body class="${t.bodyClass}" data-vscode-theme-kind="${t.themeKind}"><div id="host"></div><script src="/h/graph-harness.js"></script></body></html>`);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  await page.goto(`${server.origin}/index.html`);
  return { browser, page, server, close: async () => { await browser.close(); await server.close(); } };
}

/** What the host would send: the payload (with inferred shapes) and the summary of a model file. */
export async function loadPayload(file: string) {
  const model = await openModel(file);
  const { inferred } = await inferShapes(model);
  const graph = buildGraphPayload(model);
  const summary = summarizeModel(model);
  await model.close();
  return { graph, summary, inferred };
}

/** Opens the graph view on a payload; resolves when #graph is painted (or throws on error). */
export async function showGraph(page: Page, payload: { graph: unknown; summary: unknown }, opts: Record<string, unknown> = {}, timeout = 30000): Promise<void> {
  await page.evaluate(([g, s, o]) => (window as unknown as { __graphHarness: { open(a: unknown, b: unknown, c: unknown): number } }).__graphHarness.open(g, s, o), [payload.graph, payload.summary, opts] as const);
  await page.waitForFunction(() => ['painted', 'error'].includes(document.getElementById('graph')?.dataset.state ?? ''), undefined, { timeout });
  const state = await page.evaluate(() => document.getElementById('graph')!.dataset.state);
  if (state !== 'painted') throw new Error(`graph state ${state}: ${await page.textContent('.graph-status')}`);
}
