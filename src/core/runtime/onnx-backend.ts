// The onnxruntime-node backend. It runs inside the runtime process (runtime-process.ts): session
// creation and runs block the thread they run on, and native crashes end the process.
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { DataType } from '../ir/dtype.js';
import type { Dim } from '../ir/shape.js';
import { ModelError } from '../ir/errors.js';
import type { Backend, ExecutionProvider, LoadOptions, LoadResult, ProviderAttempt, RunOptions, RunResult, RuntimeValueInfo } from './backend.js';
import { RuntimeError } from './errors.js';
import type { RunPhase } from './ipc.js';
import { CaptureSessions, type CapturePlan, type SummaryPlan } from './capture-sessions.js';
import { summaryOf } from './output-stats.js';
import { readGraphValueNames } from '../model-write/index.js';
import { disposeValues, fromOrtTensor } from './ort-values.js';
import { conciseProviderError, providerOrder, providerPrecheck } from './providers.js';
import { isRuntimeDtype, shapeSize, type RuntimeTensor, type TensorArray } from './tensor-value.js';
import { latencyStats } from './timing.js';
import { describeOrtNodeFailure, describeOrtRejection } from './ort-errors.js';
import { profiledRun, type ProfiledRun } from './profile-session.js';
import { decideAuto, nodeOfError, providerName, shapeKey, type AutoDecision } from './auto-provider.js';
import { splitByFusion, type FusedValue } from './capture-fused.js';
import { buildOptimizedModel, type OptimizedModel } from './optimized-model.js';

type OrtModule = typeof Ort;
let ortModule: OrtModule | null = null;

/** Loads onnxruntime-node once (kept external to the bundle: it ships native binaries). */
export function loadOrt(): OrtModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ortModule ??= require('onnxruntime-node') as OrtModule;
  return ortModule;
}

/** Extra checks between runs; lets a cancel message stop a long series of runs. */
export interface RunControl {
  cancelled(): boolean;
  /** Says a phase starts (or ends, null) before the native call that blocks this thread. */
  phase?(phase: RunPhase | null): void;
}

export class OnnxBackend implements Backend {
  private session: Ort.InferenceSession | null = null;
  private modelPath = '';
  private modelBytes: Uint8Array | null = null;
  private provider: ExecutionProvider = 'cpu';
  private valueNames: { nodeOutputs: string[]; graphOutputs: string[] } | null = null;
  private captureSessions: CaptureSessions | null = null;
  /** The optimized graph and its tap sessions; null once building it failed (source-graph capture). */
  private optimized: { model: OptimizedModel; sessions: CaptureSessions } | null | undefined;
  private choice: LoadOptions['provider'] = 'auto';
  /** Input shapes whose first GPU run (kernel compilation) is done. */
  private warmShapes = new Set<string>();
  /** Auto's decision, once made: it holds for the model for the rest of the session. */
  private autoDecision: AutoDecision | null = null;

  /** Creates a session, trying providers one at a time (a provider list is not a fallback chain in ORT). */
  async load(modelPath: string, options: LoadOptions = {}): Promise<LoadResult> {
    await this.dispose();
    const ort = loadOrt();
    await checkReadable(modelPath);
    const choice = options.provider ?? 'auto';
    const attempts: ProviderAttempt[] = [];
    const t0 = performance.now();
    for (const provider of providerOrder(choice)) {
      const pre = providerPrecheck(provider);
      if (pre) { attempts.push({ provider, error: pre }); continue; }
      try {
        this.session = await ort.InferenceSession.create(modelPath, sessionOptions(provider));
        this.provider = provider;
        break;
      } catch (e) {
        const msg = (e as Error).message ?? String(e);
        // A model the CPU provider refuses is the model's problem, not the provider's.
        if (provider === 'cpu') throw new ModelError('unsupported', `onnxruntime cannot load the model: ${conciseProviderError(msg)}`, { file: modelPath });
        attempts.push({ provider, error: conciseProviderError(msg) });
      }
    }
    if (!this.session) {
      const why = attempts.map((a) => `${a.provider}: ${a.error}`).join('; ');
      throw new RuntimeError('provider', `execution provider '${choice}' is not available: ${why}`);
    }
    this.modelPath = modelPath;
    this.choice = choice;
    return {
      provider: this.provider,
      fallbackReason: attempts.length ? attempts.map((a) => `${a.provider}: ${a.error}`).join('; ') : null,
      attempts,
      inputs: this.session.inputMetadata.map(toValueInfo),
      outputs: this.session.outputMetadata.map(toValueInfo),
      loadMs: performance.now() - t0,
    };
  }

  /** Names of node outputs and graph outputs of the main graph (what can be captured). */
  async graphValueNames(): Promise<{ nodeOutputs: string[]; graphOutputs: string[] }> {
    this.valueNames ??= readGraphValueNames(await this.bytes(), this.modelPath);
    return this.valueNames;
  }

  // The model's bytes, read only when capture needs them (a plain run never holds a second copy).
  private async bytes(): Promise<Uint8Array> {
    if (!this.session) throw new RuntimeError('no-model', 'no model is loaded');
    this.modelBytes ??= await readModelFile(this.modelPath);
    return this.modelBytes;
  }

  async run(inputs: RuntimeTensor[], options: RunOptions = {}, control?: RunControl): Promise<RunResult> {
    const main = this.session;
    if (!main) throw new RuntimeError('no-model', 'no model is loaded');
    const ort = loadOrt();
    const feeds: Record<string, Ort.Tensor> = {};
    const known = new Set(main.inputNames);
    for (const t of inputs) {
      if (!known.has(t.name)) throw new ModelError('malformed', `the model has no input named '${t.name}' (inputs: ${main.inputNames.join(', ')})`, { file: this.modelPath, tensor: t.name });
      if (shapeSize(t.shape) !== t.data.length) throw new ModelError('size-mismatch', `input has ${t.data.length} elements but shape [${t.shape.join(', ')}] needs ${shapeSize(t.shape)}`, { file: this.modelPath, tensor: t.name });
      feeds[t.name] = new ort.Tensor(t.dtype as Ort.Tensor.Type, t.data as Ort.Tensor.DataType, t.shape);
    }
    const missing = main.inputNames.filter((n) => !(n in feeds));
    if (missing.length) throw new ModelError('malformed', `missing input(s): ${missing.join(', ')}`, { file: this.modelPath });
    const warmup = Math.max(0, options.warmup ?? 0);
    const runs = Math.max(1, options.runs ?? 1);
    const samples: number[] = [];
    let result: Ort.InferenceSession.OnnxValueMapType | null = null;
    try {
      const key = shapeKey(inputs);
      let firstRunMs: number | undefined;
      if (this.provider !== 'cpu' && !this.warmShapes.has(key)) {
        // Compiling the GPU kernels makes the first run with new shapes slow: its own phase.
        if (control?.cancelled()) throw new RuntimeError('cancelled', 'the run was cancelled');
        control?.phase?.('compiling');
        await new Promise((r) => setImmediate(r)); // lets the phase message out before the thread blocks
        const t0 = performance.now();
        disposeValues(await main.run(feeds));
        firstRunMs = performance.now() - t0;
        control?.phase?.(null);
        this.warmShapes.add(key);
        if (this.choice === 'auto' && !this.autoDecision) this.autoDecision = await this.decideAuto(feeds, firstRunMs, control);
      }
      const names = await this.captureNames(options.captureValues);
      // Values the optimized graph still computes are tapped there; the fused ones come from the
      // source graph, once and untimed, and only when asked for ('compute', the default).
      let opt = names.length && options.captureGraph !== 'source' ? await this.optimizedCapture() : null;
      let { tapped, fused } = opt ? splitByFusion(names, opt.model.fusion) : { tapped: names, fused: [] as FusedValue[] };
      const summaries = options.captureAs === 'summaries';
      const planOn = (sessions: CaptureSessions, list: string[]): Promise<SummaryPlan> => (summaries ? sessions.planSummaries(main, list, feeds) : sessions.plan(main, list, feeds).then(tensorPlan));
      let plan: SummaryPlan | null = null;
      if (opt && tapped.length) {
        try {
          plan = await planOn(opt.sessions, tapped);
          // ORT may write initializers that were also graph inputs as new inputs: not the same model to feed.
          if (!plan.session.inputNames.every((n) => n in feeds)) plan = null;
        } catch { plan = null; }
        if (!plan) { await opt.sessions.dispose(); this.optimized = opt = null; ({ tapped, fused } = { tapped: names, fused: [] }); }
      }
      if (!plan && tapped.length) plan = await planOn(this.capture(), tapped);
      let session = plan?.session ?? this.session!;
      for (let i = 0; i < warmup + runs; i++) {
        if (control?.cancelled()) throw new RuntimeError('cancelled', 'the run was cancelled');
        const t0 = performance.now();
        try {
          result = await session.run(feeds);
        } catch (e) {
          // A reduced overview whose value sizes changed since its first run: full tensors instead.
          const next: SummaryPlan | null = plan ? await plan.fallback() : null;
          if (!next || next === plan) throw e;
          plan = next;
          session = next.session;
          i--;
          continue;
        }
        const dt = performance.now() - t0;
        if (i >= warmup) samples.push(dt);
        if (i < warmup + runs - 1) disposeValues(result);
      }
      const values = result!;
      const outputs = this.session!.outputNames.map((n) => fromOrtTensor(n, values[n] as Ort.Tensor));
      const got = plan ? await plan.extract(values) : { tensors: [], summaries: [] };
      let captured = got.tensors;
      let summarized = got.summaries;
      if (fused.length && options.fusedValues !== 'report') {
        const computed = await this.captureFromSource(main, fused.map((f) => f.value), feeds);
        captured = inOrder(names, [...captured, ...computed]);
        if (summaries) summarized = inOrder(names, [...summarized, ...computed.map(summaryOf)]);
      }
      const trace = options.profile ? await this.profile(feeds, warmup, control) : undefined;
      const auto = this.autoDecision ? { auto: this.autoDecision } : {};
      return { outputs, captured, ...(summaries ? { summaries: summarized } : {}), ...(opt ? { fused } : {}), latencyMs: latencyStats(samples), provider: this.provider, ...(trace ? { trace } : {}), ...(firstRunMs !== undefined ? { firstRunMs } : {}), ...auto };
    } catch (e) {
      if (e instanceof RuntimeError || e instanceof ModelError) throw e;
      const raw = (e as Error).message ?? String(e);
      const rejected = describeOrtRejection(raw, main.inputMetadata.map(toValueInfo));
      if (rejected) throw new ModelError('size-mismatch', `onnxruntime refused the inputs: ${rejected.message}`, { file: this.modelPath, tensor: rejected.input });
      if (this.provider !== 'cpu') throw await this.gpuFault(raw);
      // A node that failed on these inputs (a padding longer than the input, a shape that does not
      // broadcast) says so by name; the inputs' sizes are what the user can change.
      const inNode = describeOrtNodeFailure(raw);
      if (inNode) throw new ModelError('unsupported', `onnxruntime failed to run the model: ${inNode.message}; the input sizes may be too small or not what the model expects`, { file: this.modelPath, field: `node '${inNode.node}'` });
      throw new ModelError('unsupported', `onnxruntime failed to run the model: ${conciseProviderError(raw)}`, { file: this.modelPath });
    }
  }

  // Times one warm run on the GPU session and one on a CPU session, keeps the faster (the other is
  // released), and says why. The CPU session's own first run is not timed either.
  private async decideAuto(feeds: Record<string, Ort.Tensor>, gpuFirstMs: number, control?: RunControl): Promise<AutoDecision> {
    const gpu = this.session!;
    const timed = async (s: Ort.InferenceSession) => {
      if (control?.cancelled()) throw new RuntimeError('cancelled', 'the run was cancelled');
      const t0 = performance.now();
      disposeValues(await s.run(feeds));
      return performance.now() - t0;
    };
    const gpuMs = await timed(gpu);
    const cpu = await loadOrt().InferenceSession.create(this.modelPath, sessionOptions('cpu'));
    let keep = false;
    try {
      await timed(cpu);
      const decision = decideAuto(this.provider, gpuMs, await timed(cpu), gpuFirstMs);
      if (decision.provider === 'cpu') {
        keep = true;
        await this.captureSessions?.dispose();
        this.captureSessions = null;
        this.session = cpu;
        this.provider = 'cpu';
        await gpu.release();
      }
      return decision;
    } finally {
      if (!keep) await cpu.release();
    }
  }

  // A GPU provider that throws mid-run (device lost, out of memory, a kernel that fails) ends this run
  // with a message naming the provider and the node; the session is replaced by a CPU one, so the
  // next run works on the CPU and nothing else about the model is lost.
  private async gpuFault(raw: string): Promise<ModelError> {
    const provider = this.provider;
    const node = nodeOfError(raw);
    let next = 'the next run uses the CPU';
    try {
      const cpu = await loadOrt().InferenceSession.create(this.modelPath, sessionOptions('cpu'));
      await this.captureSessions?.dispose();
      this.captureSessions = null;
      await this.session?.release();
      this.session = cpu;
      this.provider = 'cpu';
      this.autoDecision = null;
    } catch (e) {
      next = `and no CPU session could replace it: ${conciseProviderError((e as Error).message)}`;
    }
    return new ModelError('unsupported', `${providerName(provider)} failed during the run${node ? ` at node '${node}'` : ''}: ${conciseProviderError(raw)}; ${next}`, { file: this.modelPath });
  }

  // Captured names in graph order; '*' is every node output of the main graph.
  private async captureNames(capture: string[] | undefined): Promise<string[]> {
    if (!capture?.length) return [];
    const { nodeOutputs } = await this.graphValueNames();
    if (capture.includes('*')) return [...new Set(nodeOutputs)];
    const available = new Set(nodeOutputs);
    const unknown = capture.filter((n) => !available.has(n));
    if (unknown.length) throw new ModelError('malformed', `cannot capture ${unknown.map((n) => `'${n}'`).join(', ')}: not a node output of the main graph`, { file: this.modelPath, tensor: unknown[0] });
    const wanted = new Set(capture);
    return [...new Set(nodeOutputs.filter((n) => wanted.has(n)))];
  }

  // The source-graph capture path, for values fused away in the optimized graph.
  private async captureFromSource(main: Ort.InferenceSession, names: string[], feeds: Record<string, Ort.Tensor>): Promise<RuntimeTensor[]> {
    return this.capture().fetch(main, names, feeds);
  }

  // Built on first capture, CPU only: another provider's optimized graph may not load back.
  private async optimizedCapture(): Promise<{ model: OptimizedModel; sessions: CaptureSessions } | null> {
    if (this.optimized !== undefined) return this.optimized;
    if (this.provider !== 'cpu') return (this.optimized = null);
    const ort = loadOrt();
    const model = await buildOptimizedModel((extra) => ort.InferenceSession.create(this.modelPath, { ...sessionOptions('cpu'), ...extra }), await this.bytes(), this.modelPath, this.session!.inputNames);
    this.optimized = model ? { model, sessions: new CaptureSessions(this.sessionFactory('disabled'), async () => model.bytes, this.modelPath) } : null;
    return this.optimized;
  }

  // A profiled run on a session of its own (profiling is a session option); released right after.
  private async profile(feeds: Record<string, Ort.Tensor>, warmup: number, control?: RunControl): Promise<ProfiledRun> {
    if (control?.cancelled()) throw new RuntimeError('cancelled', 'the run was cancelled');
    return profiledRun((extra) => loadOrt().InferenceSession.create(this.modelPath, { ...sessionOptions(this.provider), ...extra }), feeds, warmup);
  }

  private capture(): CaptureSessions {
    this.captureSessions ??= new CaptureSessions(this.sessionFactory(), () => this.bytes(), this.modelPath);
    return this.captureSessions;
  }

  private sessionFactory(level?: Ort.InferenceSession.SessionOptions['graphOptimizationLevel']): (bytes: Uint8Array) => Promise<Ort.InferenceSession> {
    return async (bytes) => {
      try {
        // From memory, external data must still be found next to the original file.
        const options = sessionOptions(this.provider);
        if (level) options.graphOptimizationLevel = level;
        options.extra = { session: { model_external_initializers_file_folder_path: path.dirname(this.modelPath) } };
        return await loadOrt().InferenceSession.create(bytes, options);
      } catch (e) {
        throw new ModelError('unsupported', `cannot capture the requested values: ${conciseProviderError((e as Error).message)}`, { file: this.modelPath });
      }
    };
  }

  async dispose(): Promise<void> {
    await this.captureSessions?.dispose();
    this.captureSessions = null;
    await this.optimized?.sessions.dispose();
    this.optimized = undefined;
    if (this.session) await this.session.release();
    this.session = null;
    this.warmShapes.clear();
    this.autoDecision = null;
    this.modelBytes = null;
    this.valueNames = null;
  }
}

function tensorPlan(plan: CapturePlan): SummaryPlan {
  const self: SummaryPlan = { session: plan.session, extract: async (v) => ({ tensors: await plan.extract(v), summaries: [] }), fallback: async () => self };
  return self;
}

function inOrder<T extends { name: string }>(names: string[], tensors: T[]): T[] {
  const at = new Map(names.map((n, i) => [n, i]));
  return tensors.sort((a, b) => at.get(a.name)! - at.get(b.name)!);
}

function sessionOptions(provider: ExecutionProvider): Ort.InferenceSession.SessionOptions {
  // Errors only: ORT's warnings (e.g. about unused initializers) are noise for a user running a model.
  return { executionProviders: [provider], logSeverityLevel: 3 };
}

async function checkReadable(modelPath: string): Promise<void> {
  try {
    await access(modelPath, constants.R_OK);
  } catch (e) {
    throw new ModelError('not-found', `cannot read the model: ${(e as Error).message}`, { file: modelPath });
  }
}

async function readModelFile(modelPath: string): Promise<Uint8Array> {
  try {
    return await readFile(modelPath);
  } catch (e) {
    throw new ModelError('not-found', `cannot read the model: ${(e as Error).message}`, { file: modelPath });
  }
}

function toValueInfo(m: Ort.InferenceSession.ValueMetadata): RuntimeValueInfo {
  if (!m.isTensor) return { name: m.name, shape: null, isTensor: false };
  const shape: Dim[] | null = m.shape.length === 0 && m.type !== undefined ? [] : m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' && d ? d : null));
  return { name: m.name, dtype: isRuntimeDtype(m.type) ? (m.type as DataType) : undefined, shape, isTensor: true };
}
