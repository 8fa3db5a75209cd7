// POST /v1/score — one record, or `{ "records": [...] }` (up to 1,000), scored
// with the active model. Bad input is a 400 naming every field at fault.
import {
  explainTableToJson,
  explainToJson,
  scoreTableToJson,
  scoreToJson,
  scorerFor,
  type RecordProblem,
  type CompiledModel,
  type Tally,
} from '../../model/index.ts';
import { explainOf } from '../explain.ts';
import forestModule from '../records-wasm/forest.wasm';
import readerModule from '../records-wasm/reader.wasm';
import writerModule from '../records-wasm/writer.wasm';
import { ForestWalk } from '../records-wasm/forest.ts';
import { RecordsReader } from '../records-wasm/reader.ts';
import { AnswerWriter } from '../records-wasm/writer.ts';
import { jsonTypeProblem, parseJson, readBytes } from '../body.ts';
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { invalidInput, noModel, problemResponse, type InvalidParam } from '../problem.ts';
import { currentModel } from './model-middleware.ts';
import { unauthorized } from '../auth.ts';
import { identifyAndLimit } from '../rate-limit.ts';
import { jsonAnswer } from '../api-headers.ts';
import { visitOfAnswer, withMembers } from '../experiments/answer.ts';
import { experimentMembers } from '../experiments/visit.ts';
import { visitorProblem } from '../experiments/visitor.ts';
import { counted, executionContext, requestTally } from '../monitor/count.ts';
import { receiptsOff, receiptWanted, withReceipts } from '../receipt-answer.ts';

export const MAX_BATCH = 1000;

/** The batch reader and answer writer, made on the first keyed batch of an isolate; the forest walk on the first with boosted heads. */
let reader: RecordsReader | null = null;
let writer: AnswerWriter | null = null;
let forests: ForestWalk | null = null;

/**
 * A batch of records or a table scored from its bytes into the answer's
 * bytes, without an object or a string per record; null for anything else (a
 * single record, a record with a problem to name), and for the reader or
 * writer failing in any way, so the ordinary reading answers instead of a 500.
 */
function scoreRecordBytes(
  cm: CompiledModel,
  version: string,
  bytes: Uint8Array,
  tally: Tally | null,
): Uint8Array<ArrayBuffer> | null {
  try {
    const batch = (reader ??= new RecordsReader(readerModule)).read(cm, bytes, MAX_BATCH);
    if (batch === null) return null;
    const walk = cm.boosted.length ? (forests ??= new ForestWalk(forestModule)) : null;
    return (writer ??= new AnswerWriter(writerModule)).write(scorerFor(cm), version, batch, tally, walk);
  } catch (e) {
    console.error(
      'POST /v1/score: the batch reader, writer or forest walk failed; reading the body the ordinary way:',
      e,
    );
    reader = null;
    writer = null;
    forests = null;
    return null;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export type ScoreBody =
  | { kind: 'single'; record: Record<string, unknown> }
  | { kind: 'batch'; records: Record<string, unknown>[] }
  | { kind: 'table'; columns: string[]; data: unknown[][] };

/** Is this body a batch (either form), which needs an API key? */
export const isBatchBody = (body: unknown): boolean => isPlainObject(body) && ('records' in body || isTableBody(body));

/** `{ "columns": [...], "data": [[...], ...] }` — pandas' `to_json(orient="split", index=False)`. */
const isTableBody = (body: Record<string, unknown>) => Array.isArray(body.columns) && 'data' in body;

/** Checks a batch's size: at least one record, at most MAX_BATCH. */
function sizeErrors(name: string, length: number): InvalidParam[] {
  if (length === 0) return [{ name, reason: 'must hold at least one record' }];
  if (length > MAX_BATCH) return [{ name, reason: `holds ${length} records; at most ${MAX_BATCH} per request` }];
  return [];
}

/** Tells a single record from a batch (records, or a table of rows) and checks the batch's shape. */
export function classifyBody(
  body: unknown,
  inputs: { has(name: string): boolean },
): { ok: true; body: ScoreBody } | { ok: false; errors: InvalidParam[] } {
  if (!isPlainObject(body))
    return {
      ok: false,
      errors: [
        {
          name: 'body',
          reason: 'must be a JSON object of field values, { "records": [...] } or { "columns": [...], "data": [...] }',
        },
      ],
    };
  if (isTableBody(body)) return classifyTable(body, inputs);
  if (!('records' in body)) return { ok: true, body: { kind: 'single', record: body } };
  const extra = Object.keys(body).filter((k) => k !== 'records');
  const errors: InvalidParam[] = extra.map((name) => ({ name, reason: 'unknown field beside "records"' }));
  const records = body.records;
  if (!Array.isArray(records))
    return { ok: false, errors: [...errors, { name: 'records', reason: 'must be an array of records' }] };
  errors.push(...sizeErrors('records', records.length));
  if (errors.length) return { ok: false, errors };
  records.forEach((r, i) => {
    if (!isPlainObject(r)) errors.push({ name: `records[${i}]`, reason: 'must be an object of field values' });
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, body: { kind: 'batch', records: records as Record<string, unknown>[] } };
}

function classifyTable(
  body: Record<string, unknown>,
  inputs: { has(name: string): boolean },
): { ok: true; body: ScoreBody } | { ok: false; errors: InvalidParam[] } {
  const errors: InvalidParam[] = Object.keys(body)
    .filter((k) => k !== 'columns' && k !== 'data' && k !== 'index')
    .map((name) => ({ name, reason: 'unknown field beside "columns" and "data"' }));
  const columns = body.columns as unknown[];
  const seen = new Set<string>();
  columns.forEach((c, j) => {
    if (typeof c !== 'string') errors.push({ name: `columns[${j}]`, reason: 'must be a field name' });
    else if (!inputs.has(c)) errors.push({ name: `columns[${j}]`, reason: `unknown field "${c.slice(0, 60)}"` });
    else if (seen.has(c)) errors.push({ name: `columns[${j}]`, reason: `"${c}" is named twice` });
    else seen.add(c);
  });
  if (columns.length === 0) errors.push({ name: 'columns', reason: 'must name at least one field' });
  const data = body.data;
  if (!Array.isArray(data))
    return { ok: false, errors: [...errors, { name: 'data', reason: 'must be an array of rows' }] };
  errors.push(...sizeErrors('data', data.length));
  if (errors.length) return { ok: false, errors };
  data.forEach((row, i) => {
    if (!Array.isArray(row))
      errors.push({ name: `data[${i}]`, reason: 'must be an array of values in the order of "columns"' });
    else if (row.length !== columns.length)
      errors.push({ name: `data[${i}]`, reason: `holds ${row.length} values; "columns" names ${columns.length}` });
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, body: { kind: 'table', columns: columns as string[], data: data as unknown[][] } };
}

/** `?visitor=` for one record (a batch has no single visitor); a query string is rare, so it is parsed only when present. */
function visitorOf(url: string): { id: string | null; problem?: string } {
  const q = url.indexOf('?');
  if (q < 0) return { id: null };
  const id = new URLSearchParams(url.slice(q + 1)).getAll('visitor');
  if (id.length === 0) return { id: null };
  if (id.length > 1) return { id: null, problem: 'must be given once' };
  const problem = visitorProblem(id[0]);
  return problem ? { id: null, problem } : { id: id[0] };
}

export const scoreRoutes = new Hono<AppEnv>();

/**
 * POST /v1/score, through the same router and answer headers as the rest of
 * the API; the caller's rate limit and the model are checked first. Single records
 * are public (limited per client IP); a batch needs an API key (limited per
 * key). Answers are built whole with jsonAnswer, whose headers the response
 * middlewares then need not set one by one.
 */
scoreRoutes.post('/v1/score', async (c) => {
  const req = c.req.raw;
  // The caller's checks as calls rather than route middlewares: a route with one handler is
  // dispatched straight to it, without composing a chain per request.
  const caller = await identifyAndLimit(c.env, req);
  if (caller instanceof Response) return caller;
  const keyHash = caller.keyHash;
  // workerd makes a new string on every read of req.url: read it once.
  const url = req.url;
  // Read from the URL only when it has a query: the common request pays nothing for receipts.
  const receipt = url.includes('?') ? receiptWanted(c.req.query('receipt')) : false;
  if (typeof receipt === 'object') return problemResponse(receipt);
  const loaded = await currentModel(c);
  if (!loaded) return problemResponse(noModel());
  const type = jsonTypeProblem(req);
  if (type) return problemResponse(type);
  const bytes = await readBytes(req);
  if (!bytes.ok) return problemResponse(bytes.problem);
  // `?explain=true` takes the ordinary path below, which adds reasons; without it nothing changes.
  const explain = explainOf(url);
  if (explain !== true && explain !== false) return problemResponse(explain);
  const cm = loaded.compiled;
  const { env } = c;
  const visitor = visitorOf(url);
  if (keyHash && !receipt && !explain && visitor.id === null && visitor.problem === undefined) {
    const tally = requestTally(env, cm, loaded.version, true);
    const answer = scoreRecordBytes(cm, loaded.version, bytes.bytes, tally);
    if (answer !== null) {
      counted(env, executionContext(c), cm, loaded.version, 'batch', tally, tally?.records ?? 0);
      return jsonAnswer(c, answer);
    }
  }
  const body = parseJson(bytes.bytes);
  if (!body.ok) return problemResponse(body.problem);
  if (isBatchBody(body.value) && !keyHash) return unauthorized();
  if (visitor.problem) return problemResponse(invalidInput([{ name: 'visitor', reason: visitor.problem }]));
  if (visitor.id !== null && isBatchBody(body.value))
    return problemResponse(invalidInput([{ name: 'visitor', reason: 'applies to one record, not to a batch' }]));
  const shape = classifyBody(body.value, cm.inputIndex);
  if (!shape.ok) return problemResponse(invalidInput(shape.errors));
  const b = shape.body;
  const single = b.kind === 'single';
  const tally = requestTally(env, cm, loaded.version, !single);
  const scored =
    b.kind === 'table'
      ? (explain ? explainTableToJson : scoreTableToJson)(cm, loaded.version, b.columns, b.data, tally)
      : (explain ? explainToJson : scoreToJson)(cm, loaded.version, single ? [b.record] : b.records, !single, tally);
  if (!scored.ok) {
    const prefix =
      b.kind === 'single' ? () => '' : (p: RecordProblem) => `${b.kind === 'table' ? 'data' : 'records'}[${p.index}].`;
    return problemResponse(invalidInput(scored.problems.map((p) => ({ name: prefix(p) + p.field, reason: p.reason }))));
  }
  const records = single ? 1 : b.kind === 'table' ? b.data.length : b.records.length;
  counted(env, executionContext(c), cm, loaded.version, single ? 'single' : 'batch', tally, records);
  let json = scored.json;
  if (visitor.id !== null) {
    const members = await experimentMembers(c, visitOfAnswer(json), visitor.id);
    if (members) json = withMembers(json, members);
    // An experiment's answer carries its receipt already, asked for or not.
    if (members?.receipt) return jsonAnswer(c, json);
  }
  if (!receipt) return jsonAnswer(c, json);
  const signed = await withReceipts(json, env.RECEIPT_SECRET, Date.now());
  return signed === null ? problemResponse(receiptsOff()) : jsonAnswer(c, signed);
});
