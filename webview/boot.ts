// What every Model Lens page does first, the editor (main.ts) and the compare panel
// (compare/main.ts) alike: the shell's styles and codicons, the VS Code API, the message bus, the
// persisted state, the #app root, and errors forwarded to the host's output channel.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import type { Envelope } from '../src/protocol.js';
import { createBus, type Bus } from './bus.js';
import { createPersistedState, type PersistedState, type StateStore } from './state.js';
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

/** Sets the page up and returns its bus, state and root; the caller posts `ready` when it listens. */
export function bootPage(): { bus: Bus; state: PersistedState; root: HTMLElement } {
  adoptStyles();
  const api = acquireVsCodeApi();
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  root.id = 'app';
  const bus = createBus((msg: Envelope) => api.postMessage(msg), (listener) => {
    const onMessage = (e: MessageEvent) => listener(e.data);
    window.addEventListener('message', onMessage);
    return { dispose: () => window.removeEventListener('message', onMessage) };
  });
  window.addEventListener('error', (e) => bus.post({ type: 'log', level: 'error', message: `${e.message} (${e.filename}:${e.lineno})` }));
  window.addEventListener('unhandledrejection', (e) => bus.post({ type: 'log', level: 'error', message: `Unhandled rejection: ${(e.reason as Error)?.stack ?? String(e.reason)}` }));
  return { bus, state: createPersistedState(api), root };
}
