// Reads one setting from the environment or, failing that, from .dev.vars (the
// local secrets `npm start` creates), for the example scripts.
import { readFileSync } from 'node:fs';

export function setting(name: string): string | undefined {
  if (process.env[name]) return process.env[name];
  try {
    for (const line of readFileSync('.dev.vars', 'utf8').split('\n')) {
      const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
      if (m && m[1] === name) return m[2].replace(/^"(.*)"$/, '$1');
    }
  } catch {
    // no .dev.vars
  }
  return undefined;
}
