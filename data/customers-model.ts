// The generating model of the bundled customer table: its schema, the five
// personas (a correlated Gaussian in the numeric columns plus persona-specific
// category mixes), the known logistic purchase model, and the draw of one
// customer from a seeded stream. data/generate.ts formats and writes what this
// draws; the tests and the bench draw from it directly.
import type { Rng } from '../trainer/estimators/rng.ts';
// ---------------------------------------------------------------------------
// Schema

export const HEADER = [
  'customer_id',
  'age',
  'annual_income',
  'spending_score',
  'visits_per_month',
  'avg_basket',
  'tenure_months',
  'region',
  'channel',
  'loyalty_tier',
  'purchased',
] as const;

export const TRUTH_HEADER = ['customer_id', 'true_segment', 'p_purchase'] as const;

export const REGIONS = ['North', 'South', 'East', 'West'] as const;
export const CHANNELS = ['web', 'app', 'store'] as const;
export const LOYALTY_TIERS = ['Bronze', 'Silver', 'Gold', 'Platinum'] as const;

/** Numeric columns, in the order of every numeric vector below. */
export const NUMERIC = [
  'age',
  'annual_income',
  'spending_score',
  'visits_per_month',
  'avg_basket',
  'tenure_months',
] as const;
export const AGE = 0;
export const INCOME = 1;
export const SCORE = 2;
export const VISITS = 3;
export const BASKET = 4;
export const TENURE = 5;
/** How many numeric columns a customer has. */
export const NUMERIC_COUNT = NUMERIC.length;
const P = NUMERIC_COUNT;

export const DEFAULTS = { rows: 2000, seed: 7, out: 'data/customers.csv', truth: 'data/customers.truth.csv' };

// ---------------------------------------------------------------------------
// Personas (the true segments). Means are several within-persona standard
// deviations apart on at least two columns each, and every persona leans on a
// different channel/region/tier, so k-means on the scaled + one-hot encoding
// recovers them almost perfectly.

export interface Persona {
  name: string;
  share: number;
  /** Means and standard deviations, in NUMERIC order, raw units. */
  mean: readonly number[];
  sd: readonly number[];
  /** Category mixes, in REGIONS / CHANNELS / LOYALTY_TIERS order. */
  region: readonly number[];
  channel: readonly number[];
  loyalty: readonly number[];
}

export const PERSONAS: readonly Persona[] = [
  {
    name: 'Young high spenders',
    share: 0.3,
    //     age  income score visits basket tenure
    mean: [25, 56, 85, 10.0, 58, 12],
    sd: [3.5, 8, 5, 1.3, 8, 5],
    region: [0.05, 0.1, 0.15, 0.7],
    channel: [0.1, 0.85, 0.05],
    loyalty: [0.2, 0.7, 0.1, 0.0],
  },
  {
    name: 'Affluent savers',
    share: 0.25,
    mean: [52, 138, 22, 2.6, 120, 60],
    sd: [5, 13, 5, 0.6, 13, 12],
    region: [0.7, 0.05, 0.2, 0.05],
    channel: [0.8, 0.05, 0.15],
    loyalty: [0.0, 0.1, 0.75, 0.15],
  },
  {
    name: 'Budget families',
    share: 0.2,
    mean: [41, 40, 45, 5.5, 95, 34],
    sd: [4, 6, 5, 0.9, 10, 8],
    region: [0.05, 0.7, 0.1, 0.15],
    channel: [0.05, 0.1, 0.85],
    loyalty: [0.15, 0.75, 0.1, 0.0],
  },
  {
    name: 'Loyal regulars',
    share: 0.15,
    mean: [63, 72, 62, 14.5, 40, 115],
    sd: [5, 8, 5, 1.6, 6, 14],
    region: [0.15, 0.2, 0.55, 0.1],
    channel: [0.05, 0.1, 0.85],
    loyalty: [0.0, 0.0, 0.25, 0.75],
  },
  {
    name: 'Occasional browsers',
    share: 0.1,
    mean: [33, 62, 12, 1.0, 20, 4],
    sd: [6, 10, 4, 0.4, 6, 3],
    region: [0.25, 0.25, 0.3, 0.2],
    channel: [0.9, 0.08, 0.02],
    loyalty: [0.92, 0.08, 0.0, 0.0],
  },
];

/**
 * Within-persona correlation of the numeric columns (NUMERIC order): richer
 * customers buy bigger baskets, frequent visitors score higher, older ones
 * have been customers for longer.
 */
export const CORRELATION: readonly (readonly number[])[] = [
  //  age  inc  score visits basket tenure
  [1.0, 0.2, 0.0, 0.0, 0.0, 0.3],
  [0.2, 1.0, 0.0, 0.0, 0.5, 0.0],
  [0.0, 0.0, 1.0, 0.4, 0.0, 0.0],
  [0.0, 0.0, 0.4, 1.0, 0.0, 0.1],
  [0.0, 0.5, 0.0, 0.0, 1.0, 0.0],
  [0.3, 0.0, 0.0, 0.1, 0.0, 1.0],
];

/** Plausible ranges: draws are clamped so no row looks impossible. */
const MIN = [18, 8, 1, 0.1, 3, 0];
const MAX = [90, 400, 100, 40, 600, 240];

// ---------------------------------------------------------------------------
// The generating purchase model: logit = INTERCEPT + Σ COEF·z + category
// effects, where z = (x − CENTER) / SCALE. CENTER and SCALE are fixed
// constants (close to the population mean and sd), not estimated from the
// drawn rows, so each row's probability depends on that row alone.

export const CENTER = [41, 76, 51, 7.0, 74, 43];
export const SCALE = [14, 38, 28, 4.6, 35, 37];

export const INTERCEPT = -1.6;
/** Per standardised numeric column, NUMERIC order. */
export const COEF = [-0.35, 0.3, 1.1, 0.55, 0.25, 0.2];
/** Added per loyalty tier step (Bronze = 0 … Platinum = 3). */
export const COEF_LOYALTY_STEP = 0.3;
/** Category effects, in CHANNELS / REGIONS order. */
export const COEF_CHANNEL = [-0.3, 0.45, 0.0];
export const COEF_REGION = [0.0, -0.15, 0.1, 0.05];

// ---------------------------------------------------------------------------
// Sampling

/** One drawn customer, in raw (already rounded) units; reused between rows. */
export interface Draft {
  segment: number;
  x: Float64Array;
  region: number;
  channel: number;
  loyalty: number;
  p: number;
  purchased: boolean;
}

/** Lower-triangular Cholesky factor of a symmetric positive-definite matrix. */
export function cholesky(m: readonly (readonly number[])[]): Float64Array[] {
  const n = m.length;
  const l = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (s <= 0) throw new Error('correlation matrix is not positive definite');
        l[i][i] = Math.sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  }
  return l;
}

/** Cumulative sums, so a categorical draw is one uniform and a scan. */
function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w / total;
    out[i] = acc;
  });
  out[out.length - 1] = 1; // guard against rounding leaving a gap at the top
  return out;
}

function pick(cdf: Float64Array, u: number): number {
  let i = 0;
  while (u >= cdf[i]) i++;
  return i;
}

const round = (v: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/** Decimals each numeric column is written with. */
const DIGITS = [0, 1, 0, 1, 2, 0];

/** The generating model's probability of a purchase for one drafted row. */
export function purchaseProbability(x: ArrayLike<number>, region: number, channel: number, loyalty: number): number {
  let logit = INTERCEPT + COEF_LOYALTY_STEP * loyalty + COEF_CHANNEL[channel] + COEF_REGION[region];
  for (let j = 0; j < P; j++) logit += (COEF[j] * (x[j] - CENTER[j])) / SCALE[j];
  return 1 / (1 + Math.exp(-logit));
}

/** Precomputed tables so drawing a row does no allocation. */
const SEGMENT_CDF = cumulative(PERSONAS.map((p) => p.share));
const REGION_CDF = PERSONAS.map((p) => cumulative(p.region));
const CHANNEL_CDF = PERSONAS.map((p) => cumulative(p.channel));
const LOYALTY_CDF = PERSONAS.map((p) => cumulative(p.loyalty));
const CHOL = cholesky(CORRELATION);

/**
 * Draw one customer into `d`. The order of random draws is part of the
 * output format: changing it changes every file, so keep it stable.
 */
export function drawCustomer(rng: Rng, d: Draft, z: Float64Array): Draft {
  const s = pick(SEGMENT_CDF, rng.next());
  const persona = PERSONAS[s];
  for (let j = 0; j < P; j++) z[j] = rng.normal();
  for (let i = 0; i < P; i++) {
    const li = CHOL[i];
    let c = 0;
    for (let k = 0; k <= i; k++) c += li[k] * z[k];
    const raw = persona.mean[i] + persona.sd[i] * c;
    // Round before the purchase model sees it, so p depends only on what is written.
    d.x[i] = round(clamp(raw, MIN[i], MAX[i]), DIGITS[i]);
  }
  d.segment = s;
  d.region = pick(REGION_CDF[s], rng.next());
  d.channel = pick(CHANNEL_CDF[s], rng.next());
  d.loyalty = pick(LOYALTY_CDF[s], rng.next());
  d.p = purchaseProbability(d.x, d.region, d.channel, d.loyalty);
  d.purchased = rng.next() < d.p;
  return d;
}

export function newDraft(): Draft {
  return { segment: 0, x: new Float64Array(P), region: 0, channel: 0, loyalty: 0, p: 0, purchased: false };
}
