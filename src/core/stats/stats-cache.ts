/**
 * A small on-disk cache of ModelStats, one JSON file per model state: the key hashes the model's
 * files (path, size, mtime) and the options, so an edited file or other options miss. Cache
 * trouble never fails the caller: unreadable or foreign files are ignored.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Model } from '../ir/graph.js';
import type { ModelStats } from './stats-types.js';

const PREFIX = 'model-stats-';
const MAX_ENTRIES = 64;

/** The cache key of a model's current files and the options; null when a file cannot be stat'ed. */
export async function statsCacheKey(model: Pick<Model, 'path' | 'files'>, options: object): Promise<string | null> {
  const files: [string, number, number][] = [];
  for (const f of [model.path, ...model.files.filter((f) => f !== model.path)]) {
    try {
      const s = await stat(f);
      files.push([path.resolve(f), s.size, s.mtimeMs]);
    } catch {
      return null;
    }
  }
  return createHash('sha256').update(JSON.stringify({ files, options })).digest('hex');
}

// JSON has no NaN or ±Infinity: they travel as {"$n": "NaN"}.
function replacer(_k: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? { $n: String(v) } : v;
}
function reviver(_k: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.$n === 'string' && Object.keys(o).length === 1) return Number(o.$n);
  }
  return v;
}

function fileOf(dir: string, key: string): string {
  return path.join(dir, `${PREFIX}${key.slice(0, 40)}.json`);
}

/** The cached stats for a key, or null. */
export async function readStatsCache(dir: string, key: string): Promise<ModelStats | null> {
  try {
    const entry = JSON.parse(await readFile(fileOf(dir, key), 'utf8'), reviver) as { key?: string; stats?: ModelStats };
    return entry.key === key && entry.stats && Array.isArray(entry.stats.tensors) ? entry.stats : null;
  } catch {
    return null;
  }
}

/** Stores stats under a key (write to a temporary file, then rename), keeping the newest 64 entries. */
export async function writeStatsCache(dir: string, key: string, stats: ModelStats): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const file = fileOf(dir, key);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, JSON.stringify({ key, stats }, replacer));
    await rename(tmp, file);
    const names = (await readdir(dir)).filter((n) => n.startsWith(PREFIX) && n.endsWith('.json'));
    if (names.length > MAX_ENTRIES) {
      const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(path.join(dir, n)).catch(() => null))?.mtimeMs ?? 0 })));
      dated.sort((a, b) => a.t - b.t);
      for (const { n } of dated.slice(0, names.length - MAX_ENTRIES)) await unlink(path.join(dir, n)).catch(() => undefined);
    }
  } catch {
    // A cache that cannot be written only costs a recomputation next time.
  }
}

/** Encodes stats as JSON keeping NaN (as {"$n":"NaN"}), as the cache stores them. */
export function encodeStatsJson(stats: ModelStats): string {
  return JSON.stringify(stats, replacer);
}

/** Decodes what encodeStatsJson wrote. */
export function decodeStatsJson(text: string): ModelStats {
  return JSON.parse(text, reviver) as ModelStats;
}
