// The short summary `train` prints: what was read and joined, what was used,
// what was dropped and why, what was cleaned, the chosen k and the held-out
// quality of each head. The full story is in report.html.
import type { Model } from '../../model/index.ts';
import type { TrainReport } from '../train.ts';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
// Plain digits: the summary's format is part of the CLI contract (scripts grep it).
const count = (n: number) => String(n);

export function formatSummary(model: Model, report: TrainReport, bytes: number, file: string): string {
  const lines: string[] = [];
  const t = report.tables;
  if (t && (t.joins.length || t.transactions)) {
    lines.push(`tables: ${t.tables.map((x) => `${x.name} (${x.role}, ${count(x.rows)} rows)`).join(', ')}`);
    for (const j of t.joins) {
      lines.push(
        `  ${j.kind === 'lookup' ? 'looked up' : 'aggregated'} ${j.from} → ${j.to} on ${j.on}: ${count(j.stats.matched)} matched${j.stats.unmatched ? `, ${count(j.stats.unmatched)} with an unknown key` : ''}${j.stats.missingKey ? `, ${count(j.stats.missingKey)} without a key` : ''}${j.stats.duplicateKeys ? `, ${count(j.stats.duplicateKeys)} repeated keys in ${j.to}` : ''}`,
      );
    }
    const x = t.transactions;
    if (x)
      lines.push(
        `  order lines: ${count(x.purchases)} purchases, ${count(x.returns)} returns; ${count(x.customersWithPurchases)} customers bought before ${t.referenceDate?.day} (${t.referenceDate?.from === 'config' ? 'reference date from the config' : 'day after the latest date'})`,
      );
  }
  if (t?.added.length) lines.push(`  added: ${t.added.map((a) => a.name).join(', ')}`);
  lines.push(
    `rows: ${count(report.rows)} (${count(report.trainRows)} train, ${count(report.testRows)} held out${report.split === 'given' ? ' from --test' : ''})${report.shortRows ? `; ${report.shortRows} short rows padded as missing` : ''}`,
  );
  const kept = report.columns.filter((c) => c.reason === 'kept');
  lines.push(`columns kept (${kept.length}): ${kept.map((c) => c.name).join(', ')}`);
  for (const c of report.columns) {
    if (c.reason !== 'kept' && c.reason !== 'target' && c.reason !== 'join key')
      lines.push(`  dropped ${c.name}: ${c.reason}`);
    const fixes = Object.entries(c.fixes ?? {});
    if (fixes.length)
      lines.push(
        `  cleaned ${c.name}: ${fixes.map(([f, v]) => `${v.count} ${f} (e.g. ${v.examples.map((e) => JSON.stringify(e)).join(', ')})`).join('; ')}`,
      );
    if (c.missing && c.reason === 'kept') lines.push(`  ${c.name}: ${c.missing} missing values imputed`);
  }
  for (const tb of t?.tables ?? []) {
    if (tb.role === 'customers') continue;
    for (const c of tb.columns) {
      const fixes = Object.entries(c.fixes ?? {});
      if (fixes.length)
        lines.push(
          `  cleaned ${tb.name}.${c.name}: ${fixes.map(([f, v]) => `${v.count} ${f} (e.g. ${v.examples.map((e) => JSON.stringify(e)).join(', ')})`).join('; ')}`,
        );
    }
  }
  for (const [col, folds] of Object.entries(report.folds)) {
    lines.push(
      `  folded ${col}: ${folds
        .slice(0, 6)
        .map((f) => `${JSON.stringify(f.from)}→${JSON.stringify(f.to)} ×${f.count} (${f.why})`)
        .join(', ')}${folds.length > 6 ? ` and ${folds.length - 6} more` : ''}`,
    );
  }
  const s = report.segmentation;
  const chosen = s.candidates.find((c) => c.k === s.chosen);
  lines.push(
    `segments: ${s.method}, k=${s.chosen}${chosen && Number.isFinite(chosen.silhouette) ? `, silhouette ${chosen.silhouette.toFixed(3)} (held out ${s.testSilhouette.toFixed(3)})` : ''} — ${s.reason}`,
  );
  for (const seg of model.segmentation.segments) lines.push(`  ${seg.id}: ${seg.label} (${pct(seg.share)})`);
  for (const r of report.targets) {
    const m = r.test;
    lines.push(
      `target ${r.name} (positive "${r.positive}"): held-out accuracy ${m.accuracy.toFixed(3)}, F1 ${m.f1.toFixed(3)}, ROC-AUC ${m.rocAuc.toFixed(3)} at threshold ${r.threshold} (accuracy ${r.testAtHalf.accuracy.toFixed(3)} at 0.5)${r.cv ? `; ${r.cv.folds}-fold CV AUC ${r.cv.mean.rocAuc.toFixed(3)} ± ${r.cv.sd.rocAuc.toFixed(3)}` : ''}`,
    );
    const c = r.choice;
    lines.push(
      c
        ? `  model: ${c.chosen} (chosen: out-of-fold ROC-AUC ${c.cvRocAuc.logistic.toFixed(4)} logistic, ${c.cvRocAuc.boosted.toFixed(4)} boosted; boosted needs +${c.minGain})`
        : `  model: ${r.model} (set in the config)`,
    );
  }
  for (const r of report.classifiers) {
    lines.push(
      `target ${r.name} (${r.classes.length} classes: ${r.classes.join(', ')}): held-out accuracy ${r.test.accuracy.toFixed(3)}, macro F1 ${r.test.macroF1.toFixed(3)}${r.cv ? `; ${r.cv.folds}-fold CV accuracy ${r.cv.mean.accuracy.toFixed(3)} ± ${r.cv.sd.accuracy.toFixed(3)}` : ''}`,
    );
  }
  lines.push(`model ${model.version}: ${file}, ${count(bytes)} bytes`);
  return lines.join('\n') + '\n';
}
