// Score results as JSON text, written by hand rather than by JSON.stringify:
// a batch of 1,000 answers is ~180 KB, and walking each result object costs
// 3× more than joining fragments prepared once per model (segment objects,
// score keys). The text is ASCII only (other characters as \u escapes, which
// every JSON reader decodes identically), so the runtime copies it out as
// bytes instead of transcoding it to UTF-8. Same keys, order and numbers as
// JSON.stringify of the result objects.
import type { CompiledModel, ScoreResult } from './score.ts';

const NON_ASCII = /[\u007f-\uffff]/g;
const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** JSON.stringify with every character above U+007E written as a \u escape. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, escape);
}

/** A number as JSON.stringify writes it (non-finite as null). */
const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

interface Fragments {
  /** `{"id":0,"label":"…"}` per segment. */
  segments: string[];
  /** `"name":` per binary head, in head order. */
  scoreKeys: string[];
  headNames: string[];
}

const cache = new WeakMap<CompiledModel, Fragments>();

function fragments(cm: CompiledModel): Fragments {
  let f = cache.get(cm);
  if (!f) {
    f = {
      segments: cm.labels.map((label, id) => asciiJson({ id, label })),
      scoreKeys: cm.heads.map((h) => `${asciiJson(h.name)}:`),
      headNames: cm.heads.map((h) => h.name),
    };
    cache.set(cm, f);
  }
  return f;
}

/** One result's members, without the braces: `"segment":…,"scores":…,…,"warnings":[…]`. */
function members(f: Fragments, r: ScoreResult): string {
  let s = `"segment":${f.segments[r.segment.id] ?? asciiJson(r.segment)},"scores":{`;
  for (let h = 0; h < f.scoreKeys.length; h++) s += (h ? ',' : '') + f.scoreKeys[h] + num(r.scores[f.headNames[h]]);
  s += '}';
  if (r.classes) s += `,"classes":${asciiJson(r.classes)}`;
  s += `,"projection":[${num(r.projection[0])},${num(r.projection[1])}],"warnings":${r.warnings.length ? asciiJson(r.warnings) : '[]'}`;
  return s;
}

/** `{ model, ...result }` — the answer for one record. */
export function singleResultJson(cm: CompiledModel, model: string, r: ScoreResult): string {
  return `{"model":${asciiJson(model)},${members(fragments(cm), r)}}`;
}

/** `{ model, results }` — the answer for a batch. */
export function batchResultJson(cm: CompiledModel, model: string, results: ScoreResult[]): string {
  const f = fragments(cm);
  const parts = new Array<string>(results.length);
  for (let i = 0; i < results.length; i++) parts[i] = `{${members(f, results[i])}}`;
  // One join makes a flat string; `+=` over a thousand results would leave a rope to flatten.
  return `{"model":${asciiJson(model)},"results":[${parts.join(',')}]}`;
}
