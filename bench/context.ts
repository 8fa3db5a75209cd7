// What the bench's sections share with the CLI: the row every section
// produces (one line of the table).

export interface Row {
  section: string;
  work: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  /** null: no target (context), or the baseline could not run. */
  pass: boolean | null;
}
