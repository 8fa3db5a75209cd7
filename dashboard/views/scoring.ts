// Scores what the form posted and gathers everything the result shows:
// segment, probabilities with their drivers, the map point, and every
// problem or warning keyed by the field it concerns (in the API's words).
import { createScorer, type CompiledModel, type Segment, type Tally } from '../../model/index.ts';
import { humanise } from '../format.ts';
import { allDrivers, topDrivers, type Driver } from './drivers.ts';
import { classResults, type ClassResult } from './classes.ts';

export interface TargetView {
  name: string;
  label: string;
  positive: string;
  p: number;
  threshold: number;
  up: Driver[];
  down: Driver[];
}

export interface ScoreView {
  segment: Segment;
  targets: TargetView[];
  /** Multi-class targets, when the model has any. */
  classes: ClassResult[];
  point: [number, number];
}

export interface FieldNotes {
  /** field → reasons the value was refused (same words as the API's 400). */
  errors: Record<string, string[]>;
  /** field → what was done instead (imputed, unseen level, out of range). */
  warnings: Record<string, string[]>;
}

export type FormOutcome =
  | { ok: true; view: ScoreView; notes: FieldNotes; values: Record<string, string> }
  | { ok: false; notes: FieldNotes; values: Record<string, string> };

export const segmentById = (segments: Segment[], id: number) => segments.find((s) => s.id === id) ?? segments[id];

/** What a target head is called on screen: its label if the model carries one, else its name in words. */
export const targetLabel = (t: { name: string; label?: string }) => t.label?.trim() || humanise(t.name);

/** Keeps only the model's inputs from a form post, as text. */
export function formValues(cm: CompiledModel, form: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of cm.inputNames) {
    const v = form.get(name);
    if (v !== null) values[name] = v.slice(0, 200);
  }
  return values;
}

/** Scores a form's values; the record is counted in `tally` when given (live monitoring). */
export function scoreForm(cm: CompiledModel, values: Record<string, string>, tally: Tally | null = null): FormOutcome {
  const scorer = createScorer(cm);
  const { problems, warnings } = scorer.readRecord(values, { text: true, ignoreUnknown: true });
  const notes: FieldNotes = { errors: {}, warnings: {} };
  for (const p of problems ?? []) (notes.errors[p.field] ??= []).push(p.reason);
  for (const w of warnings) (notes.warnings[w.field] ??= []).push(w.message);
  if (problems) return { ok: false, notes, values };

  const result = scorer.scoreValues(warnings);
  tally?.add(scorer.values, result.segment.id, scorer.probs, warnings);
  const model = cm.model;
  // Drivers explain the values this scorer read.
  const targets = model.targets.map(
    (t, h): TargetView => ({
      name: t.name,
      label: targetLabel(t),
      positive: t.positive,
      p: result.scores[t.name],
      threshold: t.threshold,
      ...topDrivers(allDrivers(scorer, h)),
    }),
  );
  return {
    ok: true,
    notes,
    values,
    view: {
      segment: segmentById(model.segmentation.segments, result.segment.id),
      targets,
      classes: classResults(model, result),
      point: result.projection,
    },
  };
}
