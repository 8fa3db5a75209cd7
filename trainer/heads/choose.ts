// The model of a binary head, per the target's "model" setting: "logistic",
// "boosted", or "auto" (the default), which cross-validates both on the same
// stratified folds and ships boosted trees only when their out-of-fold
// ROC-AUC beats logistic regression's by at least MIN_GAIN: the interpretable
// model wins ties and near-ties.
import type { HeadChoice, TargetHead } from '../../model/index.ts';
import type { TreeData } from '../estimators/boosting/boost.ts';
import { rocAuc } from '../estimators/metrics.ts';
import { roundTo } from '../round.ts';
import { type BinaryHeadInput, type BinaryHeadReport, fitBinaryHead } from './binary.ts';
import { fitBoostedHead } from './boosted.ts';

/** The out-of-fold ROC-AUC margin boosted trees need over logistic regression to ship. */
export const MIN_GAIN = 0.005;

export interface ChosenHeadInput extends BinaryHeadInput {
  /** The rows as trees read them; the training and held-out rows' indices into its columns. */
  trees: () => TreeData;
  rowsTr: Uint32Array;
  rowsTe: Uint32Array;
}

export function fitChosenHead(input: ChosenHeadInput): { head: TargetHead; report: BinaryHeadReport } {
  const mode = input.config.model ?? 'auto';
  const boostedInput = () => ({ ...input, data: input.trees() });
  if (mode === 'logistic') return fitBinaryHead(input);
  if (mode === 'boosted') return fitBoostedHead(boostedInput());
  const progress = input.onProgress ?? (() => {});
  const logistic = fitBinaryHead({ ...input, onProgress: (done, total) => progress(done, 2 * total) });
  const boosted = fitBoostedHead({
    ...boostedInput(),
    onProgress: (done, total) => progress(total + done, 2 * total),
  });
  // Too few rows of a class to cross-validate: nothing to compare, the interpretable model ships.
  if (!logistic.oof || !boosted.oof) return logistic;
  const cvRocAuc = {
    logistic: roundTo(rocAuc(input.ytr, logistic.oof), 4),
    boosted: roundTo(rocAuc(input.ytr, boosted.oof), 4),
  };
  // On the rounded figures, the ones the report and dashboard show.
  const chosen = roundTo(cvRocAuc.boosted - cvRocAuc.logistic, 4) >= MIN_GAIN ? 'boosted' : 'logistic';
  const choice: HeadChoice = { cvRocAuc, minGain: MIN_GAIN, folds: logistic.report.cv?.folds ?? 0, chosen };
  const pick = chosen === 'boosted' ? boosted : logistic;
  return { head: { ...pick.head, choice }, report: pick.report };
}
