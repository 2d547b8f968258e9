// Records every path the process opens, reads or stats through node:fs, so the fuzzer can check
// that reading a model never touches a file outside the model's folder. Patches the CommonJS fs
// objects (what the CJS bundle calls) and syncs the ES module bindings.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';

/** One recorded access: how, and the absolute path. */
export interface Access {
  op: string;
  path: string;
}

const accesses: Access[] = [];
let installed = false;

function record(op: string, p: unknown): void {
  if (typeof p === 'string') accesses.push({ op, path: path.resolve(p) });
  else if (Buffer.isBuffer(p)) accesses.push({ op, path: path.resolve(p.toString('utf8')) });
  else if (p instanceof URL) accesses.push({ op, path: p.protocol === 'file:' ? decodeURIComponent(p.pathname) : p.href });
  // File descriptors and FileHandles were recorded when they were opened.
}

type AnyFn = (...args: unknown[]) => unknown;

function wrap(target: Record<string, unknown>, name: string, op: string): void {
  const original = target[name] as AnyFn | undefined;
  if (typeof original !== 'function') return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    record(op, args[0]);
    return original.apply(this, args);
  };
  Object.defineProperty(target, name, { value: wrapped, writable: true, configurable: true, enumerable: true });
}

/** Opening calls: these must stay inside the folder. */
const OPENS = ['open', 'openSync', 'readFile', 'readFileSync', 'createReadStream', 'openAsBlob'];
/** Metadata calls: recorded too (telling whether a file exists outside is a leak as well). */
const LOOKS = ['stat', 'statSync', 'lstat', 'lstatSync', 'realpath', 'realpathSync', 'existsSync', 'access', 'accessSync', 'readdir', 'readdirSync', 'opendir', 'opendirSync', 'readlink', 'readlinkSync'];
/** Writing calls: a reader must never make any. */
const WRITES = ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'rm', 'rmSync', 'unlink', 'unlinkSync', 'rename', 'renameSync', 'symlink', 'symlinkSync', 'copyFile', 'copyFileSync', 'truncate', 'truncateSync'];

/** Installs the spy once per process. */
export function installFsSpy(): void {
  if (installed) return;
  installed = true;
  const targets: Record<string, unknown>[] = [fs as unknown as Record<string, unknown>, fsp as unknown as Record<string, unknown>];
  for (const t of targets) {
    for (const n of OPENS) wrap(t, n, 'open');
    for (const n of LOOKS) wrap(t, n, 'look');
    for (const n of WRITES) wrap(t, n, 'write');
  }
  const rp = fs.realpathSync as unknown as Record<string, unknown>;
  if (rp && typeof (fs as unknown as { realpathSync: { native?: AnyFn } }).realpathSync.native === 'function') wrap(rp, 'native', 'look');
  syncBuiltinESMExports();
}

/** Everything recorded since the last call, and forgets it. */
export function takeAccesses(): Access[] {
  return accesses.splice(0, accesses.length);
}

/** True when `p` is `folder` itself or lies inside it (lexically; symlinks are the reader's business). */
export function isInside(folder: string, p: string): boolean {
  const rel = path.relative(folder, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The accesses that left `folder` (writes anywhere count). */
export function outsideAccesses(list: Access[], folder: string): Access[] {
  return list.filter((a) => a.op === 'write' || !isInside(folder, a.path));
}
