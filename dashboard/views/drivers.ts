// "What pushed this probability up or down": the logistic head's per-input
// contributions to the log-odds (relative to the average training customer),
// described in raw units — the customer's value next to a typical one.
// Explains the values a scorer last read.
import type { CategoryInput, Scorer } from '../../model/index.ts';
import { fmtNumber, humanise } from '../format.ts';
import { inputLabel } from './fields.ts';

export interface Driver {
  /** Input name, or the derived feature's name. */
  key: string;
  label: string;
  /** The customer's value as used for scoring (after imputation). */
  value: string;
  /** What it is compared with: the average training customer (for a category, the average mix of levels). */
  typical: string;
  /** Contribution to the log-odds; the odds are multiplied by exp(logit). */
  logit: number;
}

/** Every input's (and derived feature's) contribution, largest effect first. */
export function allDrivers(scorer: Scorer, headIndex: number): Driver[] {
  const { cm, values } = scorer;
  const model = cm.model;
  const population = model.segmentation.population;
  const described = new Map<string, { label: string; value: string; typical: string }>();
  const x = scorer.encode();
  let col = 0;
  for (const f of model.features) {
    if (f.kind === 'numeric' && f.expr !== undefined) {
      // A derived value is only stored encoded; undo the standardisation.
      described.set(f.name, {
        label: humanise(f.name),
        value: fmtNumber(x[col] * f.std + f.mean),
        typical: fmtNumber(f.mean),
      });
      col += 1;
      continue;
    }
    const i = cm.inputIndex.get(f.input!)!;
    const input = model.inputs[i];
    if (input.type === 'number') {
      described.set(input.name, {
        label: inputLabel(input),
        value: fmtNumber(values[i]),
        typical: fmtNumber(population.means[i] ?? input.impute),
      });
    } else {
      const level = values[i];
      described.set(input.name, {
        label: inputLabel(input),
        value: level >= 0 ? (input as CategoryInput).levels[level] : 'not seen in training',
        typical: 'the average mix',
      });
    }
    col += f.kind === 'onehot' ? (input as CategoryInput).levels.length : 1;
  }
  return scorer
    .contributions(headIndex)
    .map(({ input, logit }) => ({
      key: input,
      logit,
      ...(described.get(input) ?? { label: humanise(input), value: '', typical: '' }),
    }))
    .sort((a, b) => Math.abs(b.logit) - Math.abs(a.logit));
}

/** The strongest pushes up and down (ignoring the negligible ones). */
export function topDrivers(drivers: Driver[], perSide = 3, minLogit = 0.01): { up: Driver[]; down: Driver[] } {
  return {
    up: drivers.filter((d) => d.logit >= minLogit).slice(0, perSide),
    down: drivers.filter((d) => d.logit <= -minLogit).slice(0, perSide),
  };
}
