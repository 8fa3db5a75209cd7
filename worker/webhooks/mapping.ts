// Turning a sign-up webhook's payload into the model's raw fields. By default
// each model input is read from `data.<name>`; WEBHOOK_FIELD_MAP can name
// other paths, e.g. { "age": "data.profile.age", "region": "data.addresses[0].region" }.
// Paths follow own properties only, so "__proto__" or "constructor" lead nowhere.

export type PathStep = string | number;

export interface FieldMapping {
  /** Model field → steps into the payload. */
  paths: Map<string, PathStep[]>;
  /** The configured text of each path, for naming fields in problems. */
  names: Map<string, string>;
}

export class MappingError extends Error {
  override name = 'MappingError';
}

/** "data.addresses[0].region" → ['data', 'addresses', 0, 'region']; null when malformed. */
export function parsePath(path: string): PathStep[] | null {
  if (typeof path !== 'string' || path.length === 0 || path.length > 200) return null;
  const steps: PathStep[] = [];
  for (const part of path.split('.')) {
    const m = /^([^.[\]]+)((?:\[\d{1,6}\])*)$/.exec(part);
    if (!m) return null;
    steps.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
  }
  return steps;
}

/** The mapping for a model's inputs: configured paths, `data.<field>` for the rest. Throws MappingError on a bad configuration. */
export function fieldMapping(config: string | undefined, inputs: readonly string[]): FieldMapping {
  const paths = new Map<string, PathStep[]>();
  const names = new Map<string, string>();
  for (const name of inputs) {
    paths.set(name, ['data', name]);
    names.set(name, `data.${name}`);
  }
  const text = (config ?? '').trim();
  if (!text) return { paths, names };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new MappingError('WEBHOOK_FIELD_MAP is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new MappingError('WEBHOOK_FIELD_MAP must be a JSON object of "<field>": "<path>"');
  for (const [field, path] of Object.entries(doc)) {
    if (!paths.has(field))
      throw new MappingError(`WEBHOOK_FIELD_MAP names "${field}", which is not an input of the active model`);
    const steps = typeof path === 'string' ? parsePath(path) : null;
    if (!steps)
      throw new MappingError(
        `WEBHOOK_FIELD_MAP: the path for "${field}" is not like "data.profile.age" or "data.items[0].kind"`,
      );
    paths.set(field, steps);
    names.set(field, path as string);
  }
  return { paths, names };
}

export function readPath(root: unknown, steps: readonly PathStep[]): unknown {
  let at: unknown = root;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(at) || step >= at.length) return undefined;
      at = at[step];
    } else {
      if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, step)) return undefined;
      at = (at as Record<string, unknown>)[step];
    }
  }
  return at;
}

/** The model's raw record from a payload (a field whose path is absent is left out, and later imputed). */
export function mapRecord(payload: unknown, mapping: FieldMapping): Record<string, unknown> {
  const record: Record<string, unknown> = Object.create(null);
  for (const [field, steps] of mapping.paths) {
    const value = readPath(payload, steps);
    if (value !== undefined) record[field] = value;
  }
  return record;
}
