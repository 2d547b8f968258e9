// Which source values survive ONNX Runtime's graph optimizations, and where the others went.
// ORT keeps a value's name when the node that now computes it is a fused one (Conv + Relu runs as
// one Conv whose output is still the Relu's output name), so a source value is tapped on the
// optimized graph when some optimized node outputs it. A value that no optimized node outputs was
// computed inside a fusion: it is reported as fused into the nearest source node downstream whose
// output survives (the last source node the fusion covers). One with no surviving value downstream
// was folded into a constant when the session was created (into: null). At level 'all' on the CPU
// a Conv's output may instead stay in NCHWc blocks (ORT names the node computing it `<value>_nchwc`):
// such a value is computed but not in the source layout, so it is reported as `blocked`, into the
// source node that produces it, and it counts as surviving for the values fused upstream of it.
import type { WireNode } from '../model-write/index.js';

/** A captured value that the optimized graph does not compute on its own. */
export interface FusedValue {
  value: string;
  /** The source node whose (surviving) output the fusion computes; null: folded at load. */
  into: string | null;
  /** Computed by `into` itself, but kept in ORT's NCHWc block layout, which no tap reads back. */
  blocked?: true;
}

export interface FusionMap {
  survives(value: string): boolean;
  fusedInto(value: string): string | null;
  blocked(value: string): boolean;
}

/** Unnamed nodes are `<op>_<index>`, the name ORT gives them (as in profile.ts). */
const label = (n: WireNode, i: number) => n.name || `${n.op}_${i}`;

export function mapFusion(source: readonly WireNode[], optimizedOutputs: Iterable<string>, optimizedNodeNames: Iterable<string> = []): FusionMap {
  const kept = new Set(optimizedOutputs);
  const names = new Set(optimizedNodeNames);
  const blocked = (v: string) => !kept.has(v) && names.has(`${v}_nchwc`);
  const computed = (v: string) => kept.has(v) || blocked(v);
  const producer = new Map<string, string>();
  source.forEach((n, i) => { for (const o of n.outputs) if (o) producer.set(o, label(n, i)); });
  const consumers = new Map<string, number[]>();
  source.forEach((n, i) => { for (const v of n.inputs) if (v) { const c = consumers.get(v); if (c) c.push(i); else consumers.set(v, [i]); } });
  const memo = new Map<string, string | null>();
  const fusedInto = (value: string): string | null => {
    const hit = memo.get(value);
    if (hit !== undefined) return hit;
    if (blocked(value)) return producer.get(value) ?? null;
    // Breadth first downstream: the nearest surviving value is the fusion's output.
    const seen = new Set([value]);
    let frontier = [value];
    let into: string | null = null;
    while (frontier.length && into === null) {
      const next: string[] = [];
      for (const v of frontier) {
        for (const i of consumers.get(v) ?? []) {
          const n = source[i];
          if (into === null && n.outputs.some((o) => o && computed(o))) into = label(n, i);
          for (const o of n.outputs) if (o && !seen.has(o)) { seen.add(o); next.push(o); }
        }
      }
      frontier = next;
    }
    memo.set(value, into);
    return into;
  };
  return { survives: (v) => kept.has(v), fusedInto, blocked };
}

/** Splits captured names (graph order) into those tapped on the optimized graph and the fused ones. */
export function splitByFusion(names: readonly string[], fusion: FusionMap): { tapped: string[]; fused: FusedValue[] } {
  const tapped: string[] = [];
  const fused: FusedValue[] = [];
  for (const n of names) {
    if (fusion.survives(n)) tapped.push(n);
    else fused.push({ value: n, into: fusion.fusedInto(n), ...(fusion.blocked(n) ? { blocked: true as const } : {}) });
  }
  return { tapped, fused };
}
