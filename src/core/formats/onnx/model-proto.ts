// ModelProto and FunctionProto → IR Model. The whole structure is read in one pass over the file;
// tensor bytes are skipped and only located.
import { ModelError } from '../../ir/errors.js';
import type { Model, ModelFunction, OpsetImport } from '../../ir/graph.js';
import { Msg, Wire } from './schema.js';
import { newGraphBuild, parseGraphYielding, parseNode, parseValueInfo, type GraphBuild, type ParseContext } from './graph-proto.js';
import { linkGraph } from './link.js';
import { readStringEntry } from './string-entry.js';

function parseOpset(ctx: ParseContext, wire: number, index: number): OpsetImport {
  const r = ctx.r;
  const e = r.enter(wire, Msg.Opset, index);
  const o: OpsetImport = { domain: '', version: 0 };
  while (r.pos < e) {
    const w = r.key();
    if (r.field === 1) { r.expect(w, Wire.Len); o.domain = r.string(); }
    else if (r.field === 2) { r.expect(w, Wire.Varint); o.version = r.int64(); }
    else r.skip(w);
  }
  r.leave(e);
  return o;
}

function parseFunction(ctx: ParseContext, wire: number, index: number): ModelFunction {
  const r = ctx.r;
  const e = r.enter(wire, Msg.Function, index);
  const b = newGraphBuild(ctx, null);
  const fn: ModelFunction = { name: '', domain: '', graph: b.graph, attributeNames: [], opsets: [] };
  while (r.pos < e) {
    const w = r.key();
    switch (r.field) {
      case 1: r.expect(w, Wire.Len); fn.name = r.string(); break;
      case 10: r.expect(w, Wire.Len); fn.domain = r.string(); break;
      case 4: r.expect(w, Wire.Len); b.inputs.push({ name: r.string() }); break;
      case 5: r.expect(w, Wire.Len); b.outputs.push({ name: r.string() }); break;
      case 6: r.expect(w, Wire.Len); fn.attributeNames.push(r.string()); break;
      case 11: {
        // Attributes with default values: only the name matters for display.
        const e2 = r.enter(w, Msg.Attribute, fn.attributeNames.length);
        while (r.pos < e2) {
          const w2 = r.key();
          if ((r.field as number) === 1) { r.expect(w2, Wire.Len); fn.attributeNames.push(r.string()); }
          else r.skip(w2);
        }
        r.leave(e2);
        break;
      }
      case 7: {
        const e2 = r.enter(w, Msg.Node, b.graph.nodes.length);
        parseNode(ctx, b, e2);
        r.leave(e2);
        ctx.nodeCount++; // function bodies count towards the node limit too
        break;
      }
      case 8: r.expect(w, Wire.Len); b.graph.docString = r.string(); break;
      case 9: fn.opsets.push(parseOpset(ctx, w, fn.opsets.length)); break;
      case 12: b.valueInfo.push(parseValueInfo(ctx, w, b.valueInfo.length)); break;
      default: r.skip(w);
    }
  }
  r.leave(e);
  b.graph.name = fn.name;
  return fn;
}

/** Reads a whole ModelProto from the context's reader (positioned at byte 0). */
export async function parseModel(ctx: ParseContext, path: string): Promise<Model> {
  const r = ctx.r;
  const end = r.size;
  let main: GraphBuild | null = null;
  const model: Model = {
    format: 'onnx', path, files: [path], opsets: [], metadata: {}, functions: [], properties: {},
    graph: null as unknown as Model['graph'],
    close: async () => undefined,
  };
  let nMeta = 0, nFn = 0;
  while (r.pos < end) {
    const wire = r.key();
    switch (r.field) {
      case 1: r.expect(wire, Wire.Varint); model.irVersion = r.int64(); break;
      case 2: r.expect(wire, Wire.Len); model.producerName = r.string(); break;
      case 3: r.expect(wire, Wire.Len); model.producerVersion = r.string(); break;
      case 4: r.expect(wire, Wire.Len); model.properties.domain = r.string(); break;
      case 5: r.expect(wire, Wire.Varint); model.properties.modelVersion = String(r.int64()); break;
      case 6: r.expect(wire, Wire.Len); model.docString = r.string(); break;
      case 7: {
        const e = r.enter(wire, Msg.Graph, -1);
        // A second graph field would be merged by protobuf; ONNX writers never emit one.
        main ??= newGraphBuild(ctx, null);
        await parseGraphYielding(ctx, main, e);
        r.leave(e);
        break;
      }
      case 8: model.opsets.push(parseOpset(ctx, wire, model.opsets.length)); break;
      case 14: { const [k, v] = readStringEntry(ctx.r, wire, nMeta++); model.metadata[k] = v; break; }
      case 25: model.functions.push(parseFunction(ctx, wire, nFn++)); break;
      default: r.skip(wire);
    }
  }
  if (!main) throw new ModelError('malformed', 'no graph found: this is not an ONNX model (ModelProto.graph is missing)', { file: path, offset: 0 });
  model.graph = main.graph;
  // Parents were created before their subgraphs, so linking in creation order sees complete scopes.
  for (const b of ctx.builds) linkGraph(b);
  for (const f of ctx.externalFiles) model.files.push(f);
  return model;
}
