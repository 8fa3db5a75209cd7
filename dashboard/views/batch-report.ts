// What checking an uploaded CSV found: counts, the segment mix and the first
// problems by line (never the rows themselves).
export interface BatchReport {
  filename: string;
  /** Data rows read (the header not counted). */
  rows: number;
  scored: number;
  /** Distinct lines with at least one problem. */
  problemRows: number;
  /** The first problems, in file order. */
  errors: { line: number; field: string; reason: string }[];
  /** Problems found beyond those listed. */
  moreErrors: number;
  /** Scored rows per segment id. */
  segmentCounts: number[];
  /** Mean probability per target over scored rows. */
  meanScores: Record<string, number>;
  /** Why the file could not be read to the end (e.g. an unclosed quote), if so. */
  failure?: string;
  /** Set when the file was refused before any row was read (not text, no model column, ragged): the reason's code. */
  refused?: string;
}

/** The report before any row is read: nothing counted yet, a zero per segment and per binary target. */
export function emptyReport(filename: string, segments = 0, targets: readonly string[] = []): BatchReport {
  const meanScores: Record<string, number> = {};
  for (const t of targets) meanScores[t] = 0;
  return {
    filename,
    rows: 0,
    scored: 0,
    problemRows: 0,
    errors: [],
    moreErrors: 0,
    segmentCounts: new Array(segments).fill(0),
    meanScores,
  };
}
