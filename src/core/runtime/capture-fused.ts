// Which source values survive ONNX Runtime's graph optimizations, and where the others went.
// ORT keeps a value's name when the node that now computes it is a fused one (Conv + Relu runs as
// one Conv whose output is still the Relu's output name), so a source value is tapped on the
// optimized graph when some optimized node outputs it. A value that no optimized node outputs was
// computed inside a fusion: it is reported as fused into the nearest source node downstream whose
// output survives (the last source node the fusion covers). One with no surviving value downstream
// was folded into a constant when the session was created (into: null).
import type { WireNode } from '../model-write/index.js';

/** A captured value that the optimized graph does not compute on its own. */
export interface FusedValue {
  value: string;
  /** The source node whose (surviving) output the fusion computes; null: folded at load. */
  into: string | null;
}

export interface FusionMap {
  survives(value: string): boolean;
  fusedInto(value: string): string | null;
}

/** Unnamed nodes are `<op>_<index>`, the name ORT gives them (as in profile.ts). */
const label = (n: WireNode, i: number) => n.name || `${n.op}_${i}`;

export function mapFusion(source: readonly WireNode[], optimizedOutputs: Iterable<string>): FusionMap {
  const kept = new Set(optimizedOutputs);
  const consumers = new Map<string, number[]>();
  source.forEach((n, i) => { for (const v of n.inputs) if (v) { const c = consumers.get(v); if (c) c.push(i); else consumers.set(v, [i]); } });
  const memo = new Map<string, string | null>();
  const fusedInto = (value: string): string | null => {
    const hit = memo.get(value);
    if (hit !== undefined) return hit;
    // Breadth first downstream: the nearest surviving value is the fusion's output.
    const seen = new Set([value]);
    let frontier = [value];
    let into: string | null = null;
    while (frontier.length && into === null) {
      const next: string[] = [];
      for (const v of frontier) {
        for (const i of consumers.get(v) ?? []) {
          const n = source[i];
          if (into === null && n.outputs.some((o) => o && kept.has(o))) into = label(n, i);
          for (const o of n.outputs) if (o && !seen.has(o)) { seen.add(o); next.push(o); }
        }
      }
      frontier = next;
    }
    memo.set(value, into);
    return into;
  };
  return { survives: (v) => kept.has(v), fusedInto };
}

/** Splits captured names (graph order) into those tapped on the optimized graph and the fused ones. */
export function splitByFusion(names: readonly string[], fusion: FusionMap): { tapped: string[]; fused: FusedValue[] } {
  const tapped: string[] = [];
  const fused: FusedValue[] = [];
  for (const n of names) {
    if (fusion.survives(n)) tapped.push(n);
    else fused.push({ value: n, into: fusion.fusedInto(n) });
  }
  return { tapped, fused };
}
