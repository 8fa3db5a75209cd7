// CSV ingest: `npx tsx bench/jobs/csv.ts <file.csv> <config.json>` — readTable streams the file into typed columns.
import { statSync } from 'node:fs';
import { loadConfig } from '../../trainer/config.ts';
import { readTable } from '../../trainer/read/table.ts';
import { peakRssMB } from '../lib/io.ts';

const [file, configFile] = process.argv.slice(2);
const config = await loadConfig(configFile);
const before = peakRssMB();
const cpu = process.cpuUsage();
const t = performance.now();
const table = await readTable(file, config);
const ms = performance.now() - t;
const userMs = process.cpuUsage(cpu).user / 1000;
console.log(
  JSON.stringify({
    ms,
    userMs,
    rows: table.rows,
    columns: table.columns.length,
    fileMB: statSync(file).size / 1e6,
    rssBeforeMB: before,
    peakRssMB: peakRssMB(),
  }),
);
