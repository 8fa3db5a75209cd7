// Rendering the bench's results: the markdown table printed on stdout and
// written to bench/out/bench-{full,quick}[-partial].md, the same rows and
// notes as JSON beside it, and the one-line progress report of each row.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Row } from './context.ts';
import { SKIPPED } from './lib/format.ts';

export interface Report {
  quick: boolean;
  /** Only some sections ran (`--only`). */
  partial: boolean;
  /** scikit-learn's version, or null when it is not installed. */
  sklearn: string | null;
  /** Wall time of the run up to the rendering. */
  elapsedMs: number;
  rows: Row[];
  notes: string[];
}

/** The progress line for a row, on stderr as soon as it is measured. */
export function progressLine(row: Row): string {
  return `  ${row.pass === null ? '·' : row.pass ? '✓' : '✗'} ${row.work}: ${row.ours} vs ${row.baseline} (${row.ratio}) ${row.target}`;
}

/** A table cell: a `|` inside would end it. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderMarkdown(r: Report): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `edgeseg benchmark — ${r.quick ? '`npm run bench -- --quick` (reduced sizes)' : '`npm run bench`'}, ${new Date().toISOString().slice(0, 16)}Z`,
    `${cpu}, ${availableParallelism()} cores; Node ${process.versions.node}; scikit-learn ${r.sklearn ?? SKIPPED}; load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${(r.elapsedMs / 1000).toFixed(0)} s`,
    '',
    '| work | ours | baseline | ratio | target | |',
    '|---|---|---|---|---|---|',
    ...r.rows.map(
      (row) =>
        `| ${[row.work, row.ours, row.baseline, row.ratio, row.target].map(cell).join(' | ')} | ${row.pass === null ? '' : row.pass ? '✓' : '✗'} |`,
    ),
    '',
    ...r.notes.map((n) => `- ${n}`),
    '',
  ];
  return lines.join('\n');
}

export function renderJson(r: Report): string {
  return JSON.stringify({ quick: r.quick, rows: r.rows, notes: r.notes }, null, 1);
}

/** Writes `table` (renderMarkdown's) and the JSON into `outDir`. */
export function writeReport(outDir: string, r: Report, table: string): void {
  const name = `bench-${r.quick ? 'quick' : 'full'}${r.partial ? '-partial' : ''}`;
  writeFileSync(join(outDir, `${name}.md`), table);
  writeFileSync(join(outDir, `${name}.json`), renderJson(r));
}
