// Batches with boosted heads, in blocks: each record is read and kept (its
// values, what it lacked, its warnings), and once BLOCK are kept, or the
// batch ends, every forest is walked over them one after another; only then
// is each scored and answered. Reading and writing JSON between two walks
// left the walk's nodes and code colder: reading 1,000 records and walking
// them took 0.74 of the time in blocks of 64 that it took record by record
// (CPU time, 7 rounds alternated in one Node process, 100 trees of 31
// leaves). The answers are the same: scoreInto's, from the same values.
// Given a BlockWalk (the worker's WebAssembly walk), each kept record's tree
// values are handed to it as the record is kept, and each forest is walked
// over the whole block in one call.
import { sigmoid } from '../kernels.ts';
import type { FieldWarning } from './read.ts';
import { scoreLinear } from './score.ts';
import type { Scorer } from './scorer.ts';
import { type CompiledForest, forestLogit } from './trees.ts';

const NO_WARNINGS: readonly FieldWarning[] = [];

/** Records walked together: enough for the walks to run back to back, few enough for the block to stay in cache. */
export const BLOCK = 64;

/**
 * A walk of a forest over a whole block of records at once; its log-odds
 * must be forestLogit's to the bit (the worker's, in WebAssembly).
 */
export interface BlockWalk {
  /**
   * Where the block's tree values go for walks of `forests` (one model's):
   * BLOCK · inputs doubles, record j's at j · inputs. Good until the next call.
   */
  values(forests: readonly CompiledForest[]): Float64Array;
  /** The log-odds of `forest` for the first `count` records of the values, in record order (good until the next call). */
  walk(forest: CompiledForest, count: number): Float64Array;
}

export class TreeBlock {
  /** Records kept since the last clear. */
  count = 0;
  private readonly inputs: number;
  private readonly values: Float64Array;
  private readonly missing: Uint8Array;
  private readonly warnings: (FieldWarning[] | null)[] = [];
  /** Per kept record, each boosted head's log-odds (after walk). */
  private readonly logits: Float64Array;
  private readonly forests: readonly CompiledForest[];
  /** The walk of the whole block, when given one (clear), and where the block's tree values go for it. */
  private blockWalk: BlockWalk | null = null;
  private treeValues: Float64Array = new Float64Array(0);

  constructor(private readonly s: Scorer) {
    this.inputs = s.values.length;
    this.values = new Float64Array(BLOCK * this.inputs);
    this.missing = new Uint8Array(BLOCK * this.inputs);
    this.logits = new Float64Array(BLOCK * s.cm.boosted.length);
    this.forests = Array.from(s.cm.boosted, (h) => s.cm.heads[h].forest!);
  }

  /** Empties the block; the blocks until the next clear are walked by `walk` when given, else record by record. */
  clear(walk: BlockWalk | null = null): void {
    this.count = 0;
    this.blockWalk = walk;
  }

  /** Keeps the record the scorer read last, with its warnings (copied); true when the block is full. */
  keep(warnings: readonly FieldWarning[]): boolean {
    const j = this.count++;
    const { s, inputs } = this;
    this.values.set(s.values, j * inputs);
    this.missing.set(s.missing!, j * inputs);
    this.warnings[j] = warnings.length ? warnings.slice() : null;
    if (this.blockWalk !== null) {
      // Handed over now, while the scorer holds the record: the walk then reads them all in one call.
      if (j === 0) this.treeValues = this.blockWalk.values(this.forests);
      this.treeValues.set(s.treeValues(), j * inputs);
    }
    return this.count === BLOCK;
  }

  /**
   * Walks every boosted head's trees over the kept records, then puts each
   * back in the scorer, scored as scoreInto scores it, and hands it to `each`
   * in order (its place in the block, its segment, its warnings); empties the block.
   */
  drain(each: (j: number, segment: number, warnings: readonly FieldWarning[]) => void): void {
    this.walk();
    for (let j = 0; j < this.count; j++) each(j, this.score(j), this.warnings[j] ?? NO_WARNINGS);
    this.count = 0;
  }

  private walk(): void {
    const { s, logits, forests, count } = this;
    const b = forests.length;
    if (this.blockWalk !== null) {
      for (let h = 0; h < b; h++) {
        const out = this.blockWalk.walk(forests[h], count);
        for (let j = 0; j < count; j++) logits[j * b + h] = out[j];
      }
      return;
    }
    for (let j = 0; j < count; j++) {
      this.load(j);
      const tv = s.treeValues();
      for (let h = 0; h < b; h++) logits[j * b + h] = forestLogit(forests[h], tv);
    }
  }

  /** Kept record j back in the scorer, scored (after walk); its segment. */
  private score(j: number): number {
    const { s, logits } = this;
    this.load(j);
    const segment = scoreLinear(s);
    const { boosted } = s.cm;
    for (let h = 0; h < boosted.length; h++) s.probs[boosted[h]] = sigmoid(logits[j * boosted.length + h]);
    return segment;
  }

  private load(j: number): void {
    const { s, inputs } = this;
    const at = j * inputs;
    const { values } = s;
    const missing = s.missing!;
    for (let i = 0; i < inputs; i++) {
      values[i] = this.values[at + i];
      missing[i] = this.missing[at + i];
    }
  }
}
