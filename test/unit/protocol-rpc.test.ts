import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEnvelope, PROTOCOL_VERSION, RpcEndpoint, type Envelope } from '../../src/protocol.js';
import { exactArrayBuffer } from '../../src/core/io/exact-buffer.js';
import { createBus } from '../../webview/bus.js';
import { createPersistedState } from '../../webview/state.js';

/** Two endpoints wired back to back, delivering asynchronously like postMessage does. */
function pair(hostHandlers: Record<string, (p: unknown, s: AbortSignal) => unknown>) {
  let toWebview: (m: unknown) => void = () => {};
  const sentByHost: Envelope[] = [];
  const host = new RpcEndpoint<{ type: 'init' }>((env) => { sentByHost.push(env as Envelope); setTimeout(() => toWebview(structuredClone(env)), 0); }, (m) => hostHandlers[m]);
  const bus = createBus((env) => setTimeout(() => { if (isEnvelope(env)) host.handle(structuredClone(env)); }, 0), (listener) => { toWebview = listener; });
  return { host, bus, sentByHost };
}

test('a webview request reaches the host handler and resolves with its result', async () => {
  const { bus, sentByHost } = pair({ 'stats.sum': (p) => ({ sum: (p as { a: number; b: number }).a + (p as { a: number; b: number }).b }) });
  assert.deepEqual(await bus.request('stats.sum', { a: 2, b: 40 }), { sum: 42 });
  const reply = sentByHost.at(-1)!;
  assert.equal(reply.v, PROTOCOL_VERSION);
  assert.equal(reply.body.type, 'response');
  assert.equal(typeof reply.inReplyTo, 'number');
});

test('a host handler error rejects the request with its message and code', async () => {
  const { bus } = pair({ fails: () => { throw Object.assign(new Error('tensor 7 does not exist'), { code: 'bad-request' }); } });
  await assert.rejects(bus.request('fails', {}), (e: Error & { code?: string }) => e.message === 'tensor 7 does not exist' && e.code === 'bad-request');
  await assert.rejects(bus.request('nope', {}), /unknown request method 'nope'/);
});

test('cancelling a request aborts the handler signal and rejects the caller', async () => {
  let aborted = false;
  const { bus } = pair({ slow: (_p, signal) => new Promise((resolve) => { signal.addEventListener('abort', () => { aborted = true; resolve('late'); }); }) });
  const ctl = new AbortController();
  const p = bus.request('slow', {}, { signal: ctl.signal });
  await new Promise((r) => setTimeout(r, 5));
  ctl.abort();
  await assert.rejects(p, /cancelled/);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(aborted, true);
});

test('host requests reach webview handlers; events are routed by type and notify topic', async () => {
  const { host, bus } = pair({});
  bus.handle('export.list', () => ({ formats: ['graph-svg'] }));
  assert.deepEqual(await host.request('export.list', {}), { formats: ['graph-svg'] });
  const got: string[] = [];
  bus.on('show-tab', (m) => got.push(m.tab));
  bus.onNotify('run.progress', (d) => got.push(`progress ${(d as { done: number }).done}`));
  host.post({ type: 'show-tab', tab: 'run' } as never);
  host.post({ type: 'notify', topic: 'run.progress', data: { done: 3 } });
  host.post({ type: 'notify', topic: 'other', data: {} });
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(got, ['run', 'progress 3']);
});

test('malformed envelopes are rejected', () => {
  assert.equal(isEnvelope({ v: PROTOCOL_VERSION, id: 1, body: { type: 'ready' } }), true);
  assert.equal(isEnvelope({ v: PROTOCOL_VERSION + 1, id: 1, body: { type: 'ready' } }), false);
  assert.equal(isEnvelope({ v: PROTOCOL_VERSION, id: 1.5, body: { type: 'ready' } }), false);
  assert.equal(isEnvelope({ v: PROTOCOL_VERSION, id: 1, body: 'ready' }), false);
  assert.equal(isEnvelope(null), false);
});

test('exactArrayBuffer copies only the viewed bytes', () => {
  const big = new Uint8Array(1 << 20);
  big.set([1, 2, 3], 1000);
  const slice = exactArrayBuffer(big.subarray(1000, 1003));
  assert.equal(slice.byteLength, 3);
  assert.deepEqual([...new Uint8Array(slice)], [1, 2, 3]);
  const whole = new Uint8Array(8);
  assert.equal(exactArrayBuffer(whole), whole.buffer);
});

test('persisted state keeps values per key and scope, and rejects stored values of the wrong type', () => {
  let stored: unknown = { tab: 5 };
  const state = createPersistedState({ getState: () => stored, setState: (s) => { stored = s; } });
  const tab = state.persisted('tab', 'graph');
  assert.equal(tab.get(), 'graph');
  tab.set('run');
  assert.equal(tab.get(), 'run');
  const zoom = state.scoped('graph').persisted('zoom', 1);
  zoom.set(2.5);
  assert.deepEqual(stored, { tab: 'run', 'graph:zoom': 2.5 });
  assert.equal(state.scoped('params').persisted('zoom', 1).get(), 1);
});

