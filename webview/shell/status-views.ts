// What the editor shows when there is no model to show: reading, or could not read.
import type { ErrorInfo } from '../../src/protocol.js';
import { h, icon, pathText, vsc } from './dom.js';

export function renderLoading(fileName: string, message: string): HTMLElement {
  return h('section', { class: 'status-view loading', attrs: { 'aria-busy': 'true', 'aria-live': 'polite' } },
    vsc('vscode-progress-ring', { 'aria-label': 'Loading' }),
    h('p', { text: message || (fileName ? `Reading ${fileName}…` : 'Reading the model…') }),
  );
}

/** Where in the file, in words: "byte 1234 · field graph.node[3] · tensor 'conv1.weight'". */
function describePlace(p: ErrorInfo['place']): string {
  const parts: string[] = [];
  if (p.offset !== undefined) parts.push(`byte ${p.offset}`);
  if (p.field) parts.push(`field ${p.field}`);
  if (p.tensor) parts.push(`tensor '${p.tensor}'`);
  return parts.join(' · ');
}

export function renderError(error: ErrorInfo, onRetry: () => void): HTMLElement {
  const retry = vsc('vscode-button', { icon: 'refresh', id: 'model-lens-retry' }, 'Retry');
  retry.addEventListener('click', onRetry);
  const place = describePlace(error.place);
  const details = h('dl', { class: 'error-details' },
    h('dt', { text: 'File' }), h('dd', { class: 'mono' }, pathText(error.file)),
    place ? h('dt', { text: 'Place' }) : null, place ? h('dd', { class: 'mono', text: place }) : null,
    h('dt', { text: 'Problem' }), h('dd', { text: error.code }),
  );
  return h('section', { class: 'status-view error-view', attrs: { role: 'alert', 'aria-labelledby': 'model-lens-error-title' } },
    h('div', { class: 'error-icon' }, icon('error')),
    h('h2', { text: 'Could not open model', attrs: { id: 'model-lens-error-title' } }),
    h('p', { class: 'error-message', text: error.detail || error.message }),
    details,
    h('div', { class: 'actions' }, retry),
  );
}
