// The Python the scikit-learn side runs in. A user comparing with scikit-learn
// would read the CSV with the fastest reader they have, so the bench makes (or
// reuses) a venv in bench/out/venv on Debian's python3 with its system site
// packages (Debian's scikit-learn and pandas stay visible) and installs the
// pinned pyarrow and polars there. When that fails (no index, no wheel) the
// scikit-learn side runs on Debian's python3 and reads with pandas; every row
// says which reader it used, and the table header prints the versions.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runJob } from './proc.ts';

/** Debian's Python, the one python3-sklearn installs into (a `python3` earlier on PATH may lack it). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const VENV = 'bench/out/venv';
const VENV_PYTHON = join(VENV, 'bin', 'python');
/** Written once the pins are installed: the venv is used only when it holds exactly these. */
const STAMP = join(VENV, 'edgeseg-pins.json');

/** What the bench installs, exactly (polars ships its compiled runtime as a second wheel). */
export const PINS: Readonly<Record<string, string>> = {
  pyarrow: '25.0.1',
  polars: '1.44.2',
  'polars-runtime-32': '1.44.2',
};

/** The CSV readers the scikit-learn side can use, fastest first. */
export const READERS = ['pyarrow', 'polars', 'pandas'] as const;
export type Reader = (typeof READERS)[number];

export interface PythonEnv {
  /** The interpreter the scikit-learn jobs run with. */
  python: string;
  /** Where it is, for the table's header. */
  where: string;
  /** python, sklearn, numpy, blas, pandas and, when installed, pyarrow and polars. */
  versions: Record<string, string>;
  /** The readers installed, fastest first (pandas always). */
  readers: Reader[];
  /** The fastest of them: the reader the `train` baseline uses. */
  fast: Reader;
}

const pinsText = () => JSON.stringify(PINS);
const venvReady = () => existsSync(VENV_PYTHON) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === pinsText();

/** The interpreter scikit-learn jobs run with: the venv when it holds the pins, else Debian's. */
export function pythonPath(): string {
  return venvReady() ? VENV_PYTHON : SYSTEM_PYTHON;
}

/** Makes the venv and installs the pins unless it already holds them; false (and why, logged) when that fails. */
function ensureVenv(log: (line: string) => void): boolean {
  if (venvReady()) return true;
  log(
    `python: making ${VENV} and installing ${Object.entries(PINS)
      .map(([n, v]) => `${n}==${v}`)
      .join(' ')}`,
  );
  const steps: [string, string[]][] = [
    [SYSTEM_PYTHON, ['-m', 'venv', '--system-site-packages', VENV]],
    [
      VENV_PYTHON,
      [
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        '--quiet',
        '--retries',
        '0',
        '--timeout',
        '10',
        ...Object.entries(PINS).map(([n, v]) => `${n}==${v}`),
      ],
    ],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) {
      log(
        `python: ${cmd} ${args.slice(0, 3).join(' ')} failed, reading with pandas: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`,
      );
      return false;
    }
  }
  writeFileSync(STAMP, pinsText());
  return true;
}

/** The scikit-learn side's Python, readers and versions; null when Debian's python3-sklearn is missing. */
export async function preparePython(log: (line: string) => void): Promise<PythonEnv | null> {
  if (!existsSync(SYSTEM_PYTHON)) return null;
  const venv = ensureVenv(log);
  const python = pythonPath();
  try {
    const r = await runJob<{ versions: Record<string, string>; readers: Reader[] }>(
      python,
      ['bench/sklearn/jobs.py', 'version'],
      { timeoutMs: 120_000, env: sklearnEnv() },
    );
    const readers = READERS.filter((name) => r.out.readers.includes(name));
    return {
      python,
      where: venv
        ? `${VENV} (Debian's python3 with its site packages; pinned ${Object.keys(PINS).join(', ')})`
        : python,
      versions: r.out.versions,
      readers,
      fast: readers[0] ?? 'pandas',
    };
  } catch {
    return null;
  }
}

/** One line for the table's header: the interpreter and every baseline library's version. */
export function describePython(py: PythonEnv): string {
  const v = py.versions;
  const libs = ['sklearn', 'numpy', 'pandas', 'pyarrow', 'polars']
    .filter((n) => v[n])
    .map((n) => `${n === 'sklearn' ? 'scikit-learn' : n} ${v[n]}`);
  return `Python ${v.python} in ${py.where}: ${libs.join(', ')} (${v.blas}); CSV readers ${py.readers.join(', ')}`;
}

/**
 * The environment scikit-learn runs in: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE,
 * set on some machines, force a slower OpenBLAS kernel; they are removed for
 * this subprocess only, so numpy picks the kernel for the processor it runs on.
 */
export function sklearnEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}
