// Many-to-one lookups between tables read into typed columns: each row of
// `from` finds the row of `to` whose key matches (keys compared as normalised
// text, so `12923.0` finds `12923`), and `to`'s columns are gathered into
// `from`'s rows. Rows whose key is missing or unknown get missing values;
// every such row is counted so the report can say how well the tables fit.
import { TrainError } from '../errors.ts';
import type { CategoryColumn, Column, Table } from '../read/table.ts';

export interface LookupStats {
  rows: number;
  matched: number;
  /** Rows whose key names no row of `to`. */
  unmatched: number;
  /** Rows with no key at all. */
  missingKey: number;
  /** Keys that occur more than once in `to` (the first row wins). */
  duplicateKeys: number;
  /** A few keys that found nothing, for the report. */
  unmatchedExamples: string[];
}

export function keyColumn(table: Table, name: string, role: string): CategoryColumn {
  const col = table.columns.find((c) => c.name === name);
  if (!col)
    throw new TrainError(
      `${role}: "${name}" is not a column of ${table.source} (columns: ${table.columns.map((c) => c.name).join(', ')})`,
    );
  if (col.kind !== 'key') throw new TrainError(`${role}: "${name}" in ${table.source} was not read as a key`);
  return col;
}

/** Normalised key text → first row holding it, and how many keys repeat. */
export function indexKeys(key: CategoryColumn): { rowOf: Map<string, number>; duplicateKeys: number } {
  const firstRow = new Int32Array(key.dictionary.length).fill(-1);
  const seen = new Uint8Array(key.dictionary.length);
  let duplicateKeys = 0;
  for (let r = 0; r < key.codes.length; r++) {
    const c = key.codes[r];
    if (c < 0) continue;
    if (firstRow[c] < 0) firstRow[c] = r;
    else if (!seen[c]) {
      seen[c] = 1;
      duplicateKeys++;
    }
  }
  const rowOf = new Map<string, number>();
  key.dictionary.forEach((k, c) => {
    if (firstRow[c] >= 0) rowOf.set(k, firstRow[c]);
  });
  return { rowOf, duplicateKeys };
}

/** For each row of `from`, the row its key names (-1 when none), counting what did not match. */
export function matchRows(
  fromKey: CategoryColumn,
  rowOfKey: (key: string) => number,
  duplicateKeys = 0,
): { rowMap: Int32Array; stats: LookupStats } {
  const codeRow = Int32Array.from(fromKey.dictionary, rowOfKey);
  const n = fromKey.codes.length;
  const rowMap = new Int32Array(n);
  const stats: LookupStats = { rows: n, matched: 0, unmatched: 0, missingKey: 0, duplicateKeys, unmatchedExamples: [] };
  for (let r = 0; r < n; r++) {
    const c = fromKey.codes[r];
    if (c < 0) {
      rowMap[r] = -1;
      stats.missingKey++;
      continue;
    }
    rowMap[r] = codeRow[c];
    if (codeRow[c] >= 0) stats.matched++;
    else {
      stats.unmatched++;
      if (stats.unmatchedExamples.length < 3 && !stats.unmatchedExamples.includes(fromKey.dictionary[c]))
        stats.unmatchedExamples.push(fromKey.dictionary[c]);
    }
  }
  return { rowMap, stats };
}

/** `col`'s values at `rowMap` (missing where the map is -1), renamed. */
export function gather(col: Column, rowMap: Int32Array, name: string): Column {
  switch (col.kind) {
    case 'dropped':
      return { ...col, name };
    case 'numeric':
    case 'date': {
      const values = Float64Array.from(rowMap, (r) => (r < 0 ? NaN : col.values[r]));
      let missing = 0;
      for (const v of values) if (Number.isNaN(v)) missing++;
      return { ...col, name, values, missing };
    }
    default: {
      const codes = Int32Array.from(rowMap, (r) => (r < 0 ? -1 : col.codes[r]));
      let missing = 0;
      for (const c of codes) if (c < 0) missing++;
      return { ...col, name, codes, missing };
    }
  }
}

/**
 * `from` with `to`'s columns (all but its key) appended. A column whose name
 * `from` already has is prefixed with `to`'s name.
 */
export function lookupJoin(
  from: Table,
  fromKeyName: string,
  to: Table,
  toKeyName: string,
  toName: string,
): { table: Table; stats: LookupStats } {
  const fromKey = keyColumn(from, fromKeyName, `join ${from.source} → ${to.source}`);
  const toKey = keyColumn(to, toKeyName, `join ${from.source} → ${to.source}`);
  const { rowOf, duplicateKeys } = indexKeys(toKey);
  const { rowMap, stats } = matchRows(fromKey, (k) => rowOf.get(k) ?? -1, duplicateKeys);
  const taken = new Set(from.columns.map((c) => c.name));
  const added = to.columns
    .filter((c) => c !== toKey)
    .map((c) => gather(c, rowMap, taken.has(c.name) ? `${toName}_${c.name}` : c.name));
  return { table: { ...from, columns: [...from.columns, ...added] }, stats };
}
