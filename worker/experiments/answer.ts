// The `experiment` member of a scoring answer, added to the answer's text as
// written by the model's JSON writer (model/io/score-json.ts), so an answer
// without a visitor stays byte for byte what it was.
import type { ScoredVisit } from './visit.ts';

/** What a receipt needs from a single record's answer text (parsed only for visitors in an experiment). */
export function visitOfAnswer(json: string): ScoredVisit {
  const answer = JSON.parse(json) as { model: string; segment: { id: number }; scores: Record<string, number> };
  return { model: answer.model, segment: answer.segment.id, scores: answer.scores };
}

/** The answer text with `members` (the experiment, a receipt) added at its end. */
export function withMembers(json: string, members: Record<string, unknown>): string {
  let tail = '';
  for (const [name, value] of Object.entries(members)) tail += `,${JSON.stringify(name)}:${JSON.stringify(value)}`;
  return json.slice(0, -1) + tail + '}';
}
