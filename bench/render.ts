// Rendering the bench's results: the markdown table printed on stdout and
// written to bench/out/bench-{full,quick}[-partial].md, the same rows and
// notes as JSON beside it, and the one-line progress report of each row.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Row } from './context.ts';
import { SKIPPED } from './lib/format.ts';
import { describePython, type PythonEnv } from './lib/python.ts';
import { MIN_ROUNDS } from './rule.ts';

export interface Report {
  quick: boolean;
  /** Only some sections ran (`--only`). */
  partial: boolean;
  /** scikit-learn's version, or null when it is not installed. */
  sklearn: string | null;
  /** The scikit-learn side's interpreter, libraries and readers; null without scikit-learn. */
  python: PythonEnv | null;
  /** The commit measured (`-dirty` with uncommitted changes), bench/lib/stamp.ts. */
  commit: string;
  /** Wall time of the run up to the rendering. */
  elapsedMs: number;
  rows: Row[];
  notes: string[];
}

/** The progress line for a row, on stderr as soon as it is measured. */
export function progressLine(row: Row): string {
  return `  ${mark(row)} ${row.work}: ${row.ours} vs ${row.baseline} (${row.ratio}) ${row.target}, rounds ${row.rounds}`;
}

const mark = (row: Row) => (row.pass === null ? '' : row.pass ? '✓' : '✗');

/** The rule, as the table states it above its rows (bench/rule.ts). */
export const RULE_TEXT = `Rule (bench/rule.ts, fixed before measuring): ≥ ${MIN_ROUNDS} rounds per timed row, ours and the baseline alternating within each round; the median of the rounds' figures (ours ÷ baseline, or our own figure for an absolute target) decides ✓/✗; best rounds are context only; a round with any non-2xx or wrong answer fails the row; a row with fewer rounds (\`--quick\`) is not judged.`;

/** A table cell: a `|` inside would end it. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderMarkdown(r: Report): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `edgeseg benchmark — ${r.quick ? '`npm run bench -- --quick` (reduced sizes, fewer rounds: not judged)' : '`npm run bench`'}${r.partial ? ', some sections' : ''}, commit ${r.commit}, ${new Date().toISOString().slice(0, 16)}Z`,
    `${cpu}, ${availableParallelism()} cores; Node ${process.versions.node}; load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${(r.elapsedMs / 1000).toFixed(0)} s`,
    r.python ? describePython(r.python) : `scikit-learn ${r.sklearn ?? SKIPPED}`,
    '',
    RULE_TEXT,
    '',
    '| work | ours | baseline | ratio | target | rounds | |',
    '|---|---|---|---|---|---|---|',
    ...r.rows.map(
      (row) =>
        `| ${[row.work, row.ours, row.baseline, row.ratio, row.target, row.rounds].map(cell).join(' | ')} | ${mark(row)} |`,
    ),
    '',
    ...r.rows.flatMap((row) => row.failures.map((f) => `- ✗ ${row.work.split(' (')[0]}: ${f}`)),
    ...r.notes.map((n) => `- ${n}`),
    '',
  ];
  return lines.join('\n');
}

export function renderJson(r: Report): string {
  return JSON.stringify({ quick: r.quick, commit: r.commit, python: r.python, rows: r.rows, notes: r.notes }, null, 1);
}

/** Writes `table` (renderMarkdown's) and the JSON into `outDir`. */
export function writeReport(outDir: string, r: Report, table: string): void {
  const name = `bench-${r.quick ? 'quick' : 'full'}${r.partial ? '-partial' : ''}`;
  writeFileSync(join(outDir, `${name}.md`), table);
  writeFileSync(join(outDir, `${name}.json`), renderJson(r));
}
