// Scoring a CSV row by row — used by the `score` CLI and the worker's batch
// upload, so both write the same columns: the input row, then `segment`,
// `segment_label`, `p_<target>` for each binary target and `class_<target>`
// (the most probable class) for each multi-class target, if the model has any,
// and `error`: empty, or why the row could not be scored (its cells are kept).
import type { CsvRow } from './csv.ts';
import { csvLine, spreadsheetSafe } from './csv-write.ts';
import type { CompiledModel } from '../engine/compile.ts';
import type { ScoreResult } from '../engine/score.ts';
import { createScorer, type Scorer } from '../engine/scorer.ts';
import type { Tally } from '../engine/tally.ts';

export interface RowError {
  line: number;
  field: string;
  reason: string;
}

export class CsvScorer {
  private header: string[] | null = null;
  readonly errors: RowError[] = [];
  scored = 0;
  /** The last row's result; null after a row that was refused. */
  last: ScoreResult | null = null;

  /** Its own: rows are fed over many calls, a streamed upload's chunks. */
  private readonly scorer: Scorer;

  constructor(
    private readonly cm: CompiledModel,
    private readonly write: (text: string) => void,
    /** Counts every row scored, when given (live monitoring). */
    private readonly tally: Tally | null = null,
  ) {
    this.scorer = createScorer(cm);
  }

  get outputColumns(): string[] {
    return [
      'segment',
      'segment_label',
      ...this.cm.heads.map((h) => `p_${h.name}`),
      ...this.cm.classHeads.map((h) => `class_${h.name}`),
      'error',
    ];
  }

  /** Empty cells for the result columns of a row that could not be scored (all but `error`). */
  private blanks(): string[] {
    return this.outputColumns.slice(0, -1).map(() => '');
  }

  /** Feed every parsed row, the header first. */
  row(r: CsvRow): void {
    if (this.header === null) {
      this.header = r.fields.map((h) => h.trim());
      this.write(csvLine([...r.fields.map(spreadsheetSafe), ...this.outputColumns]));
      return;
    }
    const record: Record<string, string> = {};
    const h = this.header;
    for (let i = 0; i < h.length; i++) record[h[i]] = r.fields[i] ?? '';
    if (r.fields.length > h.length) {
      this.last = null;
      const reason = `${r.fields.length} fields, the header has ${h.length}`;
      this.errors.push({ line: r.line, field: '(row)', reason });
      this.write(
        csvLine([
          ...r.fields.slice(0, h.length).map(spreadsheetSafe),
          ...this.blanks(),
          spreadsheetSafe(`(row): ${reason}; the cells past column ${h.length} are left out`),
        ]),
      );
      return;
    }
    const out = this.scorer.scoreRecord(record, { text: true, ignoreUnknown: true });
    this.last = out.ok ? out.result : null;
    if (out.ok && this.tally)
      this.tally.add(this.scorer.values, out.result.segment.id, this.scorer.probs, out.result.warnings);
    // Echoed cells are made safe to open in a spreadsheet (no formula runs).
    const fields = h.map((_, i) => spreadsheetSafe(r.fields[i] ?? ''));
    if (!out.ok) {
      for (const p of out.problems) this.errors.push({ line: r.line, field: p.field, reason: p.reason });
      this.write(
        csvLine([
          ...fields,
          ...this.blanks(),
          spreadsheetSafe(out.problems.map((p) => `${p.field}: ${p.reason}`).join('; ')),
        ]),
      );
      return;
    }
    this.scored++;
    const res = out.result;
    this.write(
      csvLine([
        ...fields,
        String(res.segment.id),
        spreadsheetSafe(res.segment.label),
        ...this.cm.heads.map((hd) => String(res.scores[hd.name])),
        ...this.cm.classHeads.map((hd) => res.classes![hd.name].label),
        '',
      ]),
    );
  }
}
