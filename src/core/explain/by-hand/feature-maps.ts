// Per-channel 2-D slices of a conv activation, normalized to [0, 1] for heatmaps.

export interface FeatureMap {
  channel: number;
  height: number;
  width: number;
  /** Row-major height×width values scaled to [0, 1] (all 0.5 when the range is empty). */
  values: Float32Array;
  /** Range of the raw values of this channel. */
  min: number;
  max: number;
  mean: number;
}

export interface FeatureMapOptions {
  /** Which example of the batch (default 0). */
  batchIndex?: number;
  /** 'nchw' (ONNX, default) or 'nhwc' (TF.js). */
  layout?: 'nchw' | 'nhwc';
  /** Scale each channel by its own range (default) or all channels by the common range. */
  normalize?: 'per-channel' | 'global';
  /** At most this many channels (default all). */
  maxChannels?: number;
}

/** Splits a rank-4 (or rank-3, no batch) activation into per-channel heatmaps. */
export function featureMaps(data: ArrayLike<number>, shape: readonly number[], options: FeatureMapOptions = {}): FeatureMap[] {
  const s = shape.length === 3 ? [1, ...shape] : [...shape];
  if (s.length !== 4) throw new RangeError(`feature maps need a [N, C, H, W] or [N, H, W, C] activation, got shape [${shape.join(', ')}]`);
  const nhwc = options.layout === 'nhwc';
  const [N, C, H, W] = nhwc ? [s[0], s[3], s[1], s[2]] : s;
  const b = options.batchIndex ?? 0;
  if (b < 0 || b >= N) throw new RangeError(`batch index ${b} is outside 0…${N - 1}`);
  const count = Math.min(C, options.maxChannels ?? C);
  const at = (c: number, h: number, w: number) => (nhwc ? ((b * H + h) * W + w) * C + c : ((b * C + c) * H + h) * W + w);
  const maps: FeatureMap[] = [];
  let gMin = Infinity, gMax = -Infinity;
  for (let c = 0; c < count; c++) {
    const raw = new Float32Array(H * W);
    let min = Infinity, max = -Infinity, sum = 0;
    for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) {
      const v = data[at(c, h, w)];
      raw[h * W + w] = v;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    gMin = Math.min(gMin, min); gMax = Math.max(gMax, max);
    maps.push({ channel: c, height: H, width: W, values: raw, min, max, mean: sum / (H * W) });
  }
  for (const m of maps) {
    const lo = options.normalize === 'global' ? gMin : m.min;
    const hi = options.normalize === 'global' ? gMax : m.max;
    const span = hi - lo;
    for (let i = 0; i < m.values.length; i++) m.values[i] = span > 0 ? (m.values[i] - lo) / span : 0.5;
  }
  return maps;
}
