// The edge rows with a boosted head (issue 15): a model whose head is 100
// trees of 31 leaves, trained by our trainer on generator rows
// (bench/models.ts), served by the same workerd setup as the edge section
// (bench/edge.ts). POST /v1/score of one record against that worker's own
// GET /health in alternating rounds (the edge.throughput rule), with the
// sample's logistic model served by a second workerd in the same rounds, so
// what the trees add over a logistic head reads off one ratio; then batches
// of 1,000 as `records` and as a table. Every answer is checked against
// scoreToJson's first, and any non-2xx answer fails its row (bench/rule.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel, parseModel, scoreToJson } from '../../model/index.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import {
  benchRecords,
  buildBundles,
  EDGE_DIR,
  postJson,
  postScript,
  startWorkerd,
  wrk,
  wrkFailures,
  type Workerd,
  type WrkResult,
} from '../edge.ts';
import { perSec, x } from '../lib/format.ts';
import { boostedModel, sampleModel } from '../models.ts';
import { alternate, max, median, ratios, roundsFor } from '../rule.ts';
import { judge } from '../targets.ts';

export async function edgeBoostedSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick } = ctx;
  const { add, note, result } = collect(ctx);
  ctx.log('edge, boosted: building the worker bundle');
  const bundles = buildBundles();
  const boosted = await boostedModel(ctx);
  const logistic = await sampleModel(ctx);
  const seconds = quick ? 1 : 4;
  const rounds = roundsFor(quick);
  const connections = 8;
  const head = `${boosted.trees} trees, ${boosted.leaves.toFixed(1)} leaves on average`;
  const records = benchRecords();
  const singleBody = JSON.stringify(records[0]);
  const recordsBody = JSON.stringify({ records });
  const columns = Object.keys(records[0]);
  const tableBody = JSON.stringify({ columns, data: records.map((r) => columns.map((c) => r[c])) });
  const single = postScript(join(EDGE_DIR, 'boosted-score.lua'), singleBody);
  const batch = postScript(join(EDGE_DIR, 'boosted-batch.lua'), recordsBody, true);
  const table = postScript(join(EDGE_DIR, 'boosted-table.lua'), tableBody, true);
  let wd: Workerd | null = null;
  let wdLogistic: Workerd | null = null;
  try {
    wd = await startWorkerd(bundles, boosted.file, 'boosted');
    wdLogistic = await startWorkerd(bundles, logistic, 'http');
    // What is timed must be right: each answer is the very text the model layer writes for the same records.
    for (const [file, url] of [
      [boosted.file, wd.url],
      [logistic, wdLogistic.url],
    ] as const) {
      const cm = compileModel(parseModel(readFileSync(file, 'utf8')));
      const one = scoreToJson(cm, cm.model.version, [records[0]], false);
      const all = scoreToJson(cm, cm.model.version, records, true);
      if (!one.ok || !all.ok) throw new Error(`edge, boosted: ${file} refuses a bench record`);
      const checks = [['one record', singleBody, false, one.json]] as [string, string, boolean, string][];
      if (url === wd.url)
        checks.push(['a batch of records', recordsBody, true, all.json], ['a table', tableBody, true, all.json]);
      for (const [form, body, key, text] of checks)
        if ((await postJson(`${url}/v1/score`, body, key)) !== text)
          throw new Error(`edge, boosted: the worker's answer to ${form} with ${file} differs from scoreToJson's`);
    }
    // Warm every route (JIT, the model's first load) before measuring.
    wrk(`${wd.url}/health`, 1, 4);
    wrk(`${wd.url}/v1/score`, 1, 4, single);
    wrk(`${wdLogistic.url}/v1/score`, 1, 4, single);
    ctx.log(
      `edge, boosted: GET /health vs POST /v1/score (boosted, logistic), ${rounds} × ${seconds} s each, alternating`,
    );
    const w = wd;
    const wl = wdLogistic;
    const thr = await alternate(rounds, {
      health: async () => wrk(`${w.url}/health`, seconds, connections),
      boosted: async () => wrk(`${w.url}/v1/score`, seconds, connections, single),
      logistic: async () => wrk(`${wl.url}/v1/score`, seconds, connections, single),
    });
    const rps = (ws: WrkResult[]) => ws.map((r) => r.rps);
    const throughput = judge('edge.boosted-throughput', {
      rounds: ratios(rps(thr.boosted), rps(thr.health)),
      failures: wrkFailures({ '/health': thr.health, '/v1/score (boosted)': thr.boosted }),
    });
    add({
      section: 'edge',
      work: `POST /v1/score, one record, with a boosted head (${head}), throughput on workerd (wrk, ${connections} conn., ${rounds} alternating rounds of ${seconds} s per route, each round's ratio, median)`,
      ours: perSec(median(rps(thr.boosted)), 'req'),
      baseline: `GET /health ${perSec(median(rps(thr.health)), 'req')}`,
      ratio: x(throughput.figure),
      ...throughput,
    });
    const overLogistic = judge('edge.boosted-over-logistic', {
      rounds: ratios(rps(thr.boosted), rps(thr.logistic)),
      failures: wrkFailures({ '/v1/score (logistic)': thr.logistic }),
    });
    add({
      section: 'edge',
      work: `the same against POST /v1/score of the sample's logistic model (another workerd, in the same rounds): what the trees add to a request`,
      ours: perSec(median(rps(thr.boosted)), 'req'),
      baseline: `logistic ${perSec(median(rps(thr.logistic)), 'req')}`,
      ratio: x(overLogistic.figure),
      ...overLogistic,
    });

    wrk(`${wd.url}/v1/score`, 1, 2, batch);
    wrk(`${wd.url}/v1/score`, 1, 2, table);
    ctx.log(`edge, boosted: batches of 1,000, ${rounds} × ${seconds} s each as records and as a table, alternating`);
    const b = await alternate(rounds, {
      records: async () => wrk(`${w.url}/v1/score`, seconds, 4, batch),
      table: async () => wrk(`${w.url}/v1/score`, seconds, 4, table),
    });
    const rates = (ws: WrkResult[]) => ws.map((r) => r.rps * 1000);
    const k = (v: number) => (v / 1000).toFixed(1);
    note(
      `edge rounds with a boosted head, req/s: \`/health\` ${rps(thr.health)
        .map((v) => v.toFixed(0))
        .join(', ')}; \`/v1/score\` boosted ${rps(thr.boosted)
        .map((v) => v.toFixed(0))
        .join(', ')}; logistic ${rps(thr.logistic)
        .map((v) => v.toFixed(0))
        .join(
          ', ',
        )}; batches, k rec/s: records ${rates(b.records).map(k).join(', ')}; table ${rates(b.table).map(k).join(', ')}.`,
    );
    const rec = judge('edge.boosted-batch-records', {
      rounds: rates(b.records),
      failures: wrkFailures({ records: b.records }),
    });
    add({
      section: 'edge',
      work: `POST /v1/score with a boosted head (${head}), batches of 1,000 records as \`records\` (wrk, 4 conn., median of ${rounds} alternating rounds of ${seconds} s, best ${perSec(max(rates(b.records)), 'rec')}; JSON in, JSON out)`,
      ours: perSec(rec.figure, 'rec'),
      baseline: '—',
      ratio: '—',
      ...rec,
    });
    const tab = judge('edge.boosted-batch-table', {
      rounds: rates(b.table),
      failures: wrkFailures({ table: b.table }),
    });
    add({
      section: 'edge',
      work: `the same 1,000 records as a table (\`columns\` + \`data\` rows; alternating with the row above; best ${perSec(max(rates(b.table)), 'rec')})`,
      ours: perSec(tab.figure, 'rec'),
      baseline: '—',
      ratio: '—',
      ...tab,
    });
  } finally {
    await wd?.stop();
    await wdLogistic?.stop();
  }
  return result;
}
