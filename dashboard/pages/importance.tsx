// A boosted head's global importance on the model page: each input's mean
// |contribution| to the log-odds over held-out rows (the same reasons a
// scored customer gets), largest first. Absent for heads without it.
import type { TargetHead } from '../../model/index.ts';
import { SignedBarChart } from '../charts/signed-bars.tsx';
import { fmtCount, humanise } from '../format.ts';

/** How many inputs the chart shows at most. */
export const IMPORTANCE_SHOWN = 15;

export function Importance(props: { t: TargetHead; index: number }) {
  const imp = props.t.importance;
  if (!imp?.inputs.length) return null;
  const items = imp.inputs.slice(0, IMPORTANCE_SHOWN).map((e) => ({ label: humanise(e.input), value: e.meanAbs }));
  return (
    <figure class="importance" data-chart="importance">
      <SignedBarChart id={`importance-${props.index}`} title="What matters most to this prediction" items={items} />
      <figcaption>
        Importance: each input's average effect on the log-odds, whichever way it pushed, over {fmtCount(imp.rows)}{' '}
        held-out customers (the same contributions a scored customer's "pushed it up / down" shows).
      </figcaption>
    </figure>
  );
}
