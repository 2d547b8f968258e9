// The ui surface's stand-in for VS Code's webview: the built bundle (dist/webview.js) in a page
// shaped like the editor's (same CSP directives, #app root, codicon stylesheet, the real theme
// variables and body classes of VS Code 1.139 captured in vscode-theme-vars.json), with a fake
// `acquireVsCodeApi()` whose postMessage reaches the test and whose state survives a reload.
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { repoRoot, resultsDir } from './paths.js';
import { startStaticServer, type StaticServer } from './static-server.js';
import { PAGE_WIRE_SOURCE, decodeWire, encodeWire } from './wire.js';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

interface CapturedTheme { theme: string; bodyClass: string; themeKind: string; themeId: string; defaultStyles: string; vars: Record<string, string> }
const captured = JSON.parse(readFileSync(path.join(repoRoot, 'test', 'support', 'vscode-theme-vars.json'), 'utf8')) as { themes: Record<ThemeKind, CapturedTheme> };

/** The CSS variables, classes and default styles VS Code gives a webview in a theme. */
export function themeOf(kind: ThemeKind): CapturedTheme {
  return captured.themes[kind];
}

/** A message envelope as the webview posted it (binary payloads rebuilt). */
export type Posted = { v: number; id: number; inReplyTo?: number; body: { type: string; [k: string]: unknown } };

export interface WebviewPage {
  page: Page;
  /** Everything the webview posted, in order. */
  readonly posted: Posted[];
  /** Delivers a message to the webview as VS Code does (a `message` event on window). */
  deliver(envelope: unknown): Promise<void>;
  /** Resolves with the first posted message (past or future) matching `pred`. */
  waitForPosted(pred: (m: Posted) => boolean, timeoutMs?: number): Promise<Posted>;
  /** Called for every posted message (the test host hooks in here). */
  onPosted(listener: (m: Posted) => void): void;
  /** Switches the theme the way VS Code does: new variables on <html>, new classes on <body>. */
  setTheme(kind: ThemeKind): Promise<void>;
  /** The last value the webview stored with setState(). */
  state(): unknown;
  /** Destroys and rebuilds the page (what VS Code does when a hidden editor is shown again); state is kept. */
  reload(): Promise<void>;
  /** Saves a PNG under test-results/ui/ and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Page errors and console errors seen so far. */
  readonly errors: string[];
  close(): Promise<void>;
}

let server: StaticServer | undefined;
let pageSerial = 0;
const pageOptions = new Map<string, { theme: ThemeKind }>();

async function sharedServer(): Promise<StaticServer> {
  if (server) return server;
  const codicons = existsSync(path.join(repoRoot, 'dist', 'codicons')) ? path.join(repoRoot, 'dist', 'codicons') : path.join(repoRoot, 'node_modules', '@vscode', 'codicons', 'dist');
  server = await startStaticServer({
    '/dist/codicons/': codicons,
    '/dist/': path.join(repoRoot, 'dist'),
    '/media/': path.join(repoRoot, 'media'),
  });
  return server;
}

/** Stops the static server (call once in an `after` hook). */
export async function stopWebviewServer(): Promise<void> {
  await server?.close();
  server = undefined;
}

function themeStyle(kind: ThemeKind): string {
  return Object.entries(themeOf(kind).vars).map(([k, v]) => `${k}: ${v};`).join(' ').replace(/"/g, '&quot;');
}

/** The page: the same CSP directives and skeleton as src/vscode/webview-html.ts, themed like VS Code. */
function buildPage(origin: string, kind: ThemeKind, bundle = 'webview'): string {
  const nonce = 'uitestnonce' + (++pageSerial);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${origin} 'nonce-${nonce}'`,
    `img-src ${origin} data: blob:`,
    `font-src ${origin}`,
    `worker-src ${origin} blob:`,
    `connect-src ${origin}`,
  ].join('; ');
  const t = themeOf(kind);
  return `<!DOCTYPE html>
<html lang="en" style="${themeStyle(kind)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style id="_defaultStyles" nonce="${nonce}">${t.defaultStyles}</style>
<style nonce="${nonce}">html { background: var(--vscode-editor-background); height: 100%; } body { min-height: 100%; }</style>
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="${origin}/dist/codicons/codicon.css" nonce="${nonce}">
<title>Model Lens</title>
</head>
<body class="${t.bodyClass}" data-vscode-theme-kind="${t.themeKind}" data-vscode-theme-id="${t.themeId}" role="document">
<div id="app"></div>
<script nonce="${nonce}" src="${origin}/dist/${bundle}.js"></script>
</body>
</html>`;
}

/** Source of the fake VS Code API, run before the bundle in every page load. */
function fakeApiSource(): string {
  return `${PAGE_WIRE_SOURCE}
(() => {
  let acquired = false;
  let state;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    // Read at acquire time: a reload() registers a newer initial state after this script.
    state = window.__mlWire.dec(window.__mlInitialState);
    return Object.freeze({
      postMessage: (m) => { window.__mlToTest(window.__mlWire.enc(m)); },
      getState: () => state,
      setState: (s) => { state = s; window.__mlStateToTest(window.__mlWire.enc(s)); return s; },
    });
  };
  window.__mlDeliver = (m) => window.dispatchEvent(new MessageEvent('message', { data: window.__mlWire.dec(m), origin: location.origin }));
})();`;
}

export interface OpenWebviewOptions {
  theme?: ThemeKind;
  viewport?: { width: number; height: number };
  /** What getState() returns at first (a restored editor). */
  state?: unknown;
  /** The page's bundle in dist/: `webview` (the editor, default) or `compare` (the compare panel). */
  bundle?: string;
}

/** Opens the webview bundle in a new page of `browser`. */
export async function openWebviewPage(browser: Browser, opts: OpenWebviewOptions = {}): Promise<WebviewPage> {
  const srv = await sharedServer();
  let theme: ThemeKind = opts.theme ?? 'dark';
  const key = `/webview-${++pageSerial}.html`;
  pageOptions.set(key, { theme });
  srv.page(key, () => buildPage(srv.origin, pageOptions.get(key)!.theme, opts.bundle));
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1280, height: 800 } });
  const posted: Posted[] = [];
  const listeners: ((m: Posted) => void)[] = [];
  const errors: string[] = [];
  let state: unknown = opts.state;
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()} ${m.location().url}`); });
  await page.exposeFunction('__mlToTest', (m: unknown) => {
    const msg = decodeWire(m) as Posted;
    posted.push(msg);
    for (const l of listeners) l(msg);
  });
  await page.exposeFunction('__mlStateToTest', (s: unknown) => { state = decodeWire(s); });
  await page.addInitScript(({ src, initial }) => {
    (window as unknown as { __mlInitialState: unknown }).__mlInitialState = initial;
    // eslint-disable-next-line no-new-func
    new Function(src)();
  }, { src: fakeApiSource(), initial: encodeWire(state) });
  await page.goto(srv.origin + key);

  const api: WebviewPage = {
    page, posted, errors,
    async deliver(envelope) {
      await page.evaluate((m) => (window as unknown as { __mlDeliver(m: unknown): void }).__mlDeliver(m), encodeWire(envelope));
    },
    waitForPosted(pred, timeoutMs = 30_000) {
      const hit = posted.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`webview did not post the expected message in ${timeoutMs} ms; posted: ${posted.map((p) => p.body.type).join(', ')}`)), timeoutMs);
        listeners.push((m) => { if (pred(m)) { clearTimeout(t); resolve(m); } });
      });
    },
    onPosted(l) { listeners.push(l); },
    async setTheme(kind) {
      theme = kind;
      pageOptions.get(key)!.theme = kind;
      const t = themeOf(kind);
      await page.evaluate(({ vars, bodyClass, themeKind, themeId }) => {
        const html = document.documentElement;
        for (const n of [...html.style]) if (n.startsWith('--')) html.style.removeProperty(n);
        for (const [k, v] of Object.entries(vars)) html.style.setProperty(k, v);
        for (const c of [...document.body.classList]) if (c.startsWith('vscode-')) document.body.classList.remove(c);
        document.body.classList.add(...bodyClass.split(' '));
        document.body.dataset.vscodeThemeKind = themeKind;
        document.body.dataset.vscodeThemeId = themeId;
      }, t);
    },
    state: () => state,
    async reload() {
      await page.addInitScript((initial) => { (window as unknown as { __mlInitialState: unknown }).__mlInitialState = initial; }, encodeWire(state));
      await page.reload();
    },
    async screenshot(name) {
      const file = path.join(resultsDir('ui'), `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      pageOptions.delete(key);
      await page.close();
    },
  };
  return api;
}
