// Turning a target column into training labels. Boolean-like spellings
// (TRUE/true/1/yes/Y) are one class whatever the export wrote; other labels
// fold case, spacing and typos like any category. Two classes (or a named
// positive class) make a binary head; more make a multi-class head.
import { normaliseLevel } from '../../model/index.ts';
import { foldLevels } from '../clean/levels.ts';
import { parseBooleanLike } from '../clean/values.ts';
import type { TargetConfig } from '../config.ts';
import { TrainError } from '../errors.ts';
import { noteFix, type CategoryColumn } from '../read/table.ts';

export interface BinaryLabel {
  type: 'binary';
  /** 0/1 per table row, 255 = missing. */
  y: Uint8Array;
  positive: string;
}

export interface MulticlassLabel {
  type: 'multiclass';
  /** Class index per table row, -1 = missing. */
  y: Int32Array;
  classes: string[];
}

/** Most classes a multi-class head takes; more is an identifier, not a label. */
export const MAX_CLASSES = 20;

/** Below this share of labelled rows, values that are not boolean-like in a boolean column count as missing. */
const STRAY_SHARE = 0.05;

/** The most frequent of several spellings of one class. */
function commonestSpelling(dict: string[], counts: number[], members: number[]): string {
  return dict[
    members.reduce((a, b) => (counts[b] > counts[a] || (counts[b] === counts[a] && dict[b] < dict[a]) ? b : a))
  ];
}

/**
 * Resolves a label column. `positive` (from the config) forces a binary head:
 * that class against every other. Fixes applied to label text are added to
 * the column's fix log so the report lists them.
 */
export function resolveLabel(
  col: CategoryColumn,
  tc: TargetConfig = {},
  positive?: string,
): BinaryLabel | MulticlassLabel {
  const dict = col.dictionary;
  const counts = new Array<number>(dict.length).fill(0);
  for (let i = 0; i < col.codes.length; i++) if (col.codes[i] >= 0) counts[col.codes[i]]++;
  const used = dict.map((_, i) => i).filter((i) => counts[i] > 0);
  const bools = dict.map(parseBooleanLike);
  let labelled = 0;
  let stray = 0;
  for (const i of used) {
    labelled += counts[i];
    if (bools[i] === null) stray += counts[i];
  }
  // A boolean column with a few stray values (`maybe`, `??`) is still boolean; the strays are missing.
  const boolean = used.length > 0 && stray <= STRAY_SHARE * labelled && stray < labelled;
  const wantMulti = tc.type === 'multiclass';

  // Class of each dictionary entry ('' = missing).
  let classOf: string[];
  if (boolean && !wantMulti && (positive === undefined || parseBooleanLike(positive) !== null)) {
    const spelling = (v: boolean) => {
      const members = used.filter((i) => bools[i] === v);
      return members.length ? commonestSpelling(dict, counts, members) : String(v);
    };
    const name = { true: spelling(true), false: spelling(false) };
    classOf = dict.map((_, i) => (bools[i] === null ? '' : name[String(bools[i]) as 'true' | 'false']));
    for (const i of used) {
      if (bools[i] === null) noteFix(col, 'not-boolean (missing)', dict[i], counts[i]);
      else if (dict[i] !== classOf[i]) noteFix(col, 'boolean-like', dict[i], counts[i]);
    }
    const positiveName =
      positive !== undefined ? name[String(parseBooleanLike(positive)) as 'true' | 'false'] : name.true;
    return binary(col, classOf, positiveName);
  }

  const folding = foldLevels(dict, counts, undefined, { groupRare: false });
  classOf = folding.canonical;
  for (const f of folding.folds) noteFix(col, f.why, f.from, f.count);
  const classes = [...new Set(used.map((i) => classOf[i]))].sort();

  if (positive !== undefined && !wantMulti) {
    const hit = classes.find((c) => normaliseLevel(c) === normaliseLevel(positive));
    if (!hit)
      throw new TrainError(
        `target "${col.name}": positive class "${positive}" does not occur (values: ${classes.slice(0, 10).join(', ')})`,
      );
    return binary(col, classOf, hit);
  }
  if (classes.length > 2 || wantMulti) {
    if (classes.length > MAX_CLASSES) {
      throw new TrainError(
        `target "${col.name}" has ${classes.length} classes (${classes.slice(0, 8).join(', ')}, …); a multi-class head takes at most ${MAX_CLASSES}, or name the positive class ("target": {"${col.name}": {"positive": "…"}})`,
      );
    }
    if (classes.length < 2) throw new TrainError(`target "${col.name}" has only one class ("${classes[0] ?? ''}")`);
    const index = new Map(classes.map((c, i) => [c, i]));
    const codeClass = Int32Array.from(classOf, (c) => index.get(c) ?? -1);
    const y = Int32Array.from(col.codes, (c) => (c < 0 ? -1 : codeClass[c]));
    return { type: 'multiclass', y, classes };
  }
  if (classes.length < 2) throw new TrainError(`target "${col.name}" has only one class ("${classes[0] ?? ''}")`);
  // The minority class is the event of interest (churn, purchase, malignant).
  const size = (c: string) => used.filter((i) => classOf[i] === c).reduce((n, i) => n + counts[i], 0);
  const [a, b] = classes;
  return binary(col, classOf, size(a) < size(b) || (size(a) === size(b) && a < b) ? a : b);
}

function binary(col: CategoryColumn, classOf: string[], positive: string): BinaryLabel {
  const codeIsPositive = Uint8Array.from(classOf, (c) => (c === '' ? 255 : c === positive ? 1 : 0));
  const y = new Uint8Array(col.codes.length);
  let pos = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const c = col.codes[i];
    y[i] = c < 0 ? 255 : codeIsPositive[c];
    if (y[i] !== 255) {
      total++;
      pos += y[i];
    }
  }
  if (pos === 0 || pos === total)
    throw new TrainError(`target "${col.name}" has only one class (${pos === 0 ? 'no' : 'all'} "${positive}")`);
  return { type: 'binary', y, positive };
}
