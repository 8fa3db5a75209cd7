// The short summary `train` prints: what was used, what was dropped and why,
// the chosen k and the held-out quality of each head.
import type { Model } from '../model/types.ts';
import type { TrainReport } from './train.ts';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

export function formatSummary(model: Model, report: TrainReport, bytes: number, file: string): string {
  const lines: string[] = [];
  lines.push(`rows: ${report.rows} (${report.trainRows} train, ${report.testRows} held out)${report.shortRows ? `; ${report.shortRows} short rows padded as missing` : ''}`);
  const kept = report.columns.filter((c) => c.reason === 'kept');
  lines.push(`columns kept (${kept.length}): ${kept.map((c) => c.name).join(', ')}`);
  for (const c of report.columns) {
    if (c.kind === 'dropped') lines.push(`  dropped ${c.name}: ${c.reason}`);
    else if (c.reason !== 'kept' && c.reason !== 'target') lines.push(`  dropped ${c.name}: ${c.reason}`);
    const fixes = Object.entries(c.fixes ?? {});
    if (fixes.length) lines.push(`  cleaned ${c.name}: ${fixes.map(([f, v]) => `${v.count} ${f} (e.g. ${v.examples.map((e) => JSON.stringify(e)).join(', ')})`).join('; ')}`);
    if (c.missing) lines.push(`  ${c.name}: ${c.missing} missing values imputed`);
  }
  for (const [col, folds] of Object.entries(report.folds)) {
    lines.push(`  folded ${col}: ${folds.slice(0, 6).map((f) => `${JSON.stringify(f.from)}→${JSON.stringify(f.to)} ×${f.count} (${f.why})`).join(', ')}${folds.length > 6 ? ` and ${folds.length - 6} more` : ''}`);
  }
  const s = report.segmentation;
  const chosen = s.candidates.find((c) => c.k === s.chosen);
  lines.push(`segments: ${s.method}, k=${s.chosen}${chosen ? `, silhouette ${chosen.silhouette.toFixed(3)} (held out ${s.testSilhouette.toFixed(3)})` : ''} — ${s.reason}`);
  for (const seg of model.segmentation.segments) lines.push(`  ${seg.id}: ${seg.label} (${pct(seg.share)})`);
  for (const t of report.targets) {
    const m = t.test;
    lines.push(`target ${t.name} (positive "${t.positive}"): held-out accuracy ${m.accuracy.toFixed(3)}, F1 ${m.f1.toFixed(3)}, ROC-AUC ${m.rocAuc.toFixed(3)} at threshold ${t.threshold} (accuracy ${t.testAtHalf.accuracy.toFixed(3)} at 0.5)${t.cv ? `; ${t.cv.folds}-fold CV AUC ${t.cv.mean.rocAuc.toFixed(3)} ± ${t.cv.sd.rocAuc.toFixed(3)}` : ''}`);
  }
  lines.push(`model ${model.version}: ${file}, ${bytes} bytes`);
  return lines.join('\n') + '\n';
}
