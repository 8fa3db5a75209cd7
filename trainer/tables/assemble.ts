// From the files on the command line to the one table the trainer learns from:
// one row per customer. With one file that is the file. With several, the
// config's joins say how they fit: lookup tables (products) are joined onto
// the rows that name them (order lines), the transaction table is aggregated
// per customer (RFM and category spend shares) onto the customer table — or
// becomes the customer table when there is none — and declared date columns
// become "days since" features. Everything joined, dropped or unmatched is
// counted for the report.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { exprVariables, parseExpr } from '../../model/index.ts';
import type { TrainConfig } from '../config.ts';
import { TrainError } from '../errors.ts';
import { formatDay } from '../clean/dates.ts';
import {
  readTable,
  type CategoryColumn,
  type Column,
  type ForcedKind,
  type ReadOptions,
  type Table,
} from '../read/table.ts';
import { indexKeys, keyColumn, lookupJoin, matchRows } from './join.ts';
import { type AssemblyLog, columnLog } from './log.ts';
import { aggregateOnto, customersFromLines, referenceDay } from './transactions.ts';

const DAY_MS = 86_400_000;

export const tableName = (file: string) => basename(file).replace(/\.[^.]+$/, '');

function fail(message: string): never {
  throw new TrainError(message);
}

/** Which table holds one row per customer, and which tables play which part. */
function roles(names: string[], config: TrainConfig): { base: string | null; tx: string | null } {
  const joins = config.joins ?? [];
  const tx = config.transactions?.table ?? null;
  const known = (t: string, where: string) => {
    if (!names.includes(t))
      fail(
        `${where} names table "${t}", but the --data files are ${names.map((n) => `"${n}"`).join(', ')} (a table is its file name without the extension)`,
      );
  };
  joins.forEach((j, i) => {
    known(j.from, `joins[${i}].from`);
    known(j.to, `joins[${i}].to`);
  });
  if (tx) known(tx, 'transactions.table');
  if (config.customers) known(config.customers, '"customers"');

  let base: string | null = config.customers ?? null;
  if (!base && tx) base = joins.find((j) => j.from === tx && j.on === config.transactions!.customer)?.to ?? null;
  if (!base && !tx) {
    const candidates = names.filter((n) => !joins.some((j) => j.to === n));
    if (candidates.length !== 1)
      fail(
        `cannot tell which table has one row per customer (${candidates.length ? candidates.join(', ') : 'every table is joined to'}); name it with "customers" in the config`,
      );
    base = candidates[0];
  }
  if (base && base === tx) fail(`"${base}" cannot be both the customer table and the transaction table`);
  const used = new Set([base, tx, ...joins.flatMap((j) => [j.from, j.to])]);
  const stray = names.filter((n) => !used.has(n));
  if (stray.length)
    fail(
      `--data ${stray.join(', ')}: not joined to anything; add a join to the config ("joins": [{"from": …, "to": …, "on": …}])`,
    );
  return { base, tx };
}

/** Forced column kinds per table: keys for every join, the transaction roles for the line tables. */
function kindsFor(
  names: string[],
  base: string | null,
  config: TrainConfig,
): Record<string, Record<string, ForcedKind>> {
  const kinds: Record<string, Record<string, ForcedKind>> = Object.fromEntries(names.map((n) => [n, {}]));
  const t = config.transactions;
  for (const n of names) {
    if (!t || n === base) continue;
    // A line's price or category may come from a lookup table, so these apply to every non-customer table.
    if (t.quantity) kinds[n][t.quantity] = 'numeric';
    if (t.price) kinds[n][t.price] = 'numeric';
    for (const v of amountVariables(t.amount)) kinds[n][v] = 'numeric';
    if (t.category) kinds[n][t.category] = 'categorical';
    for (const a of t.attributes ?? []) kinds[n][a] = 'categorical';
  }
  if (t) {
    kinds[t.table][t.customer] = 'key';
    kinds[t.table][t.date] = 'date';
    if (t.invoice) kinds[t.table][t.invoice] = 'key';
  }
  for (const j of config.joins ?? []) {
    kinds[j.from][j.on] = 'key';
    kinds[j.to][j.toKey ?? j.on] = 'key';
  }
  return kinds;
}

/** Columns an amount expression reads (none when it does not parse: that is reported when it is used). */
function amountVariables(amount: string | undefined): string[] {
  if (amount === undefined) return [];
  try {
    return exprVariables(parseExpr(amount));
  } catch {
    return [];
  }
}

/** Sorts keys as numbers when both are numbers, else as text: 2 before 10, stable across runs. */

export interface Assembled {
  table: Table;
  log: AssemblyLog;
  /** Display labels for the added features (the config's own labels win). */
  labels: Record<string, string>;
}

/**
 * `testFile` (one customer table only) is read after the data file into the
 * same table, sharing its column kinds and dictionaries; `table.parts` tells
 * the training rows from the held-out ones.
 */
export async function assembleTables(
  files: string[],
  config: TrainConfig,
  options: ReadOptions & { testFile?: string } = {},
): Promise<Assembled> {
  const names = files.map(tableName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup)
    fail(`two --data files are both named "${dup}"; rename one (a table is its file name without the extension)`);
  const log: AssemblyLog = { tables: [], joins: [], added: [] };
  const labels: Record<string, string> = {};

  if (files.length === 1 && !config.transactions && !config.joins?.length) {
    const table = await readTable(options.testFile ? [files[0], options.testFile] : files[0], config, options);
    log.tables.push({
      name: names[0],
      file: files[0],
      rows: table.rows,
      role: 'customers',
      columns: table.columns.map(columnLog),
    });
    return { table: addDateFeatures(table, config, null, log, labels), log, labels };
  }
  if (!config.joins?.length && !config.transactions) {
    fail(
      'several --data files need "joins" (and usually "transactions") in the config; see README "More than one table"',
    );
  }

  const { base, tx } = roles(names, config);
  const kinds = kindsFor(names, base, config);
  const tables = new Map<string, Table>();
  const hash = createHash('sha256');
  // One progress bar over all the files.
  const sizes = await Promise.all(
    files.map((f) =>
      stat(f).then(
        (st) => st.size,
        () => 0,
      ),
    ),
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  for (let i = 0; i < files.length; i++) {
    const own = names[i] === base ? config : { ...config, targets: [], id: undefined };
    const table = await readTable(files[i], own, {
      kinds: kinds[names[i]],
      onProgress: options.onProgress && ((d) => options.onProgress!(done + d, total)),
    });
    done += sizes[i];
    hash.update(`${names[i]}:${table.sha256}\n`);
    tables.set(names[i], table);
    log.tables.push({
      name: names[i],
      file: files[i],
      rows: table.rows,
      role: names[i] === base ? 'customers' : names[i] === tx ? 'transactions' : 'lookup',
      columns: table.columns.map(columnLog),
    });
  }

  // Lookups, in the order the config lists them (so a chain products → suppliers can be followed).
  for (const j of config.joins ?? []) {
    if (j.to === base && j.from === tx) continue;
    if (j.to === base)
      fail(
        `joins: "${j.from}" → "${j.to}" joins onto the customer table; only the transaction table ("transactions.table") is aggregated per customer`,
      );
    const { table, stats } = lookupJoin(tables.get(j.from)!, j.on, tables.get(j.to)!, j.toKey ?? j.on, j.to);
    tables.set(j.from, table);
    log.joins.push({ from: j.from, to: j.to, on: j.on, kind: 'lookup', stats });
  }

  let customers: Table;
  if (tx) {
    const lines = tables.get(tx)!;
    const t = config.transactions!;
    const lineKey = keyColumn(lines, t.customer, 'transactions.customer');
    let customerOf: Int32Array;
    if (base) {
      customers = tables.get(base)!;
      const j = (config.joins ?? []).find((x) => x.from === tx && x.to === base)!;
      const baseKey = keyColumn(customers, j.toKey ?? j.on, `join ${tx} → ${base}`);
      const { rowOf, duplicateKeys } = indexKeys(baseKey);
      const matched = matchRows(lineKey, (k) => rowOf.get(k) ?? -1, duplicateKeys);
      customerOf = matched.rowMap;
      log.joins.push({ from: tx, to: base, on: j.on, kind: 'aggregate', stats: matched.stats });
    } else {
      customers = customersFromLines(lineKey, files);
      const index = new Map((customers.columns[0] as CategoryColumn).dictionary.map((k, i) => [k, i]));
      customerOf = matchRows(lineKey, (k) => index.get(k) ?? -1).rowMap;
    }
    customers = aggregateOnto(customers, lines, customerOf, config, log, labels);
  } else customers = tables.get(base!)!;

  const table: Table = {
    ...customers,
    source: files.map((f) => basename(f)).join(' + '),
    sha256: hash.digest('hex'),
    parts: [customers.rows],
  };
  return { table: addDateFeatures(table, config, tx ? tables.get(tx)! : null, log, labels), log, labels };
}

/** Declared date columns of the customer table become "days since" numbers (a model input is a number, not a date). */
function addDateFeatures(
  table: Table,
  config: TrainConfig,
  lines: Table | null,
  log: AssemblyLog,
  labels: Record<string, string>,
): Table {
  const dates = table.columns.filter((c): c is Extract<Column, { kind: 'date' }> => c.kind === 'date');
  if (dates.length === 0) return table;
  const lineDates = lines?.columns.find((c) => c.name === config.transactions?.date);
  const reference = log.referenceDate
    ? { day: Math.floor(Date.parse(log.referenceDate.day) / DAY_MS), from: log.referenceDate.from }
    : referenceDay(config, [...dates.map((d) => d.values), ...(lineDates?.kind === 'date' ? [lineDates.values] : [])]);
  log.referenceDate ??= { day: formatDay(reference.day), from: reference.from };
  const columns = table.columns.map((c): Column => {
    if (c.kind !== 'date') return c;
    const name = `days_since_${c.name}`;
    labels[name] = `Days since ${c.name}`;
    log.added.push({ name, label: labels[name], from: c.name });
    return {
      kind: 'numeric',
      name,
      values: Float64Array.from(c.values, (v) => reference.day - Math.floor(v)),
      missing: c.missing,
      fixes: c.fixes,
    };
  });
  return { ...table, columns };
}
