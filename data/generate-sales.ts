// Deterministic generator of a messy sales export split into three tables —
// data/sales/customers.csv, products.csv and orders.csv (one row per order
// line, returns as negative quantities) — plus data/sales/truth.csv, each
// customer's true persona, which is never given to the trainer.
//
// Four personas buy differently (how often, how much, which categories, how
// much they return, whether they stopped), and `churned` is drawn from a known
// logistic model of recency and frequency, so tests can check that joining,
// aggregating and segmenting recover the behaviour. About 6% of the cells of
// the value columns are then written the way real exports write them (see
// messy.ts): numbers as words or with currency symbols and thousands
// separators, category typos and case variants, dates in other formats,
// missing-value tokens, yes/no labels in every spelling, keys with stray
// spaces or written as floats, and a few order lines for unknown customers.
//
//   npx tsx data/generate-sales.ts [--customers N] [--seed S] [--dir DIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { csvLine } from '../model/index.ts';
import { Rng } from '../trainer/estimators/rng.ts';
import { MISSING_TOKENS, messyBoolean, messyLevel, messyNumber } from './messy.ts';

export const SALES_DEFAULTS = { customers: 600, seed: 11, dir: 'data/sales' };

/** Orders fall in 2023–2024; features are computed as of this day. */
export const REFERENCE_DATE = '2025-01-01';
const WINDOW_START = Date.UTC(2023, 0, 1) / 86_400_000;
const WINDOW_END = Date.UTC(2024, 11, 31) / 86_400_000;

/** Share of value cells written messily. */
export const MESS_RATE = 0.06;

export const CATEGORIES = ['Electronics', 'Home & Garden', 'Clothing', 'Grocery', 'Toys'] as const;
const PRICE_RANGE: Record<(typeof CATEGORIES)[number], [number, number]> = {
  Electronics: [40, 900],
  'Home & Garden': [12, 220],
  Clothing: [9, 130],
  Grocery: [2, 28],
  Toys: [7, 85],
};
const NOUNS: Record<(typeof CATEGORIES)[number], string[]> = {
  Electronics: ['Headphones', 'Speaker', 'Tablet', 'Charger', 'Camera', 'Monitor', 'Keyboard', 'Router'],
  'Home & Garden': ['Lamp', 'Planter', 'Rug', 'Kettle', 'Hose', 'Cushion', 'Shelf', 'Grill'],
  Clothing: ['Jacket', 'Scarf', 'Sneakers', 'Jeans', 'Sweater', 'Cap', 'Dress', 'Socks'],
  Grocery: ['Coffee', 'Olive Oil', 'Tea', 'Pasta', 'Honey', 'Granola', 'Rice', 'Chocolate'],
  Toys: ['Puzzle', 'Robot', 'Kite', 'Blocks', 'Doll', 'Board Game', 'Yo-yo', 'Train Set'],
};
const ADJECTIVES = ['Classic', 'Smart', 'Eco', 'Deluxe', 'Mini', 'Pro'];
export const REGIONS = ['North', 'South', 'East', 'West'] as const;
export const TIERS = ['Bronze', 'Silver', 'Gold', 'Platinum'] as const;

export interface SalesPersona {
  name: string;
  share: number;
  age: [number, number];
  /** Annual income in dollars: mean, sd. */
  income: [number, number];
  /** Orders per active year. */
  ordersPerYear: number;
  /** Weights over CATEGORIES. */
  categories: number[];
  /** Chance that a line is later returned. */
  returns: number;
  /** Weights over TIERS. */
  tiers: number[];
  /** Days since sign-up at the window end: [min, max]. */
  signedUp: [number, number];
  /** Days before the window end the customer stopped buying: [min, max]. */
  stopped: [number, number];
}

export const SALES_PERSONAS: readonly SalesPersona[] = [
  {
    name: 'Loyal big spenders',
    share: 0.2,
    age: [46, 8],
    income: [98_000, 18_000],
    ordersPerYear: 10,
    categories: [0.45, 0.35, 0.1, 0.05, 0.05],
    returns: 0.03,
    tiers: [0, 0.1, 0.4, 0.5],
    signedUp: [900, 2000],
    stopped: [0, 20],
  },
  {
    name: 'Bargain hunters',
    share: 0.3,
    age: [33, 7],
    income: [44_000, 10_000],
    ordersPerYear: 9,
    categories: [0.03, 0.07, 0.35, 0.5, 0.05],
    returns: 0.15,
    tiers: [0.4, 0.5, 0.1, 0],
    signedUp: [400, 1500],
    stopped: [0, 40],
  },
  {
    name: 'Lapsed customers',
    share: 0.25,
    age: [52, 10],
    income: [61_000, 15_000],
    ordersPerYear: 4,
    categories: [0.2, 0.3, 0.2, 0.2, 0.1],
    returns: 0.05,
    tiers: [0.5, 0.35, 0.15, 0],
    signedUp: [700, 2000],
    stopped: [200, 560],
  },
  {
    name: 'New families',
    share: 0.25,
    age: [31, 5],
    income: [57_000, 12_000],
    ordersPerYear: 8,
    categories: [0.05, 0.15, 0.25, 0.15, 0.4],
    returns: 0.06,
    tiers: [0.85, 0.15, 0, 0],
    signedUp: [30, 150],
    stopped: [0, 25],
  },
];

/** The churn model: logistic in recency and frequency (as the trainer will compute them). */
export function churnProbability(recencyDays: number, orders: number): number {
  const z = -1.2 + 0.011 * (recencyDays - 120) - 0.12 * (orders - 8);
  return 1 / (1 + Math.exp(-z));
}

const pickWeighted = (rng: Rng, weights: readonly number[]) => {
  let u = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((u -= weights[i]) < 0) return i;
  return weights.length - 1;
};

/** Poisson draw (Knuth; the means here are small). */
function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
const money = (v: number) => v.toFixed(2);

export interface SalesTables {
  customers: string[][];
  products: string[][];
  orders: string[][];
  truth: string[][];
}

/** The clean tables (header first); `messUp` then corrupts them. */
export function generateSales(options: { customers?: number; seed?: number } = {}): SalesTables {
  const n = options.customers ?? SALES_DEFAULTS.customers;
  const rng = new Rng(options.seed ?? SALES_DEFAULTS.seed);

  const products: string[][] = [['product_id', 'name', 'category', 'list_price']];
  const productsBy: { id: string; price: number }[][] = CATEGORIES.map(() => []);
  let p = 0;
  CATEGORIES.forEach((cat, c) => {
    for (const noun of NOUNS[cat]) {
      const id = `P${String(++p).padStart(3, '0')}`;
      const [lo, hi] = PRICE_RANGE[cat];
      const price = Math.round(Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo))) * 100) / 100;
      productsBy[c].push({ id, price });
      products.push([id, `${ADJECTIVES[rng.int(ADJECTIVES.length)]} ${noun}`, cat, money(price)]);
    }
  });

  const customers: string[][] = [
    ['customer_id', 'age', 'gender', 'region', 'loyalty_tier', 'signup_date', 'annual_income', 'churned'],
  ];
  const truth: string[][] = [['customer_id', 'persona', 'p_churn']];
  const lines: { order: string; customer: string; product: string; quantity: number; price: number; day: number }[] =
    [];
  let orderNo = 0;
  for (let i = 0; i < n; i++) {
    const id = `C${String(i + 1).padStart(4, '0')}`;
    const persona = pickWeighted(
      rng,
      SALES_PERSONAS.map((x) => x.share),
    );
    const ps = SALES_PERSONAS[persona];
    const age = Math.round(Math.min(85, Math.max(18, ps.age[0] + ps.age[1] * rng.normal())));
    const income = Math.round(Math.max(12_000, ps.income[0] + ps.income[1] * rng.normal()) / 100) * 100;
    const signup = WINDOW_END - (ps.signedUp[0] + rng.int(ps.signedUp[1] - ps.signedUp[0] + 1));
    const start = Math.max(WINDOW_START, signup);
    const end = WINDOW_END - (ps.stopped[0] + rng.int(ps.stopped[1] - ps.stopped[0] + 1));
    const active = Math.max(0, end - start);
    const orders = Math.max(1, poisson(rng, (ps.ordersPerYear * active) / 365));
    let last = -Infinity;
    for (let o = 0; o < orders; o++) {
      const day = active > 0 ? start + rng.int(active + 1) : start;
      last = Math.max(last, day);
      const order = `SO${String(++orderNo).padStart(6, '0')}`;
      const nLines = 1 + rng.int(3);
      for (let l = 0; l < nLines; l++) {
        const cat = pickWeighted(rng, ps.categories);
        const prod = productsBy[cat][rng.int(productsBy[cat].length)];
        const quantity = 1 + rng.int(CATEGORIES[cat] === 'Grocery' ? 6 : 2);
        // Some lines sell at a discount: the line's unit price is what was paid.
        const price = Math.round(prod.price * (rng.next() < 0.2 ? 0.8 : 1) * 100) / 100;
        lines.push({ order, customer: id, product: prod.id, quantity, price, day });
        if (rng.next() < ps.returns) {
          const back = Math.min(WINDOW_END, day + 3 + rng.int(25));
          lines.push({
            order: `R${order}`,
            customer: id,
            product: prod.id,
            quantity: -(1 + rng.int(quantity)),
            price,
            day: back,
          });
        }
      }
    }
    const recency = Math.floor(Date.UTC(2025, 0, 1) / 86_400_000) - last;
    const pChurn = churnProbability(recency, orders);
    const churned = rng.next() < pChurn;
    const gender = rng.next() < (persona === 3 ? 0.6 : 0.5) ? 'Female' : 'Male';
    customers.push([
      id,
      String(age),
      gender,
      REGIONS[rng.int(4)],
      TIERS[pickWeighted(rng, ps.tiers)],
      iso(signup),
      String(income),
      churned ? 'yes' : 'no',
    ]);
    truth.push([id, String(persona), String(pChurn)]);
  }
  // Exports list order lines by date, not by customer.
  lines.sort((a, b) => a.day - b.day || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  const orders: string[][] = [['order_id', 'order_date', 'customer_id', 'product_id', 'quantity', 'unit_price']];
  for (const l of lines) orders.push([l.order, iso(l.day), l.customer, l.product, String(l.quantity), money(l.price)]);
  return { customers, products, orders, truth };
}

/** A date as exports write it: US month/day/year, slashes, stray spaces, or missing. */
function messyDate(text: string, rng: Rng): string {
  const [y, m, d] = text.split('-');
  switch (rng.int(4)) {
    case 0:
      return `${Number(m)}/${Number(d)}/${y}`;
    case 1:
      return `${y}/${m}/${d}`;
    case 2:
      return ` ${text} `;
    default:
      return MISSING_TOKENS[rng.int(MISSING_TOKENS.length)];
  }
}

/** A key as exports write it: with a stray space. */
const messyKey = (text: string, rng: Rng) => (rng.next() < 0.5 ? ` ${text}` : `${text} `);

type Mess = (text: string, rng: Rng) => string;
const number: Mess = (t, rng) => messyNumber(t, rng).text;
const moneyMess: Mess = (t, rng) => messyNumber(t, rng, { money: true }).text;
const level: Mess = (t, rng) => messyLevel(t, rng).text;
const boolean: Mess = (t, rng) => messyBoolean(t === 'yes', rng);

function messColumns(rows: string[][], mess: Record<string, Mess>, rng: Rng, rate: number): string[][] {
  const header = rows[0];
  const fns = header.map((h) => mess[h]);
  return [
    header,
    ...rows.slice(1).map((r) => r.map((cell, c) => (fns[c] && rng.next() < rate ? fns[c](cell, rng) : cell))),
  ];
}

/** The tables as a messy export: about MESS_RATE of the value cells corrupted. */
export function messUp(tables: SalesTables, seed = SALES_DEFAULTS.seed): SalesTables {
  const rng = new Rng(seed + 1000);
  const customers = messColumns(
    tables.customers,
    {
      age: number,
      gender: level,
      region: level,
      loyalty_tier: (t, r) => messyLevel(t, r, { typos: false }).text,
      signup_date: messyDate,
      annual_income: moneyMess,
      churned: boolean,
    },
    rng,
    MESS_RATE,
  );
  const products = messColumns(tables.products, { category: level, list_price: moneyMess }, rng, MESS_RATE);
  const orders = messColumns(
    tables.orders,
    {
      order_date: messyDate,
      quantity: number,
      unit_price: moneyMess,
      customer_id: messyKey,
      product_id: messyKey,
    },
    rng,
    MESS_RATE,
  );
  // A few lines whose customer is unknown or missing, as in any real export.
  for (let i = 1; i < orders.length; i += 97)
    orders[i][2] = rng.next() < 0.5 ? '' : `C9${String(rng.int(1000)).padStart(3, '0')}`;
  return { customers, products, orders, truth: tables.truth };
}

export function writeSales(dir: string, tables: SalesTables): void {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, rows: string[][]) => writeFileSync(join(dir, name), rows.map(csvLine).join(''));
  write('customers.csv', tables.customers);
  write('products.csv', tables.products);
  write('orders.csv', tables.orders);
  write('truth.csv', tables.truth);
}

export function parseSalesArgs(argv: string[]): typeof SALES_DEFAULTS {
  const out = { ...SALES_DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--customers' || flag === '--seed') {
      if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a non-negative integer, got "${value}"`);
      out[flag === '--customers' ? 'customers' : 'seed'] = Number(value);
    } else if (flag === '--dir') out.dir = value;
    else throw new Error(`unknown option ${flag} (known: --customers, --seed, --dir)`);
  }
  return out;
}

const invoked = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invoked) {
  try {
    const opts = parseSalesArgs(process.argv.slice(2));
    const tables = messUp(generateSales(opts), opts.seed);
    writeSales(opts.dir, tables);
    process.stdout.write(
      `wrote ${opts.dir}/customers.csv (${tables.customers.length - 1} rows), products.csv (${tables.products.length - 1}), orders.csv (${tables.orders.length - 1} lines), truth.csv\n`,
    );
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
