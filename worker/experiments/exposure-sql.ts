// The SQL that writes exposures to D1: one pair of statements per chunk of
// rows, the rows bound as one JSON text (D1 binds at most 100 parameters per
// statement; one text is one). In the same batch, hence the same transaction:
// 1. the visitors of the chunk that the table does not have yet are counted
//    into experiment_counts, one upsert per (experiment, variant, segment);
// 2. the rows are inserted, ON CONFLICT DO NOTHING on (experiment, visitor).
// A visitor met twice — in one chunk, or already written by another isolate —
// is counted once; within a chunk the first row wins, in both statements.
import type { Exposure } from './exposures.ts';

/** Rows bound per statement pair: ~70 bytes each, far below D1's 2 MB per value and 100 kB per statement. */
export const ROWS_PER_STATEMENT = 1000;

// One row per (experiment, visitor) of the chunk, its first: SQLite takes a bare column from the row min() picks.
const CHUNK = `SELECT min(j.key) AS first, j.value ->> 0 AS experiment, j.value ->> 1 AS visitor,
  j.value ->> 2 AS variant, j.value ->> 3 AS segment, j.value ->> 4 AS first_seen
FROM json_each(?) AS j GROUP BY experiment, visitor`;

const COUNT_NEW = `INSERT INTO experiment_counts (experiment, variant, segment, visitors, conversions, value)
SELECT n.experiment, n.variant, n.segment, count(*), 0, 0 FROM (${CHUNK}) AS n
WHERE NOT EXISTS (SELECT 1 FROM experiment_exposures AS e WHERE e.experiment = n.experiment AND e.visitor = n.visitor)
GROUP BY n.experiment, n.variant, n.segment
ON CONFLICT (experiment, variant, segment) DO UPDATE SET visitors = visitors + excluded.visitors`;

const INSERT = `INSERT INTO experiment_exposures (experiment, visitor, variant, segment, first_seen)
SELECT n.experiment, n.visitor, n.variant, n.segment, n.first_seen FROM (${CHUNK}) AS n WHERE true
ON CONFLICT (experiment, visitor) DO NOTHING`;

/** `[experiment, visitor, variant, segment, first_seen]` per row: what the statements read. */
function rowsJson(rows: readonly Exposure[], from: number, to: number): string {
  let json = '[';
  for (let i = from; i < to; i++) {
    const r = rows[i];
    json += `${i > from ? ',' : ''}[${JSON.stringify(r.experiment)},${JSON.stringify(r.visitor)},${r.variant},${r.segment},${r.at}]`;
  }
  return `${json}]`;
}

/** The statements that write `rows` and count their new visitors; run them in one `db.batch`. */
export function exposureStatements(db: D1Database, rows: readonly Exposure[]): D1PreparedStatement[] {
  const count = db.prepare(COUNT_NEW);
  const insert = db.prepare(INSERT);
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const json = rowsJson(rows, i, Math.min(rows.length, i + ROWS_PER_STATEMENT));
    out.push(count.bind(json), insert.bind(json));
  }
  return out;
}
