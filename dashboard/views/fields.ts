// The score form, described from the model's input schema: one field per
// input, with its plain-words label, the training range and a step for
// numbers, the levels for categories. Pure data; pages/score.tsx renders it.
import type { InputField } from '../../model/index.ts';
import { decimals, fmtNumber, humanise } from '../format.ts';

export interface NumberField {
  kind: 'number';
  name: string;
  label: string;
  min: number;
  max: number;
  step: string;
  /** Pre-filled value: the training median, at the field's precision. */
  typical: string;
  hint: string;
}

export interface SelectField {
  kind: 'select';
  name: string;
  label: string;
  options: string[];
  typical: string;
  ordinal: boolean;
  hint: string;
}

export type FormField = NumberField | SelectField;

/** What an input is called on screen: its configured label, else its name in words. */
export const inputLabel = (f: { name: string; label?: string }) => f.label?.trim() || humanise(f.name);

/** The precision the training range is written with, as an `<input step>` (2 decimals → "0.01"). */
export function stepFor(min: number, max: number): string {
  const d = Math.min(3, Math.max(decimals(min), decimals(max)));
  return d === 0 ? '1' : (10 ** -d).toFixed(d);
}

export function formFields(inputs: InputField[]): FormField[] {
  return inputs.map((f): FormField => {
    if (f.type === 'number') {
      const step = stepFor(f.min, f.max);
      const d = decimals(Number(step));
      return {
        kind: 'number',
        name: f.name,
        label: inputLabel(f),
        min: f.min,
        max: f.max,
        step,
        typical: String(Number(f.impute.toFixed(d))),
        hint: `Typical ${fmtNumber(f.impute)} · seen in training: ${fmtNumber(f.min)} to ${fmtNumber(f.max)}`,
      };
    }
    return {
      kind: 'select',
      name: f.name,
      label: inputLabel(f),
      options: f.levels,
      typical: f.impute,
      ordinal: f.ordinal === true,
      hint: f.ordinal ? `From lowest to highest: ${f.levels.join(', ')}` : `Most common: ${f.impute}`,
    };
  });
}
