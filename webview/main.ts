// Boots the editor page: connects the bus, shows loading / error / the model, and keeps the
// shell in sync with what the host sends. Works in VS Code (acquireVsCodeApi) and in any page
// that provides an acquireVsCodeApi-compatible object (the ui test harness).
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import type { HostMessage } from '../src/protocol.js';
import { isExportFormat } from '../src/protocol.js';
import { bootPage } from './boot.js';
import { ModelShell, TABS } from './shell/model-shell.js';
import { renderError, renderLoading } from './shell/status-views.js';
import { prestartWorker } from './shell/workers.js';

function boot(): void {
  const { bus, state, root } = bootPage();
  // The graph's layout worker loads while the host reads the model.
  prestartWorker('layout-worker');
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

  root.replaceChildren(renderLoading('', ''));
  bus.post({ type: 'ready' });
}

boot();
