// A histogram on a canvas: bars of one tensor, optionally the outline of a second one to compare,
// linear or log y. Hover (or ←/→ when focused) names the bin's range and count. The drawn bar
// heights are mirrored in data attributes so tests and automation can check what was painted.
import { h } from '../shell/dom.js';
import { fitCanvas, fmt, themeColor } from './format.js';

export interface HistogramSeries {
  label: string;
  edges: ArrayLike<number>;
  counts: ArrayLike<number>;
}

const PAD = { left: 44, right: 8, top: 8, bottom: 20 };

export class HistogramChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tip: HTMLElement;
  private series: HistogramSeries[] = [];
  private log = false;
  private hover = -1;
  private x0 = 0;
  private x1 = 1;

  constructor(label: string) {
    this.canvas = h('canvas', { class: 'hist-canvas', attrs: { tabindex: '0', role: 'img', 'aria-label': label } });
    this.tip = h('div', { class: 'hist-tip', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.element = h('div', { class: 'hist' }, this.canvas, this.tip);
    this.canvas.addEventListener('mousemove', (e) => {
      const r = this.canvas.getBoundingClientRect();
      this.setHover(this.binAt(e.clientX - r.left));
    });
    this.canvas.addEventListener('mouseleave', () => this.setHover(-1));
    this.canvas.addEventListener('keydown', (e) => {
      const n = this.series[0]?.counts.length ?? 0;
      if (!n) return;
      if (e.key === 'ArrowRight') this.setHover(Math.min(n - 1, this.hover + 1));
      else if (e.key === 'ArrowLeft') this.setHover(Math.max(0, this.hover < 0 ? 0 : this.hover - 1));
      else if (e.key === 'Home') this.setHover(0);
      else if (e.key === 'End') this.setHover(n - 1);
      else return;
      e.preventDefault();
    });
  }

  /** Shows the series (the first as bars, the second as an outline); `log` switches the y axis. */
  set(series: HistogramSeries[], log: boolean): void {
    this.series = series.filter((s) => s.counts.length > 0);
    this.log = log;
    this.hover = -1;
    this.draw();
  }

  draw(): void {
    const c = fitCanvas(this.canvas);
    const s0 = this.series[0];
    this.element.dataset.log = String(this.log);
    this.element.dataset.series = String(this.series.length);
    if (!c) return;
    const { g, w, h: ht } = c;
    const fg = themeColor(this.canvas, '--vscode-charts-foreground');
    const lines = themeColor(this.canvas, '--vscode-charts-lines', '--vscode-widget-border');
    g.font = `10px ${getComputedStyle(this.canvas).fontFamily}`;
    if (!s0) {
      this.element.dataset.barHeights = '';
      this.element.dataset.counts = '';
      g.fillStyle = fg;
      g.fillText('no finite values', PAD.left, ht / 2);
      return;
    }
    let x0 = Infinity, x1 = -Infinity, ymax = 0;
    for (const s of this.series) {
      x0 = Math.min(x0, s.edges[0]);
      x1 = Math.max(x1, s.edges[s.edges.length - 1]);
      for (let i = 0; i < s.counts.length; i++) ymax = Math.max(ymax, s.counts[i]);
    }
    if (!(x1 > x0)) { x0 -= 0.5; x1 += 0.5; }
    this.x0 = x0; this.x1 = x1;
    const pw = w - PAD.left - PAD.right, ph = ht - PAD.top - PAD.bottom;
    const yOf = (v: number) => (this.log ? Math.log10(1 + v) / Math.log10(1 + ymax) : v / ymax) * ph;
    const xOf = (v: number) => PAD.left + ((v - x0) / (x1 - x0)) * pw;
    // Axes: baseline, y max label, x range labels.
    g.strokeStyle = lines;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(PAD.left, PAD.top + ph + 0.5); g.lineTo(PAD.left + pw, PAD.top + ph + 0.5);
    g.moveTo(PAD.left - 0.5, PAD.top); g.lineTo(PAD.left - 0.5, PAD.top + ph);
    g.stroke();
    g.fillStyle = fg;
    g.textAlign = 'right';
    g.fillText(fmt(ymax), PAD.left - 4, PAD.top + 8);
    g.fillText(this.log ? 'log' : '0', PAD.left - 4, PAD.top + ph);
    g.textAlign = 'left';
    g.fillText(fmt(x0), PAD.left, ht - 5);
    g.textAlign = 'right';
    g.fillText(fmt(x1), PAD.left + pw, ht - 5);
    if (x0 < 0 && x1 > 0) {
      g.textAlign = 'center';
      g.fillText('0', xOf(0), ht - 5);
      g.strokeStyle = lines;
      g.setLineDash([2, 3]);
      g.beginPath(); g.moveTo(Math.round(xOf(0)) + 0.5, PAD.top); g.lineTo(Math.round(xOf(0)) + 0.5, PAD.top + ph); g.stroke();
      g.setLineDash([]);
    }
    // Bars of the first series.
    const heights: number[] = [];
    g.fillStyle = themeColor(this.canvas, '--vscode-charts-blue');
    for (let i = 0; i < s0.counts.length; i++) {
      const hh = ymax > 0 ? yOf(s0.counts[i]) : 0;
      heights.push(Math.round(hh * 10) / 10);
      if (hh <= 0) continue;
      const a = xOf(s0.edges[i]), b = xOf(s0.edges[i + 1]);
      g.fillRect(a, PAD.top + ph - hh, Math.max(1, b - a - (b - a > 3 ? 1 : 0)), hh);
    }
    this.element.dataset.barHeights = heights.join(',');
    this.element.dataset.counts = Array.from(s0.counts).join(',');
    // Outline of the second series.
    const s1 = this.series[1];
    if (s1) {
      g.strokeStyle = themeColor(this.canvas, '--vscode-charts-orange');
      g.lineWidth = 1.5;
      g.beginPath();
      g.moveTo(xOf(s1.edges[0]), PAD.top + ph);
      for (let i = 0; i < s1.counts.length; i++) {
        const y = PAD.top + ph - (ymax > 0 ? yOf(s1.counts[i]) : 0);
        g.lineTo(xOf(s1.edges[i]), y);
        g.lineTo(xOf(s1.edges[i + 1]), y);
      }
      g.lineTo(xOf(s1.edges[s1.edges.length - 1]), PAD.top + ph);
      g.stroke();
    }
    if (this.hover >= 0 && this.hover < s0.counts.length) {
      const a = xOf(s0.edges[this.hover]), b = xOf(s0.edges[this.hover + 1]);
      g.strokeStyle = themeColor(this.canvas, '--vscode-focusBorder');
      g.lineWidth = 1;
      g.strokeRect(a + 0.5, PAD.top + 0.5, Math.max(1, b - a - 1), ph - 1);
    }
  }

  private binAt(px: number): number {
    const s0 = this.series[0];
    if (!s0) return -1;
    const pw = this.canvas.clientWidth - PAD.left - PAD.right;
    const v = this.x0 + ((px - PAD.left) / pw) * (this.x1 - this.x0);
    if (v < s0.edges[0] || v > s0.edges[s0.edges.length - 1]) return -1;
    let lo = 0, hi = s0.counts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s0.edges[mid] <= v) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  private setHover(bin: number): void {
    if (bin === this.hover) return;
    this.hover = bin;
    const s0 = this.series[0];
    if (bin < 0 || !s0) {
      this.tip.textContent = '';
      this.tip.hidden = true;
    } else {
      const last = bin === s0.counts.length - 1;
      const parts = [`[${fmt(s0.edges[bin])}, ${fmt(s0.edges[bin + 1])}${last ? ']' : ')'}: ${s0.counts[bin].toLocaleString('en-US')}`];
      const s1 = this.series[1];
      if (s1) {
        const mid = (s0.edges[bin] + s0.edges[bin + 1]) / 2;
        let j = -1;
        for (let k = 0; k < s1.counts.length; k++) if (s1.edges[k] <= mid && mid <= s1.edges[k + 1]) { j = k; break; }
        parts.push(`${s1.label}: ${j >= 0 ? s1.counts[j].toLocaleString('en-US') : 0}`);
      }
      this.tip.textContent = parts.join(' · ');
      this.tip.hidden = false;
    }
    this.element.dataset.hoverBin = String(bin);
    this.draw();
  }
}
