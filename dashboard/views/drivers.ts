// "What pushed this probability up or down": the head's exact reasons (the
// API's `reasons`: linear terms against the average training customer for a
// logistic head, TreeSHAP values for a boosted one), each described in raw
// units — the customer's value next to a typical one. Explains the values a
// scorer last read.
import { headReason, type Scorer } from '../../model/index.ts';
import { fmtNumber, humanise } from '../format.ts';
import { inputLabel } from './fields.ts';

export interface Driver {
  /** Input name, or the derived feature's name. */
  key: string;
  label: string;
  /** The customer's value as used for scoring (after imputation for a logistic head). */
  value: string;
  /** What it is compared with: the average training customer (for a category, the average mix of levels). */
  typical: string;
  /** Contribution to the log-odds; the odds are multiplied by exp(logit). */
  logit: number;
}

/** Every input's (and derived feature's) contribution, largest effect first (the order of `reasons`). */
export function allDrivers(scorer: Scorer, headIndex: number): Driver[] {
  const { cm } = scorer;
  const model = cm.model;
  const population = model.segmentation.population;
  return headReason(scorer, headIndex).contributions.map(({ input: key, value, contribution: logit }) => {
    const i = cm.inputIndex.get(key);
    if (i === undefined) {
      // A derived feature: its value computed from the inputs, against its training mean.
      const f = model.features.find((g) => g.name === key) as { mean: number } | undefined;
      const shown = typeof value === 'number' ? fmtNumber(value) : '';
      return { key, logit, label: humanise(key), value: shown, typical: f ? fmtNumber(f.mean) : '' };
    }
    const input = model.inputs[i];
    if (input.type === 'number') {
      const shown = typeof value === 'number' ? fmtNumber(value) : 'missing';
      return {
        key,
        logit,
        label: inputLabel(input),
        value: shown,
        typical: fmtNumber(population.means[i] ?? input.impute),
      };
    }
    const shown = typeof value === 'string' ? value : 'not seen in training';
    return { key, logit, label: inputLabel(input), value: shown, typical: 'the average mix' };
  });
}

/** The strongest pushes up and down (ignoring the negligible ones). */
export function topDrivers(drivers: Driver[], perSide = 3, minLogit = 0.01): { up: Driver[]; down: Driver[] } {
  return {
    up: drivers.filter((d) => d.logit >= minLogit).slice(0, perSide),
    down: drivers.filter((d) => d.logit <= -minLogit).slice(0, perSide),
  };
}
