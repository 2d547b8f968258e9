// Boots the editor page: connects the bus, shows loading / error / the model, and keeps the
// shell in sync with what the host sends. Works in VS Code (acquireVsCodeApi) and in any page
// that provides an acquireVsCodeApi-compatible object (the ui test harness).
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import type { Envelope, HostMessage } from '../src/protocol.js';
import { isExportFormat } from '../src/protocol.js';
import { createBus } from './bus.js';
import { createPersistedState, type StateStore } from './state.js';
import { ModelShell, TABS } from './shell/model-shell.js';
import { renderError, renderLoading } from './shell/status-views.js';
import { distBase } from './shell/workers.js';
import shellCss from './shell/shell.css';

interface VsCodeApi extends StateStore {
  postMessage(msg: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

function adoptStyles(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(shellCss);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  // The editor page links codicons already; a bare test page gets them from dist/ here.
  if (!document.getElementById('vscode-codicon-stylesheet')) {
    const link = document.createElement('link');
    link.id = 'vscode-codicon-stylesheet';
    link.rel = 'stylesheet';
    link.href = new URL('codicons/codicon.css', distBase()).href;
    document.head.append(link);
  }
}

function boot(): void {
  adoptStyles();
  const api = acquireVsCodeApi();
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  root.id = 'app';
  const bus = createBus((msg: Envelope) => api.postMessage(msg), (listener) => {
    const onMessage = (e: MessageEvent) => listener(e.data);
    window.addEventListener('message', onMessage);
    return { dispose: () => window.removeEventListener('message', onMessage) };
  });
  const state = createPersistedState(api);
  let shell: ModelShell | null = null;
  let fileName = '';

  const replace = (el: HTMLElement) => {
    shell?.dispose();
    shell = null;
    root.replaceChildren(el);
  };

  bus.on('loading', (m) => {
    fileName = m.fileName;
    // A reload of a model already shown (the file changed on disk) keeps the old view, with a
    // progress bar, until the new one is ready.
    if (!shell) replace(renderLoading(m.fileName, m.message));
    else shell.setReloading(true);
  });
  bus.on('error', (m) => {
    replace(renderError(m.error, () => {
      replace(renderLoading(fileName, ''));
      bus.post({ type: 'reload' });
    }));
    root.querySelector<HTMLElement>('#model-lens-retry')?.focus();
  });
  bus.on('init', (m) => {
    const receivedAt = Date.now();
    fileName = m.summary.fileName;
    const next = new ModelShell(m, bus, state, receivedAt);
    replace(next.element);
    shell = next;
    next.start();
    document.title = `${m.summary.fileName} — Model Lens`;
  });
  const forward = (m: HostMessage) => shell?.handle(m);
  for (const t of ['show-tab', 'reveal-node', 'settings-changed', 'trust-changed'] as const) bus.on(t, forward);

  bus.handle('export.list', () => ({ formats: shell?.exportFormats() ?? [] }));
  bus.handle('export.produce', (params) => {
    const format = (params as { format?: unknown } | null)?.format;
    if (!shell || !isExportFormat(format)) throw new Error('nothing to export');
    return shell.produceExport(format);
  });

  // Ctrl/Cmd+1..4 switch tabs from anywhere in the page.
  window.addEventListener('keydown', (e) => {
    if (!shell || !(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    const i = Number(e.key) - 1;
    if (Number.isInteger(i) && i >= 0 && i < TABS.length) {
      e.preventDefault();
      e.stopPropagation();
      shell.show(TABS[i].id);
      root.querySelector<HTMLElement>(`vscode-tab-header[data-tab="${TABS[i].id}"]`)?.focus();
    }
  }, true);

  window.addEventListener('error', (e) => bus.post({ type: 'log', level: 'error', message: `${e.message} (${e.filename}:${e.lineno})` }));
  window.addEventListener('unhandledrejection', (e) => bus.post({ type: 'log', level: 'error', message: `Unhandled rejection: ${(e.reason as Error)?.stack ?? String(e.reason)}` }));

  root.replaceChildren(renderLoading('', ''));
  bus.post({ type: 'ready' });
}

boot();
