// A graph payload held as its packed bytes (graph-payload-pack.ts), decoded only when something on
// this side reads it. The extension host gets the bytes from the parse worker and forwards them to
// the webview untouched; only a command that lists the nodes (Go to Node…) ever decodes them there.
// The webview decodes in turns before it builds the view.
import type { GraphInfo, GraphPayload, NodeInfo, ValueInfo, WeightInfo } from './model-view-types.js';
import { packGraphPayload, unpackGraphPayload, unpackGraphPayloadInTurns } from './graph-payload-pack.js';

export class PackedGraph implements GraphPayload {
  private decoded: GraphPayload | null;
  private packed: Uint8Array | null;

  private constructor(bytes: Uint8Array | null, payload: GraphPayload | null) {
    this.packed = bytes;
    this.decoded = payload;
  }

  static fromBytes(bytes: Uint8Array): PackedGraph {
    return new PackedGraph(bytes, null);
  }

  /** Wraps a payload built here; it is packed the first time its bytes are asked for. */
  static of(payload: GraphPayload): PackedGraph {
    return payload instanceof PackedGraph ? payload : new PackedGraph(null, payload);
  }

  get bytes(): Uint8Array {
    return (this.packed ??= packGraphPayload(this.decoded!));
  }

  private get payload(): GraphPayload {
    return (this.decoded ??= unpackGraphPayload(this.packed!));
  }

  /** Decodes now unless already done, with `pause` between steps (no long task on a page's thread). */
  async decodeInTurns(pause: () => Promise<void>): Promise<void> {
    if (!this.decoded) this.decoded = await unpackGraphPayloadInTurns(this.packed!, pause);
  }

  get graphs(): GraphInfo[] { return this.payload.graphs; }
  get nodes(): NodeInfo[] { return this.payload.nodes; }
  get values(): ValueInfo[] { return this.payload.values; }
  get weights(): WeightInfo[] { return this.payload.weights; }

  /** The plain tables, for anything that serializes the payload as JSON. */
  toJSON(): GraphPayload {
    return this.payload;
  }
}
