import * as vscode from 'vscode';
import type { WebviewRequests } from '../protocol.js';
import type { ModelEditorProvider } from './editor-provider.js';

/** What the extension-host tests can observe of open editors: one entry per editor panel. */
export interface SessionSnapshot {
  uri: vscode.Uri;
  viewType: string;
  webviewReady: boolean;
  documentState: 'loading' | 'ready' | 'error';
  nodes?: number;
  errorCode?: string;
  tab: string;
  /** The output channel's line of where the time of the latest open went, once the graph painted. */
  openPhases: string | null;
}

/**
 * The `__test` export of activate(), present only when the extension runs in development or test
 * mode: it lets the in-editor test suite see each editor's state and send requests to its webview
 * (a real host → webview → host round trip) without reaching into private fields.
 */
export function createTestApi(provider: ModelEditorProvider) {
  return {
    sessions(): SessionSnapshot[] {
      return provider.allSessions().map((s) => {
        const state = s.document.state;
        return {
          uri: s.document.uri,
          viewType: s.panel.viewType,
          webviewReady: s.isWebviewReady,
          documentState: state.kind,
          nodes: state.kind === 'ready' ? state.summary.nodes : undefined,
          errorCode: state.kind === 'error' ? state.error.code : undefined,
          tab: s.viewState.tab,
          openPhases: s.openPhases,
        };
      });
    },
    request<M extends keyof WebviewRequests>(uri: vscode.Uri, method: M, params: WebviewRequests[M]['params']): Promise<WebviewRequests[M]['result']> {
      const session = provider.sessionsFor(uri)[0];
      if (!session) return Promise.reject(new Error(`no Model Lens editor is open on ${uri.toString()}`));
      return session.request(method, params);
    },
  };
}
