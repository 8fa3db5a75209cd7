// Batch scoring of an uploaded CSV as a stream: bytes in, scored CSV out,
// through the shared TableReader and CsvScorer (the `npm run score` columns
// and refusals). The first 64 KiB are read and checked before answering, so a
// file that is not a table is refused with a reason instead of "scored"; then
// each chunk is decoded, parsed and scored before the next is read, so memory
// stays at a chunk plus its output however large the file. The check keeps
// only counts and the first problems, never the rows.
import {
  CsvScorer,
  CsvError,
  TableReader,
  TableRefusal,
  type CsvRow,
  type CompiledModel,
  type Tally,
} from '../../model/index.ts';
import { type BatchReport, emptyReport } from '../../dashboard/views/batch-report.ts';

export const LISTED_PROBLEMS = 100;

class BatchRun {
  private readonly output: string[] = [];
  private readonly scorer: CsvScorer;
  private readonly table: TableReader;
  private header = true;
  readonly report: BatchReport;

  constructor(
    private readonly cm: CompiledModel,
    filename: string,
    private readonly tally: boolean,
    /** Counts the rows scored (live monitoring), and is told once the last is. */
    private readonly counting: { tally: Tally; done: (rows: number) => void } | null = null,
  ) {
    this.scorer = new CsvScorer(
      cm,
      tally
        ? () => {}
        : (text) => {
            this.output.push(text);
          },
      counting?.tally ?? null,
    );
    this.table = new TableReader(
      cm.model.inputs.map((f) => f.name),
      (r) => this.row(r),
      filename,
    );
    this.report = emptyReport(
      filename,
      cm.k,
      cm.heads.map((h) => h.name),
    );
  }

  private lastProblemLine = -1;

  private row(r: CsvRow): void {
    const before = this.scorer.scored;
    this.scorer.row(r);
    if (this.header) {
      this.header = false;
      return;
    }
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
      if (e.line !== this.lastProblemLine) {
        report.problemRows++;
        this.lastProblemLine = e.line;
      }
      if (report.errors.length < LISTED_PROBLEMS) report.errors.push(e);
      else report.moreErrors++;
    }
  }

  get accepted(): boolean {
    return this.table.accepted;
  }

  /** Throws TableRefusal for a file that is not a table. */
  push(bytes: Uint8Array): void {
    this.table.push(bytes);
  }

  /** Flushes the last row; throws TableRefusal, or CsvError for a quote never closed. */
  end(): void {
    this.table.end();
    this.counting?.done(this.scorer.scored);
    if (this.tally && this.report.scored)
      for (const h of this.cm.heads) this.report.meanScores[h.name] /= this.report.scored;
  }

  take(): string {
    const text = this.output.join('');
    this.output.length = 0;
    return text;
  }
}

/** Why an upload was refused before any output: the reason's code, and a sentence naming the line. */
export interface BatchRefusal {
  status: 400 | 422;
  reason: string;
  message: string;
}

export const refusalOf = (e: unknown, filename: string): BatchRefusal | null =>
  e instanceof TableRefusal
    ? { status: 422, reason: e.reason, message: `${filename} is not a table to score: line ${e.line}: ${e.detail}.` }
    : e instanceof CsvError
      ? {
          status: 422,
          reason: 'unreadable',
          message: `${filename} cannot be read: line ${e.line}, column ${e.column}: ${e.reason}.`,
        }
      : (e as Error)?.name === 'MultipartError'
        ? { status: 400, reason: 'bad-form', message: `The form data could not be read: ${(e as Error).message}.` }
        : null;

/**
 * Reads what is left of a refused upload and drops it: workerd answers a
 * request whose body was left unread (or cancelled) and then fails the next
 * one on the connection ("worker restarted mid-request").
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    for (;;) if ((await reader.read()).done) return;
  } catch {
    // a broken upload: nothing more to read
  }
}

/**
 * The scored CSV, produced as the upload is read (pull-driven, so a slow
 * download slows the reading) — or why the file is refused: the first 64 KiB
 * are read and checked before this resolves.
 */
export async function scoredCsv(
  cm: CompiledModel,
  source: ReadableStream<Uint8Array>,
  filename: string,
  counting: { tally: Tally; done: (rows: number) => void } | null = null,
): Promise<{ ok: true; body: ReadableStream<Uint8Array> } | { ok: false; refusal: BatchRefusal }> {
  const run = new BatchRun(cm, filename, false, counting);
  const reader = source.getReader();
  let finished = false;
  try {
    while (!run.accepted) {
      const { done, value } = await reader.read();
      if (done) {
        run.end();
        finished = true;
        break;
      }
      run.push(value);
    }
  } catch (e) {
    const refusal = refusalOf(e, filename);
    if (!refusal) throw e;
    await drain(reader);
    return { ok: false, refusal };
  }
  return { ok: true, body: scoredCsvStream(run, reader, finished) };
}

function scoredCsvStream(
  run: BatchRun,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  finished: boolean,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const first = run.take();
        if (finished) {
          if (first) controller.enqueue(encoder.encode(first));
          controller.close();
          return;
        }
        if (first) {
          controller.enqueue(encoder.encode(first));
          return;
        }
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
          if (text) {
            controller.enqueue(encoder.encode(text));
            return;
          }
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
export async function checkCsv(
  cm: CompiledModel,
  source: ReadableStream<Uint8Array>,
  filename: string,
): Promise<BatchReport> {
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
    const refusal = refusalOf(e, filename);
    if (!refusal) throw e;
    await drain(reader);
    // A read failure keeps the words the check always used; a refusal says the file is not a table.
    run.report.failure = e instanceof CsvError ? `line ${e.line}, column ${e.column}: ${e.reason}` : refusal.message;
    if (e instanceof TableRefusal) run.report.refused = e.reason;
  }
  return run.report;
}
