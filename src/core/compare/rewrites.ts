// The rewrites converters and optimizers make, recognized so the rewritten part is one match
// (reason 'rewrite') and not removed + added: BatchNormalization folded into the Conv (or Gemm)
// before it, MatMul + Add of a bias turned into Gemm, and a fused node (Attention, LayerNormalization,
// Gelu, a contrib op…) standing for a region of the other side. Each rule runs both ways.
import type { Node, Value } from '../ir/graph.js';
import type { Alignment } from './alignment.js';
import { consumersThrough, isConstant, PASSTHROUGH_OPS } from './graph-side.js';

const FOLD_HOSTS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);
/** Ops that stand for a region of plain ops (ONNX functions, ORT contrib fusions, TF.js fused kernels). */
const FUSED_OPS = new Set([
  'Attention', 'MultiHeadAttention', 'GroupQueryAttention', 'PackedAttention', 'DecoderMaskedMultiHeadAttention', 'PagedAttention',
  'LayerNormalization', 'SkipLayerNormalization', 'SimplifiedLayerNormalization', 'SkipSimplifiedLayerNormalization', 'RMSNormalization',
  'EmbedLayerNormalization', 'GroupNorm', 'GroupNormalization', 'Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu', 'BiasSplitGelu', 'BiasAdd',
  'FusedMatMul', 'FusedConv', 'FusedGemm', 'RotaryEmbedding', 'HardSwish', 'Mish', 'Swish', 'HardSigmoid', 'Softplus',
  '_FusedConv2D', '_FusedMatMul', 'FusedBatchNorm', 'FusedBatchNormV3', 'FusedDepthwiseConv2dNative',
]);
const isFused = (n: Node) => FUSED_OPS.has(n.opType) || n.domain === 'com.microsoft' && !PASSTHROUGH_OPS.has(n.opType);

/** Largest region one fused node may stand for. */
const MAX_REGION = 64;

/** Applies every rule once over the graphs; returns how many matches it made or widened. */
export function applyRewrites(al: Alignment): number {
  return foldedBatchNorm(al, 'a') + foldedBatchNorm(al, 'b') + matmulAddGemm(al, 'a') + matmulAddGemm(al, 'b') + fusedRegions(al, 'a') + fusedRegions(al, 'b');
}

/** A view of the alignment from one side, so a rule written once runs both ways. */
interface Sided {
  nodes: Node[];
  taken(n: Node): boolean;
  partnerNode(n: Node): Node | undefined;
  otherTaken(n: Node): boolean;
  partnerValue(v: Value): Value | undefined;
  /** The other side's value → this side's. */
  backValue(v: Value): Value | undefined;
  /** Absorbs `extra` (this side) into the match of `host` (this side). */
  absorb(host: Node, extra: Node[]): void;
  /** Makes a rewrite match of `mine` (this side) with `theirs` (the other), absorbing `extra` (this side); false when it cannot. */
  matchWith(mine: Node, theirs: Node, extra: Node[]): boolean;
}

function sided(al: Alignment, side: 'a' | 'b'): Sided {
  if (side === 'a') {
    return {
      nodes: al.a.order,
      taken: (n) => al.takenA(n),
      partnerNode: (n) => al.aToB.get(n),
      otherTaken: (n) => al.takenB(n),
      partnerValue: (v) => al.partnerValue(v),
      backValue: (v) => al.partnerValueBack(v),
      absorb: (host, extra) => al.absorb(host, extra, []),
      matchWith: (mine, theirs, extra) => { if (!al.match(mine, theirs, 'rewrite')) return false; al.absorb(mine, extra, []); return true; },
    };
  }
  return {
    nodes: al.b.order,
    taken: (n) => al.takenB(n),
    partnerNode: (n) => al.bToA.get(n),
    otherTaken: (n) => al.takenA(n),
    partnerValue: (v) => al.partnerValueBack(v),
    backValue: (v) => al.partnerValue(v),
    absorb: (host, extra) => al.absorb(al.bToA.get(host)!, [], extra),
    matchWith: (mine, theirs, extra) => { if (!al.match(theirs, mine, 'rewrite')) return false; al.absorb(theirs, [], extra); return true; },
  };
}

/** The fused output carries the region's last value, not the host's own output (which the other side lacks). */
const mapBoth = (al: Alignment, side: 'a' | 'b', mine: Value, theirs: Value) => (side === 'a' ? al.remapValue(mine, theirs) : al.remapValue(theirs, mine));

/** This side: host → BatchNormalization, the other: the host's partner with no BatchNormalization after it. */
function foldedBatchNorm(al: Alignment, side: 'a' | 'b'): number {
  const s = sided(al, side);
  let made = 0;
  for (const bn of s.nodes) {
    if (bn.opType !== 'BatchNormalization' || s.taken(bn) || !bn.inputs[0]) continue;
    const host = bn.inputs[0].producer;
    if (!host || !FOLD_HOSTS.has(host.opType) || bn.inputs[0].consumers.length !== 1) continue;
    const partner = s.partnerNode(host);
    if (!partner || partner.opType !== host.opType || !partner.outputs[0]) continue;
    if (consumersThrough(partner.outputs[0]).some((c) => c.opType === 'BatchNormalization')) continue;
    if (!bn.inputs.slice(1).every(isConstant)) continue;
    s.absorb(host, [bn]);
    mapBoth(al, side, bn.outputs[0], partner.outputs[0]);
    made++;
  }
  return made;
}

/** This side: MatMul(x, W) → Add(·, bias); the other: Gemm(x', W', bias') with x' the partner of x. */
function matmulAddGemm(al: Alignment, side: 'a' | 'b'): number {
  const s = sided(al, side);
  const other = side === 'a' ? al.b.order : al.a.order;
  let made = 0;
  for (const gemm of other) {
    if (gemm.opType !== 'Gemm' || s.otherTaken(gemm) || !gemm.inputs[0]) continue;
    const x = s.backValue(gemm.inputs[0]);
    if (!x) continue;
    for (const mm of consumersThrough(x)) {
      if (mm.opType !== 'MatMul' || s.taken(mm) || !mm.inputs[1] || !isConstant(mm.inputs[1]) || !mm.outputs[0]) continue;
      const adds = mm.outputs[0].consumers;
      const add = adds.length === 1 && adds[0].opType === 'Add' && !s.taken(adds[0]) ? adds[0] : undefined;
      if (!add || !add.inputs.some((v) => v && v !== mm.outputs[0] && isConstant(v))) continue;
      if (!s.matchWith(mm, gemm, [add])) continue;
      mapBoth(al, side, add.outputs[0], gemm.outputs[0]);
      made++;
      break;
    }
  }
  return made;
}

/**
 * The other side's unmatched node F whose output has a partner O here and whose inputs have
 * partners here too: the unmatched nodes between those inputs and O are the region F stands for.
 */
function fusedRegions(al: Alignment, side: 'a' | 'b'): number {
  const s = sided(al, side);
  const other = side === 'a' ? al.b.order : al.a.order;
  let made = 0;
  for (const f of other) {
    if (s.otherTaken(f) || !isFused(f)) continue;
    const out = f.outputs.map((v) => s.backValue(v)).find((v): v is Value => !!v);
    if (!out?.producer || s.taken(out.producer)) continue;
    const stops = new Set<Value>();
    for (const v of f.inputs) if (v && !isConstant(v)) { const m = s.backValue(v); if (m) stops.add(m); }
    if (!stops.size) continue;
    const region = regionBetween(out.producer, stops, s);
    if (!region || region.length < 2) continue;
    if (s.matchWith(out.producer, f, region.filter((n) => n !== out.producer))) made++;
  }
  return made;
}

/** The nodes from `last` back to the `stops` values (constants end a path too); null when a path leaves the region. */
function regionBetween(last: Node, stops: Set<Value>, s: Sided): Node[] | null {
  const seen = new Set<Node>([last]);
  const stack = [last];
  let reachedStop = false;
  while (stack.length) {
    const n = stack.pop()!;
    for (const v of n.inputs) {
      if (!v) continue;
      if (stops.has(v)) { reachedStop = true; continue; }
      if (isConstant(v)) continue;
      const p = v.producer;
      if (!p || s.taken(p)) return null; // a graph input or a matched node not among F's inputs
      if (seen.has(p)) continue;
      seen.add(p);
      if (seen.size > MAX_REGION) return null;
      stack.push(p);
    }
  }
  return reachedStop ? [...seen] : null;
}
