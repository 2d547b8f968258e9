// Human-readable numbers for the cost card and `model-lens cost` (SI for counts, binary for bytes).

/** 4.09 G, 123.5 M, 9.6 k, 12 — three significant digits. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  const units: [number, string][] = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, u] of units) if (a >= v) return `${trim(n / v)} ${u}`;
  return trim(n);
}

/** 1.5 KiB, 97.8 MiB… */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n, i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return i === 0 ? `${Math.round(v)} B` : `${trim(v)} ${units[i]}`;
}

/** 12 ms, 3.4 s, 5.2 min, 7.1 h, 2.3 days, 4.1 years. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  if (s < 1e-3) return `${trim(s * 1e6)} µs`;
  if (s < 1) return `${trim(s * 1e3)} ms`;
  if (s < 120) return `${trim(s)} s`;
  if (s < 7200) return `${trim(s / 60)} min`;
  if (s < 172800) return `${trim(s / 3600)} h`;
  if (s < 3.156e7 * 2) return `${trim(s / 86400)} days`;
  return `${trim(s / 3.156e7)} years`;
}

function trim(v: number): string {
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return Number(v.toFixed(digits)).toString();
}

/** A count with its unit: `4.09 GMACs`, `0 FLOPs`. */
export function formatWithUnit(n: number, unit: string): string {
  const s = formatCount(n);
  return /[kMGTP]$/.test(s) ? `${s}${unit}` : `${s} ${unit}`;
}
