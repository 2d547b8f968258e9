// The bad corpus tool (run through fuzz/run.mjs):
//   corpus write <dir>      the whole corpus, symlinks and sparse giants included, into <dir>
//   corpus commit           regenerate test/fixtures/bad/files/ and expected.json (review the diff!)
//   corpus show [prefix]    print each case's outcome
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeBadCorpus, type BadCase } from '../test/fixtures/bad/corpus.js';
import { exerciseModel, type Outcome } from './exercise.js';

const repo = process.cwd();
const filesDir = path.join(repo, 'test', 'fixtures', 'bad', 'files');
const expectedFile = path.join(repo, 'test', 'fixtures', 'bad', 'expected.json');

/** The pinned part of an outcome: what a user sees, without the escapes (which must be empty). */
export function pinned(o: Outcome): Record<string, unknown> {
  if (o.outcome === 'error') return { error: o.code, message: o.message };
  return { opens: o.format, nodes: o.nodes, weights: o.weights, warnings: o.warnings, tensorErrors: o.tensorErrors };
}

async function outcomes(dir: string, cases: Map<BadCase, string>): Promise<Record<string, Outcome>> {
  const out: Record<string, Outcome> = {};
  for (const [c, file] of cases) out[c.name] = await exerciseModel(file, dir);
  return out;
}

async function main(): Promise<void> {
  const [cmd, arg] = process.argv.slice(2);
  if (cmd === 'write' && arg) {
    const cases = writeBadCorpus(path.resolve(arg));
    console.log(`wrote ${cases.size} cases into ${path.resolve(arg)}`);
  } else if (cmd === 'commit') {
    rmSync(filesDir, { recursive: true, force: true });
    const cases = writeBadCorpus(filesDir, { committedOnly: true });
    // Expected outcomes come from the full corpus (generated-only cases too), in a scratch folder.
    const scratch = mkdtempSync(path.join(tmpdir(), 'model-lens-bad-'));
    try {
      const all = writeBadCorpus(scratch);
      const res = await outcomes(scratch, all);
      const escapes = Object.entries(res).filter(([, o]) => o.escapes.length);
      for (const [name, o] of escapes) console.error(`ESCAPE ${name}: ${JSON.stringify(o.escapes.map((e) => `${e.stage}: ${e.name}: ${e.message}`))}`);
      const expected = Object.fromEntries(Object.entries(res).map(([k, o]) => [k, pinned(o)]));
      writeFileSync(expectedFile, JSON.stringify(expected, null, 1) + '\n');
      console.log(`committed ${cases.size} cases (${readdirSync(filesDir).length} entries) and ${Object.keys(expected).length} expected outcomes; ${escapes.length} escapes`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  } else if (cmd === 'show') {
    const scratch = mkdtempSync(path.join(tmpdir(), 'model-lens-bad-'));
    try {
      const all = writeBadCorpus(scratch);
      for (const [c, file] of all) {
        if (arg && !c.name.startsWith(arg)) continue;
        const t = Date.now();
        const o = await exerciseModel(file, scratch);
        console.log(`${c.name} [${Date.now() - t} ms] ${JSON.stringify(pinned(o))}${o.escapes.length ? ` ESCAPES ${JSON.stringify(o.escapes.map((e) => `${e.stage}: ${e.name}: ${e.message}`))}` : ''}`);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  } else {
    console.error('usage: corpus write <dir> | commit | show [prefix]');
    process.exitCode = 2;
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
