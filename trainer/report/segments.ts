// The report's segment sections: how k was chosen (silhouette, elbow with the
// knee marked, Davies–Bouldin, Calinski–Harabasz), the PCA map coloured by
// segment, and each segment's profile against the population. The charts are
// the dashboard's components (dashboard/charts).
import { HeatMap } from '../../dashboard/charts/heatmap.tsx';
import { LineChart } from '../../dashboard/charts/line.tsx';
import { SegmentMap } from '../../dashboard/charts/map.tsx';
import { Swatch } from '../../dashboard/charts/swatch.tsx';
import { fmtNumber } from '../../dashboard/format.ts';
import { suggestedAction } from '../../dashboard/views/profiles.ts';
import type { Model, Segment } from '../../model/index.ts';
import type { TrainReport } from '../train.ts';
import { draw, esc, figure } from './html.ts';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
/** More category-level columns than this do not fit a page; the most telling are shown. */
const MAX_LEVEL_COLUMNS = 16;

export function kSelectionSection(report: TrainReport): string {
  const s = report.segmentation;
  const c = s.candidates;
  const chosen = c.find((x) => x.k === s.chosen);
  const knee = c.find((x) => x.elbow);
  const chart = (
    id: string,
    title: string,
    yLabel: string,
    value: (x: (typeof c)[number]) => number | undefined,
    mark: (typeof c)[number] | undefined,
    markWord: string,
    zero = false,
  ) => {
    const points = c.map((x) => [x.k, value(x) ?? NaN] as [number, number]).filter((p) => Number.isFinite(p[1]));
    if (points.length === 0) return '';
    const marked = mark && Number.isFinite(value(mark) ?? NaN) ? mark.k : undefined;
    const label = marked === undefined ? undefined : `${markWord} k=${marked}`;
    return figure(
      draw(
        LineChart({
          id,
          title: label ? `${title}; ${label}` : title,
          points,
          xLabel: 'k (segments)',
          yLabel,
          highlightX: marked,
          highlightLabel: label,
          zero,
        }),
      ),
      title,
    );
  };
  const charts =
    c.length > 1
      ? [
          chart(
            'chart-silhouette',
            'Silhouette (higher is better)',
            'Silhouette',
            (x) => x.silhouette,
            chosen,
            'chosen',
          ),
          chart('chart-elbow', 'Elbow: within-segment sum of squares', 'Inertia', (x) => x.inertia, knee, 'knee', true),
          chart(
            'chart-davies-bouldin',
            'Davies–Bouldin (lower is better)',
            'Davies–Bouldin',
            (x) => x.daviesBouldin,
            chosen,
            'chosen',
          ),
          chart(
            'chart-calinski-harabasz',
            'Calinski–Harabasz (higher is better)',
            'Calinski–Harabasz',
            (x) => x.calinskiHarabasz,
            chosen,
            'chosen',
          ),
        ].join('')
      : '';
  const rule = s.rule;
  const rawBest = rule && rule.rawBest !== s.chosen ? rule.rawBest : undefined;
  const mark = (x: (typeof c)[number]) => (x.k === s.chosen ? ' ✓' : x.k === rawBest ? ' (highest silhouette)' : '');
  const rows = c.map(
    (x) =>
      `<tr${x.k === s.chosen ? ' class="chosen"' : ''}><td class="num">${x.k}${mark(x)}</td><td class="num">${fmtNumber(x.inertia)}${x.elbow ? ' (knee)' : ''}</td><td class="num">${fmtNumber(x.silhouette)}</td><td class="num">${fmtNumber(x.silhouetteSE ?? NaN)}</td><td class="num">${x.minShare === undefined ? '–' : pct(x.minShare)}</td><td class="num">${fmtNumber(x.daviesBouldin ?? NaN)}</td><td class="num">${fmtNumber(x.calinskiHarabasz ?? NaN)}</td></tr>`,
  );
  const ruleText = rule
    ? `<p>The rule: ${rule.criterion === 'silhouette' ? `the smallest k whose silhouette is within <strong>${fmtNumber(rule.tolerance)}</strong> of the best (the larger of 0.01 and twice the best's bootstrap standard error)` : `the ${esc(rule.criterion)} criterion, as the config asks`}, leaving out any k with a segment under <strong>${pct(rule.minShare)}</strong> of the training rows (<code>segments.minShare</code>). ${rawBest === undefined ? 'The highest silhouette picks the same k.' : `The highest silhouette alone would have picked <strong>k=${rawBest}</strong>.`}</p>`
    : '';
  return `<section id="k-selection"><h2>How many segments</h2>
<p>${s.method === 'ward' ? `Agglomerative clustering with Ward linkage on ${s.sampled === report.trainRows ? 'all' : 'a sample of'} ${s.sampled?.toLocaleString('en-US') ?? '?'} training rows; each row is then assigned to the nearest cluster mean, as the edge does, and that agrees with Ward's own labels on <strong>${pct(s.agreement ?? NaN)}</strong> of the sampled rows.` : 'k-means (k-means++ seeding, 10 restarts, seeded) for each k.'} Chosen: <strong>k=${s.chosen}</strong> — ${esc(s.reason)}. Silhouette of the held-out rows, assigned by the shipped model: ${fmtNumber(s.testSilhouette)}.</p>
${ruleText}
<div class="charts">${charts}</div>
<table><thead><tr><th class="num">k</th><th class="num">Inertia</th><th class="num">Silhouette</th><th class="num">Silhouette SE</th><th class="num">Smallest segment</th><th class="num">Davies–Bouldin</th><th class="num">Calinski–Harabasz</th></tr></thead><tbody>${rows.join('')}</tbody></table>
</section>`;
}

export function mapSection(model: Model, report: TrainReport): string {
  const segments = model.segmentation.segments;
  const [a, b] = model.projection.explained;
  const map = SegmentMap({
    id: 'chart-pca',
    title: 'PCA map of training rows, coloured by segment',
    sample: report.map,
    centroids: [],
    axes: { x: `PC1 (${pct(a)})`, y: `PC2 (${pct(b)})` },
  });
  return `<section id="map"><h2>Segment map</h2>
<p>${report.map.length.toLocaleString('en-US')} training rows on the first two principal components of the encoded features (${pct(a)} and ${pct(b)} of the variance), coloured by segment.</p>
<div class="charts">${figure(draw(map), 'PCA map by segment')}</div>
<ul class="legend">${segments.map((s) => `<li>${draw(Swatch({ id: s.id }))}${s.id}: ${esc(s.label)}</li>`).join('')}</ul>
</section>`;
}

/** The configured action, or the dashboard's marked suggestion from the target rates (one wording for both). */
function action(model: Model, seg: Segment): string {
  const { text, configured } = suggestedAction(model, seg);
  if (configured) return `<p><strong>Action:</strong> ${esc(text)}</p>`;
  if (!seg.rates) return '';
  return `<p><strong>Suggested</strong> <span class="muted">(from the rates; set "segments.actions" in the config to replace it)</span>: ${esc(text)}</p>`;
}

export function profilesSection(model: Model): string {
  const seg = model.segmentation;
  const pop = seg.population;
  // Each number input with its position in the profiles' means and stds.
  const numbers = model.inputs.flatMap((f, j) => (f.type === 'number' ? [{ f, j }] : []));
  const cats = model.inputs.filter((f) => f.type === 'category');
  const rowLabels = seg.segments.map((s) => `${s.id}: ${s.label}`);
  const mean = (p: { means: (number | null)[] }, j: number) => p.means[j] ?? NaN;
  const z = seg.segments.map((s) => numbers.map(({ j }) => (mean(s.profile, j) - mean(pop, j)) / (pop.stds[j] || 1)));
  const heatTitle = 'Segment means: colour = standard deviations from the population, text = mean in raw units';
  const heat = numbers.length
    ? figure(
        draw(
          HeatMap({
            id: 'chart-profiles',
            title: heatTitle,
            rows: rowLabels,
            cols: numbers.map(({ f }) => f.label ?? f.name),
            values: z,
            text: seg.segments.map((s) => numbers.map(({ j }) => fmtNumber(mean(s.profile, j)))),
            limit: 2,
          }),
        ),
        heatTitle,
      )
    : '';
  // Every level of every category, or the ones that differ most when there are too many to read.
  const levels = cats.flatMap((f) =>
    f.levels.map((l) => {
      const lift = seg.segments.map((s) => (s.profile.shares[f.name]?.[l] ?? 0) - (pop.shares[f.name]?.[l] ?? 0));
      return { f, l, lift, spread: Math.max(...lift.map(Math.abs)) };
    }),
  );
  const shown =
    levels.length > MAX_LEVEL_COLUMNS
      ? levels
          .slice()
          .sort((a, b) => b.spread - a.spread)
          .slice(0, MAX_LEVEL_COLUMNS)
      : levels;
  const catTitle = `Category shares: colour = share above (red) or below (blue) the population${shown.length < levels.length ? ` (the ${shown.length} levels that differ most of ${levels.length})` : ''}`;
  const catHeat = shown.length
    ? figure(
        draw(
          HeatMap({
            id: 'chart-profile-levels',
            title: catTitle,
            rows: rowLabels,
            cols: shown.map(({ f, l }) => `${f.label ?? f.name}: ${l}`),
            values: seg.segments.map((_, i) => shown.map((x) => x.lift[i])),
            text: seg.segments.map((s) =>
              shown.map(({ f, l }) => `${Math.round(100 * (s.profile.shares[f.name]?.[l] ?? 0))}%`),
            ),
            limit: 0.5,
          }),
        ),
        catTitle,
      )
    : '';
  const cards = seg.segments.map((s, i) => {
    const diffs = numbers
      .map(({ f, j }, c) => ({ f, j, z: z[i][c], delta: mean(s.profile, j) - mean(pop, j) }))
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
      .slice(0, 4)
      .map(
        ({ f, j, z: zz, delta }) =>
          `<li>${esc(f.label ?? f.name)}: ${fmtNumber(mean(s.profile, j))} vs ${fmtNumber(mean(pop, j))} (${delta >= 0 ? '+' : ''}${fmtNumber(delta)}, ${zz >= 0 ? '+' : ''}${zz.toFixed(2)} sd)</li>`,
      );
    return `<div class="card"><h3>${draw(Swatch({ id: s.id }))}${s.id}: ${esc(s.label)}</h3><p class="muted">${s.size.toLocaleString('en-US')} training rows (${pct(s.share)})</p><p>${esc(s.description)}</p>${diffs.length ? `<ul>${diffs.join('')}</ul>` : ''}${action(model, s)}</div>`;
  });
  return `<section id="profiles"><h2>Segment profiles</h2>
<p>Names come from each segment's strongest differences from the population (numbers in standard deviations, categories by how much a level's share rises), so the same data names the same segments; names, descriptions and actions can be set in the config under <code>segments</code>.</p>
<div class="charts">${heat}</div><div class="charts">${catHeat}</div>
<div class="cards">${cards.join('')}</div>
</section>`;
}
