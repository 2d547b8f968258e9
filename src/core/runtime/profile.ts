// Where the time goes: one profiled run's ONNX Runtime trace (Chrome-trace JSON, written by
// endProfiling) mapped back to the model's top-level nodes, with the provider that ran each one.
//
// How a kernel in the trace finds its source node (ORT rewrites the graph before running it):
//  1. its name, less ORT's `_kernel_time` and `fused ` decorations, is a top-level node's name
//     (unnamed nodes are `<op>_<index>`, the name ORT gives them);
//  2. else the longest node name or node output name its name starts with (ORT names rewritten
//     nodes after a source node or its output: `relu_out_nchwc`); when that node has another op
//     type, a kernel-less node next to it with the kernel's op type takes the time instead (Conv +
//     Relu run as one Conv named after the Relu's output: the time is the Conv's);
//  3. else it is a kernel ORT inserted (layout reorders, copies between devices): listed under
//     `inserted`, counted in the sum, attributed to no node.
// A top-level node left without a kernel was fused into the nearest node with one (its producers
// first, then its consumers): ms 0, `fusedInto` names that node, its provider is that node's.
// A node whose inputs are all constant and that has no kernel was folded away when the session was
// created: ms 0, provider null. Kernels inside subgraphs (If/Loop bodies) are inside their owner's
// time and are not counted twice.
import type { Graph } from '../ir/graph.js';

/** One kernel of the profiled run, as the trace gives it. */
export interface TraceKernel {
  /** ORT's node name (without `_kernel_time`). */
  name: string;
  op: string;
  provider: string;
  /** Microseconds. */
  us: number;
}

/** The kernels of the last run in a trace, and ORT's own time for that run (µs). */
export interface TraceRun {
  kernels: TraceKernel[];
  runUs: number;
}

/** A top-level node as the profile sees it. */
export interface ProfileNode {
  name: string;
  op: string;
  inputs: string[];
  outputs: string[];
}

export interface ProfileRow {
  /** Top-level node index (graph order; the graph payload's node id in the main graph). */
  index: number;
  node: string;
  op: string;
  ms: number;
  /** ORT's provider name (`CPUExecutionProvider`); null for a node folded away at load. */
  provider: string | null;
  /** The node whose kernel ran this one (fusion), when it had none of its own. */
  fusedInto?: string;
  /** The kernel's op type, when ORT ran the node as another op (FusedGemm, a fused Conv). */
  ranAs?: string;
}

export interface ProfileReport {
  /** Every top-level node, in graph order. */
  rows: ProfileRow[];
  /** Kernels ORT added that no source node accounts for. */
  inserted: { kernel: string; op: string; ms: number; provider: string }[];
  /** Sum of all kernel times of the profiled run (rows + inserted), ms. */
  sumMs: number;
  /** ORT's own time for the profiled run (model_run), ms. */
  runMs: number;
  /** The plain (unprofiled) run's latency it is compared with (p50), ms. */
  latencyMs: number;
  /** "CPU ran 6 nodes", "CUDA ran 409 of 412 nodes; 3 fell back to the CPU: NonMaxSuppression, …". */
  verdict: string;
}

interface RawEvent { cat?: string; name?: string; ts?: number; dur?: number; args?: { op_name?: string; provider?: string } }

/** The last run of an ORT profile: its kernels in order, outer kernels only. */
export function parseTrace(json: string): TraceRun {
  const events = JSON.parse(json) as RawEvent[];
  if (!Array.isArray(events)) throw new Error('the profile is not a list of trace events');
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const last = runs[runs.length - 1];
  if (!last) return { kernels: [], runUs: 0 };
  const start = last.ts ?? 0, end = start + (last.dur ?? 0);
  const inRun = events
    .filter((e) => e.cat === 'Node' && typeof e.name === 'string' && e.name.endsWith('_kernel_time') && (e.ts ?? -1) >= start && (e.ts ?? 0) + (e.dur ?? 0) <= end)
    .sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
  const kernels: TraceKernel[] = [];
  let outerEnd = -Infinity;
  for (const e of inRun) {
    const ts = e.ts ?? 0, dur = e.dur ?? 0;
    if (ts < outerEnd && ts + dur <= outerEnd) continue; // nested in the kernel before: a subgraph's
    outerEnd = Math.max(outerEnd, ts + dur);
    kernels.push({ name: e.name!.slice(0, -'_kernel_time'.length), op: e.args?.op_name ?? '?', provider: e.args?.provider ?? '?', us: dur });
  }
  return { kernels, runUs: last.dur ?? 0 };
}

/** A graph's top-level nodes as the profile maps them (unnamed nodes get ORT's `<op>_<index>`), and its constants. */
export function profileGraph(graph: Graph): { nodes: ProfileNode[]; constants: Set<string> } {
  const constants = new Set([...graph.values.values()].filter((v) => v.tensor).map((v) => v.name));
  const nodes = graph.nodes.map((n, i) => ({
    name: n.name || `${n.opType}_${i}`,
    op: n.opType,
    inputs: n.inputs.filter((v) => v !== null).map((v) => v!.name),
    outputs: n.outputs.map((v) => v.name),
  }));
  return { nodes, constants };
}

/** Maps a trace's kernels to the nodes (see the rule at the top of this file). `constants`: names of initializers. */
export function attributeProfile(trace: TraceRun, graph: { nodes: readonly ProfileNode[]; constants: ReadonlySet<string> }, latencyMs: number): ProfileReport {
  const { nodes, constants } = graph;
  const byName = new Map<string, number>();
  nodes.forEach((n, i) => { if (!byName.has(n.name)) byName.set(n.name, i); });
  const producer = new Map<string, number>();
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    for (const o of n.outputs) producer.set(o, i);
    for (const v of n.inputs) consumers.set(v, [...(consumers.get(v) ?? []), i]);
  });
  const prefixes = [...nodes.flatMap((n, i) => [[n.name, i] as const, ...n.outputs.map((o) => [o, i] as const)])].filter(([k]) => k).sort((a, b) => b[0].length - a[0].length);
  const us = new Float64Array(nodes.length);
  const provider: (string | null)[] = nodes.map(() => null);
  const ranAs: (string | undefined)[] = nodes.map(() => undefined);
  const hasKernel = new Uint8Array(nodes.length);
  const inserted: ProfileReport['inserted'] = [];
  const pending: { k: TraceKernel; anchor: number }[] = [];
  const claim = (i: number, k: TraceKernel) => {
    us[i] += k.us;
    hasKernel[i] = 1;
    provider[i] ??= k.provider;
    if (k.op !== nodes[i].op) ranAs[i] ??= k.op;
  };
  for (const k of trace.kernels) {
    const name = k.name.replace(/^fused /, '');
    const exact = byName.get(name);
    if (exact !== undefined) { claim(exact, k); continue; }
    const hit = prefixes.find(([p]) => name.startsWith(p));
    if (hit) pending.push({ k, anchor: hit[1] });
    else inserted.push({ kernel: k.name, op: k.op, ms: k.us / 1000, provider: k.provider });
  }
  // Renamed kernels: prefer a kernel-less neighbour of the anchor with the kernel's op type.
  for (const { k, anchor } of pending) {
    let target = anchor;
    if (nodes[anchor].op !== k.op) {
      const near = neighbours(anchor, nodes, producer, consumers).find((j) => !hasKernel[j] && nodes[j].op === k.op);
      if (near !== undefined) target = near;
    }
    claim(target, k);
  }
  const constant = constantNodes(nodes, constants, producer, hasKernel);
  const rows: ProfileRow[] = nodes.map((n, i) => {
    const row: ProfileRow = { index: i, node: n.name, op: n.op, ms: us[i] / 1000, provider: provider[i] };
    if (ranAs[i]) row.ranAs = ranAs[i];
    if (!hasKernel[i] && !constant[i]) {
      const into = nearestWithKernel(i, nodes, producer, consumers, hasKernel);
      if (into !== undefined) { row.fusedInto = nodes[into].name; row.provider = provider[into]; }
    }
    return row;
  });
  const sumMs = (us.reduce((a, b) => a + b, 0) + inserted.reduce((a, b) => a + b.ms * 1000, 0)) / 1000;
  return { rows, inserted, sumMs, runMs: trace.runUs / 1000, latencyMs, verdict: profileVerdict(rows) };
}

/** "CPU ran 6 nodes", or "CUDA ran 409 of 412 nodes; 3 fell back to the CPU: NonMaxSuppression, Shape". */
export function profileVerdict(rows: readonly ProfileRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.provider) counts.set(r.provider, (counts.get(r.provider) ?? 0) + 1);
  const folded = rows.filter((r) => !r.provider).length;
  const tail = folded ? `; ${folded} folded away at load` : '';
  if (!counts.size) return `no node ran${tail}`;
  const cpu = 'CPUExecutionProvider';
  const others = [...counts.entries()].filter(([p]) => p !== cpu).sort((a, b) => b[1] - a[1]);
  const nodesWord = (n: number) => `${n} node${n === 1 ? '' : 's'}`;
  if (!others.length) return `CPU ran ${nodesWord(counts.get(cpu)!)}${tail}`;
  const onCpu = rows.filter((r) => r.provider === cpu);
  if (!onCpu.length) return `${others.map(([p, n]) => `${providerLabel(p)} ran ${nodesWord(n)}`).join(', ')}${tail}`;
  const ran = rows.filter((r) => r.provider).length;
  const main = others.map(([p, n]) => `${providerLabel(p)} ran ${n} of ${nodesWord(ran)}`).join(', ');
  const ops = [...new Set(onCpu.map((r) => r.op))];
  const list = ops.length > 5 ? `${ops.slice(0, 5).join(', ')}, …` : ops.join(', ');
  return `${main}; ${onCpu.length} fell back to the CPU: ${list}${tail}`;
}

/** `CUDAExecutionProvider` → `CUDA`, `WebGpuExecutionProvider` → `WebGPU`. */
export function providerLabel(p: string): string {
  return p.replace(/ExecutionProvider$/, '').replace(/^(Js|WebGpu)$/, 'WebGPU') || p;
}

/** Where each top-level node ran, as the provider names the settings use (`webgpu`, `cpu`); folded nodes are left out. */
export function placementOf(report: ProfileReport): { node: string; op: string; provider: string }[] {
  return report.rows.filter((r) => r.provider).map((r) => ({ node: r.node, op: r.op, provider: providerLabel(r.provider!).toLowerCase() }));
}

function neighbours(i: number, nodes: readonly ProfileNode[], producer: Map<string, number>, consumers: Map<string, number[]>): number[] {
  const up = nodes[i].inputs.map((v) => producer.get(v)).filter((j): j is number => j !== undefined);
  const down = nodes[i].outputs.flatMap((v) => consumers.get(v) ?? []);
  return [...up, ...down];
}

// Breadth-first over kernel-less nodes: producers first (fusion folds an activation into the op before it).
function nearestWithKernel(start: number, nodes: readonly ProfileNode[], producer: Map<string, number>, consumers: Map<string, number[]>, hasKernel: Uint8Array): number | undefined {
  const seen = new Set([start]);
  let frontier = [start];
  while (frontier.length) {
    const next: number[] = [];
    for (const i of frontier) {
      for (const j of neighbours(i, nodes, producer, consumers)) {
        if (seen.has(j)) continue;
        if (hasKernel[j]) return j;
        seen.add(j);
        next.push(j);
      }
    }
    frontier = next;
  }
  return undefined;
}

// Kernel-less nodes computed from constants only (initializers, Constant nodes): folded at load.
function constantNodes(nodes: readonly ProfileNode[], constants: ReadonlySet<string>, producer: Map<string, number>, hasKernel: Uint8Array): boolean[] {
  const memo: (boolean | undefined)[] = [];
  const isConst = (i: number, depth: number): boolean => {
    if (memo[i] !== undefined) return memo[i]!;
    if (hasKernel[i] || depth > 10_000) return (memo[i] = false);
    memo[i] = false; // cycles (malformed graphs) count as not constant
    const ok = nodes[i].inputs.every((v) => {
      if (constants.has(v)) return true;
      const p = producer.get(v);
      return p !== undefined && isConst(p, depth + 1);
    });
    return (memo[i] = ok);
  };
  return nodes.map((_, i) => isConst(i, 0));
}
