// `npm run bench [-- --quick] [-- --only kmeans,pipeline,...]`
//
// One table: for each piece of work, our figure, the baseline's (scikit-learn
// when Debian's python3-sklearn is installed, reading CSV with pyarrow or
// polars from the bench's venv when they install, else pandas; the mljs
// packages; or the worker's own GET /health), the ratio, the target, the
// rounds and ✓/✗ by the one rule of bench/rule.ts. Every pair is measured
// side by side in this run on this machine: absolute times on a shared 2-core
// machine are noisy, ratios much less so. Heavy work runs in fresh processes.
// The table is also written to bench/out/bench-{full,quick}.md (and .json),
// with the commit measured in its first line.
//
// This file is the CLI only: it reads the options, prepares the Python side
// (bench/lib/python.ts), runs the selected sections (bench/sections/, one file
// each) in order with one context, and hands their rows to bench/render.ts.
// The targets are in bench/targets.ts, the rule in bench/rule.ts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Row, Section, SectionContext } from './context.ts';
import { SKIPPED } from './lib/format.ts';
import { describePython, preparePython } from './lib/python.ts';
import { commitStamp } from './lib/stamp.ts';
import { progressLine, renderMarkdown, writeReport, type Report } from './render.ts';
import { boostingSection } from './sections/boosting.ts';
import { csvSection } from './sections/csv.ts';
import { edgeSection } from './sections/edge.ts';
import { edgeBoostedSection } from './sections/edge-boosted.ts';
import { experimentsSection } from './sections/experiments.ts';
import { kmeansSection } from './sections/kmeans.ts';
import { logisticSection } from './sections/logistic.ts';
import { pcaSection } from './sections/pca.ts';
import { pipelineSection } from './sections/pipeline.ts';
import { scoreSection } from './sections/score.ts';
import { monitorSection } from './sections/monitor.ts';
import { wardSection } from './sections/ward.ts';

/** Every section under the name `--only` takes, in the order a run takes them. */
const SECTIONS: readonly (readonly [string, Section])[] = [
  ['kmeans', kmeansSection],
  ['pipeline', pipelineSection],
  ['logistic', logisticSection],
  ['boosting', boostingSection],
  ['pca', pcaSection],
  ['ward', wardSection],
  ['score', scoreSection],
  ['edge', edgeSection],
  ['edge-boosted', edgeBoostedSection],
  ['monitor', monitorSection],
  ['csv', csvSection],
  ['experiments', experimentsSection],
];

const OUT = 'bench/out';

interface Options {
  quick: boolean;
  /** The sections `--only` names; null runs them all. */
  only: Set<string> | null;
}

/** The options, or what is wrong with them. */
function parseArgs(argv: string[]): Options | string {
  const quick = argv.includes('--quick');
  const onlyArg = argv.indexOf('--only');
  if (onlyArg < 0) return { quick, only: null };
  const names = (argv[onlyArg + 1] ?? '').split(',').filter(Boolean);
  const known = SECTIONS.map(([name]) => name);
  const unknown = names.filter((n) => !known.includes(n));
  // A misspelt name would otherwise run nothing and still write an empty table.
  if (names.length === 0 || unknown.length > 0)
    return `--only takes sections separated by commas, of: ${known.join(', ')}${unknown.length ? ` (not a section: ${unknown.join(', ')})` : ''}`;
  return { quick, only: new Set(names) };
}

async function main(): Promise<void> {
  const started = performance.now();
  const options = parseArgs(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`bench: ${options}\n`);
    process.exit(2);
  }
  const { quick, only } = options;
  const runsDir = join(OUT, 'runs');
  mkdirSync(runsDir, { recursive: true });
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const rows: Row[] = [];
  const notes: string[] = [];
  const commit = commitStamp();
  const python = await preparePython(log);
  const v = python?.versions;
  const sklearn = v ? `${v.sklearn} (numpy ${v.numpy}, ${v.blas})` : null;
  if (!python)
    notes.push(
      "scikit-learn rows are skipped: Debian's python3-sklearn is not installed (`apt-get install -y python3-sklearn`).",
    );
  else if (python.fast === 'pandas')
    notes.push(
      'pyarrow and polars could not be installed into bench/out/venv: the scikit-learn side reads CSV with pandas.',
    );
  log(
    `edgeseg bench (${quick ? 'quick' : 'full'}) at ${commit} — ${python ? describePython(python) : `scikit-learn ${SKIPPED}`}`,
  );

  const ctx: SectionContext = {
    quick,
    outDir: OUT,
    runsDir,
    sklearn,
    python,
    onRow: (row) => log(progressLine(row)),
    log,
  };
  for (const [name, section] of SECTIONS) {
    if (only !== null && !only.has(name)) continue;
    const result = await section(ctx);
    rows.push(...result.rows);
    notes.push(...result.notes);
  }

  const report: Report = {
    quick,
    partial: only !== null,
    sklearn,
    python,
    commit,
    elapsedMs: performance.now() - started,
    rows,
    notes,
  };
  const table = renderMarkdown(report);
  process.stdout.write(table);
  writeReport(OUT, report, table);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
