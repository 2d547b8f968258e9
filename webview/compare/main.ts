// Boots the compare panel's page (dist/compare.js): the same start as the editor's page
// (webview/boot.ts), then waits for `compare-init` with both models and shows the compare view.
import type { CompareFailed } from '../../src/features/compare/protocol.js';
import { bootPage } from '../boot.js';
import { h } from '../shell/dom.js';
import { renderLoading } from '../shell/status-views.js';
import { CompareView } from './compare-view.js';

function failed(m: CompareFailed): HTMLElement {
  return h('div', { class: 'compare-view', attrs: { id: 'compare', 'data-state': 'error' } },
    h('div', { class: 'compare-error', attrs: { role: 'alert' }, text: `Model ${m.side.toUpperCase()} could not be read: ${m.message}` }));
}

function boot(): void {
  const { bus, state, root } = bootPage();
  let view: CompareView | null = null;
  bus.on('compare-init', (m) => {
    view?.dispose();
    view = new CompareView(m, bus, state);
    root.replaceChildren(view.element);
    document.title = `${m.a.summary.fileName} ↔ ${m.b.summary.fileName} — Model Lens`;
    void view.start();
  });
  bus.on('compare-error', (m) => { view?.dispose(); view = null; root.replaceChildren(failed(m)); });
  root.replaceChildren(renderLoading('', 'Reading both models…'));
  bus.post({ type: 'ready' });
}

boot();
