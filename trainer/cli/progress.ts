// Progress on the terminal for the long steps of training. On a terminal one
// line is redrawn in place: the step, a bar, done/total and the time left
// (extrapolated from the step's pace so far), cleared when training ends.
// Piped into a file or CI log, a counted step that took a while prints one line
// when it ends, so logs stay short and a quick failure's error is the only
// thing on stderr. --quiet prints nothing.

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type CountFormat = (n: number) => string;

export interface Progress {
  /** `format` writes the counts (default: integers with thousands separators). */
  step(name: string, done?: number, total?: number, format?: CountFormat): void;
  /** Ends the current step and clears the live line. */
  end(): void;
  /** Clears the live line without reporting the step as done (training failed). */
  abort(): void;
}

/** Below this, a step is not worth a line in a log. */
const LOG_AFTER_MS = 2000;

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** One progress line: `name [#####-----] 3/7 · 2s left`. */
export function formatProgressLine(
  name: string,
  done: number,
  total: number,
  elapsedMs: number,
  barWidth = 24,
  format: CountFormat = formatCount,
): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(frac * barWidth);
  const bar = '#'.repeat(filled) + '-'.repeat(barWidth - filled);
  const left =
    done > 0 && done < total
      ? ` · ${formatDuration((elapsedMs / done) * (total - done))} left`
      : done >= total
        ? ` · ${formatDuration(elapsedMs)}`
        : '';
  return `${name} [${bar}] ${format(done)}/${format(total)}${left}`;
}

export const formatCount: CountFormat = (n) => n.toLocaleString('en-US');
export const formatBytes: CountFormat = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.ceil(n / 1e3)} kB`);

export function createProgress(out: ProgressSink, options: { quiet?: boolean; now?: () => number } = {}): Progress {
  if (options.quiet) return { step() {}, end() {}, abort() {} };
  const now = options.now ?? (() => performance.now());
  const tty = out.isTTY === true;
  let current = '';
  let started = 0;
  let lastDraw = 0;
  let counted = false;
  let lastDone = 0;
  let lastTotal = 0;
  let fmt: CountFormat = formatCount;
  const clear = () => {
    if (tty) out.write('\r\x1b[K');
  };
  const finishLine = () => {
    if (!current) return;
    if (tty) clear();
    else if (counted && now() - started >= LOG_AFTER_MS)
      out.write(`  … ${current}: ${fmt(lastDone)}/${fmt(lastTotal)} in ${formatDuration(now() - started)}\n`);
  };
  return {
    step(name, done, total, format = formatCount) {
      const t = now();
      if (name !== current) {
        finishLine();
        current = name;
        started = t;
        counted = false;
        lastDraw = -Infinity;
      }
      if (done === undefined || total === undefined) {
        if (tty) {
          clear();
          out.write(`  … ${name}`);
        }
        return;
      }
      counted = true;
      fmt = format;
      lastDone = done;
      lastTotal = total;
      // Redraw at most ten times a second, and always at the end of a step.
      if (tty && (t - lastDraw >= 100 || done >= total)) {
        lastDraw = t;
        // A pty without a size reports 0 columns.
        const width = Math.max(40, (out.columns || 80) - 1);
        clear();
        out.write(`  ${formatProgressLine(name, done, total, t - started, 24, format)}`.slice(0, width));
      }
    },
    end() {
      finishLine();
      current = '';
    },
    abort() {
      clear();
      current = '';
    },
  };
}
