// The host⇄webview boundary under issue #8: the webview page's Content-Security-Policy (nonce-only
// scripts, no unsafe-inline/unsafe-eval, no remote origins), workspace trust gating the Run panel's
// requests, and the validators every request field goes through (a compromised webview must not
// steer the host, let alone name a file for it to read).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import * as esbuild from 'esbuild';
import { createRunHandlers } from '../../src/features/run/handlers.js';
import type { RuntimeSessions } from '../../src/core/runtime/runtime-sessions.js';
import { bytes, int, oneOf, record, str } from '../../src/protocol-validate.js';
import type { Model } from '../../src/core/ir/graph.js';
import { RpcError } from '../../src/protocol.js';
import { repoRoot } from '../support/paths.js';

interface HtmlModule {
  contentSecurityPolicy(cspSource: string, nonce: string): string;
  buildWebviewHtml(webview: { cspSource: string; asWebviewUri(u: { path: string }): string }, extensionUri: { path: string }): string;
  localResourceRoots(extensionUri: { path: string }): { path: string }[];
}

let html: HtmlModule;
let scratch: string;

// src/vscode/webview-html.ts imports `vscode`; bundle it with a stand-in that has what it uses.
before(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'model-lens-csp-'));
  const out = path.join(scratch, 'webview-html.mjs');
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'src', 'vscode', 'webview-html.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent',
    plugins: [{
      name: 'vscode-stub',
      setup(b) {
        b.onResolve({ filter: /^vscode$/ }, () => ({ path: 'vscode', namespace: 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
          loader: 'js',
          contents: `export const Uri = { joinPath: (u, ...p) => ({ path: [u.path, ...p].join('/') }) };
                     export const env = { language: 'en-US"><script>alert(1)</script>' };`,
        }));
      },
    }],
  });
  html = (await import(pathToFileURL(out).href)) as HtmlModule;
});
after(() => rmSync(scratch, { recursive: true, force: true }));

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
}

test('CSP: default none; scripts by nonce only; no unsafe-inline or unsafe-eval; nothing remote', () => {
  const csp = html.contentSecurityPolicy(SOURCE, 'N0nce123456789abcdef');
  const d = directives(csp);
  assert.deepEqual(d.get('default-src'), ["'none'"]);
  assert.deepEqual(d.get('script-src'), ["'nonce-N0nce123456789abcdef'"], 'scripts: this page\'s nonce and nothing else');
  assert.ok(!/unsafe-(inline|eval|hashes)|wasm-unsafe-eval|strict-dynamic/.test(csp), `no unsafe keyword: ${csp}`);
  for (const [name, sources] of d) {
    for (const s of sources) {
      const ok = s === SOURCE || s === "'none'" || s === "'self'" || /^'nonce-[A-Za-z0-9]+'$/.test(s) || s === 'data:' || s === 'blob:';
      assert.ok(ok, `${name}: '${s}' is the webview's own resources, a nonce, data: or blob:`);
    }
    assert.ok(!sources.includes('*') && !sources.some((s) => /^https?:$|^wss?:/.test(s)), `${name}: no wildcard or scheme-wide source`);
  }
  assert.ok(!(d.get('script-src') ?? []).some((s) => s === 'data:' || s === 'blob:'), 'no script from data: or blob:');
});

test('the page: one script, carrying the CSP nonce; a fresh random nonce each time; no injected text', () => {
  const webview = { cspSource: SOURCE, asWebviewUri: (u: { path: string }) => `${SOURCE}${u.path}` };
  const a = html.buildWebviewHtml(webview, { path: '/ext' });
  const b = html.buildWebviewHtml(webview, { path: '/ext' });
  const nonceOf = (page: string) => /script-src 'nonce-([^']+)'/.exec(page)?.[1];
  const na = nonceOf(a)!, nb = nonceOf(b)!;
  assert.ok(na && nb && na !== nb, 'a new nonce per page');
  assert.ok(na.length >= 16 && /^[A-Za-z0-9]+$/.test(na), `nonce is long and plain: ${na}`);
  const scripts = [...a.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, [`<script nonce="${na}" src="${SOURCE}/ext/dist/webview.js">`]);
  assert.ok(!a.includes('alert(1)'), 'the UI language is sanitized before it goes into the page');
  assert.deepEqual(html.localResourceRoots({ path: '/ext' }).map((u) => u.path), ['/ext/dist', '/ext/media'], 'the webview loads only dist/ and media/');
});

test('workspace trust: untrusted, the run requests are refused before any runtime starts or file dialog opens', async () => {
  let touched = 0;
  const sessions = new Proxy({}, { get: () => { touched++; throw new Error('a runtime was asked for'); } }) as unknown as RuntimeSessions;
  const handlers = createRunHandlers({ sessions, pickFile: async () => { touched++; return '/etc/passwd'; }, save: async () => { touched++; return null; } });
  const model = { format: 'onnx', path: '/m/model.onnx', graph: { nodes: [], inputs: [], outputs: [], values: new Map(), weights: [], name: 'g' }, functions: [] } as unknown as Model;
  const ctx = { model, key: 'file:///m/model.onnx', signal: new AbortController().signal, trusted: false, provider: 'auto' as const };
  for (const method of ['run.pickInput', 'run.infer', 'run.activations', 'run.profile', 'run.compare']) {
    await assert.rejects(handlers[method]({}, ctx), (e: unknown) => e instanceof RpcError && e.code === 'untrusted' && /trust this workspace/.test(e.message), method);
  }
  const providers = await handlers['run.providers']({}, ctx) as { available: unknown[] };
  assert.deepEqual(providers.available, [], 'untrusted: providers are not probed');
  assert.equal(touched, 0, 'no runtime, dialog or save was reached');
});

test('validators refuse what a compromised webview could send', () => {
  const bad = (f: () => unknown, field: string) => assert.throws(f, (e: unknown) => e instanceof RpcError && e.code === 'bad-request' && e.message.includes(`'${field}'`));
  bad(() => record([1, 2]), 'params');
  bad(() => record('x'), 'params');
  for (const v of ['1', 1.5, NaN, Infinity, -1, 2 ** 60, null, { valueOf: () => 1 }]) bad(() => int({ nodeId: v }, 'nodeId', 0, 1000), 'nodeId');
  for (const v of [1, null, ['a'], 'x'.repeat(4097)]) bad(() => str({ name: v }, 'name'), 'name');
  for (const v of ['__proto__', 'constructor', 'NPY', '']) bad(() => oneOf({ format: v }, 'format', ['npy', 'json'] as const), 'format');
  bad(() => bytes({ data: new Uint8Array(11) }, 'data', 10), 'data');
  bad(() => bytes({ data: [1, 2, 3] }, 'data', 10), 'data');
  assert.equal(int({ nodeId: 7 }, 'nodeId', 0, 10), 7);
  const view = new Uint8Array(new ArrayBuffer(64), 8, 4);
  assert.equal(bytes({ data: view }, 'data', 10).byteLength, 4, 'a view is taken at its own length, not its buffer\'s');
});
