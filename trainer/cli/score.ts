// `npm run score -- --model <model.json> --data <file.csv> [--out <file.csv>]`
// Scores a CSV offline with the worker's own code: the input rows plus
// `segment`, `segment_label`, `p_<target>` and `error`. A file that is not a
// table (not text, no column the model knows, rows mostly of the wrong width)
// is refused as file:line before anything is written. Rows that cannot be
// scored are listed on stderr as file:line and say why in `error`.
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { CsvScorer, CsvError, TableReader, TableRefusal, compileModel, parseModel } from '../../model/index.ts';
import { parseArgs, runCli, UsageError } from './args.ts';

const USAGE = 'usage: npm run score -- --model <model.json> --data <file.csv> [--out <file.csv>]';

runCli(async () => {
  const { values } = parseArgs(process.argv.slice(2), { values: { model: false, data: false, out: false } });
  if (!values.model || !values.data) throw new UsageError(`--model and --data are required\n${USAGE}`);
  const modelFile = values.model[0];
  const dataFile = values.data[0];
  const modelText = await readFile(modelFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`${modelFile}: cannot be read (${e.code})`);
  });
  const cm = compileModel(parseModel(modelText));
  // Opened at the first row: a refused file leaves no output file behind.
  let out: NodeJS.WritableStream | null = null;
  const output = () => (out ??= values.out ? createWriteStream(values.out[0]) : process.stdout);
  let buffered = '';
  const flushAt = 1 << 16;
  const write = (text: string) => {
    buffered += text;
    if (buffered.length >= flushAt) {
      output().write(buffered);
      buffered = '';
    }
  };
  const scorer = new CsvScorer(cm, write);
  const table = new TableReader(
    cm.model.inputs.map((f) => f.name),
    (r) => scorer.row(r),
    dataFile,
  );
  try {
    for await (const chunk of createReadStream(dataFile, { highWaterMark: 1 << 20 })) table.push(chunk as Buffer);
  } catch (e) {
    if (e instanceof CsvError || e instanceof TableRefusal) throw e;
    throw new UsageError(`${dataFile}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  table.end();
  output().write(buffered);
  if (out !== process.stdout) await new Promise<void>((resolve) => output().end(resolve));
  for (const e of scorer.errors.slice(0, 50)) process.stderr.write(`${dataFile}:${e.line}: ${e.field}: ${e.reason}\n`);
  if (scorer.errors.length > 50) process.stderr.write(`… and ${scorer.errors.length - 50} more problems\n`);
  process.stderr.write(
    `scored ${scorer.scored} rows with model ${cm.model.version}${scorer.errors.length ? `; ${new Set(scorer.errors.map((e) => e.line)).size} rows could not be scored` : ''}\n`,
  );
  if (scorer.scored === 0) process.exitCode = 1;
});
