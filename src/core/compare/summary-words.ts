// The model-wide weight summary and the report's plain-words lines: what a reader gets before
// (or instead of) the lists.
import type { ComparedWeight } from './weights.js';
import type { DiffReport, WeightSummary } from './types.js';

/** `4.8e-4`, `0.012`, `3`. */
export function shortNumber(v: number): string {
  if (v === null || Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-2 ? v.toExponential(1).replace('e+', 'e') : Number(v.toPrecision(3)).toString();
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Names listed in a sentence before "and N more". */
const LISTED = 5;

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

/** Counts, the largest error, and the tensors that changed beyond rounding, in one sentence. */
export function weightSummary(compared: readonly ComparedWeight[]): WeightSummary {
  const dtypeChanges: Record<string, number> = {};
  let changed = 0, maxRel = 0, comparable = 0;
  const beyond: string[] = [];
  for (const c of compared) {
    if (c.diff.dtype.includes('→')) dtypeChanges[c.diff.dtype] = (dtypeChanges[c.diff.dtype] ?? 0) + 1;
    if (c.identical) continue;
    changed++;
    if (Number.isFinite(c.diff.maxRel)) { comparable++; if (c.diff.maxRel > maxRel) maxRel = c.diff.maxRel; }
    if (c.beyondRounding) beyond.push(c.diff.name);
  }
  const parts: string[] = [];
  const transitions = Object.entries(dtypeChanges).sort((x, y) => y[1] - x[1]);
  if (!compared.length) parts.push('no weights matched');
  else if (!changed) parts.push(`${plural(compared.length, 'tensor')} compared, all identical`);
  else {
    const head = transitions.length ? transitions.map(([t, n]) => `${plural(n, 'tensor')} ${t}`).join(', ') : `${plural(changed, 'tensor')} of ${compared.length} changed`;
    parts.push(comparable ? `${head}, max relative error ${shortNumber(maxRel)}` : `${head}, values not comparable`);
  }
  let words = parts.join('');
  if (beyond.length) words += `; ${beyond.length} changed beyond rounding: ${listNames(beyond)}`;
  return { compared: compared.length, changed, dtypeChanges, maxRel, beyondRounding: beyond, words };
}

/** Below this share of nodes matched the models are called unrelated. */
const UNRELATED_SHARE = 0.3;

/**
 * The plain-words line for a poor match, or undefined when the match is good enough to need none.
 * `coveredA`/`coveredB`: nodes of each side in some match (a rewrite's fused nodes included).
 */
export function matchMessage(coveredA: number, nodesA: number, coveredB: number, nodesB: number): string | undefined {
  const shareA = nodesA ? coveredA / nodesA : 1, shareB = nodesB ? coveredB / nodesB : 1;
  if (Math.min(shareA, shareB) >= UNRELATED_SHARE || (!nodesA && !nodesB)) return undefined;
  const [covered, nodes] = shareA <= shareB ? [coveredA, nodesA] : [coveredB, nodesB];
  return `${covered} of ${nodes} nodes matched: these look like unrelated models, so the lists below say little`;
}

/** The report in a few lines of text (the CLI's human output). */
export function reportLines(r: DiffReport): string[] {
  const lines: string[] = [];
  for (const [side, s] of [['A', r.a], ['B', r.b]] as const) lines.push(`${side}: ${s.path} (${s.format}, ${plural(s.nodes, 'node')})${s.error ? ` — error: ${s.error}` : ''}`);
  const attrNodes = new Set(r.changedAttributes.map((c) => c.node)).size;
  lines.push(`${r.matched} matched, ${r.added.length} added, ${r.removed.length} removed, ${plural(attrNodes, 'node')} with changed attributes`);
  if (r.message) lines.push(r.message);
  if (r.structureOnly) lines.push(`structure only: ${r.structureOnly}`);
  lines.push(`weights: ${r.weightSummary.words}`);
  const rewrites = r.matches.filter((m) => m.reason === 'rewrite');
  if (rewrites.length) lines.push(`rewrites: ${listNames(rewrites.map((m) => `${[m.a, ...(m.fusedA ?? [])].join('+')} → ${[m.b, ...(m.fusedB ?? [])].join('+')}`))}`);
  if (r.removed.length) lines.push(`removed: ${listNames(r.removed)}`);
  if (r.added.length) lines.push(`added: ${listNames(r.added)}`);
  for (const c of r.changedAttributes.slice(0, LISTED)) lines.push(`  attribute ${c.node}.${c.attribute}: ${c.a ?? '(absent)'} → ${c.b ?? '(absent)'}`);
  const top = [...r.changedWeights].sort((x, y) => (y.maxRel || 0) - (x.maxRel || 0)).slice(0, LISTED);
  if (top.length) lines.push('largest weight differences:');
  for (const w of top) lines.push(`  ${w.name}${w.nameB ? ` (B: ${w.nameB})` : ''} ${w.dtype}: max abs ${shortNumber(w.maxAbs)}, max rel ${shortNumber(w.maxRel)}, cosine ${Number.isFinite(w.cosine) ? w.cosine.toFixed(6) : 'n/a'}, SQNR ${shortNumber(w.sqnrDb)} dB${w.note ? ` (${w.note})` : ''}`);
  if (r.runError) lines.push(`run of ${r.runError.side.toUpperCase()} failed: ${r.runError.message}`);
  if (r.outputs) for (const o of r.outputs) lines.push(`output ${o.name}: max abs ${shortNumber(o.maxAbs)}, cosine ${Number.isFinite(o.cosine) ? o.cosine.toFixed(6) : 'n/a'}${o.top1Agreement !== undefined ? `, top-1 agreement ${(o.top1Agreement * 100).toFixed(1)}%` : ''}`);
  if (r.firstDivergence) lines.push(`first divergence: ${r.firstDivergence.node} (value ${r.firstDivergence.value}, SQNR ${shortNumber(r.firstDivergence.sqnrDb)} dB)`);
  else if (r.firstDivergence === null) lines.push('no value diverges beyond float rounding');
  return lines;
}
