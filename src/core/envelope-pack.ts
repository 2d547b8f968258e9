// The wire form of the messages that carry a whole graph: the editor's `init` (its graph) and the
// compare panel's `compare-init` (both sides' graphs). Each graph crosses as its packed bytes
// (graph-payload-pack.ts): one buffer goes host → renderer → webview far faster than an object tree
// that every hop clones (10k nodes: 0.7 s as objects in code-server), and a buffer the parse worker
// packed is forwarded without being decoded on the host. Other messages pass unchanged.
import type { GraphPayload } from './model-view-types.js';
import { PackedGraph } from './packed-graph.js';

interface PackedField { packedGraph: Uint8Array }

type Body = Record<string, unknown> & { type?: unknown };

const isPacked = (x: unknown): x is PackedField => typeof x === 'object' && x !== null && (x as PackedField).packedGraph instanceof Uint8Array;

function mapGraphs(body: Body, fn: (graph: unknown) => unknown): Body | null {
  if (body.type === 'init') return { ...body, graph: fn(body.graph) };
  if (body.type === 'compare-init') {
    const side = (s: unknown) => (typeof s === 'object' && s !== null ? { ...s, graph: fn((s as { graph?: unknown }).graph) } : s);
    return { ...body, a: side(body.a), b: side(body.b) };
  }
  return null;
}

/** The envelope as it is posted: its graphs as packed bytes. */
export function packEnvelope<E extends { body: { type: string } }>(env: E): unknown {
  const body = mapGraphs(env.body as unknown as Body, (g) => ({ packedGraph: PackedGraph.of(g as GraphPayload).bytes } satisfies PackedField));
  return body ? { ...env, body } : env;
}

/**
 * Reverses packEnvelope on the receiving side (anything else passes through for isEnvelope to judge).
 * Each graph arrives as a PackedGraph: decoded when first read, or in turns (decodeInTurns).
 */
export function unpackEnvelope(raw: unknown): unknown {
  const body = (raw as { body?: unknown } | null)?.body;
  if (typeof body !== 'object' || body === null) return raw;
  const unpacked = mapGraphs(body as Body, (g) => (isPacked(g) ? PackedGraph.fromBytes(g.packedGraph) : g));
  return unpacked ? { ...(raw as object), body: unpacked } : raw;
}
