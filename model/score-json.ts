// Scoring answers as JSON text, written by hand rather than by JSON.stringify:
// a batch of 1,000 answers is ~180 KB, and building then walking a result
// object per record costs several times more than writing the numbers from
// the scorer's scratch between fragments prepared once per model (segment
// objects, score keys). The text is ASCII only (other characters as \u
// escapes, which every JSON reader decodes identically), so the runtime copies
// it out as bytes instead of transcoding it to UTF-8. Same members, order and
// numbers as JSON.stringify of scoreRecord's results. (Writing bytes into a
// buffer from JS instead was measured slower in workerd, 2.5 vs 2.0 ms a batch.)
import { classScores, readInto, readRowInto, scoreInto, type CompiledModel, type FieldWarning } from './score.ts';

const NON_ASCII = /[\u007f-\uffff]/g;
const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** JSON.stringify with every character above U+007E written as a \u escape. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, escape);
}

/** A number as JSON.stringify writes it (non-finite as null). */
const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

interface Fragments {
  /** `"segment":{"id":0,"label":"…"},"scores":{` per segment. */
  segments: string[];
  /** `"name":` per binary head, in head order, the first without its leading comma. */
  scoreKeys: string[];
}

const cache = new WeakMap<CompiledModel, Fragments>();

function fragments(cm: CompiledModel): Fragments {
  let f = cache.get(cm);
  if (!f) {
    f = {
      segments: cm.labels.map((label, id) => `"segment":${asciiJson({ id, label })},"scores":{`),
      scoreKeys: cm.heads.map((h, i) => `${i ? ',' : ''}${asciiJson(h.name)}:`),
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
    const seg = scoreInto(cm);
    s += (batch ? (i ? ',{' : '{') : '') + f.segments[seg];
    for (let h = 0; h < f.scoreKeys.length; h++) s += f.scoreKeys[h] + num(cm.probs[h]);
    s += '}';
    const classes = classScores(cm);
    if (classes) s += `,"classes":${asciiJson(classes)}`;
    s += ',"projection":[' + num(cm.proj[0]) + ',' + num(cm.proj[1]) + '],"warnings":' + (warnings.length ? asciiJson(warnings) : '[]') + '}';
  }
  if (problems) return { ok: false, problems };
  return { ok: true, json: batch ? `${s}]}` : s };
}
