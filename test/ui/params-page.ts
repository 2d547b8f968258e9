// Serves the Parameters harness in headless Chromium with a real VS Code theme, and answers the
// view's requests in Node with the extension's stats handlers (src/features/params/handlers.ts) on the real core.
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { openModel } from '../../src/core/formats/index.js';
import type { Model } from '../../src/core/ir/graph.js';
import { inferShapes } from '../../src/core/shapes/index.js';
import { buildGraphPayload } from '../../src/core/graph-payload.js';
import { summarizeModel } from '../../src/core/model-summary.js';
import { RpcEndpoint, type Envelope, type HostMessage } from '../../src/protocol.js';
import { createParamsHandlers, type StatsHandlerDeps } from '../../src/features/params/handlers.js';
import { launchChromium } from '../support/chromium.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';
import { PAGE_WIRE_SOURCE, decodeWire, encodeWire } from '../support/wire.js';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface ParamsPage {
  browser: Browser; page: Page; server: StaticServer;
  /** Request methods the view called, in order. */
  requests: string[];
  /** Opens the view on a model file; resolves when the stats table has its numbers. */
  /** `holdPass`: the model-wide pass answers only once cancelled, as a pass slower than this machine's would. */
  open(file: string, deps?: StatsHandlerDeps, wait?: boolean, holdPass?: boolean): Promise<{ model: Model }>;
  setTheme(kind: ThemeKind): Promise<void>;
  close(): Promise<void>;
}

const themes = () => JSON.parse(readFileSync(path.join(repoRoot, 'test/support/vscode-theme-vars.json'), 'utf8')).themes as Record<string, { vars: Record<string, string>; bodyClass: string; themeKind: string; defaultStyles?: string }>;

export async function openParamsPage(theme: ThemeKind = 'dark', viewport = { width: 1400, height: 900 }): Promise<ParamsPage> {
  const out = tempDir('params-harness');
  await esbuild.build({ entryPoints: [path.join(repoRoot, 'test/ui/params-harness.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'es2022',
    outfile: path.join(out, 'params-harness.js'), loader: { '.css': 'text' }, logLevel: 'warning' });
  const t = themes()[theme];
  const server = await startStaticServer({ '/dist/': path.join(repoRoot, 'dist'), '/h/': out });
  const vars = Object.entries(t.vars).map(([k, v]) => `${k}: ${v};`).join(' ').replace(/"/g, '&quot;');
  server.page('/index.html', () => `<!doctype html><html style="${vars}"><head><meta charset="utf-8">
<link rel="stylesheet" href="/dist/codicons/codicon.css" id="vscode-codicon-stylesheet">
<style>${t.defaultStyles ?? ''}</style>
<style>html, body { height: 100%; margin: 0; } body { background: var(--vscode-editor-background); color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
#params-host, #graph-host { position: relative; height: 100%; } [hidden] { display: none !important; }</style></head>
<body class="${t.bodyClass}" data-vscode-theme-kind="${t.themeKind}"><div id="params-host"></div><div id="graph-host" hidden></div><script src="/h/params-harness.js"></script></body></html>`);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  const requests: string[] = [];
  let rpc: RpcEndpoint<HostMessage> | null = null;
  await page.exposeFunction('__paramsToHost', (m: unknown) => {
    const env = decodeWire(m) as Envelope<{ type: string; method?: string }>;
    if (env.body.type === 'request') requests.push(String(env.body.method));
    rpc?.handle(env);
  });
  await page.addInitScript({ content: PAGE_WIRE_SOURCE });
  await page.goto(`${server.origin}/index.html`);
  let model: Model | null = null;
  return {
    browser, page, server, requests,
    async open(file, deps = {}, wait = true, holdPass = false) {
      await model?.close();
      rpc?.dispose();
      model = await openModel(file);
      await inferShapes(model);
      const m = model;
      const handlers = createParamsHandlers({ workers: 0, ...deps });
      const send = (env: unknown) => void page.evaluate((x) => (window as unknown as { __paramsDeliver(m: unknown): void }).__paramsDeliver(x), encodeWire(env)).catch(() => undefined);
      const ep: RpcEndpoint<HostMessage> = new RpcEndpoint<HostMessage>(send, (method) => {
        const h = handlers[method];
        if (!h) return undefined;
        return async (params, signal) => {
          const result = await h(params, { model: m, signal, notify: (topic, data) => ep.post({ type: 'notify', topic, data }) });
          if (holdPass && method === 'params.model') await new Promise((done) => signal.addEventListener('abort', done, { once: true }));
          return result;
        };
      });
      rpc = ep;
      requests.length = 0;
      await page.evaluate(([g, s]) => (window as unknown as { __paramsHarness: { open(a: unknown, b: unknown): void } }).__paramsHarness.open(g, s), [buildGraphPayload(m), summarizeModel(m)] as const);
      if (wait) await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('params')?.dataset.stats ?? ''), undefined, { timeout: 30000 });
      return { model: m };
    },
    async setTheme(kind) {
      const th = themes()[kind];
      await page.evaluate(({ vars, bodyClass, themeKind }) => {
        const html = document.documentElement;
        for (const n of [...html.style]) if (n.startsWith('--')) html.style.removeProperty(n);
        for (const [k, v] of Object.entries(vars)) html.style.setProperty(k, v);
        document.body.className = bodyClass;
        document.body.dataset.vscodeThemeKind = themeKind;
      }, th);
    },
    async close() { await model?.close(); rpc?.dispose(); await browser.close(); await server.close(); },
  };
}
