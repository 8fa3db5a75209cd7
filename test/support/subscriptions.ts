// A second, unrelated public-style dataset for the dashboard's "any model"
// check: SaaS subscriptions with other columns, kinds and target than the
// bundled customers sample (plan, seats, monthly_spend, … → churned). Made
// from a fixed seed, so the model trained on it is the same every run.
import { writeFileSync } from 'node:fs';
import { Rng } from '../../trainer/estimators/rng.ts';
import { trainFile } from './sample-model.ts';
import type { TrainConfig } from '../../trainer/config.ts';
import type { Model } from '../../model/index.ts';

export const SUBSCRIPTION_HEADER = [
  'account',
  'plan',
  'seats',
  'monthly_spend',
  'support_tickets',
  'country',
  'annual_billing',
  'churned',
];

const PLANS = ['Starter', 'Team', 'Business'];
const COUNTRIES = ['DE', 'FR', 'UK', 'US'];

export function subscriptionsCsv(rows = 900, seed = 11): string {
  const rng = new Rng(seed);
  const lines = [SUBSCRIPTION_HEADER.join(',')];
  for (let i = 0; i < rows; i++) {
    // Three kinds of account: small self-serve, growing teams, large contracts.
    const kind = rng.next() < 0.45 ? 0 : rng.next() < 0.6 ? 1 : 2;
    const plan = PLANS[Math.min(2, Math.max(0, kind + (rng.next() < 0.15 ? (rng.next() < 0.5 ? -1 : 1) : 0)))];
    const seats = Math.max(1, Math.round([2, 12, 80][kind] * Math.exp(0.35 * rng.normal())));
    const spend = Math.max(5, seats * [9, 14, 21][kind] * Math.exp(0.15 * rng.normal()));
    const tickets = Math.max(0, Math.round([0.5, 2, 6][kind] + 1.5 * rng.normal()));
    const country = COUNTRIES[rng.int(COUNTRIES.length)];
    const annual = rng.next() < [0.2, 0.45, 0.8][kind] ? 'yes' : 'no';
    const z = -0.4 - 0.7 * kind + 0.35 * tickets - (annual === 'yes' ? 1.2 : 0) + 0.3 * rng.normal();
    const churned = rng.next() < 1 / (1 + Math.exp(-z)) ? 'yes' : 'no';
    lines.push(
      [`A${String(i + 1).padStart(5, '0')}`, plan, seats, spend.toFixed(2), tickets, country, annual, churned].join(
        ',',
      ),
    );
  }
  return lines.join('\n') + '\n';
}

export const SUBSCRIPTIONS_CONFIG: TrainConfig = {
  id: 'account',
  targets: ['churned'],
  positive: { churned: 'yes' },
  columns: { plan: { kind: 'ordinal', levels: PLANS } },
  // Only some labels: the others must still read as words ("Support tickets").
  labels: { monthly_spend: 'Monthly spend (€)', annual_billing: 'Billed yearly' },
};

export async function trainSubscriptions(file: string): Promise<Model> {
  writeFileSync(file, subscriptionsCsv());
  return trainFile(file, SUBSCRIPTIONS_CONFIG, { seed: 5, kRange: [2, 6] });
}
