// `<out>/report.html`: the training report as one self-contained page — inline
// CSS and SVG, no script, nothing fetched — so it can be mailed, archived or
// opened offline and still show everything the run decided and measured.
import type { Model } from '../../model/index.ts';
import type { TrainReport } from '../train.ts';
import { cleaningSection, dataSummary, tablesSection } from './data.ts';
import { predictionSections } from './predictions.ts';
import { kSelectionSection, mapSection, profilesSection } from './segments.ts';
import { paletteCss } from '../../dashboard/charts/palette.ts';
import { esc } from './html.ts';

// The charts are dashboard/charts components, styled by class as dashboard.css
// styles them (same colours, same palette); sizes suit a printed page.
const CHART_CSS = `
figure{margin:0;background:#fff;border:1px solid #e2e2e2;padding:6px 8px;max-width:100%}figcaption{font-size:12px;font-weight:600;width:0;min-width:100%}
svg.chart{display:block;max-width:100%;height:auto;margin-top:4px}svg.chart.line{width:400px}svg.chart.roc,svg.chart.curve{width:300px}svg.chart.map{width:560px}
.chart text{font-size:11px;fill:#1b1f24}.chart .axis-label{fill:#4f5b68}.heatmap text,.signed-bars text{font-size:10px}.chart text.on-dark{fill:#fff}
.plot-bg{fill:#fbfcfd;stroke:#d5dbe1}.grid line{stroke:#e6eaee}.axis line{stroke:#8a96a3}
.series{fill:none;stroke:#0b5cad;stroke-width:2.2px}.dot{fill:#fff;stroke:#0b5cad;stroke-width:2px}.dot.chosen{fill:#b3430a;stroke:#b3430a}
.highlight-rule{stroke:#b3430a;stroke-dasharray:4 3;stroke-width:1.5px}.chart .highlight-label{font-weight:700}
.roc .area{fill:#dbe8f6}.roc .chance,.curve .reference{stroke:#8a96a3;stroke-dasharray:4 4}.chart .auc,.chart .note{font-size:14px;font-weight:700}
.map .pt{fill-opacity:.55}.heatmap .cell rect{stroke:#fff}
.bar-fill.up{fill:#0b5cad}.bar-fill.down{fill:#b3430a}.bar-centre{stroke:#1b1f24;stroke-width:1px}
svg.swatch{display:inline-block;width:10px;height:10px;margin-right:6px}
${paletteCss()}`;

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:1180px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
nav a{margin-right:12px}
table{border-collapse:collapse;margin:8px 0;background:#fff}th,td{border:1px solid #e2e2e2;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}tr.chosen td{background:#fff6d8}
.muted{color:#777}code{font-size:12px;background:#f1f1f1;padding:0 3px;border-radius:3px}
.charts{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0;align-items:flex-start}
.legend{list-style:none;padding:0;margin:6px 0}.legend li{display:inline-block;margin-right:14px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}.card{background:#fff;border:1px solid #e2e2e2;padding:8px 12px}.card h3{margin:4px 0}.card ul{margin:4px 0;padding-left:18px}
`;

export function renderReport(model: Model, report: TrainReport): string {
  const sections = [
    dataSummary(model, report),
    tablesSection(report),
    cleaningSection(report),
    kSelectionSection(report),
    mapSection(model, report),
    profilesSection(model),
    predictionSections(model, report.targets, report.classifiers),
  ].filter(Boolean);
  const nav = [
    ['data', 'Data'],
    ...(report.tables?.joins.length || report.tables?.transactions ? [['tables', 'Tables']] : []),
    ['cleaning', 'Cleaning'],
    ['k-selection', 'k'],
    ['map', 'Map'],
    ['profiles', 'Profiles'],
    ...[...model.targets, ...(model.classifiers ?? [])].map((t) => [
      `target-${t.name.replace(/[^A-Za-z0-9]+/g, '-')}`,
      t.name,
    ]),
  ];
  const timings = Object.entries(report.timings)
    .map(([k, v]) => `${esc(k)} ${v} ms`)
    .join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Training report — model ${esc(model.version)}</title><style>${CSS}${CHART_CSS}</style></head>
<body><main>
<h1>Training report — model <code>${esc(model.version)}</code></h1>
<p class="muted">Trained ${esc(model.training.trainedAt.slice(0, 10))} on ${model.training.sources.map(esc).join(', ')} (SHA-256 ${esc(model.training.dataSha256.slice(0, 16))}…), seed ${model.training.seed}. ${model.segmentation.segments.length} segments, ${model.targets.length + (model.classifiers?.length ?? 0)} prediction heads.</p>
<nav>${nav.map(([id, label]) => `<a href="#${esc(id)}">${esc(label)}</a>`).join('')}</nav>
${sections.join('\n')}
<p class="muted">Timings: ${timings}.</p>
</main></body></html>
`;
}
