// Numbers for the Parameters view: short, aligned, and honest about NaN (shown as an em dash).

/** A figure in 4 significant digits; tiny and huge magnitudes in exponent form. */
export function fmt(x: number): string {
  if (Number.isNaN(x)) return '—';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '−Inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 1e9) return String(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(2).replace('e+', 'e');
  return String(Number(x.toPrecision(4)));
}

/** A fraction as a percentage with one decimal. */
export function pct(x: number): string {
  return Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)}%`;
}

/** Reads a theme colour (a VS Code CSS variable) for canvas drawing, with a fallback variable. */
export function themeColor(el: Element, name: string, fallback = '--vscode-foreground'): string {
  const cs = getComputedStyle(el);
  return cs.getPropertyValue(name).trim() || cs.getPropertyValue(fallback).trim() || 'currentColor';
}

/** A canvas sized to its CSS box in device pixels; returns the 2-D context scaled to CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement): { g: CanvasRenderingContext2D; w: number; h: number } | null {
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (!w || !h) return null;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const g = canvas.getContext('2d');
  if (!g) return null;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  return { g, w, h };
}
