// The `experiment` member of a scoring answer, added to the answer's text as
// written by the model's JSON writer (model/io/score-json.ts), so an answer
// without a visitor stays byte for byte what it was.
/** `{"model":"…","segment":{"id":N` — how score-json.ts starts a single record's answer. */
const SEGMENT_ID = /^\{"model":"[^"]*","segment":\{"id":(\d+)/;

/** The segment id of a single record's answer text. */
export function segmentIdOfAnswer(json: string): number {
  const m = SEGMENT_ID.exec(json);
  if (!m) throw new Error('not a single-record answer');
  return Number(m[1]);
}

/** The answer text with `members` (the experiment, a receipt) added at its end. */
export function withMembers(json: string, members: Record<string, unknown>): string {
  let tail = '';
  for (const [name, value] of Object.entries(members)) tail += `,${JSON.stringify(name)}:${JSON.stringify(value)}`;
  return json.slice(0, -1) + tail + '}';
}
