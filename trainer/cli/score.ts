// `npm run score -- --model <model.json> --data <file.csv> [--out <file.csv>]`
// Scores a CSV offline with the worker's own code: the input rows plus
// `segment`, `segment_label` and `p_<target>`. Rows that cannot be scored are
// listed on stderr as file:line and left blank in the output.
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { CsvScorer, CsvError, CsvParser, compileModel, parseModel } from '../../model/index.ts';
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
  const out = values.out ? createWriteStream(values.out[0]) : process.stdout;
  let buffered = '';
  const flushAt = 1 << 16;
  const write = (text: string) => {
    buffered += text;
    if (buffered.length >= flushAt) { out.write(buffered); buffered = ''; }
  };
  const scorer = new CsvScorer(cm, write);
  const parser = new CsvParser((r) => scorer.row(r), { source: dataFile });
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of createReadStream(dataFile, { highWaterMark: 1 << 20 })) parser.push(decoder.write(chunk as Buffer));
  } catch (e) {
    if (e instanceof CsvError) throw e;
    throw new UsageError(`${dataFile}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  parser.push(decoder.end());
  parser.end();
  out.write(buffered);
  if (out !== process.stdout) await new Promise<void>((resolve) => (out as NodeJS.WritableStream).end(resolve));
  for (const e of scorer.errors.slice(0, 50)) process.stderr.write(`${dataFile}:${e.line}: ${e.field}: ${e.reason}\n`);
  if (scorer.errors.length > 50) process.stderr.write(`… and ${scorer.errors.length - 50} more problems\n`);
  process.stderr.write(`scored ${scorer.scored} rows with model ${cm.model.version}${scorer.errors.length ? `; ${new Set(scorer.errors.map((e) => e.line)).size} rows could not be scored` : ''}\n`);
  if (scorer.scored === 0) process.exitCode = 1;
});
