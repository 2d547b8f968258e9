// Output bytes from the host (exact little-endian slices of the tensor's storage) as numbers.
import type { OutputPayload } from '../../src/features/run/protocol.js';

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** The sent elements as JS numbers (strings: NaN; int64 beyond 2^53 loses precision). */
export function outputNumbers(o: OutputPayload): Float64Array {
  if (Array.isArray(o.data)) return new Float64Array(o.data.length).fill(NaN);
  const b = o.data;
  const n = o.sent;
  const out = new Float64Array(n);
  switch (o.dtype) {
    case 'float32': out.set(new Float32Array(b, 0, n)); break;
    case 'float64': out.set(new Float64Array(b, 0, n)); break;
    case 'float16': { const u = new Uint16Array(b, 0, n); for (let i = 0; i < n; i++) out[i] = half(u[i]); break; }
    case 'bfloat16': { const u = new Uint16Array(b, 0, n), f = new Float32Array(1), w = new Uint32Array(f.buffer); for (let i = 0; i < n; i++) { w[0] = u[i] << 16; out[i] = f[0]; } break; }
    case 'int8': out.set(new Int8Array(b, 0, n)); break;
    case 'uint8': case 'bool': out.set(new Uint8Array(b, 0, n)); break;
    case 'int16': out.set(new Int16Array(b, 0, n)); break;
    case 'uint16': out.set(new Uint16Array(b, 0, n)); break;
    case 'int32': out.set(new Int32Array(b, 0, n)); break;
    case 'uint32': out.set(new Uint32Array(b, 0, n)); break;
    case 'int64': { const v = new BigInt64Array(b, 0, n); for (let i = 0; i < n; i++) out[i] = Number(v[i]); break; }
    case 'uint64': { const v = new BigUint64Array(b, 0, n); for (let i = 0; i < n; i++) out[i] = Number(v[i]); break; }
    default: out.fill(NaN);
  }
  return out;
}

/** Element `i` as display text. */
export function elementText(o: OutputPayload, values: Float64Array, i: number): string {
  if (Array.isArray(o.data)) return JSON.stringify(o.data[i] ?? '');
  if (o.dtype === 'bool') return values[i] ? 'true' : 'false';
  return fmtNum(values[i]);
}

/** A number in at most ~7 significant digits. */
export function fmtNum(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e7)) return x.toExponential(4);
  return String(Number(x.toPrecision(7)));
}

/** Milliseconds for latency text. */
export function fmtMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`;
}
