// The progress display: a redrawn bar with counts and time left on a
// terminal, a line per long step in a log, nothing with --quiet.
import { describe, expect, it } from 'vitest';
import { createProgress, formatBytes, formatDuration, formatProgressLine } from '../../trainer/cli/progress.ts';

const sink = (isTTY: boolean) => {
  const out: string[] = [];
  return { out, write: (s: string) => out.push(s), isTTY, columns: 100 };
};

describe('the progress line', () => {
  it('shows the step, a bar, done/total and the time left at the pace so far', () => {
    expect(formatProgressLine('segments', 3, 7, 6000, 14)).toBe('segments [######--------] 3/7 · 8s left');
    expect(formatProgressLine('reading', 1_300_000, 2_600_000, 1000, 10, formatBytes)).toBe(
      'reading [#####-----] 1.3 MB/2.6 MB · 1s left',
    );
    expect(formatProgressLine('segments', 7, 7, 61_000, 4)).toBe('segments [####] 7/7 · 1m01s');
  });

  it('writes durations as a person reads them', () => {
    expect([400, 12_000, 125_000, 3_720_000].map(formatDuration)).toEqual(['0s', '12s', '2m05s', '1h02m']);
  });
});

describe('createProgress', () => {
  it('redraws one line on a terminal and clears it at the end', () => {
    let t = 0;
    const s = sink(true);
    const p = createProgress(s, { now: () => t });
    p.step('segments', 0, 4);
    t = 1000;
    p.step('segments', 1, 4);
    t = 1050; // too soon to redraw
    p.step('segments', 2, 4);
    t = 4000;
    p.step('segments', 4, 4);
    p.end();
    const drawn = s.out.filter((x) => x.startsWith('  segments'));
    expect(drawn).toEqual([
      '  segments [------------------------] 0/4',
      '  segments [######------------------] 1/4 · 3s left',
      '  segments [########################] 4/4 · 4s',
    ]);
    expect(s.out[s.out.length - 1]).toBe('\r\x1b[K');
  });

  it('prints a line per long counted step in a log, and nothing for quick ones', () => {
    let t = 0;
    const s = sink(false);
    const p = createProgress(s, { now: () => t });
    p.step('reading', 5, 5);
    t = 100;
    p.step('segments', 0, 7);
    t = 5100;
    p.step('segments', 7, 7);
    p.step('profiles');
    p.end();
    expect(s.out).toEqual(['  … segments: 7/7 in 5s\n']);
  });

  it('prints nothing on failure or with --quiet', () => {
    let t = 0;
    const s = sink(false);
    const p = createProgress(s, { now: () => t });
    p.step('segments', 0, 7);
    t = 9000;
    p.abort();
    const q = sink(true);
    const quiet = createProgress(q, { quiet: true });
    quiet.step('segments', 1, 2);
    quiet.end();
    expect([...s.out, ...q.out]).toEqual([]);
  });
});
