// `model-lens run <file>`: runs a model once (or N times) on generated or file inputs and prints
// the outputs, their statistics and the latency. Errors a user can cause print one line, exit 1.
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ModelError } from '../core/ir/errors.js';
import { PROVIDER_CHOICES, type ProviderChoice, type RuntimeValueInfo } from '../core/runtime/backend.js';
import { compareOutputs, type OutputDifference } from '../core/runtime/compare.js';
import { RuntimeError } from '../core/runtime/errors.js';
import { buildGeneratedInputs, fillTensor, parseDimOverrides, resolveShape, type FillKind } from '../core/runtime/inputs.js';
import { readInputFile } from '../core/runtime/inputs-file.js';
import type { ImageOptions } from '../core/runtime/inputs-image.js';
import { writeNpyFile } from '../core/runtime/npy.js';
import { valueStats } from '../core/runtime/output-stats.js';
import { RuntimeHost } from '../core/runtime/runtime-host.js';
import { toNumberArray, type RuntimeTensor } from '../core/runtime/tensor-value.js';

const USAGE = `usage: model-lens run <model.onnx> [--input name=file.npy|.json|.pb|.png|.jpg ...] [--fill random|uniform|zeros|ones|range]
       [--seed N] [--dim name=size ... | --dim input:axis=size] [--provider ${PROVIDER_CHOICES.join('|')}] [--runs N] [--warmup N]
       [--compare PROVIDER] [--capture name,name|*] [--image-layout nchw|nhwc] [--channel-order rgb|bgr] [--scale X]
       [--mean a,b,c] [--std a,b,c] [--json] [--save-outputs DIR]`;

/** Outputs with more elements than this are summarized without their values in --json. */
const MAX_JSON_ELEMENTS = 100_000;

interface RunArgs {
  file: string;
  inputs: string[];
  fill: FillKind;
  seed: number;
  dims: string[];
  provider: ProviderChoice;
  compare: ProviderChoice | null;
  runs: number;
  warmup: number;
  json: boolean;
  saveOutputs: string | null;
  capture: string[];
  image: ImageOptions;
}

class UsageError extends Error {}

function parseArgs(args: string[]): RunArgs {
  const out: RunArgs = { file: '', inputs: [], fill: 'random', seed: 0, dims: [], provider: 'auto', compare: null, runs: 1, warmup: 0, json: false, saveOutputs: null, capture: [], image: {} };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const int = (min: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}, got '${v}'`);
      return n;
    };
    const numbers = (): number[] => value().split(',').map((s) => {
      const n = Number(s);
      if (!Number.isFinite(n)) throw new UsageError(`${flag} takes comma-separated numbers, got '${s}'`);
      return n;
    });
    switch (flag) {
      case '--input': out.inputs.push(value()); break;
      case '--fill': {
        const v = value();
        if (!['random', 'uniform', 'zeros', 'ones', 'range'].includes(v)) throw new UsageError(`--fill must be random, uniform, zeros, ones or range, got '${v}'`);
        out.fill = v as FillKind;
        break;
      }
      case '--seed': out.seed = int(0); break;
      case '--dim': out.dims.push(value()); break;
      case '--provider': case '--compare': {
        const v = value() as ProviderChoice;
        if (!PROVIDER_CHOICES.includes(v)) throw new UsageError(`${flag} must be one of ${PROVIDER_CHOICES.join(', ')}, got '${v}'`);
        if (flag === '--provider') out.provider = v; else out.compare = v;
        break;
      }
      case '--runs': out.runs = int(1); break;
      case '--warmup': out.warmup = int(0); break;
      case '--json': out.json = true; break;
      case '--save-outputs': out.saveOutputs = value(); break;
      case '--capture': out.capture.push(...value().split(',').filter(Boolean)); break;
      case '--image-layout': {
        const v = value();
        if (v !== 'nchw' && v !== 'nhwc') throw new UsageError(`--image-layout must be nchw or nhwc, got '${v}'`);
        out.image.layout = v;
        break;
      }
      case '--channel-order': {
        const v = value();
        if (v !== 'rgb' && v !== 'bgr') throw new UsageError(`--channel-order must be rgb or bgr, got '${v}'`);
        out.image.channelOrder = v;
        break;
      }
      case '--scale': out.image.scale = numbers()[0]; break;
      case '--mean': out.image.mean = numbers(); break;
      case '--std': out.image.std = numbers(); break;
      case '-h': case '--help': throw new UsageError('');
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        positional.push(a);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? `one model file expected, got ${positional.length}` : 'no model file given');
  out.file = positional[0];
  return out;
}

async function rejectTfjs(file: string): Promise<void> {
  if (!file.toLowerCase().endsWith('.json')) return;
  let head = '';
  try { head = (await readFile(file, 'utf8')).slice(0, 1 << 20); } catch { return; }
  if (head.includes('"modelTopology"') || head.includes('"weightsManifest"')) {
    throw new ModelError('unsupported', 'TensorFlow.js models run in the editor\'s Run panel (webview); `model-lens run` runs ONNX models', { file });
  }
}

async function buildInputs(a: RunArgs, infos: RuntimeValueInfo[]): Promise<{ tensors: RuntimeTensor[]; sources: Record<string, string> }> {
  const dims = parseDimOverrides(a.dims);
  const fromFile = new Map<string, string>();
  for (const spec of a.inputs) {
    const eq = spec.indexOf('=');
    let name = eq > 0 ? spec.slice(0, eq) : '';
    const file = eq > 0 ? spec.slice(eq + 1) : spec;
    if (!name) {
      if (infos.length !== 1) throw new ModelError('malformed', `the model has ${infos.length} inputs; name the one to fill: --input name=${file}`, { file: a.file });
      name = infos[0].name;
    }
    if (!infos.some((i) => i.name === name)) throw new ModelError('malformed', `the model has no input '${name}' (inputs: ${infos.map((i) => i.name).join(', ')})`, { file: a.file });
    fromFile.set(name, file);
  }
  const tensors: RuntimeTensor[] = [];
  const sources: Record<string, string> = {};
  const generated = buildGeneratedInputs(infos.filter((i) => !fromFile.has(i.name)), { kind: a.fill, seed: a.seed }, dims, a.file);
  for (const info of infos) {
    const file = fromFile.get(info.name);
    if (file) {
      tensors.push(await readInputFile(info, file, dims, a.image));
      sources[info.name] = file;
    } else {
      tensors.push(generated.find((t) => t.name === info.name) ?? fillTensor(info.name, info.dtype!, resolveShape(info, dims, a.file), { kind: a.fill, seed: a.seed }));
      sources[info.name] = `${a.fill} (seed ${a.seed})`;
    }
  }
  return { tensors, sources };
}

function jsonValues(t: RuntimeTensor): (number | string | null)[] {
  if (t.dtype === 'string') return [...(t.data as string[])];
  return Array.from(toNumberArray(t), (v) => (Number.isFinite(v) ? v : null));
}

function describeTensor(t: RuntimeTensor, withData: boolean) {
  const n = t.data.length;
  return { name: t.name, dtype: t.dtype, shape: t.shape, stats: valueStats(t), ...(withData && n <= MAX_JSON_ELEMENTS ? { data: jsonValues(t) } : {}) };
}

const fmt = (v: number | null) => (v === null ? '-' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : Number(v.toFixed(4)).toString());

/** Where the command writes (tests capture it; the CLI uses the process streams). */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CommandIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** Runs `model-lens run` (args after `run`); returns the process exit code (0 ok, 1 error, 2 usage). */
export async function runRunCommand(args: string[], io: CommandIo = processIo): Promise<number> {
  let a: RunArgs;
  try {
    a = parseArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) io.stderr(`model-lens run: ${e.message}\n`);
      io.stderr(`${USAGE}\n`);
      return e.message ? 2 : 0;
    }
    throw e;
  }
  let host: RuntimeHost | null = null;
  try {
    await rejectTfjs(a.file);
    host = await RuntimeHost.start();
    const loaded = await host.load(a.file, { provider: a.provider });
    const { tensors, sources } = await buildInputs(a, loaded.inputs);
    const result = await host.run(tensors, { runs: a.runs, warmup: a.warmup, captureValues: a.capture.length ? a.capture : undefined });
    let comparison: { provider: string; fallbackReason: string | null; outputs: OutputDifference[] } | null = null;
    if (a.compare) {
      const other = await host.load(a.file, { provider: a.compare });
      const r2 = await host.run(tensors, { runs: 1 });
      comparison = { provider: other.provider, fallbackReason: other.fallbackReason, outputs: compareOutputs(r2.outputs, result.outputs) };
    }
    if (a.saveOutputs) {
      await mkdir(a.saveOutputs, { recursive: true });
      for (const t of [...result.outputs, ...result.captured]) {
        await writeNpyFile(path.join(a.saveOutputs, `${t.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.npy`), { dtype: t.dtype, shape: t.shape, data: t.data });
      }
    }
    if (a.json) {
      const doc = {
        file: path.resolve(a.file),
        provider: result.provider,
        fallbackReason: loaded.fallbackReason,
        loadMs: loaded.loadMs,
        latencyMs: result.latencyMs,
        inputs: tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, source: sources[t.name] })),
        outputs: result.outputs.map((t) => describeTensor(t, true)),
        ...(result.captured.length ? { captured: result.captured.map((t) => describeTensor(t, true)) } : {}),
        ...(comparison ? { comparison } : {}),
      };
      io.stdout(`${JSON.stringify(doc)}\n`);
    } else {
      const lines = [`${path.basename(a.file)} on ${result.provider}${loaded.fallbackReason ? ` (passed over: ${loaded.fallbackReason})` : ''}`];
      for (const t of tensors) lines.push(`  input  ${t.name} ${t.dtype} [${t.shape.join(', ')}] from ${sources[t.name]}`);
      const l = result.latencyMs;
      lines.push(`  latency min ${fmt(l.min)} ms, p50 ${fmt(l.p50)} ms, p90 ${fmt(l.p90)} ms (${l.runs} run${l.runs === 1 ? '' : 's'}${a.warmup ? `, ${a.warmup} warm-up` : ''})`);
      for (const [label, list] of [['output', result.outputs], ['capture', result.captured]] as const) {
        for (const t of list) {
          const s = valueStats(t);
          lines.push(`  ${label} ${t.name} ${t.dtype} [${t.shape.join(', ')}] min ${fmt(s.min)} max ${fmt(s.max)} mean ${fmt(s.mean)} std ${fmt(s.std)}${s.nan ? ` nan ${s.nan}` : ''}${s.inf ? ` inf ${s.inf}` : ''}`);
        }
      }
      if (comparison) {
        lines.push(`  compared with ${comparison.provider}${comparison.fallbackReason ? ` (passed over: ${comparison.fallbackReason})` : ''}:`);
        for (const d of comparison.outputs) lines.push(`    ${d.name}: max abs diff ${fmt(d.maxAbsDiff)}, max rel diff ${fmt(d.maxRelDiff)}, cosine ${d.cosine.toFixed(6)}`);
      }
      if (a.saveOutputs) lines.push(`  outputs saved as .npy in ${a.saveOutputs}`);
      io.stdout(`${lines.join('\n')}\n`);
    }
    return 0;
  } catch (e) {
    const msg = e instanceof ModelError || e instanceof RuntimeError ? e.message : `unexpected error: ${(e as Error)?.message ?? String(e)}`;
    io.stderr(`model-lens run: ${msg.split('\n')[0]}\n`);
    return 1;
  } finally {
    await host?.dispose();
  }
}
