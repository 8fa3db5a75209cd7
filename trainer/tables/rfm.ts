// Order lines → one row of behaviour per customer: recency, frequency and
// monetary value (RFM), tenure, the share of value returned, and the share of
// spend in each of the largest categories. A line with a negative quantity
// (or value) is a return or cancellation: it takes value off the customer's
// spend and counts towards the return rate, but is not a purchase, so it
// neither makes the customer recent nor adds an order.

export interface Lines {
  /** Customer index per line, -1 = not a known customer. */
  customer: Int32Array;
  /** Day number (days since the epoch, fractional for a time of day). */
  day: Float64Array;
  /** Line value (quantity × price); negative for a return. */
  amount: Float64Array;
  /** Quantity, when known: a negative quantity marks a return even at price 0. */
  quantity?: Float64Array;
  /** Order id per line (-1 = none); without it an order is a purchase day. */
  order?: Int32Array;
  /** Category index per line (-1 = none), into `categories`. */
  category?: Int32Array;
  categories?: string[];
}

export interface RfmOptions {
  customers: number;
  /** Whole day number the features are computed "as of"; later lines are left out. */
  referenceDay: number;
  /** Categories given their own share, by gross spend (the rest are "other"). */
  topCategories?: number;
}

export interface RfmFeature {
  name: string;
  label: string;
  values: Float64Array;
}

export interface RfmStats {
  lines: number;
  purchases: number;
  returns: number;
  /** Lines skipped: no customer, no date or no value, or after the reference day. */
  skipped: { noCustomer: number; noDate: number; noValue: number; afterReference: number };
  customersWithPurchases: number;
  /** Customers whose returns exceed their purchases in the window (value floored at 0). */
  flooredMonetary: number;
  /** Categories with their own share column, largest first. */
  shareCategories: string[];
}

/** Order ids sit below DAY_BASE, day numbers above it; pair keys stay exact (< 2^53) up to 2^26 customers. */
const DAY_BASE = 2 ** 26;
const PAIR_SPACE = 2 ** 27;

/** `share_` column name for a category: lower-case words joined by underscores. */
export const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '') || 'blank';

export function aggregateRfm(lines: Lines, options: RfmOptions): { features: RfmFeature[]; stats: RfmStats } {
  const { customers: m, referenceDay } = options;
  const n = lines.customer.length;
  const first = new Float64Array(m).fill(Infinity);
  const last = new Float64Array(m).fill(-Infinity);
  const gross = new Float64Array(m);
  const returned = new Float64Array(m);
  const stats: RfmStats = {
    lines: n,
    purchases: 0,
    returns: 0,
    skipped: { noCustomer: 0, noDate: 0, noValue: 0, afterReference: 0 },
    customersWithPurchases: 0,
    flooredMonetary: 0,
    shareCategories: [],
  };
  const categories = lines.categories ?? [];
  const catSpend = new Float64Array(categories.length);
  // Orders: distinct (customer, order) pairs, or (customer, day) without order ids.
  const orders = new Set<number>();
  const ordersOf = new Float64Array(m);
  const keep = new Uint8Array(n);

  for (let i = 0; i < n; i++) {
    const c = lines.customer[i];
    const day = lines.day[i];
    const amount = lines.amount[i];
    if (c < 0) {
      stats.skipped.noCustomer++;
      continue;
    }
    if (Number.isNaN(day)) {
      stats.skipped.noDate++;
      continue;
    }
    if (Number.isNaN(amount)) {
      stats.skipped.noValue++;
      continue;
    }
    if (day >= referenceDay) {
      stats.skipped.afterReference++;
      continue;
    }
    keep[i] = 1;
    const isReturn = (lines.quantity && lines.quantity[i] < 0) || amount < 0;
    if (isReturn) {
      stats.returns++;
      returned[c] += Math.abs(amount);
      continue;
    }
    stats.purchases++;
    gross[c] += amount;
    if (day < first[c]) first[c] = day;
    if (day > last[c]) last[c] = day;
    // One number per (customer, order) pair; days live above the order ids so the two never collide.
    const order = lines.order && lines.order[i] >= 0 ? lines.order[i] : DAY_BASE + Math.floor(day);
    const key = c * PAIR_SPACE + order;
    if (!orders.has(key)) {
      orders.add(key);
      ordersOf[c]++;
    }
    const cat = lines.category ? lines.category[i] : -1;
    if (cat >= 0) catSpend[cat] += amount;
  }

  const recency = new Float64Array(m);
  const tenure = new Float64Array(m);
  const monetary = new Float64Array(m);
  const returnRate = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    const bought = last[c] > -Infinity;
    if (bought) stats.customersWithPurchases++;
    recency[c] = bought ? referenceDay - Math.floor(last[c]) : NaN;
    tenure[c] = bought ? referenceDay - Math.floor(first[c]) : NaN;
    const net = gross[c] - returned[c];
    if (net < 0) stats.flooredMonetary++;
    monetary[c] = Math.max(0, net);
    returnRate[c] = gross[c] > 0 ? Math.min(1, returned[c] / gross[c]) : NaN;
  }

  const features: RfmFeature[] = [
    { name: 'recency_days', label: 'Days since last purchase', values: recency },
    { name: 'frequency', label: 'Orders', values: ordersOf },
    { name: 'monetary', label: 'Net spend', values: monetary },
    { name: 'tenure_days', label: 'Days since first purchase', values: tenure },
    { name: 'return_rate', label: 'Share of value returned', values: returnRate },
  ];

  if (lines.category && categories.length > 0) {
    const top = options.topCategories ?? 8;
    const order = categories
      .map((_, i) => i)
      .filter((i) => catSpend[i] > 0)
      .sort((a, b) => catSpend[b] - catSpend[a] || (categories[a] < categories[b] ? -1 : 1));
    const own = order.slice(0, top);
    const hasOther = order.length > top;
    const column = new Int32Array(categories.length).fill(hasOther ? own.length : -1);
    own.forEach((cat, j) => {
      column[cat] = j;
    });
    const width = own.length + (hasOther ? 1 : 0);
    const spend = new Float64Array(m * width);
    const withCat = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      const cat = lines.category[i];
      const amount = lines.amount[i];
      if (cat < 0 || amount <= 0 || (lines.quantity && lines.quantity[i] < 0) || column[cat] < 0) continue;
      spend[lines.customer[i] * width + column[cat]] += amount;
      withCat[lines.customer[i]] += amount;
    }
    stats.shareCategories = own.map((i) => categories[i]);
    const names = [...own.map((i) => categories[i]), ...(hasOther ? ['other'] : [])];
    const used = new Set(features.map((f) => f.name));
    names.forEach((cat, j) => {
      let name = `share_${slug(cat)}`;
      while (used.has(name)) name += '_';
      used.add(name);
      features.push({
        name,
        label: `Share of spend: ${cat}`,
        values: Float64Array.from({ length: m }, (_, c) => (withCat[c] > 0 ? spend[c * width + j] / withCat[c] : NaN)),
      });
    });
  }
  return { features, stats };
}
