// Scoring answers as JSON text, written by hand rather than by JSON.stringify:
// a batch of 1,000 answers is ~180 KB, and building then walking a result
// object per record costs several times more than writing the numbers from
// the scorer's scratch between fragments prepared once per model (segment
// objects, score keys). The text is ASCII only (other characters as \u
// escapes, which every JSON reader decodes identically), so the runtime copies
// it out as bytes instead of transcoding it to UTF-8. Same members, order and
// numbers as JSON.stringify of scoreRecord's results. (Writing bytes into a
// buffer from JS instead was measured slower in workerd, 2.5 vs 2.0 ms a batch;
// batches the worker reads from bytes are answered as bytes by WebAssembly,
// worker/records-wasm/writer, which formats numbers faster than JS does.)
import type { CompiledModel } from '../engine/compile.ts';
import type { FieldWarning } from '../engine/read.ts';
import { asScorer, type Scorer } from '../engine/scorer.ts';
import { BLOCK, type TreeBlock } from '../engine/tree-block.ts';
import type { Tally } from '../engine/tally.ts';

const NON_ASCII = /[\u007f-\uffff]/g;
const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** JSON.stringify with every character above U+007E written as a \u escape. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, unicodeEscape);
}

/** A number as JSON.stringify writes it (non-finite as null). */
const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

/**
 * A result's constant text, so that writing one takes few concatenations (each
 * is a node of the answer's rope): everything from its opening to the first
 * score's value, per segment; the other scores' keys; what joins the scores
 * to the projection; and the end.
 */
export interface Fragments {
  /** `"segment":{"id":0,"label":"…"},"scores":{"first":` per segment: a single record's start. */
  lone: string[];
  /** The same after `{`: a batch's first result. */
  first: string[];
  /** The same after `,{`: a batch's other results. */
  next: string[];
  /** `,"name":` for each binary head after the first. */
  moreKeys: string[];
  /** `},"projection":[`, or `}` alone when class scores come between. */
  toProjection: string;
  /** A result's end when it has no warnings. */
  close: string;
}

const cache = new WeakMap<CompiledModel, Fragments>();

export function answerFragments(cm: CompiledModel): Fragments {
  let f = cache.get(cm);
  if (!f) {
    const firstKey = cm.heads.length ? `${asciiJson(cm.heads[0].name)}:` : '';
    const lone = cm.labels.map((label, id) => `"segment":${asciiJson({ id, label })},"scores":{${firstKey}`);
    f = {
      lone,
      first: lone.map((t) => `{${t}`),
      next: lone.map((t) => `,{${t}`),
      moreKeys: cm.heads.slice(1).map((h) => `,${asciiJson(h.name)}:`),
      toProjection: cm.classHeads.length ? '}' : '},"projection":[',
      close: '],"warnings":[]}',
    };
    cache.set(cm, f);
  }
  return f;
}

/** A batch answer's text up to its first result. */
export const batchOpening = (model: string) => `{"model":${asciiJson(model)},"results":[`;

/** A record the model refused, with its position in the request. */
export interface RecordProblem {
  index: number;
  field: string;
  reason: string;
}

export type ScoredJson = { ok: true; json: string } | { ok: false; problems: RecordProblem[] };

/**
 * Scores records straight into the answer's text — `{ model, ...result }`
 * for one record, `{ model, results }` for a batch — without a result object
 * per record. Every record is read (so every problem is named) before any
 * answer is given. Each scored record is counted in `tally` when given (for
 * a batch, one whose counts the caller keeps only if the whole batch scored).
 */
export function scoreToJson(
  target: CompiledModel | Scorer,
  model: string,
  records: Record<string, unknown>[],
  batch: boolean,
  tally: Tally | null = null,
): ScoredJson {
  return answerJson(asScorer(target), model, { records, columns: null, slots: null, data: null }, batch, tally);
}

/**
 * The one-record answer for the record `sc` holds (read by the caller, its
 * warnings in `warnings`), scored now: the text scoreToJson writes for that
 * record, counted in `tally` when given.
 */
export function scoreHeldToJson(
  sc: Scorer,
  model: string,
  warnings: readonly FieldWarning[],
  tally: Tally | null = null,
): string {
  const f = answerFragments(sc.cm);
  return appendResult(sc, f, `{"model":${asciiJson(model)},`, f.lone, sc.scoreInto(), warnings, tally);
}

/**
 * Scores a table — `columns` (input names, checked by the caller: known and
 * distinct) and `data` (rows of values in that order) — into a batch answer,
 * exactly as if each row were sent as a record of those fields.
 */
export function scoreTableToJson(
  target: CompiledModel | Scorer,
  model: string,
  columns: string[],
  data: unknown[][],
  tally: Tally | null = null,
): ScoredJson {
  const sc = asScorer(target);
  const slots = Int32Array.from(columns, (c) => sc.cm.inputIndex.get(c)!);
  return answerJson(sc, model, { records: null, columns, slots, data }, true, tally);
}

/** Records, or a table's rows with their columns' input indices. */
type Input =
  | { records: Record<string, unknown>[]; columns: null; slots: null; data: null }
  | { records: null; columns: string[]; slots: Int32Array; data: unknown[][] };

function answerJson(sc: Scorer, model: string, input: Input, batch: boolean, tally: Tally | null): ScoredJson {
  // A branch per record rather than a reader callback: both reads stay inlined in this loop.
  const { records, columns, slots, data } = input;
  const count = records ? records.length : data!.length;
  const f = answerFragments(sc.cm);
  let problems: RecordProblem[] | null = null;
  // `+=` builds a rope the runtime flattens once as it sends it: cheaper than joining parts.
  let s = batch ? batchOpening(model) : `{"model":${asciiJson(model)},`;
  const warnings: FieldWarning[] = []; // written out before the next record reuses it
  // With boosted heads a batch's records are kept and scored in blocks (tree-block.ts).
  const block = batch ? sc.treeBlock() : null;
  let answered = 0;
  for (let i = 0; i < count; i++) {
    warnings.length = 0;
    const refused = records
      ? sc.read(records[i], undefined, warnings)
      : sc.readRow(columns!, slots!, data![i], warnings);
    if (refused) {
      problems ??= [];
      for (const p of refused) problems.push({ index: i, field: p.field, reason: p.reason });
      continue;
    }
    if (problems) continue;
    if (block === null)
      s = appendResult(sc, f, s, batch ? (i ? f.next : f.first) : f.lone, sc.scoreInto(), warnings, tally);
    else if (block.keep(warnings)) {
      s = appendBlock(sc, block, f, s, answered === 0, tally);
      answered += BLOCK;
    }
  }
  if (problems) return { ok: false, problems };
  if (block?.count) s = appendBlock(sc, block, f, s, answered === 0, tally);
  return { ok: true, json: batch ? `${s}]}` : s };
}

/** `s` followed by the results of a block's records, walked together; `first` when they open the batch's results. */
function appendBlock(
  sc: Scorer,
  block: TreeBlock,
  f: Fragments,
  s: string,
  first: boolean,
  tally: Tally | null,
): string {
  block.drain((j, segment, warnings) => {
    s = appendResult(sc, f, s, first && j === 0 ? f.first : f.next, segment, warnings, tally);
  });
  return s;
}

/**
 * A batch read by a byte reader (the worker's, worker/records-wasm): per
 * record (or table row) either its values, in input order (`spans[2i]` is
 * -1), or the span of its bytes in `body` (one that needs the ordinary reading).
 */
export interface ReadBatch {
  count: number;
  /** count × inputs values, as a scorer's read leaves them in its `values`. */
  values: Float64Array;
  /** Per record: start and end in `body`, or -1 and anything for a plain record. */
  spans: Int32Array;
  body: Uint8Array;
  /** For a table: its columns (and their inputs), for reading an odd row as a scorer's readRow does; null for records. */
  table: { columns: string[]; slots: Int32Array } | null;
}

/**
 * Loads record (or table row) `i` of a batch from a byte reader into the
 * scorer's `values`: its values as read, or its bytes read the ordinary way (any
 * warnings into `warnings`). False when it turns out to have a problem (or
 * not to be JSON), for the caller to read the whole body the ordinary way,
 * which names every problem.
 */
export function readBatchRecord(sc: Scorer, batch: ReadBatch, i: number, warnings: FieldWarning[]): boolean {
  const { values: read, spans, body, table } = batch;
  const start = spans[2 * i];
  if (start < 0) {
    const n = sc.cm.inputNames.length;
    const values = sc.values;
    for (let j = 0, at = i * n; j < n; j++, at++) values[j] = read[at];
    // A plain record has every field: nothing is missing for the trees.
    sc.missing?.fill(0);
    return true;
  }
  const value = jsonFromBytes(body, start, spans[2 * i + 1]);
  if (table) {
    // A row of the wrong length, or not an array, is named by the ordinary reading.
    if (!Array.isArray(value) || value.length !== table.columns.length) return false;
    return sc.readRow(table.columns, table.slots, value, warnings) === null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return sc.read(value as Record<string, unknown>, undefined, warnings) === null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** What JSON.parse makes of `body[start..end)` (what it makes of it within the whole body); undefined if that is not JSON. */
function jsonFromBytes(body: Uint8Array, start: number, end: number): unknown {
  try {
    return JSON.parse(utf8.decode(body.subarray(start, end))) as unknown;
  } catch {
    return undefined;
  }
}

/** `s` followed by the result of the record the scorer holds, scored (its `segment`), opened by `start` (one of the fragments' openings). */
function appendResult(
  sc: Scorer,
  f: Fragments,
  s: string,
  start: string[],
  segment: number,
  warnings: readonly FieldWarning[],
  tally: Tally | null,
): string {
  if (tally !== null) tally.add(sc.values, segment, sc.probs, warnings);
  s += start[segment];
  const { probs, proj } = sc;
  const heads = sc.cm.heads.length;
  if (heads) s += num(probs[0]);
  for (let h = 1; h < heads; h++) s += f.moreKeys[h - 1] + num(probs[h]);
  s += f.toProjection;
  const classes = sc.classScores();
  if (classes) s += `,"classes":${asciiJson(classes)},"projection":[`;
  s += num(proj[0]);
  s += ',';
  s += num(proj[1]);
  return s + (warnings.length ? `],"warnings":${asciiJson(warnings)}}` : f.close);
}
