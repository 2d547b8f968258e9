// The extension's runtime processes: one per open model document, started on the first run and
// ended when the document's last editor closes. Other features (explain) run models through here.
import * as vscode from 'vscode';
import type { LoadResult } from '../core/runtime/backend.js';
import type { RuntimeHost } from '../core/runtime/runtime-host.js';
import { RuntimeSessions } from '../core/runtime/runtime-sessions.js';
import type { RequestContext } from './requests.js';
import { readSettings } from './settings.js';

let sessions: RuntimeSessions | null = null;

/** The shared sessions (created on first use; ended with the extension by registerRuntimeSessions). */
export function runtimeSessions(): RuntimeSessions {
  return (sessions ??= new RuntimeSessions());
}

/**
 * The runtime process of the requesting editor's document with its model loaded on the configured
 * provider (`modelLens.runtime.provider`). Started lazily; shared by every feature that runs the model.
 */
export async function runtimeFor(ctx: RequestContext): Promise<{ host: RuntimeHost; load: LoadResult }> {
  const provider = readSettings(ctx.uri).runtime.provider;
  return runtimeSessions().runtimeFor(ctx.uri.toString(), ctx.model, provider);
}

/** True while some editor tab shows the document of `key` (its URI string, maybe with a `#cpu`-like suffix). */
function isOpen(key: string): boolean {
  // URI strings encode a '#' in the path, so the first '#' starts a feature's suffix.
  key = key.split('#')[0];
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (input instanceof vscode.TabInputCustom && input.uri.toString() === key) return true;
    }
  }
  return false;
}

/** Ends runtime processes whose document has no editor left, and all of them with the extension. */
export function registerRuntimeSessions(): vscode.Disposable[] {
  return [
    vscode.window.tabGroups.onDidChangeTabs(() => {
      if (!sessions) return;
      for (const key of sessions.keys()) if (!isOpen(key)) void sessions.dispose(key);
    }),
    { dispose: () => { void sessions?.disposeAll(); sessions = null; } },
  ];
}
