import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { ModelError } from '../ir/errors.js';

/**
 * Resolves a path written inside a model (ONNX external-data `location`, TF.js shard `paths`)
 * against the model's folder, and refuses anything that would leave that folder: `..`, absolute
 * paths (POSIX or Windows style), URLs, device files, and symlinks pointing outside.
 */
export function resolveInsideFolder(modelFile: string, written: string, field: string): string {
  const folder = path.dirname(path.resolve(modelFile));
  const refuse = (why: string): never => {
    throw new ModelError('path-escape', `refused to read '${written}': ${why}`, { file: modelFile, field });
  };
  if (written.length === 0) refuse('empty path');
  if (written.includes('\0')) refuse('path contains a NUL byte');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(written)) refuse('URLs are not read; only files next to the model');
  if (path.isAbsolute(written) || path.win32.isAbsolute(written) || /^[a-zA-Z]:/.test(written)) refuse('absolute paths are not allowed; only files inside the model folder');
  const parts = written.split(/[\\/]+/);
  if (parts.includes('..')) refuse('the path leaves the model folder');
  // On Windows these names open devices whatever folder or extension they carry (`NUL`, `com1.bin`),
  // and `name:stream` opens an alternate data stream: refused on every platform, so a model behaves
  // the same wherever it is opened.
  for (const part of parts) {
    if (/^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i.test(part)) refuse(`'${part}' names a Windows device, not a file`);
    if (part.includes(':')) refuse(`'${part}' names an alternate data stream, not a file`);
  }
  const resolved = path.resolve(folder, ...parts);
  const rel = path.relative(folder, resolved);
  if (rel.startsWith('..') || path.isAbsolute(rel)) refuse('the path leaves the model folder');
  let real: string;
  try {
    real = realpathSync(resolved);
  } catch {
    throw new ModelError('missing-file', `file '${written}' is missing (expected at ${resolved})`, { file: modelFile, field });
  }
  const realFolder = realpathSync(folder);
  const realRel = path.relative(realFolder, real);
  if (realRel.startsWith('..') || path.isAbsolute(realRel)) refuse('it is a link that points outside the model folder');
  if (real.startsWith('/dev/') || real.startsWith('/proc/') || real.startsWith('/sys/')) refuse('device and system files are not read');
  return real;
}
