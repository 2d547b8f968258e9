// The state of an alignment while the passes (align.ts, rewrites.ts) grow it: node pairs, what
// each pair absorbed, and the value map A → B the passes walk along.
import type { Node, Value } from '../ir/graph.js';
import type { MatchReason } from './types.js';
import { chainBack, isConstant, type GraphSide } from './graph-side.js';

export class Alignment {
  /** A node → its B partner (the primary node of a rewrite). */
  readonly aToB = new Map<Node, Node>();
  readonly bToA = new Map<Node, Node>();
  readonly reason = new Map<Node, MatchReason>();
  /** Extra nodes a rewrite match absorbed, by the A node of the match. */
  readonly fusedA = new Map<Node, Node[]>();
  readonly fusedB = new Map<Node, Node[]>();
  /** Nodes taken by some match as fused partners. */
  readonly absorbedA = new Set<Node>();
  readonly absorbedB = new Set<Node>();
  /** A value → the B value that carries the same thing. */
  readonly values = new Map<Value, Value>();
  readonly valuesBack = new Map<Value, Value>();

  constructor(readonly a: GraphSide, readonly b: GraphSide) {}

  takenA(n: Node): boolean { return this.aToB.has(n) || this.absorbedA.has(n); }
  takenB(n: Node): boolean { return this.bToA.has(n) || this.absorbedB.has(n); }

  mapValue(va: Value, vb: Value): void {
    // An optional output left out is written as '': nothing flows there.
    if (!va.name || !vb.name) return;
    if (this.values.has(va) || this.valuesBack.has(vb)) return;
    this.values.set(va, vb);
    this.valuesBack.set(vb, va);
  }

  /** Maps `va` to `vb`, dropping what either was mapped to before (a rewrite moves a value's partner). */
  remapValue(va: Value, vb: Value): void {
    const oldB = this.values.get(va), oldA = this.valuesBack.get(vb);
    if (oldB) this.valuesBack.delete(oldB);
    if (oldA) this.values.delete(oldA);
    this.values.delete(va);
    this.valuesBack.delete(vb);
    this.mapValue(va, vb);
  }

  /**
   * Pairs two main-graph nodes, maps their outputs by position and their non-constant inputs slot
   * by slot. False when either is taken or lies in a subgraph (an If branch reading an outer value).
   */
  match(na: Node, nb: Node, reason: MatchReason): boolean {
    if (this.takenA(na) || this.takenB(nb) || !this.a.names.has(na) || !this.b.names.has(nb)) return false;
    this.aToB.set(na, nb);
    this.bToA.set(nb, na);
    this.reason.set(na, reason);
    const outs = Math.min(na.outputs.length, nb.outputs.length);
    for (let i = 0; i < outs; i++) this.mapValue(na.outputs[i], nb.outputs[i]);
    const ins = Math.min(na.inputs.length, nb.inputs.length);
    for (let i = 0; i < ins; i++) {
      const va = na.inputs[i], vb = nb.inputs[i];
      if (!va || !vb) continue;
      if (isConstant(va) && isConstant(vb)) { this.matchConstantProducers(va, vb); continue; }
      if (isConstant(va) || isConstant(vb)) continue;
      // Map the values in front of any inserted pass-through nodes, so a Q/DQ pair stays between.
      const ca = chainBack(va), cb = chainBack(vb);
      this.mapValue(ca[ca.length - 1], cb[cb.length - 1]);
      this.mapValue(va, vb);
    }
    return true;
  }

  /** Adds `na`/`nb` as fused partners of an existing match (a rewrite). */
  absorb(matchA: Node, extraA: Node[], extraB: Node[]): void {
    if (!this.aToB.has(matchA) || extraA.some((n) => !this.a.names.has(n)) || extraB.some((n) => !this.b.names.has(n))) return;
    this.reason.set(matchA, 'rewrite');
    if (extraA.length) this.fusedA.set(matchA, [...(this.fusedA.get(matchA) ?? []), ...extraA]);
    if (extraB.length) {
      const nb = this.aToB.get(matchA)!;
      this.fusedB.set(nb, [...(this.fusedB.get(nb) ?? []), ...extraB]);
    }
    for (const n of extraA) this.absorbedA.add(n);
    for (const n of extraB) this.absorbedB.add(n);
  }

  /** Two Constant nodes feeding the same slot of matched nodes are a pair too. */
  private matchConstantProducers(va: Value, vb: Value): void {
    const pa = va.producer, pb = vb.producer;
    if (pa?.opType === 'Constant' && pb?.opType === 'Constant' && !this.takenA(pa) && !this.takenB(pb)) this.match(pa, pb, this.reason.get(pa) ?? 'topology');
  }

  /** The B value that an A value's content reaches: mapped directly or through pass-through nodes on either side. */
  partnerValue(va: Value): Value | undefined {
    for (const x of chainBack(va)) {
      const vb = this.values.get(x);
      if (vb) return vb;
    }
    return undefined;
  }

  /** The A value that a B value's content comes from (the reverse of partnerValue). */
  partnerValueBack(vb: Value): Value | undefined {
    for (const y of chainBack(vb)) {
      const va = this.valuesBack.get(y);
      if (va) return va;
    }
    return undefined;
  }

  /** True when B's value carries A's (the same value seen through inserted Q/DQ/Cast on either side). */
  sameValue(va: Value, vb: Value): boolean | undefined {
    const chainB = chainBack(vb);
    let known = false;
    for (const x of chainBack(va)) {
      const m = this.values.get(x);
      if (!m) continue;
      known = true;
      if (chainB.includes(m)) return true;
    }
    for (const y of chainB) if (this.valuesBack.has(y)) known = true;
    return known ? false : undefined;
  }
}
