// Loading validates: a document that is malformed, partial or inconsistent is
// refused with every problem named by its path, so a bad publish can never
// replace a good model.
import { exprVariables, parseExpr, ExprError } from './expr.ts';
import { MODEL_FORMAT, type InputField, type Model } from './types.ts';
import { READABLE_FORMATS, upgradeModel } from './upgrade.ts';
import { monitoringProblems } from './monitoring.ts';

export class ModelError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `invalid model: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`,
    );
    this.name = 'ModelError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** JSON text as a document, or a ModelError. */
export function parseModelJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelError([`not JSON: ${(e as Error).message}`]);
  }
}

/** Parses JSON text and validates it; throws ModelError naming every problem. */
export function parseModel(text: string): Model {
  return validateModel(parseModelJson(text));
}

/**
 * The document as a current-format model (an older format is read into a
 * copy in the current shape first, see upgrade.ts); throws ModelError naming
 * every problem by its path.
 */
export function validateModel(given: unknown): Model {
  const problems: string[] = [];
  const bad = (path: string, why: string) => {
    problems.push(`${path}: ${why}`);
  };
  const doc = upgradeModel(given);
  if (!isObj(doc)) throw new ModelError(['model: must be a JSON object']);
  if (doc.format !== MODEL_FORMAT)
    bad(
      'format',
      `must be one of ${READABLE_FORMATS.map((f) => `"${f}"`).join(', ')}, got ${JSON.stringify(doc.format)}`,
    );
  if (!isStr(doc.version) || !/^[a-z0-9-]{4,64}$/.test(doc.version))
    bad('version', 'must be 4–64 characters of a-z, 0-9 and -');

  const training = doc.training;
  if (!isObj(training)) bad('training', 'missing');
  else {
    if (!isStr(training.trainedAt) || Number.isNaN(Date.parse(training.trainedAt)))
      bad('training.trainedAt', 'must be an ISO date');
    if (!Number.isInteger(training.rows) || (training.rows as number) < 1)
      bad('training.rows', 'must be a positive integer');
  }

  // Inputs: unique names, consistent imputation values.
  const inputs = Array.isArray(doc.inputs) ? doc.inputs : (bad('inputs', 'must be an array'), []);
  /** Name and type of each input by position, for the per-input arrays of the profiles. */
  const inputKinds: ({ name: string; type: unknown } | undefined)[] = [];
  const inputTypes = new Map<string, { type: string; levels: number }>();
  inputs.forEach((f: unknown, i: number) => {
    const p = `inputs[${i}]`;
    if (!isObj(f) || !isStr(f.name) || f.name === '') return bad(p, 'must be an object with a name');
    inputKinds[i] = { name: f.name, type: f.type };
    if (inputTypes.has(f.name)) bad(p, `duplicate input "${f.name}"`);
    if (f.type === 'number') {
      if (!isNum(f.impute)) bad(`${p}.impute`, 'must be a finite number');
      if (!isNum(f.min) || !isNum(f.max) || (f.min as number) > (f.max as number))
        bad(`${p}.min/max`, 'must be finite with min ≤ max');
      inputTypes.set(f.name, { type: 'number', levels: 0 });
    } else if (f.type === 'category') {
      const levels = f.levels;
      if (!Array.isArray(levels) || levels.length === 0 || !levels.every(isStr))
        return bad(`${p}.levels`, 'must be a non-empty array of strings');
      if (new Set(levels).size !== levels.length) bad(`${p}.levels`, 'must not repeat');
      if (!isStr(f.impute) || !levels.includes(f.impute)) bad(`${p}.impute`, 'must be one of the levels');
      inputTypes.set(f.name, { type: 'category', levels: levels.length });
    } else bad(`${p}.type`, 'must be "number" or "category"');
  });
  if (inputs.length === 0) bad('inputs', 'must list at least one input');

  // Features: each reads an input of the right type; d = encoded width.
  let d = 0;
  const features = Array.isArray(doc.features) ? doc.features : (bad('features', 'must be an array'), []);
  features.forEach((f: unknown, i: number) => {
    const p = `features[${i}]`;
    if (!isObj(f)) return bad(p, 'must be an object');
    const input = isStr(f.input) ? inputTypes.get(f.input) : undefined;
    if (f.kind === 'numeric') {
      if (isStr(f.expr)) {
        try {
          for (const v of exprVariables(parseExpr(f.expr))) {
            if (inputTypes.get(v)?.type !== 'number') bad(`${p}.expr`, `reads "${v}", which is not a number input`);
          }
        } catch (e) {
          bad(`${p}.expr`, e instanceof ExprError ? e.message : 'unparseable');
        }
      } else if (input?.type !== 'number') bad(`${p}.input`, 'must name a number input (or give expr)');
      if (!isNum(f.mean) || !isNum(f.std) || (f.std as number) <= 0) bad(p, 'mean must be finite and std > 0');
      d += 1;
    } else if (f.kind === 'ordinal' || f.kind === 'onehot') {
      if (input?.type !== 'category') return bad(`${p}.input`, 'must name a category input');
      if (f.kind === 'ordinal' && (!isNum(f.mean) || !isNum(f.std) || (f.std as number) <= 0))
        bad(p, 'mean must be finite and std > 0');
      d += f.kind === 'ordinal' ? 1 : input.levels;
    } else bad(`${p}.kind`, 'must be numeric, ordinal or onehot');
  });
  if (features.length === 0) bad('features', 'must list at least one feature');

  const vector = (v: unknown, path: string, len = d) => {
    if (!Array.isArray(v) || v.length !== len || !v.every(isNum)) bad(path, `must be ${len} finite numbers`);
  };

  // Per-input figures in input order: a number for a number input, null for a category (its levels are in shares).
  const perInput = (v: unknown, path: string) => {
    if (!Array.isArray(v) || v.length !== inputs.length)
      return bad(path, `must be an array with one entry per input (${inputs.length})`);
    v.forEach((x: unknown, j: number) => {
      const input = inputKinds[j];
      if (input?.type === 'number' && !isNum(x))
        bad(`${path}[${j}]`, `must be a finite number (number input "${input.name}")`);
      else if (input?.type === 'category' && x !== null)
        bad(`${path}[${j}]`, `must be null (category input "${input.name}": see shares)`);
    });
  };
  const profile = (p: unknown, path: string, extra: string[] = []) => {
    if (!isObj(p)) return bad(path, 'must be an object with means and shares');
    for (const key of ['means', ...extra]) perInput(p[key], `${path}.${key}`);
    if (!isObj(p.shares)) bad(`${path}.shares`, 'must be an object');
  };

  const seg = doc.segmentation;
  if (!isObj(seg)) bad('segmentation', 'missing');
  else {
    const centroids = Array.isArray(seg.centroids) ? seg.centroids : [];
    if (centroids.length < 1) bad('segmentation.centroids', 'must hold at least one centroid');
    centroids.forEach((c: unknown, i: number) => vector(c, `segmentation.centroids[${i}]`));
    const segments = Array.isArray(seg.segments) ? seg.segments : [];
    if (segments.length !== centroids.length)
      bad('segmentation.segments', `must hold one entry per centroid (${centroids.length})`);
    segments.forEach((s: unknown, i: number) => {
      if (!isObj(s) || s.id !== i || !isStr(s.label))
        return bad(`segmentation.segments[${i}]`, 'must have id = its index and a label');
      profile(s.profile, `segmentation.segments[${i}].profile`);
    });
    profile(seg.population, 'segmentation.population', ['stds']);
    // Older models have no rule; a newer one states it with numbers.
    const rule = isObj(seg.selection) ? seg.selection.rule : undefined;
    if (
      rule !== undefined &&
      !(
        isObj(rule) &&
        isStr(rule.criterion) &&
        isNum(rule.tolerance) &&
        isNum(rule.minShare) &&
        Number.isInteger(rule.rawBest)
      )
    ) {
      bad('segmentation.selection.rule', 'must hold criterion, tolerance, minShare and rawBest');
    }
  }

  const targets = Array.isArray(doc.targets) ? doc.targets : (bad('targets', 'must be an array'), []);
  const targetNames = new Set<string>();
  targets.forEach((t: unknown, i: number) => {
    const p = `targets[${i}]`;
    if (!isObj(t) || !isStr(t.name) || t.name === '') return bad(p, 'must be an object with a name');
    if (targetNames.has(t.name)) bad(p, `duplicate target "${t.name}"`);
    targetNames.add(t.name);
    vector(t.weights, `${p}.weights`);
    if (!isNum(t.intercept)) bad(`${p}.intercept`, 'must be a finite number');
    if (t.label !== undefined && (!isStr(t.label) || t.label.length > 200))
      bad(`${p}.label`, 'must be a string of at most 200 characters');
    if (!isNum(t.threshold) || (t.threshold as number) < 0 || (t.threshold as number) > 1)
      bad(`${p}.threshold`, 'must be in [0, 1]');
  });

  if (doc.classifiers !== undefined) {
    const heads = Array.isArray(doc.classifiers) ? doc.classifiers : (bad('classifiers', 'must be an array'), []);
    heads.forEach((h: unknown, i: number) => {
      const p = `classifiers[${i}]`;
      if (!isObj(h) || !isStr(h.name) || h.name === '') return bad(p, 'must be an object with a name');
      if (targetNames.has(h.name)) bad(p, `duplicate target "${h.name}"`);
      targetNames.add(h.name);
      if (h.method !== 'ovr') bad(`${p}.method`, 'must be "ovr"');
      const classes = h.classes;
      if (
        !Array.isArray(classes) ||
        classes.length < 2 ||
        !classes.every(isStr) ||
        new Set(classes).size !== classes.length
      )
        return bad(`${p}.classes`, 'must be 2 or more distinct strings');
      if (!Array.isArray(h.weights) || h.weights.length !== classes.length)
        bad(`${p}.weights`, `must hold one vector per class (${classes.length})`);
      else h.weights.forEach((w: unknown, c: number) => vector(w, `${p}.weights[${c}]`));
      vector(h.intercepts, `${p}.intercepts`, classes.length);
    });
  }

  const proj = doc.projection;
  if (!isObj(proj)) bad('projection', 'missing');
  else {
    vector(proj.mean, 'projection.mean');
    if (!Array.isArray(proj.components) || proj.components.length !== 2)
      bad('projection.components', 'must hold 2 axes');
    else proj.components.forEach((c: unknown, i: number) => vector(c, `projection.components[${i}]`));
    if (!Array.isArray(proj.sample)) bad('projection.sample', 'must be an array');
  }

  if (!problems.length) {
    const segments = isObj(doc.segmentation) ? (doc.segmentation.centroids as unknown[]).length : 0;
    problems.push(...monitoringProblems(doc.monitoring, inputs as InputField[], segments, targets.length));
  }
  if (problems.length) throw new ModelError(problems);
  return doc as unknown as Model;
}
