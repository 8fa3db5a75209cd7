// Charts as inline SVG strings, so the report is one self-contained file:
// line charts (k selection, ROC, precision–recall, calibration), a scatter
// (the segment map), a heat map (profiles, confusion matrices) and signed bars
// (feature weights). Pure functions of their data; every text is escaped.

export const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Tableau 10: distinct, and readable on white. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
export const colour = (i: number) => PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];

const W = 440;
const H = 280;
const M = { l: 56, r: 16, t: 28, b: 44 };

/** Round numbers between min and max, about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(1);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (Number.isInteger(v)) return String(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return Number(v.toFixed(3)).toString();
}

interface Frame {
  x: (v: number) => number;
  y: (v: number) => number;
  svg: string[];
}

function frame(title: string, xLabel: string, yLabel: string, xDomain: [number, number], yDomain: [number, number], options: { xTicks?: number[]; id?: string } = {}): Frame {
  const [x0, x1] = xDomain[0] === xDomain[1] ? [xDomain[0] - 1, xDomain[1] + 1] : xDomain;
  const [y0, y1] = yDomain[0] === yDomain[1] ? [yDomain[0] - 1, yDomain[1] + 1] : yDomain;
  const x = (v: number) => M.l + ((v - x0) / (x1 - x0)) * (W - M.l - M.r);
  const y = (v: number) => H - M.b - ((v - y0) / (y1 - y0)) * (H - M.t - M.b);
  const svg = [`<svg class="chart"${options.id ? ` id="${esc(options.id)}"` : ''} viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>`];
  svg.push(`<text class="title" x="${M.l}" y="16">${esc(title)}</text>`);
  for (const t of options.xTicks ?? niceTicks(x0, x1)) {
    svg.push(`<line class="grid" x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${M.t}" y2="${H - M.b}"/>`);
    svg.push(`<text class="tick" x="${x(t).toFixed(1)}" y="${H - M.b + 14}" text-anchor="middle">${esc(fmtNum(t))}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    svg.push(`<line class="grid" x1="${M.l}" x2="${W - M.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/>`);
    svg.push(`<text class="tick" x="${M.l - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${esc(fmtNum(t))}</text>`);
  }
  svg.push(`<line class="axis" x1="${M.l}" x2="${W - M.r}" y1="${H - M.b}" y2="${H - M.b}"/><line class="axis" x1="${M.l}" x2="${M.l}" y1="${M.t}" y2="${H - M.b}"/>`);
  svg.push(`<text class="label" x="${(M.l + W - M.r) / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>`);
  svg.push(`<text class="label" transform="translate(14 ${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  return { x, y, svg };
}

export interface Series {
  name: string;
  points: [number, number][];
  colour?: string;
  dashed?: boolean;
  /** Draw a dot at each point (short series such as one value per k). */
  dots?: boolean;
}

export interface Mark {
  x: number;
  y: number;
  label: string;
}

function extent(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  return finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
}

export type LegendCorner = 'top-right' | 'bottom-right' | 'bottom-left';

export function lineChart(options: { title: string; xLabel: string; yLabel: string; series: Series[]; marks?: Mark[]; xDomain?: [number, number]; yDomain?: [number, number]; xTicks?: number[]; id?: string; legendAt?: LegendCorner }): string {
  const all = options.series.flatMap((s) => s.points);
  const xDomain = options.xDomain ?? extent(all.map((p) => p[0]));
  let yDomain = options.yDomain;
  if (!yDomain) {
    const [lo, hi] = extent(all.map((p) => p[1]));
    const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
    yDomain = [lo - pad, hi + pad];
  }
  const f = frame(options.title, options.xLabel, options.yLabel, xDomain, yDomain, { xTicks: options.xTicks, id: options.id });
  options.series.forEach((s, i) => {
    const c = s.colour ?? colour(i);
    const pts = s.points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
    if (pts.length > 1) {
      f.svg.push(`<polyline fill="none" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''} points="${pts.map((p) => `${f.x(p[0]).toFixed(1)},${f.y(p[1]).toFixed(1)}`).join(' ')}"/>`);
    }
    if (s.dots || pts.length === 1) for (const p of pts) f.svg.push(`<circle cx="${f.x(p[0]).toFixed(1)}" cy="${f.y(p[1]).toFixed(1)}" r="3.5" fill="${c}"/>`);
  });
  for (const m of options.marks ?? []) {
    if (!Number.isFinite(m.x) || !Number.isFinite(m.y)) continue;
    const cx = f.x(m.x);
    const cy = f.y(m.y);
    f.svg.push(`<circle class="mark" cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="7" fill="none" stroke="#222" stroke-width="2"/>`);
    f.svg.push(`<text class="marklabel" x="${(cx + 10).toFixed(1)}" y="${(cy - 10).toFixed(1)}">${esc(m.label)}</text>`);
  }
  if (options.series.length > 1) {
    // Put the legend where the curves usually are not (a ROC curve fills the top left, for one).
    const corner = options.legendAt ?? 'top-right';
    const x0 = corner === 'bottom-left' ? M.l + 10 : W - M.r - 110;
    const yTop = corner === 'top-right' ? M.t + 6 : H - M.b - 8 - 14 * (options.series.length - 1);
    options.series.forEach((s, i) => {
      const y = yTop + i * 14;
      f.svg.push(`<line x1="${x0}" x2="${x0 + 16}" y1="${y}" y2="${y}" stroke="${s.colour ?? colour(i)}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/><text class="legend" x="${x0 + 20}" y="${y + 4}">${esc(s.name)}</text>`);
    });
  }
  f.svg.push('</svg>');
  return f.svg.join('');
}

export function scatterChart(options: { title: string; xLabel: string; yLabel: string; points: [number, number, number][]; groups: string[]; id?: string }): string {
  const xs = extent(options.points.map((p) => p[0]));
  const ys = extent(options.points.map((p) => p[1]));
  const pad = (r: [number, number]): [number, number] => [r[0] - (r[1] - r[0]) * 0.05, r[1] + (r[1] - r[0]) * 0.05];
  const f = frame(options.title, options.xLabel, options.yLabel, pad(xs), pad(ys), { id: options.id });
  for (const [x, y, g] of options.points) f.svg.push(`<circle cx="${f.x(x).toFixed(1)}" cy="${f.y(y).toFixed(1)}" r="2.6" fill="${colour(g)}" fill-opacity="0.7"><title>${esc(options.groups[g] ?? g)}</title></circle>`);
  f.svg.push('</svg>');
  return f.svg.join('');
}

/** A legend of coloured swatches, as HTML (it wraps better than SVG text). */
export function legend(groups: string[]): string {
  return `<div class="legend">${groups.map((g, i) => `<span><i style="background:${colour(i)}"></i>${esc(g)}</span>`).join('')}</div>`;
}

/** Diverging blue–white–red for a signed value clipped to ±limit; sequential white–blue when `sequential`. */
export function heatColour(v: number, limit: number, sequential = false): string {
  if (!Number.isFinite(v)) return '#eee';
  const t = Math.max(-1, Math.min(1, v / (limit || 1)));
  const mix = (a: number[], b: number[], s: number) => a.map((x, i) => Math.round(x + (b[i] - x) * s));
  const white = [255, 255, 255];
  const rgb = sequential ? mix(white, [33, 102, 172], Math.max(0, t)) : t >= 0 ? mix(white, [178, 24, 43], t) : mix(white, [33, 102, 172], -t);
  return `rgb(${rgb.join(',')})`;
}

export function heatmap(options: { title: string; rowLabels: string[]; colLabels: string[]; values: number[][]; text: string[][]; limit: number; sequential?: boolean; id?: string; rowTitle?: string; colTitle?: string }): string {
  const cellW = Math.max(46, Math.min(90, 640 / Math.max(1, options.colLabels.length)));
  const cellH = 26;
  const left = Math.min(240, 12 + 6.5 * Math.max(...options.rowLabels.map((l) => l.length), 4));
  // Column labels are rotated 40°: leave room for the longest above the cells.
  const top = 34 + Math.round(Math.min(22, Math.max(...options.colLabels.map((c) => c.length), 4)) * 5.6 * Math.sin((40 * Math.PI) / 180));
  // Room for the last rotated column label, and for the title (12px bold ≈ 7.5px a character).
  const width = Math.max(left + cellW * options.colLabels.length + 90, Math.ceil(options.title.length * 7.5) + 10);
  const height = top + cellH * options.rowLabels.length + 10;
  const svg = [`<svg class="chart heatmap"${options.id ? ` id="${esc(options.id)}"` : ''} viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(options.title)}"><title>${esc(options.title)}</title>`];
  svg.push(`<text class="title" x="4" y="16">${esc(options.title)}</text>`);
  if (options.colTitle) svg.push(`<text class="label" x="${left}" y="32">${esc(options.colTitle)}</text>`);
  options.colLabels.forEach((c, j) => {
    const x = left + j * cellW + cellW / 2;
    svg.push(`<text class="tick" transform="translate(${x.toFixed(1)} ${top - 6}) rotate(-40)">${esc(c.length > 22 ? c.slice(0, 21) + '…' : c)}</text>`);
  });
  options.rowLabels.forEach((r, i) => {
    const y = top + i * cellH;
    svg.push(`<text class="tick" x="${left - 6}" y="${y + cellH / 2 + 4}" text-anchor="end">${esc(r.length > 36 ? r.slice(0, 35) + '…' : r)}</text>`);
    options.colLabels.forEach((_, j) => {
      const v = options.values[i][j];
      svg.push(`<rect x="${(left + j * cellW).toFixed(1)}" y="${y}" width="${cellW.toFixed(1)}" height="${cellH}" fill="${heatColour(v, options.limit, options.sequential)}" stroke="#fff"><title>${esc(`${r} · ${options.colLabels[j]}: ${options.text[i][j]}`)}</title></rect>`);
      const dark = Math.abs(v / (options.limit || 1)) > 0.6;
      svg.push(`<text class="cell" x="${(left + j * cellW + cellW / 2).toFixed(1)}" y="${y + cellH / 2 + 4}" text-anchor="middle"${dark ? ' style="fill:#fff"' : ''}>${esc(options.text[i][j])}</text>`);
    });
  });
  svg.push('</svg>');
  return svg.join('');
}

/** Horizontal bars for signed values (feature weights), largest magnitude first. */
export function signedBars(options: { title: string; items: { label: string; value: number }[]; id?: string }): string {
  const items = options.items;
  const rowH = 18;
  const left = Math.min(260, 12 + 6.2 * Math.max(...items.map((i) => i.label.length), 4));
  const width = Math.max(left + 380, Math.ceil(options.title.length * 7.5) + 10);
  const height = 36 + rowH * items.length + 8;
  const limit = Math.max(...items.map((i) => Math.abs(i.value)), 1e-9);
  // Room for a value label beyond the longest bar on either side.
  const zero = left + 190;
  const scale = 140 / limit;
  const svg = [`<svg class="chart bars"${options.id ? ` id="${esc(options.id)}"` : ''} viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(options.title)}"><title>${esc(options.title)}</title>`];
  svg.push(`<text class="title" x="4" y="16">${esc(options.title)}</text>`);
  svg.push(`<line class="axis" x1="${zero}" x2="${zero}" y1="28" y2="${height - 6}"/>`);
  items.forEach((it, i) => {
    const y = 32 + i * rowH;
    const w = Math.abs(it.value) * scale;
    const x = it.value >= 0 ? zero : zero - w;
    svg.push(`<text class="tick" x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(it.label.length > 40 ? it.label.slice(0, 39) + '…' : it.label)}</text>`);
    svg.push(`<rect x="${x.toFixed(1)}" y="${y + 2}" width="${Math.max(w, 0.5).toFixed(1)}" height="${rowH - 5}" fill="${it.value >= 0 ? '#b2182b' : '#2166ac'}"><title>${esc(`${it.label}: ${fmtNum(it.value)}`)}</title></rect>`);
    svg.push(`<text class="cell" x="${(it.value >= 0 ? x + w + 4 : x - 4).toFixed(1)}" y="${y + 12}" text-anchor="${it.value >= 0 ? 'start' : 'end'}">${esc(fmtNum(it.value))}</text>`);
  });
  svg.push('</svg>');
  return svg.join('');
}
