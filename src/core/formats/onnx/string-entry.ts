// StringStringEntryProto (metadata_props, external_data): the one key/value message ONNX repeats.
import { Msg, Wire } from './schema.js';
import type { WireReader } from './wire-reader.js';

/** Reads one StringStringEntryProto at the reader's position; `index` names it in error paths. */
export function readStringEntry(r: WireReader, wire: number, index: number): [key: string, value: string] {
  const e = r.enter(wire, Msg.Entry, index);
  let k = '', v = '';
  while (r.pos < e) {
    const w = r.key();
    if (r.field === 1) { r.expect(w, Wire.Len); k = r.string(); }
    else if (r.field === 2) { r.expect(w, Wire.Len); v = r.string(); }
    else r.skip(w);
  }
  r.leave(e);
  return [k, v];
}
