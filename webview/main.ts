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
import { PackedGraph } from '../src/core/packed-graph.js';

function boot(): void {
  const { bus, state, root } = bootPage();
  // The graph's layout worker loads while the host reads the model.
  prestartWorker('layout-worker');
  let shell: ModelShell | null = null;
  let fileName = '';
  // Bumped by every init, loading and error: an init whose graph is still decoding when another
  // message comes is dropped. Messages for the shell wait while an init's graph decodes.
  let turn = 0;
  let waiting: HostMessage[] | null = null;

  const replace = (el: HTMLElement) => {
    shell?.dispose();
    shell = null;
    root.replaceChildren(el);
  };

  bus.on('loading', (m) => {
    turn++;
    waiting = null;
    fileName = m.fileName;
    // A reload of a model already shown (the file changed on disk) keeps the old view, with a
    // progress bar, until the new one is ready.
    if (!shell) replace(renderLoading(m.fileName, m.message));
    else shell.setReloading(true);
  });
  bus.on('error', (m) => {
    turn++;
    waiting = null;
    replace(renderError(m.error, () => {
      replace(renderLoading(fileName, ''));
      bus.post({ type: 'reload' });
    }));
    root.querySelector<HTMLElement>('#model-lens-retry')?.focus();
  });
  bus.on('init', async (m) => {
    const mine = ++turn;
    waiting ??= [];
    fileName = m.summary.fileName;
    // The graph came packed: decoded in turns, so a 200k-node graph is no single long task.
    try {
      if (m.graph instanceof PackedGraph) await m.graph.decodeInTurns(() => new Promise((r) => setTimeout(r, 0)));
    } catch (e) {
      if (mine !== turn) return;
      waiting = null;
      replace(renderError({ code: 'internal', file: fileName, place: {}, detail: `the graph could not be read: ${(e as Error).message}`, message: `${fileName}: the graph could not be read` }, () => bus.post({ type: 'reload' })));
      return;
    }
    if (mine !== turn) return;
    const next = new ModelShell(m, bus, state, Date.now());
    replace(next.element);
    shell = next;
    next.start();
    document.title = `${m.summary.fileName} — Model Lens`;
    const queued = waiting ?? [];
    waiting = null;
    for (const q of queued) next.handle(q);
  });
  const forward = (m: HostMessage) => { if (waiting) waiting.push(m); else shell?.handle(m); };
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
