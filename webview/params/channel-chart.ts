// Per-output-channel ranges of a conv / dense weight: one vertical bar from min to max per row.
// A wide spread between channels is what makes per-tensor int8 quantization lossy.
import { h } from '../shell/dom.js';
import { fitCanvas, fmt, themeColor } from './format.js';

const PAD = { left: 44, right: 8, top: 8, bottom: 16 };

export class ChannelChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  private min: Float64Array = new Float64Array(0);
  private max: Float64Array = new Float64Array(0);

  constructor() {
    this.canvas = h('canvas', { class: 'channel-canvas', attrs: { role: 'img', 'aria-label': 'Per-output-channel min and max' } });
    this.caption = h('div', { class: 'muted channel-caption' });
    this.element = h('div', { class: 'channels' }, this.canvas, this.caption);
  }

  set(min: Float64Array, max: Float64Array): void {
    this.min = min;
    this.max = max;
    let lo = Infinity, hi = -Infinity, rmin = Infinity, rmax = 0;
    for (let i = 0; i < min.length; i++) {
      if (Number.isNaN(min[i])) continue;
      lo = Math.min(lo, min[i]); hi = Math.max(hi, max[i]);
      const r = max[i] - min[i];
      if (r > 0) { rmin = Math.min(rmin, r); rmax = Math.max(rmax, r); }
    }
    this.caption.textContent = `${min.length} channels · range ${fmt(lo)} … ${fmt(hi)}` + (rmin < Infinity ? ` · widest/narrowest channel range ${fmt(rmax / rmin)}×` : '');
    this.element.dataset.rows = String(min.length);
    this.draw();
  }

  draw(): void {
    const c = fitCanvas(this.canvas);
    const n = this.min.length;
    if (!c || !n) return;
    const { g, w, h: ht } = c;
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) if (!Number.isNaN(this.min[i])) { lo = Math.min(lo, this.min[i]); hi = Math.max(hi, this.max[i]); }
    if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
    const pw = w - PAD.left - PAD.right, ph = ht - PAD.top - PAD.bottom;
    const yOf = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * ph;
    const fg = themeColor(this.canvas, '--vscode-charts-foreground');
    g.font = `10px ${getComputedStyle(this.canvas).fontFamily}`;
    g.fillStyle = fg;
    g.textAlign = 'right';
    g.fillText(fmt(hi), PAD.left - 4, PAD.top + 8);
    g.fillText(fmt(lo), PAD.left - 4, PAD.top + ph);
    g.textAlign = 'left';
    g.fillText('channel 0', PAD.left, ht - 3);
    g.textAlign = 'right';
    g.fillText(String(n - 1), PAD.left + pw, ht - 3);
    if (lo < 0 && hi > 0) {
      g.strokeStyle = themeColor(this.canvas, '--vscode-charts-lines', '--vscode-widget-border');
      g.beginPath(); g.moveTo(PAD.left, Math.round(yOf(0)) + 0.5); g.lineTo(PAD.left + pw, Math.round(yOf(0)) + 0.5); g.stroke();
    }
    g.fillStyle = themeColor(this.canvas, '--vscode-charts-green', '--vscode-charts-blue');
    const bw = pw / n;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(this.min[i])) continue;
      const y0 = yOf(this.max[i]), y1 = yOf(this.min[i]);
      g.fillRect(PAD.left + i * bw + (bw > 3 ? 0.5 : 0), y0, Math.max(1, bw - (bw > 3 ? 1 : 0)), Math.max(1, y1 - y0));
    }
  }
}
