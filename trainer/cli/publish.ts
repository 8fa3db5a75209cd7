// `npm run publish -- --model <model.json> [--local | --remote]`
import { readFile } from 'node:fs/promises';
import { PublishError, publishLocal, publishRemote } from '../publish/kv.ts';
import { parseArgs, runCli, UsageError } from './args.ts';

const USAGE = 'usage: npm run publish -- --model <model.json> [--local | --remote]';

runCli(async () => {
  const { values, flags } = parseArgs(process.argv.slice(2), {
    values: { model: false, persist: false },
    flags: ['local', 'remote'],
  });
  if (!values.model) throw new UsageError(`--model is required\n${USAGE}`);
  if (flags.has('local') && flags.has('remote')) throw new UsageError('give --local or --remote, not both');
  const file = values.model[0];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new PublishError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
  const model = await (flags.has('remote') ? publishRemote(text) : publishLocal(text, values.persist?.[0])).catch(
    (e: Error) => {
      if (e.name === 'ModelError') throw new PublishError(`${file}: ${e.message}`);
      throw e;
    },
  );
  process.stdout.write(
    `published ${model.version} (${flags.has('remote') ? 'remote' : 'local'} KV) and made it active\n`,
  );
});
