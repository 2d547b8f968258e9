// Human-readable numbers and shapes for the header and the overview.
import type { IoInfo, ModelSummary } from '../../src/core/model-view-types.js';

/** 1234 → "1.2K", 1_234_567 → "1.2M"; exact below 1000. */
export function humanCount(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [v, u] of units) if (Math.abs(n) >= v) return `${trim(n / v)}${u}`;
  return String(n);
}

/** Bytes in binary units: 1536 → "1.5 KB", 4.6 MB… (KB = 1024 bytes, as file managers on most systems show). */
export function humanBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return i === 0 ? `${n} B` : `${trim(v)} ${units[i]}`;
}

function trim(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, '');
}

export function formatShapeDims(shape: IoInfo['shape']): string {
  if (shape === null) return '?';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** `float32[batch, 3, 224, 224]` */
export function formatIo(io: IoInfo): string {
  return `${io.dtype ?? '?'}${formatShapeDims(io.shape)}`;
}

export function formatLabel(format: ModelSummary['format']): string {
  switch (format) {
    case 'onnx': return 'ONNX';
    case 'tfjs-graph': return 'TF.js graph model';
    case 'tfjs-layers': return 'TF.js layers model';
    default: return String(format);
  }
}

/** "ai.onnx 15 · ai.onnx.ml 2"; empty when the format has no opsets. */
export function formatOpsets(opsets: ModelSummary['opsets']): string {
  return opsets.map((o) => `${o.domain === '' ? 'ai.onnx' : o.domain} ${o.version}`).join(' · ');
}

export function formatInt(n: number): string {
  return n.toLocaleString('en-US');
}
