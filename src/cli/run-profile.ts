// `model-lens run --profile`: the profile's table (slowest first) and its JSON form.
import { providerLabel, type ProfileReport } from '../core/runtime/profile.js';

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const pct = (v: number, of: number) => (of > 0 ? `${((100 * v) / of).toFixed(1)}%` : '-');

/** The JSON contract: `profile` (one entry per top-level node, graph order) and `profileSummary`. */
export function profileJson(r: ProfileReport) {
  return {
    profile: r.rows.map(({ node, op, ms: t, provider, fusedInto, ranAs }) => ({ node, op, ms: t, provider, ...(fusedInto ? { fusedInto } : {}), ...(ranAs ? { ranAs } : {}) })),
    profileSummary: { sumMs: r.sumMs, runMs: r.runMs, latencyMs: r.latencyMs, verdict: r.verdict, inserted: r.inserted },
  };
}

/** Text lines: a table of op type, node, time, % of the profiled run and provider, slowest first, then the verdict. */
export function profileTable(r: ProfileReport, limit = Infinity): string[] {
  const rows = [...r.rows].sort((a, b) => b.ms - a.ms || a.index - b.index);
  const body: string[][] = [];
  for (const row of rows.slice(0, limit)) {
    const where = row.fusedInto ? `fused into ${row.fusedInto}` : row.provider ? providerLabel(row.provider) : 'folded at load';
    const time = row.fusedInto || !row.provider ? '-' : `${ms(row.ms)} ms`;
    body.push([row.ranAs ? `${row.op} (as ${row.ranAs})` : row.op, row.node, time, row.fusedInto || !row.provider ? '-' : pct(row.ms, r.runMs), where]);
  }
  for (const k of r.inserted) body.push([k.op, `${k.kernel} (inserted by ORT)`, `${ms(k.ms)} ms`, pct(k.ms, r.runMs), providerLabel(k.provider)]);
  const head = ['op type', 'node', 'time', '% of run', 'provider'];
  const widths = head.map((h, c) => Math.min(48, Math.max(h.length, ...body.map((b) => b[c].length))));
  const cell = (s: string, c: number) => (s.length > widths[c] ? `${s.slice(0, widths[c] - 1)}…` : c === 2 || c === 3 ? s.padStart(widths[c]) : s.padEnd(widths[c]));
  const line = (cols: string[]) => `    ${cols.map(cell).join('  ')}`.trimEnd();
  const out = ['  profile (one run after warm-up):', line(head), ...body.map(line)];
  if (rows.length > limit) out.push(`    … ${rows.length - limit} more`);
  out.push(`  kernels sum ${ms(r.sumMs)} ms of the profiled run's ${ms(r.runMs)} ms (${pct(r.sumMs, r.runMs)}); the unprofiled run took ${ms(r.latencyMs)} ms (p50)`);
  out.push(`  ${r.verdict}`);
  return out;
}
