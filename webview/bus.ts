// The webview's end of the host⇄webview protocol, over any transport: VS Code's
// acquireVsCodeApi().postMessage in the editor, a test transport in the ui harness.
import type { Envelope, HostMessage, HostRequests, RpcHandler, WebviewMessage } from '../src/protocol.js';
import { isEnvelope, RpcEndpoint } from '../src/protocol.js';
import { unpackEnvelope } from '../src/core/envelope-pack.js';

export interface Disposable {
  dispose(): void;
}

export interface Bus {
  /** Calls a host request handler; rejects with the host's error (an RpcError with a code). */
  request<M extends keyof HostRequests>(method: M, params: HostRequests[M]['params'], opts?: { signal?: AbortSignal }): Promise<HostRequests[M]['result']>;
  request(method: string, params?: unknown, opts?: { signal?: AbortSignal }): Promise<unknown>;
  /** Sends a fire-and-forget message to the host. */
  post(msg: WebviewMessage): void;
  /** Listens to one type of host message. */
  on<T extends HostMessage['type']>(type: T, handler: (msg: Extract<HostMessage, { type: T }>) => void): Disposable;
  /** Listens to a feature's `notify` events by topic (`run.progress`…). */
  onNotify(topic: string, handler: (data: unknown) => void): Disposable;
  /** Answers requests the host makes of the webview (`export.list`, `export.produce`). */
  handle(method: string, handler: RpcHandler): Disposable;
  dispose(): void;
}

/**
 * Creates a bus. `post` sends an envelope to the host; `onMessage` subscribes to whatever the
 * transport receives (unchecked: the bus drops anything that is not a well-formed envelope).
 */
export function createBus(
  post: (msg: Envelope) => void,
  onMessage: (listener: (msg: unknown) => void) => Disposable | void,
): Bus {
  const listeners = new Map<string, Set<(msg: never) => void>>();
  const topics = new Map<string, Set<(data: unknown) => void>>();
  const handlers = new Map<string, RpcHandler>();
  const rpc = new RpcEndpoint<WebviewMessage>((env) => post(env as Envelope), (m) => handlers.get(m));

  const add = <K, V>(map: Map<K, Set<V>>, key: K, value: V): Disposable => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
    return { dispose: () => set!.delete(value) };
  };

  const sub = onMessage((wire) => {
    const raw = unpackEnvelope(wire);
    if (!isEnvelope(raw)) return;
    if (rpc.handle(raw)) return;
    const body = raw.body as HostMessage;
    if (body.type === 'notify') {
      for (const h of topics.get(body.topic) ?? []) safely(() => h(body.data));
      return;
    }
    for (const h of listeners.get(body.type) ?? []) safely(() => (h as (m: HostMessage) => void)(body));
  });

  return {
    request: (method: string, params?: unknown, opts?: { signal?: AbortSignal }) => rpc.request(method, params ?? {}, opts?.signal),
    post: (msg) => rpc.post(msg),
    on: (type, handler) => add(listeners, type, handler as (msg: never) => void),
    onNotify: (topic, handler) => add(topics, topic, handler),
    handle: (method, handler) => {
      handlers.set(method, handler);
      return { dispose: () => { if (handlers.get(method) === handler) handlers.delete(method); } };
    },
    dispose: () => {
      rpc.dispose();
      listeners.clear();
      topics.clear();
      handlers.clear();
      sub?.dispose();
    },
  } as Bus;
}

/** A listener that throws must not stop the others (or the message loop). */
function safely(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    console.error(e);
  }
}
