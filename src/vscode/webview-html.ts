import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The only folders the webview may load from: the built bundles and the static media. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** The webview's Content-Security-Policy: no remote anything, scripts only with this page's nonce. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
    // Workers start from blob: URLs made of our own dist/ files (a webview resource URL is
    // cross-origin to the webview, so `new Worker(url)` on it fails); fetching them needs connect-src.
    `worker-src ${cspSource} blob:`,
    `connect-src ${cspSource}`,
  ].join('; ');
}

/**
 * The editor page: an empty #app the webview bundle fills. Nothing from the model goes in here.
 * `bundle` names the entry in dist/: `webview` for the model editor, `compare` for the compare panel.
 */
export function buildWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle = 'webview'): string {
  const nonce = randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, `${bundle}.js`));
  const codicons = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css'));
  const lang = vscode.env.language.replace(/[^A-Za-z0-9-]/g, '') || 'en';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="${codicons}" nonce="${nonce}">
<title>Model Lens</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
