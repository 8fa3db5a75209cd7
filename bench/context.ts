// What the bench's sections share with the CLI: the row every section
// produces (one line of the table), the context a section runs in (quick or
// full, where output goes, whether scikit-learn is there, a sink for each row
// as it is measured), and what a section returns. Nothing here holds state:
// the CLI makes one context per run and collects what the sections return.
import type { PythonEnv } from './lib/python.ts';

export interface Row {
  section: string;
  work: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  /** How many rounds the row ran (`exact` for a figure that does not vary), and how many failed. */
  rounds: string;
  /** The figure the target was read against: the median of the rounds (bench/rule.ts). */
  figure: number;
  /** null: no target (context), too few rounds to judge, or the baseline could not run. */
  pass: boolean | null;
  /** Why rounds failed (a failure fails the row); printed under the table. */
  failures: string[];
}

export interface SectionContext {
  /** `--quick`: reduced sizes (a smoke test, not the targets). */
  quick: boolean;
  /** Where the bench writes (bench/out); data and the edge's files go to their fixed places under it. */
  outDir: string;
  /** outDir/runs: trained models and pipeline outputs, kept between runs. */
  runsDir: string;
  /** scikit-learn's version, or null when Debian's python3-sklearn is not installed. */
  sklearn: string | null;
  /** The Python the scikit-learn side runs in and the CSV readers it has; null without scikit-learn. */
  python: PythonEnv | null;
  /** Called with each row the moment it is measured (the CLI reports it on stderr). */
  onRow(row: Row): void;
  /** A progress line on stderr. */
  log(line: string): void;
}

export interface SectionResult {
  rows: Row[];
  /** Lines printed under the table. */
  notes: string[];
}

export type Section = (ctx: SectionContext) => Promise<SectionResult>;

/** A section's own result: `add` keeps a row and hands it to the context's sink, `note` keeps a note. */
export function collect(ctx: SectionContext): { result: SectionResult; add(row: Row): void; note(text: string): void } {
  const result: SectionResult = { rows: [], notes: [] };
  return {
    result,
    add(row) {
      result.rows.push(row);
      ctx.onRow(row);
    },
    note(text) {
      result.notes.push(text);
    },
  };
}
