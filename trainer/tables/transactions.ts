// The transaction side of assembling a table: a customer table made of the
// customers that order lines name, and the lines aggregated onto it (RFM,
// spend shares by category, the most frequent value of a line attribute).
import { basename } from 'node:path';
import { compileExpr, exprVariables, parseExpr, type Expr, ExprError } from '../../model/index.ts';
import type { TrainConfig } from '../config.ts';
import { TrainError } from '../errors.ts';
import type { CategoryColumn, Column, NumericColumn, Table } from '../read/table.ts';
import { formatDay } from '../clean/dates.ts';
import { foldLevels, type LevelFolding } from '../clean/levels.ts';
import type { AssemblyLog } from './log.ts';
import { keyColumn } from './join.ts';
import { aggregateRfm } from './rfm.ts';

const DAY_MS = 86_400_000;

function fail(message: string): never {
  throw new TrainError(message);
}

/** Customer keys in numeric order when both are numbers, else in text order. */
const compareKeys = (a: string, b: string) => {
  const x = Number(a);
  const y = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
};

/** A customer table made of the distinct customers of the lines, in key order. */
export function customersFromLines(lineKey: CategoryColumn, files: string[]): Table {
  const present = new Uint8Array(lineKey.dictionary.length);
  for (const c of lineKey.codes) if (c >= 0) present[c] = 1;
  const keys = lineKey.dictionary.filter((_, i) => present[i]).sort(compareKeys);
  if (keys.length === 0) fail(`transactions: no line has a customer in "${lineKey.name}"`);
  const key: CategoryColumn = {
    kind: 'key',
    name: lineKey.name,
    codes: Int32Array.from(keys, (_, i) => i),
    dictionary: keys,
    missing: 0,
    fixes: {},
  };
  return {
    source: files.map((f) => basename(f)).join(' + '),
    rows: keys.length,
    columns: [key],
    sha256: '',
    shortRows: 0,
    parts: [keys.length],
  };
}

function numericColumn(lines: Table, name: string, role: string): Float64Array {
  const col = lines.columns.find((c) => c.name === name);
  if (!col)
    fail(
      `transactions.${role}: "${name}" is not a column of the order lines (${lines.columns.map((c) => c.name).join(', ')})`,
    );
  if (col.kind === 'dropped') fail(`transactions.${role}: "${name}" cannot be used: ${col.reason}`);
  if (col.kind !== 'numeric') fail(`transactions.${role}: "${name}" is not a number column`);
  return col.values;
}

/** Line values: a column, or an expression over the lines' number columns (default quantity × price). */
function lineAmounts(lines: Table, config: TrainConfig): Float64Array {
  const t = config.transactions!;
  const source = t.amount ?? `\`${t.quantity}\` * \`${t.price}\``;
  let expr: Expr;
  try {
    expr = parseExpr(source);
  } catch (e) {
    fail(`transactions.amount: ${e instanceof ExprError ? e.message : String(e)}`);
  }
  const vars = exprVariables(expr);
  const cols = vars.map((v) => numericColumn(lines, v, 'amount'));
  const fn = compileExpr(expr, (v) => vars.indexOf(v));
  const values = new Float64Array(vars.length);
  return Float64Array.from({ length: lines.rows }, (_, r) => {
    for (let j = 0; j < cols.length; j++) values[j] = cols[j][r];
    return fn(values);
  });
}

export function aggregateOnto(
  customers: Table,
  lines: Table,
  customerOf: Int32Array,
  config: TrainConfig,
  log: AssemblyLog,
  labels: Record<string, string>,
): Table {
  const t = config.transactions!;
  const dateCol = lines.columns.find((c) => c.name === t.date);
  if (dateCol?.kind !== 'date') fail(`transactions.date: "${t.date}" is not a date column of the order lines`);
  const amount = lineAmounts(lines, config);
  const quantity = t.quantity ? numericColumn(lines, t.quantity, 'quantity') : undefined;
  const order = t.invoice ? keyColumn(lines, t.invoice, 'transactions.invoice').codes : undefined;

  let category: Int32Array | undefined;
  let categories: string[] | undefined;
  let categoryFolds: LevelFolding['folds'] = [];
  if (t.category) {
    const col = lines.columns.find((c) => c.name === t.category);
    if (col?.kind !== 'categorical')
      fail(
        `transactions.category: "${t.category}" is not a category column of the order lines${col?.kind === 'dropped' ? ` (${col.reason})` : ''}`,
      );
    // Spellings of one category (case, spacing, typos) share a spend share.
    const counts = new Array<number>(col.dictionary.length).fill(0);
    for (const c of col.codes) if (c >= 0) counts[c]++;
    const folding = foldLevels(col.dictionary, counts, undefined, {
      groupRare: false,
      typos: config.columns?.[t.category]?.fold !== false,
    });
    categoryFolds = folding.folds;
    categories = [...new Set(folding.canonical.filter((_, i) => counts[i] > 0))].sort();
    const codeCat = Int32Array.from(folding.canonical, (c) => categories!.indexOf(c));
    category = Int32Array.from(col.codes, (c) => (c < 0 ? -1 : codeCat[c]));
  }

  const reference = referenceDay(config, [dateCol.values]);
  const { features, stats } = aggregateRfm(
    { customer: customerOf, day: dateCol.values, amount, quantity, order, category, categories },
    { customers: customers.rows, referenceDay: reference.day, topCategories: t.topCategories },
  );
  log.referenceDate = { day: formatDay(reference.day), from: reference.from };
  log.transactions = {
    ...stats,
    table: t.table,
    customersFromTransactions:
      customers.columns.length === 1 && customers.columns[0].kind === 'key' && customers.columns[0].name === t.customer,
    categoryFolds,
  };

  const taken = new Set(customers.columns.map((c) => c.name));
  const added: Column[] = [];
  for (const f of features) {
    const name = taken.has(f.name) ? `${t.table}_${f.name}` : f.name;
    let missing = 0;
    for (const v of f.values) if (Number.isNaN(v)) missing++;
    added.push({ kind: 'numeric', name, values: f.values, missing, fixes: {} } satisfies NumericColumn);
    labels[name] = f.label;
    log.added.push({ name, label: f.label, from: t.table });
  }
  for (const a of t.attributes ?? []) {
    const col = lines.columns.find((c) => c.name === a);
    if (col?.kind !== 'categorical')
      fail(`transactions.attributes: "${a}" is not a category column of the order lines`);
    if (taken.has(a)) continue;
    added.push(modePerCustomer(col, customerOf, customers.rows));
    log.added.push({ name: a, label: a, from: `${t.table} (most frequent value)` });
  }
  return { ...customers, columns: [...customers.columns, ...added] };
}

/** Each customer's most frequent value of a line category (the lowest code on a tie). */
function modePerCustomer(col: CategoryColumn, customerOf: Int32Array, m: number): CategoryColumn {
  const counts = new Map<number, number>();
  const L = col.dictionary.length;
  for (let i = 0; i < customerOf.length; i++) {
    const c = customerOf[i];
    const v = col.codes[i];
    if (c < 0 || v < 0) continue;
    counts.set(c * L + v, (counts.get(c * L + v) ?? 0) + 1);
  }
  const best = new Int32Array(m).fill(-1);
  const bestCount = new Int32Array(m);
  for (const [key, n] of [...counts].sort((a, b) => a[0] - b[0])) {
    const c = Math.floor(key / L);
    if (n > bestCount[c]) {
      bestCount[c] = n;
      best[c] = key % L;
    }
  }
  let missing = 0;
  for (const b of best) if (b < 0) missing++;
  return { kind: 'categorical', name: col.name, codes: best, dictionary: col.dictionary, missing, fixes: {} };
}

/** The config's reference day, or the day after the latest date in the given columns. */
export function referenceDay(config: TrainConfig, columns: Float64Array[]): { day: number; from: 'config' | 'data' } {
  if (config.referenceDate) return { day: Math.floor(Date.parse(config.referenceDate) / DAY_MS), from: 'config' };
  let latest = -Infinity;
  for (const values of columns) for (const v of values) if (v > latest) latest = v;
  if (latest === -Infinity) fail('no date to take the reference date from; set "referenceDate" in the config');
  return { day: Math.floor(latest) + 1, from: 'data' };
}
