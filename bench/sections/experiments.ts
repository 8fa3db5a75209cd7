// The experiment rows: in-process, the cost of assigning a visitor and of
// recording an exposure (keyed hash, buffer) and how fast one D1 database
// takes flushed exposures (bench/jobs/experiments.ts); on workerd, GET
// /v1/segment and POST /v1/score for a visitor in a running experiment
// against the worker's own GET /health, round by round like the edge rows.
// workerd's MONITOR is the bench's D1 stand-in with every migration, so the
// edge rows include assignment, hash, receipt, the exposure buffer and its
// flushes (and monitoring's counting, on every route but /health).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { buildBundles, EDGE_DIR, postScript, startWorkerd, wrk, type WrkResult } from '../edge.ts';
import { perSec, x } from '../lib/format.ts';
import { nodeJob } from '../lib/proc.ts';
import { sampleModel } from '../models.ts';
import { median, ratios, roundsFor } from '../rule.ts';
import { judge } from '../targets.ts';

const RECORD = {
  age: 29,
  annual_income: 62.5,
  spending_score: 81,
  region: 'West',
  channel: 'app',
  loyalty_tier: 'Silver',
};
const QUERY = 'age=29&annual_income=62.5&spending_score=81&region=West&channel=app&loyalty_tier=Silver';

export async function experimentsSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick } = ctx;
  const { add, result } = collect(ctx);
  const model = await sampleModel(ctx);
  ctx.log('experiments: assignment, exposure recording and D1 flushes, in-process');
  type Out = {
    assignNs: number;
    scoreNs: number;
    hashUs: number;
    bufferNs: number;
    flushSize: number;
    flushMs: number;
    visitorsPerSec: number;
  };
  const o = (await nodeJob<Out>('experiments', [model, quick ? 200_000 : 1_000_000, quick ? 3 : 5])).out;
  add({
    section: 'experiments',
    work: 'assign a visitor: the running experiment of their segment and its GrowthBook v2 bucket (one core, CPU time, best of runs)',
    ours: `${o.assignNs.toFixed(0)} ns`,
    baseline: `scoring the record ${o.scoreNs.toFixed(0)} ns`,
    ratio: x(o.assignNs / o.scoreNs),
    ...judge('experiments.assign', null),
  });
  add({
    section: 'experiments',
    work: 'record an exposure: buffer a new visitor in the isolate (no D1 write per request; CPU time)',
    ours: `${o.bufferNs.toFixed(0)} ns`,
    baseline: '—',
    ratio: '—',
    ...judge('experiments.buffer', null),
  });
  add({
    section: 'experiments',
    work: "the visitor's keyed hash, HMAC-SHA256 (worker/crypto, synchronous; wall time)",
    ours: `${o.hashUs.toFixed(1)} µs`,
    baseline: '—',
    ratio: '—',
    ...judge('experiments.hash', null),
  });
  add({
    section: 'experiments',
    work: `flush ${o.flushSize} new exposures to a local D1 (miniflare's SQLite, schema of migrations/: a statement pair per 1000 rows, counted in aggregate; best of runs)`,
    ours: `${o.flushMs.toFixed(0)} ms`,
    baseline: '—',
    ratio: `${perSec(o.visitorsPerSec, 'visitors')}`,
    ...judge('experiments.flush', null),
  });

  ctx.log('experiments: building the worker bundle');
  const bundles = buildBundles();
  const now = new Date(Date.now() - 60_000).toISOString();
  const experiments = {
    experiments: [
      {
        key: 'bench-holdout',
        holdout: 0.1,
        segments: 'all',
        start: now,
        end: null,
        model: 'bench',
        createdAt: now,
        stoppedAt: null,
      },
    ],
  };
  const wd = await startWorkerd(bundles, model, 'experiments', {
    entries: { 'experiments:all': JSON.stringify(experiments) },
    vars: { RECEIPT_SECRET: 'bench-receipt-secret' },
  });
  try {
    const seconds = quick ? 1 : 4;
    const rounds = roundsFor(quick);
    const connections = 8;
    const probe = (await (await fetch(`${wd.url}/v1/segment?${QUERY}&visitor=probe`)).json()) as {
      experiment?: unknown;
    };
    if (!probe.experiment) throw new Error('the bench visitor is not in the experiment: check the KV entry');
    // Every request a new visitor (a counter in the wrk script): the costly case, nothing cached per visitor.
    const segmentScript = join(EDGE_DIR, 'experiments-segment.lua');
    writeFileSync(
      segmentScript,
      `local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format("GET", "/v1/segment?${QUERY}&visitor=v" .. n)\nend\n`,
    );
    // A realistic mix, for context: 9 requests in 10 from 1,000 returning visitors, 1 in 10 a new one.
    const mixedScript = join(EDGE_DIR, 'experiments-mixed.lua');
    writeFileSync(
      mixedScript,
      `local n = 0\nrequest = function()\n  n = n + 1\n  local v = (n % 10 == 0) and ("new" .. n) or ("back" .. (n * 7919 % 1000))\n  return wrk.format("GET", "/v1/segment?${QUERY}&visitor=" .. v)\nend\n`,
    );
    // The same route without a visitor, through a script too (wrk's per-request Lua costs the client alike).
    const plainSegmentScript = join(EDGE_DIR, 'experiments-plain-segment.lua');
    writeFileSync(
      plainSegmentScript,
      `local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format("GET", "/v1/segment?${QUERY}")\nend\n`,
    );
    const plain = postScript(join(EDGE_DIR, 'experiments-plain.lua'), JSON.stringify(RECORD));
    const scoreScript = postScript(join(EDGE_DIR, 'experiments-score.lua'), JSON.stringify(RECORD));
    writeFileSync(
      scoreScript,
      `${readFileSync(scoreScript, 'utf8')}local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format(nil, "/v1/score?visitor=v" .. n)\nend\n`,
    );
    const health: WrkResult[] = [];
    const segment: WrkResult[] = [];
    const score: WrkResult[] = [];
    const plainScore: WrkResult[] = [];
    const plainSegment: WrkResult[] = [];
    const mixed: WrkResult[] = [];
    const runs = [
      () => health.push(wrk(`${wd.url}/health`, seconds, connections)),
      () => segment.push(wrk(`${wd.url}/v1/segment`, seconds, connections, segmentScript)),
      () => score.push(wrk(`${wd.url}/v1/score`, seconds, connections, scoreScript)),
      () => plainScore.push(wrk(`${wd.url}/v1/score`, seconds, connections, plain)),
      () => plainSegment.push(wrk(`${wd.url}/v1/segment`, seconds, connections, plainSegmentScript)),
      () => mixed.push(wrk(`${wd.url}/v1/segment`, seconds, connections, mixedScript)),
    ];
    for (const run of runs) run(); // warm every route (JIT), then drop the warm-up
    for (const list of [health, segment, score, plainScore, plainSegment, mixed]) list.length = 0;
    ctx.log(
      `experiments: GET /health, /v1/segment and /v1/score with a new visitor, both without, /v1/segment with a mix, ${rounds} × ${seconds} s each`,
    );
    for (let r = 0; r < rounds; r++) {
      // Rotate who goes first, so a slow stretch of the host weighs on every route in turn.
      for (let i = 0; i < runs.length; i++) runs[(i + r) % runs.length]();
    }
    // Any failed request in a round fails the row that round belongs to (bench/rule.ts).
    const failures = (route: string, ws: WrkResult[]) =>
      ws.flatMap((w, r) => (w.errors ? [`round ${r + 1}: ${w.errors} ${route} requests failed or were not 2xx`] : []));
    const hr = median(health.map((w) => w.rps));
    for (const [name, runs, id] of [
      ['GET /v1/segment', segment, 'experiments.segment-throughput'],
      ['POST /v1/score', score, 'experiments.score-throughput'],
    ] as const) {
      const verdict = judge(id, {
        rounds: ratios(
          runs.map((w) => w.rps),
          health.map((w) => w.rps),
        ),
        failures: [...failures('/health', health), ...failures(name, runs)],
      });
      add({
        section: 'experiments',
        work: `${name} for a new visitor in a running experiment each request (answer with experiment and signed receipt), throughput on workerd (wrk, ${connections} conn., ${rounds} rounds of ${seconds} s per route, rotating order, each round's ratio, median)`,
        ours: perSec(median(runs.map((w) => w.rps)), 'req'),
        baseline: `GET /health ${perSec(hr, 'req')}`,
        ratio: x(verdict.figure),
        ...verdict,
      });
    }
    for (const [work, runs, id] of [
      [
        'POST /v1/score without a visitor in the same rounds, for comparison (what the experiment adds is the difference)',
        plainScore,
        'experiments.plain-score',
      ],
      [
        'GET /v1/segment without a visitor in the same rounds, for comparison (what the experiment adds is the difference)',
        plainSegment,
        'experiments.plain-segment',
      ],
      [
        'GET /v1/segment, a realistic mix in the same rounds: 9 requests in 10 from 1,000 returning visitors, 1 in 10 a new visitor',
        mixed,
        'experiments.mixed-segment',
      ],
    ] as const) {
      add({
        section: 'experiments',
        work,
        ours: perSec(median(runs.map((w) => w.rps)), 'req'),
        baseline: `GET /health ${perSec(hr, 'req')}`,
        ratio: x(median(runs.map((w, r) => w.rps / health[r].rps))),
        ...judge(id, null),
      });
    }
  } finally {
    await wd.stop();
  }
  return result;
}
