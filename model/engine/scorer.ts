// A Scorer: the per-record state of scoring with one compiled model, and the
// calls that fill and read it. The compiled model (compile.ts) is learned
// state, never written; everything a record writes lives here, so no call
// depends on what a call on another object left behind. Within a scorer the
// order is: read a record (read, readRecord, readRow — or fill `values`
// directly), then any of scoreInto, scoreValues, encode, classScores
// and reasons, each of which works from `values` alone; scoreInto leaves
// its answer in `probs` and `proj` (and returns the segment), encode leaves
// the encoded vector in `x`. The next read replaces all of it. Make a scorer
// per caller that holds results across calls (createScorer); one-shot calls
// (scoreRecord, scoreToJson) may share the model's own (scorerFor).
import type { CompiledModel } from './compile.ts';
import { classScores, type ClassScore } from './explain.ts';
import { reasons, type Reasons } from './reasons.ts';
import { readInto, readRowInto, type FieldProblem, type FieldWarning, type ReadOptions } from './read.ts';
import { type BlockWalk, TreeBlock } from './tree-block.ts';
import { scoreInto, scoreValues, type ScoreOutcome, type ScoreResult } from './score.ts';

export class Scorer {
  // Declared, not defined, fields: the constructor's assignments create them, so each holds one kind
  // of array from the start (a defined field is undefined first), which read+scoreInto measured faster.
  /** The record read last: per input, its number or its category's level index (-1 unseen). */
  declare readonly values: Float64Array;
  /** The encoded vector of `values`, as encode last wrote it. */
  declare readonly x: Float64Array;
  /** Each binary head's probability, in head order, as scoreInto last wrote them. */
  declare readonly probs: Float64Array;
  /** The map position, as scoreInto last wrote it. */
  declare readonly proj: Float64Array;
  /** scoreInto's own: the linear map's outputs, each step's multiplier and row offset (see linear.ts). */
  declare readonly out: Float64Array;
  declare readonly z: Float64Array;
  declare readonly at: Int32Array;
  /** Per multi-class head, each class's sigmoid (classScores' own). */
  declare readonly classP: Float64Array[];
  /**
   * With a boosted head: per input, 1 when the record read last lacked it or
   * had an unseen level (trees send those their own way, not as imputed); a
   * caller filling `values` directly fills this too. Null without boosted heads.
   */
  declare readonly missing: Uint8Array | null;
  /** The tree values of `values` and `missing` (treeValues' own). */
  declare readonly tv: Float64Array;

  constructor(readonly cm: CompiledModel) {
    this.values = new Float64Array(cm.inputNames.length);
    this.x = new Float64Array(cm.d);
    this.probs = new Float64Array(cm.heads.length);
    this.proj = new Float64Array(2);
    this.out = new Float64Array(cm.linear.width);
    this.z = new Float64Array(cm.linear.rowAt.length);
    this.at = cm.linear.rowAt.slice();
    this.classP = cm.classHeads.map((h) => new Float64Array(h.classes.length));
    this.missing = cm.boosted.length ? new Uint8Array(cm.inputNames.length) : null;
    this.tv = new Float64Array(cm.boosted.length ? cm.inputNames.length : 0);
  }

  /**
   * `values` as trees read them, into `tv`: a number, or a category's level
   * index; NaN for a missing value or a level outside the input's levels.
   */
  treeValues(): Float64Array {
    const { values, missing, tv, cm } = this;
    const { levelCounts } = cm;
    for (let i = 0; i < tv.length; i++) {
      const v = values[i];
      const levels = levelCounts[i];
      tv[i] = missing?.[i] === 1 || (levels > 0 && !(v >= 0 && v < levels)) ? NaN : v;
    }
    return tv;
  }

  /** Batches' blocks of kept records (tree-block.ts); made on first use, never without boosted heads. */
  private block: TreeBlock | null = null;

  /**
   * The scorer's block for batches, emptied, walked by `walk` when given (else
   * in JavaScript); null when the model has no boosted head (nothing to walk).
   */
  treeBlock(walk: BlockWalk | null = null): TreeBlock | null {
    if (!this.cm.boosted.length) return null;
    this.block ??= new TreeBlock(this);
    this.block.clear(walk);
    return this.block;
  }

  /** Reads `record` into `values`: problems returned, warnings pushed to `warnings`. Never throws on caller input. */
  read(
    record: Record<string, unknown>,
    options: ReadOptions | undefined,
    warnings: FieldWarning[],
  ): FieldProblem[] | null {
    return readInto(this.cm, this.values, record, options, warnings, this.missing);
  }

  /** read, with the warnings returned: problems (bad input the caller must fix) and warnings (input usable after a fallback). */
  readRecord(
    record: Record<string, unknown>,
    options?: ReadOptions,
  ): { problems: FieldProblem[] | null; warnings: FieldWarning[] } {
    const warnings: FieldWarning[] = [];
    return { problems: this.read(record, options, warnings), warnings };
  }

  /** Reads a row of values for `columns` (known, distinct; `slots` their input indices) as read reads the record of those fields. */
  readRow(
    columns: readonly string[],
    slots: Int32Array,
    row: unknown[],
    warnings: FieldWarning[],
  ): FieldProblem[] | null {
    return readRowInto(this.cm, this.values, columns, slots, row, warnings, this.missing);
  }

  /** Scores `values` into `probs` and `proj`; returns the segment. Allocates nothing. */
  scoreInto(): number {
    return scoreInto(this);
  }

  /** Scores `values` as a result object (with the warnings their reading gave). */
  scoreValues(warnings: FieldWarning[]): ScoreResult {
    return scoreValues(this, warnings);
  }

  /** Writes the encoded vector of `values` into `x`, and returns `x`. */
  encode(): Float64Array {
    this.cm.encode(this.values, this.x);
    return this.x;
  }

  /** The multi-class heads' answers for `values`; undefined when the model has none. */
  classScores(): Record<string, ClassScore> | undefined {
    return classScores(this);
  }

  /** Every binary head's exact explanation of `values`: base + Σ contribution = its log-odds. */
  reasons(): Reasons {
    return reasons(this);
  }

  /** Reads and scores one record. */
  scoreRecord(record: Record<string, unknown>, options?: ReadOptions): ScoreOutcome {
    const warnings: FieldWarning[] = [];
    const problems = this.read(record, options, warnings);
    if (problems) return { ok: false, problems };
    return { ok: true, result: this.scoreValues(warnings) };
  }
}

export const createScorer = (cm: CompiledModel): Scorer => new Scorer(cm);

const shared = new WeakMap<CompiledModel, Scorer>();

/**
 * The model's shared scorer, for calls that read, score and answer before
 * they return (scoreRecord, scoreToJson): nothing of it outlives such a call.
 * Anything that reads a scorer's state across calls makes its own.
 */
export function scorerFor(cm: CompiledModel): Scorer {
  let s = shared.get(cm);
  if (!s) shared.set(cm, (s = new Scorer(cm)));
  return s;
}

/** The model asScorer was last given and its shared scorer: the common case without a map lookup. */
let lastModel: CompiledModel | null = null;
let lastScorer: Scorer | null = null;

/** A scorer as given, or the model's shared one. */
export function asScorer(target: CompiledModel | Scorer): Scorer {
  // The last model first: it and the instanceof test were a tenth of scoreRecord(cm)'s time (alternated in one Node process).
  if (target === lastModel) return lastScorer!;
  if (target instanceof Scorer) return target;
  lastScorer = scorerFor(target);
  lastModel = target;
  return lastScorer;
}

/** Reads and scores one record, with the given scorer or the model's shared one. */
export function scoreRecord(
  target: CompiledModel | Scorer,
  record: Record<string, unknown>,
  options?: ReadOptions,
): ScoreOutcome {
  return asScorer(target).scoreRecord(record, options);
}
