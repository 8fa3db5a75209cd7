// A small argument parser for the CLIs: `--name value`, `--name=value`,
// repeatable options, boolean flags; unknown options are errors, not ignored.
export class UsageError extends Error {}

export interface ArgSpec {
  /** Options that take a value; `true` when repeatable. */
  values: Record<string, boolean>;
  flags?: string[];
}

export function parseArgs(argv: string[], spec: ArgSpec): { values: Record<string, string[]>; flags: Set<string> } {
  const values: Record<string, string[]> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (spec.flags?.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!(name in spec.values)) {
      const known = [...Object.keys(spec.values), ...(spec.flags ?? [])].map((n) => `--${n}`).join(', ');
      throw new UsageError(`unknown option --${name} (known: ${known})`);
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    if (values[name] && !spec.values[name]) throw new UsageError(`--${name} given twice`);
    (values[name] ??= []).push(value);
  }
  return { values, flags };
}

/** Runs a CLI main, printing known errors as one clear line and exiting 1. */
export function runCli(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    const err = e as Error;
    const known = [
      'UsageError',
      'CsvError',
      'ConfigError',
      'TrainError',
      'SchemaError',
      'ModelError',
      'ExprError',
      'PublishError',
      'TableRefusal',
    ];
    // Our error classes by constructor name: a class need not set `name` to print cleanly.
    if (known.includes(err?.name) || known.includes(err?.constructor?.name) || err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
    } else {
      process.stderr.write(`unexpected error: ${err?.stack ?? String(e)}\n`);
    }
    process.exit(1);
  });
}
