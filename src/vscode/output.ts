import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The "Model Lens" output channel: open/reload timings, errors with stacks, webview logs. */
export function output(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Model Lens', { log: true });
  return channel;
}
