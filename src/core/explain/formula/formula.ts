// A node's operation written as math with its real tensors: `y = 2.0·x + 1.0` for a 1×1 Gemm,
// `y[c,h,w] = b[c] + Σ_{k,i,j} W[c,k,i,j]·x[k,2h+i−3,2w+j−3]` for a Conv, with the weights'
// shapes, parameter counts and values (small tensors) or statistics (large ones) as notes.
import type { Node, Value } from '../../ir/graph.js';
import { attrFloat, attrInt, attrInts, attrString, attrStrings } from '../values/attributes.js';
import { describeTensor, formatNumber, formatValues, inlineOrSymbol, tensorNote, weightOf, type FormulaTensor } from './formula-tensors.js';
import { parts, subscript, textOf, windowIndex, windowLetters, type FormulaPart } from './formula-text.js';
import { activationFormula } from './formula-activations.js';

export type { FormulaPart } from './formula-text.js';
export type { FormulaTensor } from './formula-tensors.js';

export type FormulaFamily = 'linear' | 'convolution' | 'activation' | 'normalization' | 'attention' | 'pooling' | 'reshape'
  | 'elementwise' | 'reduction' | 'recurrent' | 'other';

/** A node's formula: plain text, the same as styled parts, and notes on the tensors it uses. */
export interface NodeFormula {
  text: string;
  parts: FormulaPart[];
  /** One line per named tensor (shape, parameters, values or stats) and per setting (stride, ε…). */
  notes: string[];
  tensors: FormulaTensor[];
  family: FormulaFamily;
}

export interface FormulaOptions {
  /** Tensors with at most this many elements are shown by value (default 16). */
  smallLimit?: number;
}

const computedCache = new WeakMap<Value, boolean>();
/** True for a value computed only from weights (Reshape of a weight, ConstantOfShape…), not from inputs. */
export function isComputedFromWeights(v: Value): boolean {
  if (weightOf(v)) return true;
  const cached = computedCache.get(v);
  if (cached !== undefined) return cached;
  computedCache.set(v, false);
  const p = v.producer;
  const result = !!p && !/^Random/.test(p.opType) && p.inputs.some((i) => i) && p.inputs.every((i) => !i || isComputedFromWeights(i));
  computedCache.set(v, result);
  return result;
}

class Ctx {
  readonly tensors: FormulaTensor[] = [];
  readonly notes: string[] = [];
  readonly data: Value[];
  constructor(readonly node: Node, readonly smallLimit: number) {
    this.data = node.inputs.filter((v): v is Value => !!v && !weightOf(v) && !isComputedFromWeights(v));
  }
  /** The i-th data input as `x` (or x₁, x₂… when there are several). */
  x(i = 0): FormulaPart {
    const v = this.data[i];
    return { text: this.data.length > 1 ? `x${subscript(i + 1)}` : 'x', kind: 'input', ref: v?.name };
  }
  get y(): FormulaPart { return { text: 'y', kind: 'output', ref: this.node.outputs[0]?.name }; }
  /** Input `index` as a part: a weight by value when tiny, else by symbol; a data input as x. */
  async operand(index: number, symbol: string, inline = true): Promise<FormulaPart | undefined> {
    const v = this.node.inputs[index];
    if (!v) return undefined;
    const t = weightOf(v);
    if (!t && isComputedFromWeights(v)) {
      const shape = v.type?.shape ? ` → [${v.type.shape.map((d) => d ?? '?').join(', ')}]` : '';
      this.notes.push(`${symbol} (${v.name}): computed from weights by ${v.producer?.opType ?? '?'}${shape}`);
      return { text: symbol, kind: 'weight', ref: v.name };
    }
    if (!t) return this.x(Math.max(0, this.data.indexOf(v)));
    const d = await describeTensor(symbol, t, this.smallLimit);
    this.tensors.push(d);
    this.notes.push(tensorNote(d));
    const text = inline ? inlineOrSymbol(d, symbol) : symbol;
    return { text, kind: text === symbol ? 'weight' : 'number', ref: v.name };
  }
  has(index: number): boolean { return !!this.node.inputs[index]; }
}

function result(ctx: Ctx, p: FormulaPart[], family: FormulaFamily): NodeFormula {
  return { text: textOf(p), parts: p, notes: ctx.notes, tensors: ctx.tensors, family };
}

/** Leading pads of a window: explicit, or SAME computed from the input size (known, or not needed at stride 1). */
function windowPadsBegin(n: Node, autoPad: string, nsp: number, kernel: number[], strides: number[], dil: number[], channelsLast: boolean): number[] {
  if (autoPad === 'NOTSET' || autoPad === 'EXPLICIT') {
    const p = attrInts(n, 'pads');
    if (p) return p.slice(0, nsp);
    const ex = attrInts(n, 'explicit_paddings');
    if (ex && ex.length === 2 * (nsp + 2)) return Array.from({ length: nsp }, (_, a) => ex[2 * (a + (channelsLast ? 1 : 2))]);
    return new Array(nsp).fill(0);
  }
  if (autoPad === 'VALID') return new Array(nsp).fill(0);
  const xs = n.inputs[0]?.type?.shape;
  const spatial = xs && xs.length === nsp + 2 ? (channelsLast ? xs.slice(1, -1) : xs.slice(2)) : undefined;
  return kernel.map((k, a) => {
    const size = spatial?.[a];
    const total = typeof size === 'number'
      ? Math.max(0, (Math.ceil(size / strides[a]) - 1) * strides[a] + (k - 1) * dil[a] + 1 - size)
      : strides[a] === 1 ? (k - 1) * dil[a] : 0;
    return autoPad === 'SAME_LOWER' ? total - Math.floor(total / 2) : Math.floor(total / 2);
  });
}

async function convFormula(ctx: Ctx): Promise<NodeFormula> {
  const n = ctx.node;
  const channelsLast = n.opType !== 'Conv' && n.opType !== 'ConvInteger' && !/^NC/.test(attrString(n, 'data_format', 'NHWC'));
  const wt = weightOf(n.inputs[1]);
  const wShape = wt?.shape ?? [];
  const nsp = Math.max(1, wShape.length - 2);
  const { out, kernel } = windowLetters(nsp);
  const W = (await ctx.operand(1, 'W', false))!;
  const b = ctx.has(2) ? await ctx.operand(2, 'b', false) : undefined;
  const x = ctx.x(0);
  const pick = (v: number[] | undefined, def: number) => (v && v.length === nsp + 2 ? (channelsLast ? v.slice(1, -1) : v.slice(2)) : v && v.length >= nsp ? v.slice(0, nsp) : new Array(nsp).fill(def));
  const strides = pick(attrInts(n, 'strides'), 1);
  const dil = pick(attrInts(n, ['dilations', 'dilation_rate']), 1);
  const autoPad = attrString(n, ['auto_pad', 'padding'], 'NOTSET').toUpperCase();
  const pads = windowPadsBegin(n, autoPad, nsp, wShape.slice(channelsLast ? 0 : 2, channelsLast ? nsp : undefined), strides, dil, channelsLast);
  const group = attrInt(n, 'group', 1);
  const idx = out.map((o, a) => windowIndex(o, kernel[a], strides[a], dil[a], pads[a]));
  let lhs: (FormulaPart | string)[], rhs: (FormulaPart | string)[];
  if (!channelsLast) {
    const cout = wShape[0] ?? 0, cg = wShape[1] ?? 0;
    const depthwise = group > 1 && cg === 1 && cout === group;
    const chan = group === 1 ? 'k' : depthwise ? 'c' : `⌊c/${cout / group}⌋·${cg}+k`;
    const sumOver = depthwise ? kernel : ['k', ...kernel];
    lhs = [ctx.y, `[c,${out.join(',')}] = `];
    rhs = [...(b ? [b, '[c] + '] : []), `Σ_{${sumOver.join(',')}} `, W, `[c,${depthwise ? '0' : 'k'},${kernel.join(',')}]·`, x, `[${chan},${idx.join(',')}]`];
  } else {
    const depthwise = /Depthwise/.test(n.opType);
    lhs = [ctx.y, `[${out.join(',')},c] = `];
    rhs = [...(b ? [b, '[c] + '] : []), `Σ_{${[...kernel, ...(depthwise ? [] : ['k'])].join(',')}} `, W,
      depthwise ? `[${kernel.join(',')},c,0]·` : `[${kernel.join(',')},k,c]·`, x, `[${idx.join(',')},${depthwise ? 'c' : 'k'}]`];
  }
  const fused = attrStrings(n, 'fused_ops') ?? [];
  const kerasAct = attrString(n, 'activation', 'linear');
  const act = fused.find((f) => f !== 'BiasAdd') ?? (kerasAct !== 'linear' ? kerasAct : undefined);
  const p = act ? [...lhs, `${act.toLowerCase()}(`, ...rhs, ')'] : [...lhs, ...rhs];
  ctx.notes.push(`stride ${strides.join('×')}, dilation ${dil.join('×')}, padding ${autoPad !== 'NOTSET' ? autoPad : pads.join(',')}${group > 1 ? `, ${group} groups` : ''}`);
  return result(ctx, parts(...p), 'convolution');
}

async function gemmFormula(ctx: Ctx): Promise<NodeFormula> {
  const n = ctx.node;
  const alpha = attrFloat(n, 'alpha', 1), beta = attrFloat(n, 'beta', 1);
  const ta = attrInt(n, 'transA', 0) === 1, tb = attrInt(n, 'transB', 0) === 1;
  const A = (await ctx.operand(0, 'A'))!, B = (await ctx.operand(1, 'W'))!;
  const C = ctx.has(2) ? await ctx.operand(2, 'b') : undefined;
  const T = (q: FormulaPart, t: boolean): (FormulaPart | string)[] => (t && q.kind !== 'number' ? [q, 'ᵀ'] : [q]);
  const scalarB = B.kind === 'number' && !B.text.startsWith('[');
  const product = scalarB ? [B, '·', ...T(A, ta)] : [...T(A, ta), '·', ...T(B, tb)];
  const p = parts(ctx.y, ' = ', ...(alpha !== 1 ? [formatNumber(alpha), '·'] : []), ...product,
    ...(C ? signed(beta !== 1 ? [formatNumber(beta), '·', C] : [C]) : []));
  if (!scalarB && tb) ctx.notes.push('each row of x is one example; per example this is y = W·x + b');
  return result(ctx, p, 'linear');
}

/** ` + b`, or ` − 1.0` when b is one negative number. */
function signed(q: (FormulaPart | string)[]): (FormulaPart | string)[] {
  const first = q[0];
  if (q.length === 1 && typeof first !== 'string' && first.kind === 'number' && first.text.startsWith('−')) return [' − ', { ...first, text: first.text.slice(1) }];
  return [' + ', ...q];
}

async function matmulFormula(ctx: Ctx): Promise<NodeFormula> {
  const n = ctx.node;
  const a = (await ctx.operand(0, 'W'))!, b = (await ctx.operand(1, 'W'))!;
  const ta = attrInt(n, ['transpose_a', 'adj_x', 'transA'], 0) === 1, tb = attrInt(n, ['transpose_b', 'adj_y', 'transB'], 0) === 1;
  const scalar = (q: FormulaPart) => q.kind === 'number' && !q.text.startsWith('[');
  let p: (FormulaPart | string)[] = scalar(b) ? [b, '·', a] : [a, ...(ta ? ['ᵀ'] : []), '·', b, ...(tb ? ['ᵀ'] : [])];
  if (n.opType === '_FusedMatMul' || n.opType === 'Dense') {
    const bias = ctx.has(2) ? await ctx.operand(2, 'b') : undefined;
    if (bias) p = [...p, ...signed([bias])];
    const act = n.opType === 'Dense' ? attrString(n, 'activation', 'linear') : (attrStrings(n, 'fused_ops') ?? []).find((f) => f !== 'BiasAdd');
    if (act && act !== 'linear') p = [`${act.toLowerCase()}(`, ...p, ')'];
  }
  return result(ctx, parts(ctx.y, ' = ', ...p), 'linear');
}

const BINARY: Record<string, string> = { Add: ' + ', AddV2: ' + ', BiasAdd: ' + ', Sub: ' − ', Mul: '·', Div: ' / ', RealDiv: ' / ', Pow: '^', Sum: ' + ', Multiply: '·', Subtract: ' − ' };

async function binaryFormula(ctx: Ctx): Promise<NodeFormula> {
  const op = ctx.node.opType;
  const sym = op === 'Mul' || op === 'Div' || op === 'Multiply' || op === 'RealDiv' ? 's' : 'b';
  const ops: FormulaPart[] = [];
  for (let i = 0; i < ctx.node.inputs.length; i++) { const q = await ctx.operand(i, ctx.node.inputs.length > 2 ? `${sym}${subscript(i + 1)}` : sym); if (q) ops.push(q); }
  const joined: (FormulaPart | string)[] = [];
  ops.forEach((q, i) => { if (i) joined.push(BINARY[op] ?? ', '); joined.push(q); });
  if (op === 'Max' || op === 'Min' || op === 'Maximum' || op === 'Minimum') return result(ctx, parts(ctx.y, ` = ${op.slice(0, 3).toLowerCase()}(`, ...joined, ')'), 'elementwise');
  return result(ctx, parts(ctx.y, ' = ', ...joined), 'elementwise');
}

async function normFormula(ctx: Ctx): Promise<NodeFormula> {
  const n = ctx.node, op = n.opType;
  const eps = formatNumber(attrFloat(n, ['epsilon', 'variance_epsilon'], op === 'BatchNormalization' ? 1e-5 : 1e-5));
  const x = ctx.x(0);
  if (/BatchNorm/.test(op)) {
    const g = (await ctx.operand(1, 'γ', false))!, bt = (await ctx.operand(2, 'β', false))!;
    const mu = (await ctx.operand(3, 'μ', false))!, v = (await ctx.operand(4, 'σ²', false))!;
    return result(ctx, parts(ctx.y, '[c] = ', g, '[c]·(', x, '[c] − ', mu, '[c]) / √(', v, `[c] + ${eps}) + `, bt, '[c]'), 'normalization');
  }
  const scale = ctx.has(op === 'SkipLayerNormalization' || op === 'SkipSimplifiedLayerNormalization' ? 2 : 1);
  const gi = op.startsWith('Skip') ? 2 : 1;
  const g = scale ? await ctx.operand(gi, 'γ', false) : undefined;
  const bt = !/Simplified|RMS/.test(op) && ctx.has(gi + 1) ? await ctx.operand(gi + 1, 'β', false) : undefined;
  const input: (FormulaPart | string)[] = op.startsWith('Skip') ? ['(', x, ' + ', ctx.x(1), ')'] : [x];
  const over = op === 'InstanceNormalization' ? 'over each channel\'s spatial positions'
    : op === 'GroupNormalization' ? `over each of ${attrInt(n, 'num_groups', 1)} channel groups`
      : `over axes ${attrInt(n, 'axis', -1)}…`;
  const body: (FormulaPart | string)[] = /Simplified|RMS/.test(op)
    ? [...input, ` / √(mean(`, ...input, `²) + ${eps})`]
    : ['(', ...input, ` − μ) / √(σ² + ${eps})`];
  const p = parts(ctx.y, ' = ', ...(g ? [g, ' ⊙ '] : []), ...body, ...(bt ? [' + ', bt] : []));
  ctx.notes.push(/Simplified|RMS/.test(op) ? `mean ${over}` : `μ, σ² = mean and variance of x ${over}`);
  return result(ctx, p, 'normalization');
}

async function attentionFormula(ctx: Ctx): Promise<NodeFormula> {
  const n = ctx.node;
  const heads = attrInt(n, ['num_heads', 'q_num_heads'], 1);
  const scale = attrFloat(n, 'scale', 0);
  const sc = scale ? `·${formatNumber(scale)}` : '/√d';
  if (n.domain === 'com.microsoft' && n.opType === 'Attention') {
    const W = (await ctx.operand(1, 'W', false))!;
    const b = ctx.has(2) ? await ctx.operand(2, 'b', false) : undefined;
    const p = parts('[Q, K, V] = ', ctx.x(0), '·', W, ...(b ? [' + ', b] : []), `; `, ctx.y, ` = concat over ${heads} heads of softmax(Q·Kᵀ${sc} + mask)·V`);
    return result(ctx, p, 'attention');
  }
  const p = parts(ctx.y, ` = concat over ${heads} heads of softmax(`, ctx.x(0), '·', ctx.x(1), `ᵀ${sc}${ctx.data.length > 3 ? ' + mask' : ''})·`, ctx.x(2));
  ctx.notes.push('x₁ = queries Q, x₂ = keys K, x₃ = values V; d = size of one head');
  return result(ctx, p, 'attention');
}

function poolFormula(ctx: Ctx): NodeFormula {
  const n = ctx.node, op = n.opType;
  const x = ctx.x(0);
  if (/^Global/.test(op)) {
    const f = /Max/.test(op) ? 'max' : 'mean';
    return result(ctx, parts(ctx.y, `[c] = ${f}_{h,w} `, x, '[c,h,w]'), 'pooling');
  }
  const ks = attrInts(n, ['kernel_shape', 'ksize', 'pool_size']) ?? [1, 1];
  const channelsLast = n.attributes.some((a) => a.name === 'ksize' || a.name === 'pool_size');
  const kernel = ks.length === 4 ? ks.slice(1, 3) : ks;
  const { out, kernel: kl } = windowLetters(kernel.length);
  const st = attrInts(n, 'strides') ?? kernel;
  const strides = st.length === kernel.length + 2 ? st.slice(1, -1) : st;
  const pads = windowPadsBegin(n, attrString(n, ['auto_pad', 'padding'], 'NOTSET').toUpperCase(), kernel.length, kernel, strides, kernel.map(() => 1), channelsLast);
  const idx = out.map((o, a) => windowIndex(o, kl[a], strides[a] ?? 1, 1, pads[a] ?? 0));
  const range = kl.map((k, a) => `${k}<${kernel[a]}`).join(',');
  const xi = channelsLast ? `[${idx.join(',')},c]` : `[c,${idx.join(',')}]`;
  const yi = channelsLast ? `[${out.join(',')},c]` : `[c,${out.join(',')}]`;
  const p = /Max/.test(op)
    ? parts(ctx.y, `${yi} = max_{${range}} `, x, xi)
    : parts(ctx.y, `${yi} = (1/${kernel.reduce((a, b) => a * b, 1)}) Σ_{${range}} `, x, xi);
  ctx.notes.push(`window ${kernel.join('×')}, stride ${strides.join('×')}`);
  return result(ctx, p, 'pooling');
}

async function reshapeFormula(ctx: Ctx): Promise<NodeFormula> {
  const n = ctx.node, op = n.opType;
  const x = ctx.x(0);
  const shapeOf = (v: Value | undefined) => v?.type?.shape ? `[${v.type.shape.map((d) => d ?? '?').join(', ')}]` : '';
  const outShape = shapeOf(n.outputs[0]);
  const xs = ctx.data.map((_, i) => ctx.x(i));
  const list = (q: FormulaPart[]) => q.flatMap((p, i) => (i ? [', ', p] : [p]));
  switch (op) {
    case 'Transpose': return result(ctx, parts(ctx.y, ` = transpose(`, x, `, perm=[${(attrInts(n, 'perm') ?? []).join(',')}])`), 'reshape');
    case 'Concat': case 'ConcatV2': case 'Concatenate': return result(ctx, parts(ctx.y, ' = concat(', ...list(xs), `; axis ${attrInt(n, 'axis', 0)})`), 'reshape');
    case 'Identity': case 'Dropout': return result(ctx, parts(ctx.y, ' = ', x, op === 'Dropout' ? '   (dropout does nothing at inference)' : ''), 'reshape');
    case 'Gather': case 'GatherV2': {
      const idx = await ctx.operand(1, 'i');
      return result(ctx, parts(ctx.y, ' = ', x, '[', idx ?? 'i', `] along axis ${attrInt(n, 'axis', 0)}`), 'reshape');
    }
  }
  return result(ctx, parts(ctx.y, ` = ${op.toLowerCase()}(`, x, `)${outShape ? ` → ${outShape}` : ''}`), 'reshape');
}

async function constantFormula(ctx: Ctx): Promise<NodeFormula> {
  const a = ctx.node.attributes.find((x) => x.type === 'tensor');
  if (a?.type !== 'tensor') {
    const v = ctx.node.attributes.find((x) => x.type === 'float' || x.type === 'int' || x.type === 'floats' || x.type === 'ints');
    const text = v ? (Array.isArray(v.value) ? `[${(v.value as number[]).map(formatNumber).join(', ')}]` : formatNumber(v.value as number)) : '?';
    return result(ctx, parts(ctx.y, ' = ', { text, kind: 'number' }), 'other');
  }
  const d = await describeTensor('C', a.value, ctx.smallLimit);
  ctx.tensors.push(d);
  ctx.notes.push(tensorNote(d));
  const text = d.values ? formatValues(d.values, d.shape) : 'C';
  return result(ctx, parts(ctx.y, ' = ', { text, kind: d.values ? 'number' : 'weight', ref: ctx.node.outputs[0]?.name }), 'other');
}

function reduceFormula(ctx: Ctx): NodeFormula {
  const n = ctx.node;
  const f = n.opType.replace(/^Reduce/, '').toLowerCase();
  const axes = attrInts(n, 'axes');
  return result(ctx, parts(ctx.y, ` = ${f}${axes ? `_{axes ${axes.join(',')}}` : ''}(`, ctx.x(0), ')'), 'reduction');
}

async function recurrentFormula(ctx: Ctx): Promise<NodeFormula> {
  const n = ctx.node;
  await ctx.operand(1, 'W', false); await ctx.operand(2, 'R', false);
  if (ctx.has(3)) await ctx.operand(3, 'b', false);
  const text = n.opType === 'LSTM'
    ? 'i,f,o = σ(W·xₜ + R·hₜ₋₁ + b), g = tanh(W·xₜ + R·hₜ₋₁ + b); cₜ = f⊙cₜ₋₁ + i⊙g; hₜ = o⊙tanh(cₜ)'
    : n.opType === 'GRU'
      ? 'z,r = σ(W·xₜ + R·hₜ₋₁ + b); h̃ = tanh(W·xₜ + r⊙(R·hₜ₋₁) + b); hₜ = (1−z)⊙h̃ + z⊙hₜ₋₁'
      : 'hₜ = tanh(W·xₜ + R·hₜ₋₁ + b)';
  ctx.notes.push(`hidden size ${attrInt(n, 'hidden_size', 0)}, ${attrString(n, 'direction', 'forward')}`);
  return result(ctx, parts(text), 'recurrent');
}

/** The node's operation as a formula over its real tensors. */
export async function nodeFormula(node: Node, options: FormulaOptions = {}): Promise<NodeFormula> {
  try {
    return await familyFormula(new Ctx(node, options.smallLimit ?? 16));
  } catch {
    // A malformed node (missing inputs, odd attributes) still gets the generic form.
    return genericFormula(new Ctx(node, options.smallLimit ?? 16));
  }
}

async function familyFormula(ctx: Ctx): Promise<NodeFormula> {
  const node = ctx.node;
  const op = node.opType;
  if (/^(Conv|ConvInteger|Conv1D|Conv2D|Conv3D|FusedConv2D|_FusedConv2D|DepthwiseConv2dNative|FusedDepthwiseConv2dNative|DepthwiseConv2D)$/.test(op) && weightOf(node.inputs[1])) return convFormula(ctx);
  if (op === 'Constant' || op === 'Const') return constantFormula(ctx);
  if (op === 'InputLayer' || op === 'Placeholder') return result(ctx, parts(ctx.y, ' = the model input ', { text: node.outputs[0]?.name ?? '', kind: 'input', ref: node.outputs[0]?.name }), 'reshape');
  if (op === 'Gemm') return gemmFormula(ctx);
  if (/^(MatMul|FusedMatMul|_FusedMatMul|BatchMatMul|BatchMatMulV2|Dense)$/.test(op)) return matmulFormula(ctx);
  if (op in BINARY || /^(Max|Min|Maximum|Minimum)$/.test(op) && node.inputs.length >= 2) return binaryFormula(ctx);
  if (/Norm/.test(op) && op !== 'LRN') return normFormula(ctx);
  if (/Attention$/.test(op)) return attentionFormula(ctx);
  if (/Pool/.test(op) && !/Pooling1D$/.test(op)) return poolFormula(ctx);
  if (/^(Reshape|Flatten|Squeeze|Unsqueeze|Transpose|Concat|ConcatV2|Concatenate|Identity|Dropout|Gather|GatherV2|ExpandDims|Pad|Slice|Split|Cast|Expand|Tile|ZeroPadding2D|Cropping2D|UpSampling2D|Permute|StridedSlice)$/.test(op)) return reshapeFormula(ctx);
  if (/^(Reduce|ArgM)/.test(op)) return reduceFormula(ctx);
  if (op === 'LSTM' || op === 'GRU' || op === 'RNN') return recurrentFormula(ctx);
  const act = activationFormula(node);
  if (act) {
    for (let i = 1; i < node.inputs.length; i++) if (weightOf(node.inputs[i])) await ctx.operand(i, `c${subscript(i)}`);
    if (act.note) ctx.notes.push(act.note);
    return result(ctx, parts(ctx.y, ' = ', ...act.expr(ctx.x(0))), 'activation');
  }
  return genericFormula(ctx);
}

async function genericFormula(ctx: Ctx): Promise<NodeFormula> {
  const node = ctx.node, op = node.opType;
  const args: (FormulaPart | string)[] = [];
  for (let i = 0; i < node.inputs.length; i++) {
    const q = await ctx.operand(i, `c${subscript(i + 1)}`);
    if (q) { if (args.length) args.push(', '); args.push(q); }
  }
  for (const a of node.attributes) if (a.type === 'int' || a.type === 'float' || a.type === 'string' || a.type === 'ints') ctx.notes.push(`${a.name} = ${Array.isArray(a.value) ? `[${a.value.join(', ')}]` : a.type === 'float' ? formatNumber(a.value) : a.value}`);
  return result(ctx, parts(ctx.y, ` = ${op}(`, ...args, ')'), 'other');
}

export { formatNumber, formatValues };
