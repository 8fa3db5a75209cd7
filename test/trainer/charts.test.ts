// The chart components the dashboard and the training report share, drawn in
// Node: labelled for assistive technology, every text escaped, colours from
// the one palette (which dashboard.css repeats class for class).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CalibrationChart, PrecisionRecallChart, RocChart } from '../../dashboard/charts/curves.tsx';
import { HeatMap } from '../../dashboard/charts/heatmap.tsx';
import { LineChart } from '../../dashboard/charts/line.tsx';
import { SegmentMap } from '../../dashboard/charts/map.tsx';
import { heatClass, paletteCss, SEGMENT_PALETTE } from '../../dashboard/charts/palette.ts';
import { tickLabel } from '../../dashboard/charts/scale.ts';
import { SignedBarChart } from '../../dashboard/charts/signed-bars.tsx';
import { fmtNumber } from '../../dashboard/format.ts';

const nasty = '<b>"Tom & Jerry\'s"</b>';
const charts: [string, string][] = [
  [
    'line',
    String(
      LineChart({
        id: 'l',
        title: nasty,
        points: [
          [2, 1],
          [3, 2],
        ],
        xLabel: nasty,
        yLabel: nasty,
        highlightX: 3,
        highlightLabel: nasty,
      }),
    ),
  ],
  [
    'map',
    String(
      SegmentMap({
        id: 'm',
        title: nasty,
        sample: [
          [0, 0, 0],
          [1, 1, 1],
        ],
        centroids: [],
        axes: { x: nasty, y: nasty },
      }),
    ),
  ],
  [
    'roc',
    String(
      RocChart({
        id: 'r',
        title: nasty,
        roc: [
          [0, 0],
          [0.2, 0.7],
          [1, 1],
        ],
        auc: 0.8,
      }),
    ),
  ],
  [
    'pr',
    String(
      PrecisionRecallChart({
        id: 'p',
        title: nasty,
        pr: [
          [0, 1],
          [1, 0.3],
        ],
        baseRate: 0.3,
        averagePrecision: 0.6,
      }),
    ),
  ],
  [
    'calibration',
    String(
      CalibrationChart({
        id: 'c',
        title: nasty,
        bins: [
          [0.1, 0.12],
          [0.8, 0.7],
        ],
        brier: 0.15,
      }),
    ),
  ],
  [
    'heat map',
    String(HeatMap({ id: 'h', title: nasty, rows: [nasty], cols: [nasty], values: [[1]], text: [[nasty]], limit: 2 })),
  ],
  [
    'signed bars',
    String(
      SignedBarChart({
        id: 'b',
        title: nasty,
        items: [
          { label: nasty, value: -0.5 },
          { label: 'x', value: 1 },
        ],
      }),
    ),
  ],
];

describe.each(charts)('the %s chart', (_, svg) => {
  it('is an image labelled by its title', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="(\w+)-title"/);
    expect(svg).toContain('-title">&lt;b&gt;&quot;Tom &amp; Jerry&#39;s&quot;&lt;/b&gt;</title>');
  });
  it('escapes every text and carries no inline style', () => {
    expect(svg).not.toContain('<b>');
    expect(svg).not.toMatch(/style=/);
  });
});

describe('the palette', () => {
  it('is the one dashboard.css colours segments with', () => {
    const css = readFileSync('dashboard/static/dashboard.css', 'utf8');
    const fromCss = [...css.matchAll(/\.seg-(\d) \{ fill: (#[0-9a-f]{6}); \}/g)].map((m) => [Number(m[1]), m[2]]);
    expect(fromCss).toEqual(SEGMENT_PALETTE.map((c, i) => [i, c]));
  });
  it('steps heat-map cells from white, white text on the darkest', () => {
    expect(heatClass(0, 2)).toEqual({ fill: 'heat-pos-0', dark: false });
    expect(heatClass(2, 2)).toEqual({ fill: 'heat-pos-5', dark: true });
    expect(heatClass(-1, 2)).toEqual({ fill: 'heat-neg-3', dark: false });
    expect(heatClass(7, 10, true)).toEqual({ fill: 'heat-seq-4', dark: true });
    expect(heatClass(NaN, 1).fill).toBe('heat-none');
    expect(paletteCss()).toContain('.heat-pos-5{fill:rgb(178,24,43)}');
  });
});

describe('numbers', () => {
  it('are written one way on axes and in text', () => {
    expect([2500, 12_500, 1_250_000, 0.25, -3].map(tickLabel)).toEqual(['2.5k', '12.5k', '1.25M', '0.25', '-3']);
    expect([NaN, Infinity].map(fmtNumber)).toEqual(['–', '–']);
  });
});
