// Building blocks for formulas: parts that the webview renders as styled text (never HTML),
// subscripts, and index expressions of sliding windows.

/** One run of formula text; `ref` names the model value it stands for (for hover and links). */
export interface FormulaPart {
  text: string;
  kind: 'text' | 'input' | 'output' | 'weight' | 'number';
  ref?: string;
}

const SUB = '₀₁₂₃₄₅₆₇₈₉';
/** 12 → ₁₂ */
export function subscript(n: number): string {
  return String(n).split('').map((c) => SUB[Number(c)] ?? c).join('');
}

/** Joins parts and strings into parts (strings become text parts). */
export function parts(...items: (FormulaPart | string | undefined)[]): FormulaPart[] {
  const out: FormulaPart[] = [];
  for (const it of items) {
    if (it === undefined) continue;
    const p = typeof it === 'string' ? { text: it, kind: 'text' as const } : it;
    if (!p.text) continue;
    const last = out[out.length - 1];
    if (last && last.kind === 'text' && p.kind === 'text') last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

export const textOf = (ps: readonly FormulaPart[]): string => ps.map((p) => p.text).join('');

/** `2h+i−3`: the input index a window reads along one axis (stride, dilation, pad substituted). */
export function windowIndex(out: string, k: string, stride: number, dilation: number, pad: number): string {
  const o = stride === 1 ? out : `${stride}${out}`;
  const kk = dilation === 1 ? k : `${dilation}${k}`;
  return `${o}+${kk}${pad > 0 ? `−${pad}` : pad < 0 ? `+${-pad}` : ''}`;
}

/** Letters for output positions and kernel offsets of 1-, 2- and 3-D windows. */
export function windowLetters(n: number): { out: string[]; kernel: string[] } {
  if (n === 1) return { out: ['w'], kernel: ['j'] };
  if (n === 2) return { out: ['h', 'w'], kernel: ['i', 'j'] };
  if (n === 3) return { out: ['d', 'h', 'w'], kernel: ['l', 'i', 'j'] };
  return { out: Array.from({ length: n }, (_, i) => `o${subscript(i + 1)}`), kernel: Array.from({ length: n }, (_, i) => `k${subscript(i + 1)}`) };
}
