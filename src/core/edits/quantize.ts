// Symmetric and affine int8 quantization, per tensor or per channel, round-tripped back to floats
// so the model can run with the quantized weights: q = clamp(round(x/scale) + zp), x̂ = (q − zp)·scale.
// Every element's error |x − x̂| is at most scale/2 (the range is chosen so nothing clips).

export interface Int8QuantizeOptions {
  scheme: 'symmetric' | 'affine';
  granularity: 'per-tensor' | 'per-channel';
  /** Channel axis for per-channel (default 0: output channels of Conv W [M, C, kh, kw], Gemm W with transB). */
  axis?: number;
}

export interface Int8Quantized {
  /** Dequantized values x̂, same order as the input. */
  values: Float64Array;
  /** The int8 codes. */
  codes: Int8Array;
  scales: number[];
  zeroPoints: number[];
  axis?: number;
  /** scale/2 per channel (one entry per tensor): the largest possible |x − x̂|. */
  errorBounds: number[];
  /** Largest |x − x̂| actually seen. */
  maxError: number;
}

function channelParams(lo: number, hi: number, scheme: Int8QuantizeOptions['scheme']): { scale: number; zp: number } {
  if (scheme === 'symmetric') {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return { scale: m > 0 ? m / 127 : 1, zp: 0 };
  }
  const a = Math.min(lo, 0), b = Math.max(hi, 0); // zero stays exactly representable
  const scale = b > a ? (b - a) / 255 : 1;
  return { scale, zp: Math.max(-128, Math.min(127, Math.round(-128 - a / scale))) };
}

/** Quantizes values of a tensor of `shape` to int8 and back. */
export function quantizeInt8(values: ArrayLike<number>, shape: readonly number[], options: Int8QuantizeOptions): Int8Quantized {
  const n = values.length;
  const perChannel = options.granularity === 'per-channel' && shape.length > 0;
  const axis = perChannel ? ((options.axis ?? 0) + shape.length) % shape.length : undefined;
  const channels = axis === undefined ? 1 : shape[axis];
  let inner = 1;
  if (axis !== undefined) for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const channelOf = (i: number) => (axis === undefined ? 0 : Math.floor(i / inner) % channels);
  const lo = new Array(channels).fill(Infinity), hi = new Array(channels).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const c = channelOf(i), v = values[i];
    if (v < lo[c]) lo[c] = v;
    if (v > hi[c]) hi[c] = v;
  }
  const params = lo.map((l, c) => channelParams(Number.isFinite(l) ? l : 0, Number.isFinite(hi[c]) ? hi[c] : 0, options.scheme));
  const codes = new Int8Array(n);
  const out = new Float64Array(n);
  const qmin = options.scheme === 'symmetric' ? -127 : -128;
  let maxError = 0;
  for (let i = 0; i < n; i++) {
    const { scale, zp } = params[channelOf(i)];
    const q = Math.max(qmin, Math.min(127, Math.round(values[i] / scale) + zp));
    codes[i] = q;
    out[i] = (q - zp) * scale;
    maxError = Math.max(maxError, Math.abs(values[i] - out[i]));
  }
  return {
    values: out, codes, scales: params.map((p) => p.scale), zeroPoints: params.map((p) => p.zp),
    ...(axis !== undefined ? { axis } : {}), errorBounds: params.map((p) => p.scale / 2), maxError,
  };
}
