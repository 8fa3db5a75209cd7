// What assembling the training table records for the report: every table
// read, each column's kind and fixes, and what was joined, dropped or left
// unmatched.
import type { LevelFolding } from '../clean/levels.ts';
import type { Column } from '../read/table.ts';
import type { LookupStats } from './join.ts';
import type { RfmStats } from './rfm.ts';

export interface ColumnLog {
  name: string;
  kind: string;
  reason?: string;
  missing?: number;
  fixes?: Record<string, { count: number; examples: string[] }>;
}

export interface AssemblyLog {
  /** Every table read, with what was read from each column. */
  tables: {
    name: string;
    file: string;
    rows: number;
    role: 'customers' | 'transactions' | 'lookup';
    columns: ColumnLog[];
  }[];
  joins: { from: string; to: string; on: string; kind: 'lookup' | 'aggregate'; stats: LookupStats }[];
  transactions?: RfmStats & {
    table: string;
    /** The customer table was built from the transactions' distinct customers. */
    customersFromTransactions: boolean;
    categoryFolds: LevelFolding['folds'];
  };
  /** The "as of" day of recency and date features, and where it came from. */
  referenceDate?: { day: string; from: 'config' | 'data' };
  /** Features the assembly added to the customer table. */
  added: { name: string; label: string; from: string }[];
}

export function columnLog(col: Column): ColumnLog {
  if (col.kind === 'dropped') return { name: col.name, kind: 'dropped', reason: col.reason };
  const fixes = Object.keys(col.fixes).length ? col.fixes : undefined;
  return {
    name: col.name,
    kind: col.kind,
    ...(col.missing ? { missing: col.missing } : {}),
    ...(fixes ? { fixes } : {}),
  };
}
