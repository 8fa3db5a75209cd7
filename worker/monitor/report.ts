// GET /v1/admin/monitor's answer (docs/monitoring.md): one model version's
// counts over a window read from D1, against the training distributions the
// model carries, as PSI per input, for the segment mix and per head's
// scores, plus live accuracy from reported outcomes.
import { SCORE_BINS, type Model } from '../../model/index.ts';
import { SOURCES } from './buffer.ts';
import { type OutcomeRow, type OutcomeStats, outcomeStats } from './outcome-stats.ts';
import { type DriftStatus, driftStatus, psi, shares } from './psi.ts';

export const WINDOWS = { '1h': 1, '24h': 24, '7d': 168, all: null } as const;
export type WindowName = keyof typeof WINDOWS;
const HOUR_MS = 3_600_000;

export interface Drift {
  psi: number | null;
  status: DriftStatus | null;
}

export interface MonitorReport {
  model: string;
  window: { name: WindowName; from: string | null; to: string };
  records: number;
  sources: Record<string, number>;
  /** Records per hour in the window, oldest first. */
  traffic: { hour: string; records: number }[];
  segments: Drift & { live: Record<string, number>; training: Record<string, number> };
  inputs: (Drift & { name: string; bins: string[]; live: number[]; training: number[] })[];
  scores: Record<string, Drift & { live: number[]; training: number[] }>;
  outcomes: Record<string, OutcomeStats & { trainingRocAuc: number | null }>;
}

interface CountRow {
  kind: string;
  name: string;
  bin: number;
  n: number;
}

/** The labels of an input's bins: value ranges (numbers) or levels, then unseen (categories) and missing. */
function binLabels(model: Model, i: number): string[] {
  const f = model.inputs[i];
  if (f.type === 'category') return [...f.levels, '(unseen)', '(missing)'];
  const e = model.monitoring?.edges[i] ?? [];
  if (!e.length) return ['all', '(missing)'];
  return [`< ${e[0]}`, ...e.slice(1).map((x, j) => `${e[j]} – ${x}`), `≥ ${e[e.length - 1]}`, '(missing)'];
}

const round = (x: number, digits = 6) => Number(x.toFixed(digits));
const roundAll = (xs: number[]) => xs.map((x) => round(x));
const drift = (value: number | null, records: number, min: number): Drift =>
  value === null ? { psi: null, status: null } : { psi: round(value, 4), status: driftStatus(value, records, min) };

/** The first hour a window covers (0 for `all`). */
export function windowStartHour(name: WindowName, nowMs: number): number {
  const hours = WINDOWS[name];
  return hours === null ? 0 : Math.floor(nowMs / HOUR_MS) - hours + 1;
}

/** Reads the window's counts and the model's outcomes from D1 and compares them with training. */
export async function monitorReport(
  db: D1Database,
  model: Model,
  name: WindowName,
  nowMs: number,
  minRecords: number,
): Promise<MonitorReport> {
  const from = windowStartHour(name, nowMs);
  const [counts, hours, outcomes] = await db.batch<Record<string, unknown>>([
    db
      .prepare('SELECT kind, name, bin, SUM(n) AS n FROM counts WHERE model = ? AND hour >= ? GROUP BY kind, name, bin')
      .bind(model.version, from),
    db
      .prepare(
        "SELECT hour, SUM(n) AS n FROM counts WHERE model = ? AND hour >= ? AND kind = 'source' GROUP BY hour ORDER BY hour",
      )
      .bind(model.version, from),
    db
      .prepare(
        'SELECT target, segment, bin, label, SUM(n) AS n FROM outcome_counts WHERE model = ? GROUP BY target, segment, bin, label',
      )
      .bind(model.version),
  ]);
  const rows = counts.results as unknown as CountRow[];
  const hourRows = hours.results as unknown as { hour: number; n: number }[];
  const of = (kind: string, name: string, length: number) => {
    const out = new Array<number>(length).fill(0);
    for (const r of rows) if (r.kind === kind && r.name === name && r.bin < length) out[r.bin] += r.n;
    return out;
  };
  const sources: Record<string, number> = {};
  for (const s of SOURCES) sources[s] = 0;
  for (const r of rows) if (r.kind === 'source') sources[r.name] = (sources[r.name] ?? 0) + r.n;
  const records = Object.values(sources).reduce((a, b) => a + b, 0);

  const base = model.monitoring;
  const k = model.segmentation.segments.length;
  const segLive = shares(of('segment', '', k));
  const segTraining = base ? shares(base.segments) : model.segmentation.segments.map((s) => s.share);
  const byId = (xs: number[]) => Object.fromEntries(xs.map((x, i) => [String(i), round(x)]));

  const inputs: MonitorReport['inputs'] = base
    ? model.inputs.map((f, i) => {
        const training = roundAll(shares(base.inputs[i]));
        const live = shares(of('input', f.name, training.length));
        return {
          name: f.name,
          ...drift(psi(live, training), records, minRecords),
          bins: binLabels(model, i),
          live: roundAll(live),
          training,
        };
      })
    : [];
  inputs.sort((a, b) => (b.psi ?? 0) - (a.psi ?? 0) || a.name.localeCompare(b.name));

  const scores: MonitorReport['scores'] = {};
  model.targets.forEach((t, h) => {
    const live = shares(of('score', t.name, SCORE_BINS));
    const training = base ? roundAll(shares(base.scores[h])) : null;
    scores[t.name] = {
      ...drift(training ? psi(live, training) : null, records, minRecords),
      live: roundAll(live),
      training: training ?? [],
    };
  });

  const stats = outcomeStats(outcomes.results as unknown as OutcomeRow[]);
  const outcomeReport: MonitorReport['outcomes'] = {};
  for (const [target, s] of Object.entries(stats)) {
    const head = model.targets.find((t) => t.name === target);
    outcomeReport[target] = { ...s, trainingRocAuc: head?.metrics.test.rocAuc ?? null };
  }

  const firstHour = name === 'all' ? (hourRows[0]?.hour ?? null) : from;
  return {
    model: model.version,
    window: {
      name,
      from: firstHour === null ? null : new Date(firstHour * HOUR_MS).toISOString(),
      to: new Date(nowMs).toISOString(),
    },
    records,
    sources,
    traffic: hourRows.map((r) => ({ hour: new Date(r.hour * HOUR_MS).toISOString(), records: r.n })),
    segments: {
      ...drift(psi(segLive, segTraining), records, minRecords),
      live: byId(segLive),
      training: byId(segTraining),
    },
    inputs,
    scores,
    outcomes: outcomeReport,
  };
}
