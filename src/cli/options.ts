// The one option parser of `model-lens`: a subcommand declares its options as data (a CommandSpec:
// flags, value options, repeated options, its positional arguments) and parseOptions turns argv into
// a typed result, or throws a UsageError that names the bad option. `--name value` and
// `--name=value` are the same; a value may start with '-' (`--mean -0.5,0,0`).
import { HelpRequested, UsageError } from './errors.js';

/** Turns an option's text into its value; throws a UsageError naming `flag` (`--runs`) when it cannot. */
export type Reader<T> = (raw: string, flag: string) => T;

export interface FlagOption { readonly kind: 'flag' }
export interface ValueOption<T> { readonly kind: 'value'; readonly read: Reader<T>; readonly fallback: T }
export interface ListOption<T> { readonly kind: 'list'; readonly read: Reader<T> }
export type OptionSpec = FlagOption | ValueOption<unknown> | ListOption<unknown>;

/** A switch: `--json`. It is false unless given, and takes no value. */
export const flag = (): FlagOption => ({ kind: 'flag' });

/** An option with one value: `--seed 7`. Given twice, the last one counts. */
export function value<T>(read: Reader<T>): ValueOption<T | undefined>;
export function value<T>(read: Reader<T>, fallback: T): ValueOption<T>;
export function value<T>(read: Reader<T>, fallback?: T): ValueOption<T | undefined> {
  return { kind: 'value', read, fallback };
}

/** A repeated option: `--dim N=1 --dim C=3` gives every value in order (none: an empty list). */
export const list = <T>(read: Reader<T>): ListOption<T> => ({ kind: 'list', read });

export type OptionValue<O> = O extends FlagOption ? boolean : O extends ValueOption<infer T> ? T : O extends ListOption<infer T> ? T[] : never;

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** Printed after a usage error (stderr) and for --help (stdout). */
  readonly usage: string;
  /** By property name; the option is spelled in kebab case: `saveOutputs` is `--save-outputs`. */
  readonly options: O;
  /** The positional arguments: how many, and what one is called in messages ('model file'). */
  readonly positional: { readonly name: string; readonly count: number };
}

export interface ParsedArgs<O extends Record<string, OptionSpec>> {
  positional: string[];
  options: { [K in keyof O]: OptionValue<O[K]> };
}

/** `saveOutputs` → `save-outputs`. */
export const optionName = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Parses `args` (what follows the subcommand) by `spec`; -h/--help throws HelpRequested. */
export function parseOptions<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, args: readonly string[]): ParsedArgs<O> {
  const byName = new Map<string, [string, OptionSpec]>();
  const values: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(spec.options)) {
    byName.set(optionName(key), [key, option]);
    values[key] = option.kind === 'flag' ? false : option.kind === 'list' ? [] : option.fallback;
  }
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') throw new HelpRequested();
    if (!a.startsWith('-')) { positional.push(a); continue; }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flagText = eq > 0 ? a.slice(0, eq) : a;
    const entry = flagText.startsWith('--') ? byName.get(flagText.slice(2)) : undefined;
    if (!entry) throw new UsageError(`unknown option ${flagText}`);
    const [key, option] = entry;
    if (option.kind === 'flag') {
      if (eq > 0) throw new UsageError(`${flagText} takes no value`);
      values[key] = true;
      continue;
    }
    const raw = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (raw === undefined) throw new UsageError(`${flagText} needs a value`);
    const v = option.read(raw, flagText);
    if (option.kind === 'list') (values[key] as unknown[]).push(v);
    else values[key] = v;
  }
  const { name, count } = spec.positional;
  if (positional.length !== count) {
    if (positional.length === 0) throw new UsageError(`no ${name} given`);
    throw new UsageError(`${count === 1 ? 'one' : count} ${name}${count === 1 ? '' : 's'} expected, got ${positional.length}`);
  }
  return { positional, options: values as ParsedArgs<O>['options'] };
}

// The readers every subcommand shares.

/** The text as given. */
export const text: Reader<string> = (raw) => raw;

/** `a`, `a or b`, `a, b or c`. */
const alternatives = (xs: readonly string[]): string => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

/** One of `choices`. */
export function choice<const T extends string>(choices: readonly T[]): Reader<T> {
  return (raw, flag) => {
    if (!(choices as readonly string[]).includes(raw)) throw new UsageError(`${flag} must be ${alternatives(choices)}, got '${raw}'`);
    return raw as T;
  };
}

const toNumber = (raw: string): number => (raw.trim() === '' ? NaN : Number(raw));

/** A whole number ≥ `min`. */
export function wholeNumber(min: number): Reader<number> {
  return (raw, flag) => {
    const n = toNumber(raw);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}, got '${raw}'`);
    return n;
  };
}

/** A finite number, optionally above a bound (exclusive). */
export function number(above?: number): Reader<number> {
  return (raw, flag) => {
    const n = toNumber(raw);
    if (!Number.isFinite(n) || (above !== undefined && n <= above)) throw new UsageError(`${flag} must be a number${above !== undefined ? ` > ${above}` : ''}, got '${raw}'`);
    return n;
  };
}

/** Comma-separated numbers: `0.5,0.5,0.5`. */
export const numberList: Reader<number[]> = (raw, flag) => raw.split(',').map((s) => {
  const n = toNumber(s);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} takes comma-separated numbers, got '${s}'`);
  return n;
});

/** Comma-separated names, empty ones dropped: `a,b`. */
export const nameList: Reader<string[]> = (raw) => raw.split(',').filter(Boolean);
