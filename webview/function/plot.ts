// A line plot on a canvas: one or more curves over shared x values, coloured from VS Code's theme
// variables (read at draw time, so light, dark and high-contrast themes all work).

export interface Curve { label: string; ys: number[]; color: string; dashed?: boolean }

/** Reads a CSS variable from the element (falls back to the foreground colour). */
export function themeColor(el: Element, name: string, fallback = '--vscode-foreground'): string {
  const cs = getComputedStyle(el);
  return cs.getPropertyValue(name).trim() || cs.getPropertyValue(fallback).trim() || 'currentColor';
}

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step0 = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3))));

/** Draws `curves` against `xs` into `canvas` (CSS size kept, device pixels scaled). */
export function drawPlot(canvas: HTMLCanvasElement, xs: number[], curves: Curve[], labels: { x: string; y: string }): void {
  const cssW = canvas.clientWidth || 560, cssH = canvas.clientHeight || 260;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, cssW, cssH);
  const fg = themeColor(canvas, '--vscode-foreground');
  const muted = themeColor(canvas, '--vscode-descriptionForeground');
  const grid = themeColor(canvas, '--vscode-editorWidget-border', '--vscode-widget-border');
  const font = getComputedStyle(canvas).fontFamily || 'sans-serif';
  const left = 56, right = 12, top = 12, bottom = 36;
  const w = cssW - left - right, h = cssH - top - bottom;
  const finite = curves.flatMap((c) => c.ys).filter(Number.isFinite);
  let lo = Math.min(...finite), hi = Math.max(...finite);
  if (!finite.length) { lo = 0; hi = 1; }
  if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
  const pad = (hi - lo) * 0.06;
  lo -= pad; hi += pad;
  const x0 = xs[0] ?? 0, x1 = xs[xs.length - 1] ?? 1;
  const px = (x: number) => left + (x1 === x0 ? w / 2 : ((x - x0) / (x1 - x0)) * w);
  const py = (y: number) => top + h - ((y - lo) / (hi - lo)) * h;
  g.font = `11px ${font}`;
  g.lineWidth = 1;
  g.strokeStyle = grid;
  g.fillStyle = muted;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (const t of niceTicks(lo, hi)) {
    g.globalAlpha = 0.5;
    g.beginPath(); g.moveTo(left, py(t) + 0.5); g.lineTo(left + w, py(t) + 0.5); g.stroke();
    g.globalAlpha = 1;
    g.fillText(fmt(t), left - 6, py(t));
  }
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const t of niceTicks(Math.min(x0, x1), Math.max(x0, x1))) {
    g.globalAlpha = 0.5;
    g.beginPath(); g.moveTo(px(t) + 0.5, top); g.lineTo(px(t) + 0.5, top + h); g.stroke();
    g.globalAlpha = 1;
    g.fillText(fmt(t), px(t), top + h + 4);
  }
  g.strokeStyle = fg;
  g.strokeRect(left + 0.5, top + 0.5, w, h);
  g.fillStyle = fg;
  g.fillText(labels.x, left + w / 2, top + h + 20);
  for (const c of curves) {
    g.strokeStyle = c.color;
    g.lineWidth = 2;
    g.setLineDash(c.dashed ? [6, 4] : []);
    g.beginPath();
    let pen = false;
    c.ys.forEach((y, i) => {
      if (!Number.isFinite(y)) { pen = false; return; }
      if (pen) g.lineTo(px(xs[i]), py(y)); else g.moveTo(px(xs[i]), py(y));
      pen = true;
    });
    g.stroke();
  }
  g.setLineDash([]);
}

/** A per-channel heatmap: values in [0, 1] painted from the editor background to the chart colour. */
export function drawHeatmap(canvas: HTMLCanvasElement, values: number[], width: number, height: number): void {
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) return;
  const lo = parseColor(themeColor(canvas, '--vscode-editor-background'));
  const hi = parseColor(themeColor(canvas, '--vscode-charts-orange', '--vscode-foreground'));
  const img = g.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const t = Math.max(0, Math.min(1, values[i] ?? 0));
    for (let k = 0; k < 3; k++) img.data[i * 4 + k] = Math.round(lo[k] + (hi[k] - lo[k]) * t);
    img.data[i * 4 + 3] = 255;
  }
  g.putImageData(img, 0, 0);
}

/** #rgb, #rrggbb(aa) or rgb()/rgba() → [r, g, b]. */
function parseColor(c: string): [number, number, number] {
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c.trim());
  if (hex) {
    const s = hex[1];
    if (s.length === 3 || s.length === 4) return [0, 1, 2].map((i) => parseInt(s[i] + s[i], 16)) as [number, number, number];
    return [0, 2, 4].map((i) => parseInt(s.slice(i, i + 2), 16)) as [number, number, number];
  }
  const m = /rgba?\(([^)]+)\)/.exec(c);
  if (m) { const p = m[1].split(',').map((x) => parseFloat(x)); return [p[0] || 0, p[1] || 0, p[2] || 0]; }
  return [128, 128, 128];
}
