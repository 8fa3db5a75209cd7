// The report's data sections: what was read (rows, columns, the split), how
// several tables were joined and aggregated, and every cleaning fix with its
// count and examples.
import type { Model } from '../../model/index.ts';
import type { TrainReport } from '../train.ts';
import type { ColumnLog } from '../tables/log.ts';
import { fmtNumber } from '../../dashboard/format.ts';
import { esc } from './html.ts';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const count = (n: number) => n.toLocaleString('en-US');

export function dataSummary(model: Model, report: TrainReport): string {
  const rows = model.inputs.map((f) => {
    const col = report.columns.find((c) => c.name === f.name);
    const missing = col?.missing ?? 0;
    const detail =
      f.type === 'number'
        ? `${fmtNumber(f.min)} … ${fmtNumber(f.max)}, median ${fmtNumber(f.impute)}`
        : `${f.levels.length} levels${f.ordinal ? ' in order' : ''}: ${f.levels
            .slice(0, 8)
            .map(esc)
            .join(f.ordinal ? ' &lt; ' : ', ')}${f.levels.length > 8 ? ', …' : ''}`;
    const feature =
      model.features.find((x) => x.kind !== 'onehot' && 'input' in x && x.input === f.name) ??
      model.features.find((x) => x.kind === 'onehot' && x.input === f.name);
    return `<tr><td>${esc(f.label ?? f.name)}${f.label ? ` <span class="muted">${esc(f.name)}</span>` : ''}</td><td>${f.type === 'number' ? 'number' : f.ordinal ? 'ordinal' : 'category'}</td><td>${feature?.kind === 'onehot' ? 'one-hot' : 'standardised'}</td><td class="num">${missing ? `${count(missing)} (${pct(missing / report.rows)})` : '–'}</td><td>${detail}</td></tr>`;
  });
  const derived = model.features
    .filter((f) => f.kind === 'numeric' && f.expr !== undefined)
    .map(
      (f) =>
        `<tr><td>${esc(f.name)}</td><td>derived</td><td>standardised</td><td class="num">–</td><td><code>${esc((f as { expr: string }).expr)}</code></td></tr>`,
    );
  const dropped = report.columns.filter((c) => c.reason !== 'kept');
  return `<section id="data"><h2>Data</h2>
<p>${count(report.rows)} rows from ${model.training.sources.map((s) => `<code>${esc(s)}</code>`).join(', ')}: ${count(report.trainRows)} to train on and ${count(report.testRows)} held out (${report.split === 'given' ? 'the rows of the --test file' : `a stratified random split, seed ${model.training.seed}`}). The encoded design has ${report.encodedWidth} columns.${report.shortRows ? ` ${count(report.shortRows)} rows were shorter than the header and padded as missing.` : ''}</p>
<table><thead><tr><th>Input</th><th>Type</th><th>Encoding</th><th class="num">Missing (imputed)</th><th>Values in training</th></tr></thead><tbody>${[...rows, ...derived].join('')}</tbody></table>
${dropped.length ? `<h3>Not used as inputs</h3><table><thead><tr><th>Column</th><th>Why</th></tr></thead><tbody>${dropped.map((c) => `<tr><td>${esc(c.name)}</td><td>${esc(c.reason)}</td></tr>`).join('')}</tbody></table>` : ''}
</section>`;
}

export function tablesSection(report: TrainReport): string {
  const t = report.tables;
  if (!t || (t.joins.length === 0 && !t.transactions && t.added.length === 0)) return '';
  const parts: string[] = [`<section id="tables"><h2>Tables</h2>`];
  parts.push(
    `<table><thead><tr><th>Table</th><th>File</th><th>Role</th><th class="num">Rows</th></tr></thead><tbody>${t.tables.map((x) => `<tr><td>${esc(x.name)}</td><td><code>${esc(x.file)}</code></td><td>${x.role}</td><td class="num">${count(x.rows)}</td></tr>`).join('')}</tbody></table>`,
  );
  if (t.joins.length) {
    parts.push(
      `<h3>Joins</h3><table><thead><tr><th>From → to</th><th>Key</th><th>How</th><th class="num">Matched</th><th class="num">No match</th><th class="num">No key</th><th class="num">Repeated keys in target</th></tr></thead><tbody>${t.joins.map((j) => `<tr><td>${esc(j.from)} → ${esc(j.to)}</td><td><code>${esc(j.on)}</code></td><td>${j.kind === 'lookup' ? 'look up columns' : 'aggregate per customer'}</td><td class="num">${count(j.stats.matched)}</td><td class="num">${count(j.stats.unmatched)}${j.stats.unmatchedExamples.length ? ` <span class="muted">(e.g. ${j.stats.unmatchedExamples.map((e) => esc(JSON.stringify(e))).join(', ')})</span>` : ''}</td><td class="num">${count(j.stats.missingKey)}</td><td class="num">${count(j.stats.duplicateKeys)}</td></tr>`).join('')}</tbody></table>`,
    );
  }
  const x = t.transactions;
  if (x) {
    const skipped = Object.entries(x.skipped)
      .filter(([, v]) => v > 0)
      .map(
        ([k, v]) =>
          `${count(v)} ${({ noCustomer: 'without a known customer', noDate: 'without a readable date', noValue: 'without a readable value', afterReference: 'after the reference date' } as Record<string, string>)[k]}`,
      );
    parts.push(
      `<h3>Order lines → customers</h3><p>${count(x.lines)} lines of <code>${esc(x.table)}</code>: ${count(x.purchases)} purchases and ${count(x.returns)} returns or cancellations (negative quantity or value: they reduce net spend and count towards the return rate, but are not orders and do not make a customer recent)${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}. ${x.customersFromTransactions ? 'There is no customer table: the customers are the distinct customer keys of the lines. ' : ''}${count(x.customersWithPurchases)} customers bought something before the reference date${t.referenceDate ? ` <strong>${esc(t.referenceDate.day)}</strong> (${t.referenceDate.from === 'config' ? 'from the config' : 'the day after the latest date in the data'})` : ''}.${x.flooredMonetary ? ` ${count(x.flooredMonetary)} customers returned more than they bought in the window; their net spend is counted as 0.` : ''}</p>`,
    );
    if (x.categoryFolds.length)
      parts.push(
        `<p>Category spellings folded: ${x.categoryFolds.map((f) => `${esc(JSON.stringify(f.from))} → ${esc(JSON.stringify(f.to))} ×${f.count} (${f.why})`).join(', ')}.</p>`,
      );
  }
  if (t.added.length) {
    parts.push(
      `<h3>Features added per customer</h3><table><thead><tr><th>Feature</th><th>Meaning</th><th>From</th></tr></thead><tbody>${t.added.map((a) => `<tr><td><code>${esc(a.name)}</code></td><td>${esc(a.label)}</td><td>${esc(a.from)}</td></tr>`).join('')}</tbody></table>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function fixRows(table: string, columns: ColumnLog[]): string[] {
  const out: string[] = [];
  for (const c of columns) {
    for (const [fix, v] of Object.entries(c.fixes ?? {})) {
      out.push(
        `<tr><td>${esc(table)}</td><td>${esc(c.name)}</td><td>${esc(fix)}</td><td class="num">${count(v.count)}</td><td>${v.examples.map((e) => `<code>${esc(JSON.stringify(e))}</code>`).join(' ')}</td></tr>`,
      );
    }
  }
  return out;
}

export function cleaningSection(report: TrainReport): string {
  const tables = report.tables?.tables ?? [];
  const base = tables.find((t) => t.role === 'customers')?.name ?? 'data';
  // The customer table's columns carry the label fixes made during training, so read them from the report.
  const rows = [
    ...fixRows(base, report.columns),
    ...tables.filter((t) => t.role !== 'customers').flatMap((t) => fixRows(t.name, t.columns)),
  ];
  const folds = Object.entries(report.folds).flatMap(([col, fs]) =>
    fs.map(
      (f) =>
        `<tr><td>${esc(col)}</td><td><code>${esc(JSON.stringify(f.from))}</code></td><td><code>${esc(JSON.stringify(f.to))}</code></td><td>${f.why}</td><td class="num">${count(f.count)}</td></tr>`,
    ),
  );
  const missing = report.columns
    .filter((c) => c.reason === 'kept' && c.missing)
    .map((c) => `${esc(c.name)} ${count(c.missing!)}`);
  const dropped = [
    ...report.columns.filter((c) => c.kind === 'dropped').map((c) => [base, c.name, c.reason ?? '']),
    ...tables
      .filter((t) => t.role !== 'customers')
      .flatMap((t) => t.columns.filter((c) => c.kind === 'dropped').map((c) => [t.name, c.name, c.reason ?? ''])),
  ];
  return `<section id="cleaning"><h2>Cleaning</h2>
<p>Every change made to a cell on the way in, with how often and examples of the text as written. Numbers written as words, with currency symbols, thousands separators or percent signs are read as numbers; blank, <code>NA</code>, <code>N/A</code>, <code>null</code>, <code>?</code> and <code>-</code> are missing; label spellings such as <code>Y</code>/<code>TRUE</code>/<code>1</code> are one class.</p>
${rows.length ? `<table><thead><tr><th>Table</th><th>Column</th><th>Fix</th><th class="num">Cells</th><th>Examples</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '<p>No cell needed fixing.</p>'}
<h3>Category levels folded</h3>
<p>Spellings that differ only by case or spacing fold onto the most frequent one; a rarer spelling within edit distance 1 (2 for levels of 8+ characters) of a level at least 5 times as frequent is a typo of it; levels under 1% of rows are grouped as <code>other</code> when there are several. The model keeps the folded spellings as aliases, so the edge maps them too.</p>
${folds.length ? `<table><thead><tr><th>Column</th><th>From</th><th>To</th><th>Why</th><th class="num">Rows</th></tr></thead><tbody>${folds.join('')}</tbody></table>` : '<p>No level needed folding.</p>'}
${missing.length ? `<p>Missing values imputed (median for numbers, most frequent level for categories, learned on the training rows): ${missing.join(', ')}.</p>` : ''}
${dropped.length ? `<h3>Columns dropped</h3><table><thead><tr><th>Table</th><th>Column</th><th>Why</th></tr></thead><tbody>${dropped.map(([t, c, r]) => `<tr><td>${esc(t)}</td><td>${esc(c)}</td><td>${esc(r)}</td></tr>`).join('')}</tbody></table>` : ''}
</section>`;
}
