// Batch scoring of an uploaded CSV as a stream: bytes in, scored CSV out,
// through the shared CsvParser and CsvScorer (the `npm run score` columns).
// Each input chunk is decoded, parsed and scored before the next is read, so
// memory stays at a chunk plus its output however large the file. The check
// keeps only counts and the first problems, never the rows.
import { CsvScorer, CsvError, CsvParser, type CsvRow, type CompiledModel } from '../../model/index.ts';
import type { BatchReport } from '../../dashboard/views/batch-report.ts';

export const LISTED_PROBLEMS = 100;

class BatchRun {
  private readonly output: string[] = [];
  private readonly scorer: CsvScorer;
  private readonly parser: CsvParser;
  private readonly decoder = new TextDecoder('utf-8');
  private header = true;
  readonly report: BatchReport;

  constructor(private readonly cm: CompiledModel, filename: string, private readonly tally: boolean) {
    this.scorer = new CsvScorer(cm, tally ? () => {} : (text) => { this.output.push(text); });
    this.parser = new CsvParser((r) => this.row(r), { source: filename });
    this.report = { filename, rows: 0, scored: 0, problemRows: 0, errors: [], moreErrors: 0, segmentCounts: new Array(cm.k).fill(0), meanScores: {} };
    for (const h of cm.heads) this.report.meanScores[h.name] = 0;
  }

  private lastProblemLine = -1;

  private row(r: CsvRow): void {
    const before = this.scorer.scored;
    this.scorer.row(r);
    if (this.header) { this.header = false; return; }
    const report = this.report;
    report.rows++;
    report.scored = this.scorer.scored;
    const last = this.scorer.last;
    if (this.tally && this.scorer.scored > before && last) {
      report.segmentCounts[last.segment.id]++;
      for (const h of this.cm.heads) report.meanScores[h.name] += last.scores[h.name];
    }
    // Keep only the first problems; the scorer's own list is drained so it never grows.
    for (const e of this.scorer.errors.splice(0)) {
      if (e.line !== this.lastProblemLine) { report.problemRows++; this.lastProblemLine = e.line; }
      if (report.errors.length < LISTED_PROBLEMS) report.errors.push(e);
      else report.moreErrors++;
    }
  }

  push(bytes: Uint8Array): void {
    this.parser.push(this.decoder.decode(bytes, { stream: true }));
  }

  /** Flushes the last row; throws CsvError for a quote never closed. */
  end(): void {
    this.parser.push(this.decoder.decode());
    this.parser.end();
    if (this.tally && this.report.scored) for (const h of this.cm.heads) this.report.meanScores[h.name] /= this.report.scored;
  }

  take(): string {
    const text = this.output.join('');
    this.output.length = 0;
    return text;
  }
}

/** The scored CSV, produced as the upload is read (pull-driven, so a slow download slows the reading). */
export function scoredCsvStream(cm: CompiledModel, source: ReadableStream<Uint8Array>, filename: string): ReadableStream<Uint8Array> {
  const run = new BatchRun(cm, filename, false);
  const reader = source.getReader();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            run.end();
            const rest = run.take();
            if (rest) controller.enqueue(encoder.encode(rest));
            controller.close();
            return;
          }
          run.push(value);
          const text = run.take();
          if (text) { controller.enqueue(encoder.encode(text)); return; }
        }
      } catch (e) {
        // Headers are long gone: all a stream can do is fail, so the download shows as broken rather than silently short.
        controller.error(e);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** Reads the whole upload and reports what scoring it would give: counts, the segment mix, the first problems by line. */
export async function checkCsv(cm: CompiledModel, source: ReadableStream<Uint8Array>, filename: string): Promise<BatchReport> {
  const run = new BatchRun(cm, filename, true);
  const reader = source.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      run.push(value);
    }
    run.end();
  } catch (e) {
    if (!(e instanceof CsvError || (e as Error).name === 'MultipartError')) throw e;
    run.report.failure = e instanceof CsvError ? `line ${e.line}, column ${e.column}: ${e.reason}` : (e as Error).message;
  }
  return run.report;
}
