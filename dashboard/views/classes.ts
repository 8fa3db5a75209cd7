// Multi-class targets (one-vs-rest heads, e.g. a plan or a segment label the
// business supplies) when a model has them. Older models and scorers have
// none, so everything here is read defensively from plain data.
import { humanise } from '../format.ts';

export interface ClassHeadInfo {
  name: string;
  label: string;
  classes: string[];
  test?: {
    rows: number;
    accuracy: number;
    macroF1: number;
    perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
    confusion: number[][];
  };
}

export interface ClassResult {
  name: string;
  label: string;
  predicted: string;
  /** [class, probability], most probable first. */
  probabilities: [string, number][];
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** The model's multi-class heads, if any. */
export function classHeads(model: object): ClassHeadInfo[] {
  const raw = (model as { classifiers?: unknown }).classifiers;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((h): ClassHeadInfo[] => {
    if (!h || typeof h.name !== 'string' || !isStrings(h.classes)) return [];
    const test = h.metrics?.test;
    const usable = test && typeof test.accuracy === 'number' && Array.isArray(test.confusion);
    return [
      {
        name: h.name,
        label: typeof h.label === 'string' && h.label.trim() ? h.label : humanise(h.name),
        classes: h.classes,
        test: usable ? test : undefined,
      },
    ];
  });
}

/** The class probabilities a scorer returned (`result.classes`), labelled and sorted. */
export function classResults(model: object, result: object): ClassResult[] {
  const scored =
    (result as { classes?: Record<string, { label?: unknown; probabilities?: Record<string, number> }> }).classes ?? {};
  return classHeads(model).flatMap((h): ClassResult[] => {
    const s = scored[h.name];
    if (!s?.probabilities) return [];
    const probabilities = Object.entries(s.probabilities).sort((a, b) => b[1] - a[1]);
    return [
      {
        name: h.name,
        label: h.label,
        predicted: typeof s.label === 'string' ? s.label : (probabilities[0]?.[0] ?? ''),
        probabilities,
      },
    ];
  });
}
