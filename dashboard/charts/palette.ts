// The one palette of the charts. Pages use classes, never inline styles:
// segment colours are `seg-0` … `seg-9` (past ten segments they repeat) and
// heat-map cells `heat-pos-N` / `heat-neg-N` / `heat-seq-N` (N = 0…5 steps
// from white). dashboard.css carries the same colours for the dashboard (a
// test keeps them equal); a standalone page such as the training report gets
// its rules from `paletteCss()`.
export const SEGMENT_COLOURS = 10;
export const segClass = (id: number) => `seg-${((id % SEGMENT_COLOURS) + SEGMENT_COLOURS) % SEGMENT_COLOURS}`;

/** Okabe–Ito based, darkened where needed for 3:1 against white (as in dashboard.css). */
export const SEGMENT_PALETTE = [
  '#0072b2',
  '#d55e00',
  '#008c66',
  '#b8508a',
  '#a87400',
  '#2a86bd',
  '#7a5195',
  '#5f6b76',
  '#8c6d1f',
  '#1b7837',
];

/** Heat-map ends: above the reference (red), below it or a plain count (blue). */
const HEAT_ENDS = { pos: [178, 24, 43], neg: [33, 102, 172], seq: [33, 102, 172] } as const;
export const HEAT_STEPS = 5;

/** A cell's class for `value` on a scale of ±`limit` (diverging) or 0…`limit` (sequential); `on-dark` says to write white text. */
export function heatClass(value: number, limit: number, sequential = false): { fill: string; dark: boolean } {
  if (!Number.isFinite(value)) return { fill: 'heat-none', dark: false };
  const t = Math.max(-1, Math.min(1, value / (limit || 1)));
  const step = Math.round(Math.abs(sequential ? Math.max(0, t) : t) * HEAT_STEPS);
  const side = sequential ? 'seq' : t >= 0 ? 'pos' : 'neg';
  return { fill: `heat-${side}-${step}`, dark: step >= 4 };
}

const mix = (end: readonly number[], s: number) => `rgb(${end.map((x) => Math.round(255 + (x - 255) * s)).join(',')})`;

/** CSS rules for the palette's classes, for a page without dashboard.css. */
export function paletteCss(): string {
  const rules = SEGMENT_PALETTE.map((c, i) => `.seg-${i}{fill:${c}}`);
  for (const [side, end] of Object.entries(HEAT_ENDS)) {
    for (let n = 0; n <= HEAT_STEPS; n++) rules.push(`.heat-${side}-${n}{fill:${mix(end, n / HEAT_STEPS)}}`);
  }
  rules.push('.heat-none{fill:#eee}');
  return rules.join('');
}
