// Scoring answers as JSON text, written by hand rather than by JSON.stringify:
// a batch of 1,000 answers is ~180 KB, and building then walking a result
// object per record costs several times more than writing the numbers from
// the scorer's scratch between fragments prepared once per model (segment
// objects, score keys). The text is ASCII only (other characters as \u
// escapes, which every JSON reader decodes identically), so the runtime copies
// it out as bytes instead of transcoding it to UTF-8. Same members, order and
// numbers as JSON.stringify of scoreRecord's results. (Writing bytes into a
// buffer from JS instead was measured slower in workerd, 2.5 vs 2.0 ms a batch.)
import { END, NOT_PLAIN, ODD_RECORD, nextRecord, oddRecord, openRecords } from './records-bytes.ts';
import { classScores, readInto, readRowInto, scoreInto, type CompiledModel, type FieldWarning } from './score.ts';

const NON_ASCII = /[\u007f-\uffff]/g;
const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** JSON.stringify with every character above U+007E written as a \u escape. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, escape);
}

/** A number as JSON.stringify writes it (non-finite as null). */
const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

/**
 * A result's constant text, so that writing one takes few concatenations (each
 * is a node of the answer's rope): everything from its opening to the first
 * score's value, per segment; the other scores' keys; what joins the scores
 * to the projection; and the end.
 */
interface Fragments {
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
}

const cache = new WeakMap<CompiledModel, Fragments>();

function fragments(cm: CompiledModel): Fragments {
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
    };
    cache.set(cm, f);
  }
  return f;
}

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
 * answer is given.
 */
export function scoreToJson(cm: CompiledModel, model: string, records: Record<string, unknown>[], batch: boolean): ScoredJson {
  return answerJson(cm, model, { records, columns: null, slots: null, data: null }, batch);
}

/**
 * Scores a table — `columns` (input names, checked by the caller: known and
 * distinct) and `data` (rows of values in that order) — into a batch answer,
 * exactly as if each row were sent as a record of those fields.
 */
export function scoreTableToJson(cm: CompiledModel, model: string, columns: string[], data: unknown[][]): ScoredJson {
  const slots = Int32Array.from(columns, (c) => cm.inputIndex.get(c)!);
  return answerJson(cm, model, { records: null, columns, slots, data }, true);
}

/** Records, or a table's rows with their columns' input indices. */
type Input =
  | { records: Record<string, unknown>[]; columns: null; slots: null; data: null }
  | { records: null; columns: string[]; slots: Int32Array; data: unknown[][] };

function answerJson(cm: CompiledModel, model: string, input: Input, batch: boolean): ScoredJson {
  // A branch per record rather than a reader callback: both reads stay inlined in this loop.
  const { records, columns, slots, data } = input;
  const count = records ? records.length : data!.length;
  const f = fragments(cm);
  let problems: RecordProblem[] | null = null;
  // `+=` builds a rope the runtime flattens once as it sends it: cheaper than joining parts.
  let s = batch ? `{"model":${asciiJson(model)},"results":[` : `{"model":${asciiJson(model)},`;
  const warnings: FieldWarning[] = []; // written out before the next record reuses it
  for (let i = 0; i < count; i++) {
    warnings.length = 0;
    const refused = records ? readInto(cm, records[i], undefined, warnings) : readRowInto(cm, columns!, slots!, data![i], warnings);
    if (refused) {
      problems ??= [];
      for (const p of refused) problems.push({ index: i, field: p.field, reason: p.reason });
      continue;
    }
    if (problems) continue;
    s = appendResult(cm, f, s, batch ? (i ? f.next : f.first) : f.lone, warnings);
  }
  if (problems) return { ok: false, problems };
  return { ok: true, json: batch ? `${s}]}` : s };
}

/**
 * A `{"records":[…]}` batch scored straight from the request's bytes (see
 * records-bytes.ts): the same answer text as scoreToJson gives for the parsed
 * body, or null when the body is not 1..maxRecords records that all score,
 * for the caller to read it the ordinary way (which names every problem).
 */
export function scoreRecordBytesToJson(cm: CompiledModel, model: string, bytes: Uint8Array, maxRecords: number): string | null {
  const cursor = openRecords(cm, bytes);
  if (!cursor) return null;
  const f = fragments(cm);
  let s = `{"model":${asciiJson(model)},"results":[`;
  const warnings: FieldWarning[] = [];
  for (;;) {
    const read = nextRecord(cm, cursor);
    if (read === END) return `${s}]}`;
    if (read === NOT_PLAIN || cursor.count > maxRecords) return null;
    warnings.length = 0;
    if (read === ODD_RECORD) {
      const record = oddRecord(cursor);
      if (record === null || readInto(cm, record, undefined, warnings) !== null) return null;
    }
    s = appendResult(cm, f, s, cursor.count > 1 ? f.next : f.first, warnings);
  }
}

/** `s` followed by a scored record's result, opened by `start` (one of the fragments' openings). */
function appendResult(cm: CompiledModel, f: Fragments, s: string, start: string[], warnings: FieldWarning[]): string {
  s += start[scoreInto(cm)];
  const { probs, proj } = cm;
  const heads = cm.heads.length;
  if (heads) s += num(probs[0]);
  for (let h = 1; h < heads; h++) s += f.moreKeys[h - 1] + num(probs[h]);
  s += f.toProjection;
  const classes = classScores(cm);
  if (classes) s += `,"classes":${asciiJson(classes)},"projection":[`;
  s += num(proj[0]);
  s += ',';
  s += num(proj[1]);
  return s + (warnings.length ? `],"warnings":${asciiJson(warnings)}}` : '],"warnings":[]}');
}
