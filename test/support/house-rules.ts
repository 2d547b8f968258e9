// The import rules of the house (CONTRIBUTING.md, ../shared/DESIGN.md) as a pure check over source
// texts, so the unit test can run it on the real tree and on a planted violation alike.
import * as path from 'node:path';

export interface SourceFile {
  /** Repository-relative, forward slashes: `src/core/ir/graph.ts`. */
  path: string;
  text: string;
}

export interface ImportRef {
  /** What the statement names: a package (`vscode`, `node:fs`) or a resolved repository path. */
  target: string;
  typeOnly: boolean;
  line: number;
}

const NODE_BUILTINS = new Set(['fs', 'fs/promises', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'util', 'stream', 'zlib', 'events', 'net', 'http', 'https', 'readline', 'module', 'process', 'buffer', 'assert', 'perf_hooks']);

const STATEMENT = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/;

/** Every import/export-from of one file, with relative specifiers resolved to repository paths. */
export function importsOf(file: SourceFile): ImportRef[] {
  const out: ImportRef[] = [];
  // Join multi-line import lists so one statement is one line.
  const text = file.text.replace(/\{[^}]*\}/g, (m) => m.replace(/\s*\n\s*/g, ' '));
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\/\/.*$/, '');
    if (/^\s*(\*|\/\*)/.test(line)) return;
    const m = STATEMENT.exec(line);
    if (!m) return;
    const spec = m[4] ?? m[5] ?? m[6]!;
    const clause = m[3] ?? '';
    const names = /^\{(.*)\}$/.exec(clause.trim());
    const allNamedTypes = names !== null && names[1]!.split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    const typeOnly = m[2] !== undefined || allNamedTypes;
    out.push({ target: resolveSpec(file.path, spec), typeOnly, line: i + 1 });
  });
  return out;
}

function resolveSpec(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)).replace(/\.js$/, '.ts');
}

const isNodeModule = (t: string): boolean => t.startsWith('node:') || NODE_BUILTINS.has(t);
const isProtocolFile = (p: string): boolean => p === 'src/protocol.ts' || /^src\/features\/[^/]+\/protocol\.ts$/.test(p);
const isCore = (p: string): boolean => p.startsWith('src/core/');
/** Host code: everything under src/ that is neither an engine nor a protocol file. */
const isHostCode = (p: string): boolean => p.startsWith('src/') && !isCore(p) && !isProtocolFile(p);

/** Each broken rule as `file:line: message`; empty when the house stands. */
export function houseViolations(files: SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    for (const ref of importsOf(file)) {
      const where = `${file.path}:${ref.line}`;
      const t = ref.target;
      if (isCore(file.path)) {
        if (t === 'vscode') problems.push(`${where}: core imports vscode`);
        else if (t.startsWith('src/features/') || t.startsWith('src/vscode/') || t.startsWith('webview/')) problems.push(`${where}: core imports ${t}`);
        else if (isProtocolFile(t) || t === 'src/protocol-validate.ts') problems.push(`${where}: core imports the protocol file ${t}`);
      }
      if (file.path.startsWith('webview/')) {
        if (t === 'vscode' || isNodeModule(t)) problems.push(`${where}: the webview imports the Node/VS Code module ${t}`);
        else if (isHostCode(t)) problems.push(`${where}: the webview imports host code ${t}`);
      }
      if (isProtocolFile(file.path)) {
        if (isCore(t) && !ref.typeOnly) problems.push(`${where}: a protocol file imports values from core (${t}); import types only`);
        else if (!isCore(t) && !isProtocolFile(t)) problems.push(`${where}: a protocol file imports ${t}`);
      }
      if (/^src\/features\/[^/]+\/handlers\.ts$/.test(file.path) && (t === 'vscode' || t.startsWith('src/vscode/'))) {
        problems.push(`${where}: handlers must be VS Code-free (imports ${t})`);
      }
    }
  }
  return problems;
}
