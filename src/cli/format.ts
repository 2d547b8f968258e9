import { isModelError } from '../core/ir/errors.js';

/** Prints one line for an error (never a stack trace) and sets exit status 1. */
export function failWith(e: unknown): number {
  const msg = isModelError(e) ? e.message : e instanceof Error ? e.message : String(e);
  process.stderr.write(`model-lens: ${msg.split('\n')[0]}\n`);
  process.exitCode = 1;
  return 1;
}

/** Splits argv into positional arguments, boolean flags and repeatable `--name value` options. */
export function parseArgs(args: string[], valueOptions: string[]): { positional: string[]; flags: Set<string>; options: Map<string, string[]> } {
  const positional: string[] = [];
  const flags = new Set<string>();
  const options = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (valueOptions.includes(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined) throw new Error(`option --${name} needs a value`);
        options.set(name, [...(options.get(name) ?? []), value]);
      } else flags.add(name);
    } else positional.push(a);
  }
  return { positional, flags, options };
}

/** Human-readable byte size: 1.2 MB. */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** Human-readable count: 1.2M, 3.4K. */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}
