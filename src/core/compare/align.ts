// Aligns the main graphs of two models: by node and value names first, then by op type and
// topology forwards (a node whose inputs come from matched nodes) and backwards (the producer of
// a matched value), looking through inserted Q/DQ, Cast and Identity nodes, with the known
// rewrites of rewrites.ts in between, until nothing more matches. Every pass is linear in the graph.
import type { Node, Value } from '../ir/graph.js';
import { Alignment } from './alignment.js';
import { constantSource, consumersThrough, graphSide, isConstant, opKey, type GraphSide } from './graph-side.js';
import { applyRewrites } from './rewrites.js';
import type { Model } from '../ir/graph.js';

/** Rounds of forward, rewrite and backward passes; each round only adds matches. */
const MAX_ROUNDS = 6;

/** Aligns `a` with `b`. */
export function alignModels(a: Model, b: Model): Alignment {
  const al = new Alignment(graphSide(a), graphSide(b));
  mapGraphValues(al, a.graph.inputs, b.graph.inputs);
  mapGraphValues(al, a.graph.outputs, b.graph.outputs);
  matchByName(al);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = al.aToB.size + al.absorbedA.size;
    forwardPass(al);
    applyRewrites(al);
    backwardPass(al);
    applyRewrites(al);
    if (al.aToB.size + al.absorbedA.size === before) break;
  }
  return al;
}

/** Graph inputs/outputs: by name, and the rest by position when both sides have as many. */
function mapGraphValues(al: Alignment, va: readonly Value[], vb: readonly Value[]): void {
  const byName = new Map(vb.map((v) => [v.name, v]));
  const left: Value[] = [];
  for (const v of va) {
    const w = byName.get(v.name);
    if (w) al.mapValue(v, w); else left.push(v);
  }
  const leftB = vb.filter((v) => !al.valuesBack.has(v));
  if (left.length === leftB.length) left.forEach((v, i) => al.mapValue(v, leftB[i]));
}

/** Same node name and op type; else the same first output name and op type. */
function matchByName(al: Alignment): void {
  const byName = new Map<string, Node>();
  const byOutput = new Map<string, Node>();
  for (const n of al.b.nodes) {
    if (n.name) byName.set(n.name, n);
    if (n.outputs[0]) byOutput.set(n.outputs[0].name, n);
  }
  for (const na of al.a.order) {
    let nb = na.name ? byName.get(na.name) : undefined;
    if (!nb || opKey(nb.opType) !== opKey(na.opType) || al.takenB(nb)) nb = na.outputs[0] ? byOutput.get(na.outputs[0].name) : undefined;
    if (nb && opKey(nb.opType) === opKey(na.opType) && !al.takenB(nb)) al.match(na, nb, 'name');
  }
}

/**
 * Whether B's node reads what A's node reads, slot by slot: constants against constants, values
 * against their partners; `null` when no slot says yes (nothing known), false when one says no.
 */
export function slotsAgree(al: Alignment, na: Node, nb: Node): boolean | null {
  let yes = 0;
  const n = Math.max(na.inputs.length, nb.inputs.length);
  for (let i = 0; i < n; i++) {
    const va = na.inputs[i] ?? null, vb = nb.inputs[i] ?? null;
    if (!va || !vb) {
      // An absent optional input against a constant (a bias a fold added) is fine; against a value not.
      if ((va && !isConstant(va)) || (vb && !isConstant(vb))) return false;
      continue;
    }
    const ca = isConstant(va), cb = isConstant(vb);
    if (ca !== cb) return false;
    if (ca) continue;
    const same = al.sameValue(va, vb);
    if (same === false) return false;
    if (same) yes++;
  }
  return yes > 0 ? true : null;
}

/** In topological order: an unmatched A node whose inputs have partners is paired with a B consumer of those partners. */
function forwardPass(al: Alignment): void {
  for (const na of al.a.order) {
    if (al.takenA(na)) continue;
    const nb = forwardCandidate(al, na);
    if (nb) al.match(na, nb, 'topology');
  }
}

function forwardCandidate(al: Alignment, na: Node): Node | undefined {
  const key = opKey(na.opType);
  for (const va of na.inputs) {
    if (!va || isConstant(va)) continue;
    const vb = al.partnerValue(va);
    if (!vb) continue;
    let found: Node | undefined, foundScore = -1;
    for (const c of consumersThrough(vb)) {
      if (al.takenB(c) || opKey(c.opType) !== key || c.outputs.length !== na.outputs.length) continue;
      if (slotsAgree(al, na, c) !== true) continue;
      // Several alike (parallel Q/K/V projections): the weights' names, then sizes, then B's order decide.
      const score = weightLikeness(na, c);
      if (score > foundScore || (score === foundScore && al.b.rank.get(c)! < al.b.rank.get(found!)!)) { found = c; foundScore = score; }
    }
    if (found) return found;
  }
  return undefined;
}

/** 2 per constant slot whose weights share a name, 1 per slot whose weights share an element count. */
function weightLikeness(na: Node, nb: Node): number {
  let score = 0;
  for (let i = 0; i < Math.min(na.inputs.length, nb.inputs.length); i++) {
    const ta = constantSource(na.inputs[i])?.tensor, tb = constantSource(nb.inputs[i])?.tensor;
    if (!ta || !tb) continue;
    if (ta.name && ta.name === tb.name) score += 2;
    else if (ta.elementCount === tb.elementCount) score += 1;
  }
  return score;
}

/** In reverse topological order: the producers of two partner values are partners when their op types agree. */
function backwardPass(al: Alignment): void {
  for (let i = al.a.order.length - 1; i >= 0; i--) {
    const na = al.a.order[i];
    if (al.takenA(na)) continue;
    const key = opKey(na.opType);
    for (let k = 0; k < na.outputs.length; k++) {
      const vb = al.values.get(na.outputs[k]);
      const nb = vb?.producer;
      if (!nb || al.takenB(nb) || opKey(nb.opType) !== key || nb.outputs[k] !== vb) continue;
      if (slotsAgree(al, na, nb) === false) continue;
      al.match(na, nb, 'topology');
      break;
    }
  }
}

export type { Alignment, GraphSide };
