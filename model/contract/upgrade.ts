// Stored models outlive format changes: a model published under an older
// format is read into the current shape before it is validated, so the worker,
// the CLI and an admin rollback keep loading it. Pure: the document given is
// left as it is (its version is the hash of that content, not of the copy).

export const FORMAT_1 = 'edgeseg.model/1';
export const FORMAT_2 = 'edgeseg.model/2';
/** /2 plus boosted heads: written only for a model that has one, so every other model stays /2. */
export const FORMAT_3 = 'edgeseg.model/3';

/** Every format a document may be written in, oldest first. /2 and /3 are both current. */
export const READABLE_FORMATS = [FORMAT_1, FORMAT_2, FORMAT_3] as const;

/**
 * The format a model is written in: the oldest that holds it, so a model
 * with logistic heads only stays readable by workers that predate boosted
 * heads, and one with a boosted head is refused by them by its format.
 */
export function formatFor(targets: readonly { kind?: string }[]): typeof FORMAT_2 | typeof FORMAT_3 {
  return targets.some((t) => t.kind === 'boosted') ? FORMAT_3 : FORMAT_2;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The document in the current format's shape, or the document itself when it
 * is current or not a model at all (validation then says what is wrong).
 */
export function upgradeModel(doc: unknown): unknown {
  return isObj(doc) && doc.format === FORMAT_1 ? from1To2(doc) : doc;
}

/**
 * /1 keyed each segment's `profile.means` and the population's `means` and
 * `stds` by input name; /2 lists them in `inputs` order, null for a category
 * input. A name /1 lacks becomes null, which validation refuses for a number input.
 */
function from1To2(doc: Obj): Obj {
  const inputs = Array.isArray(doc.inputs) ? doc.inputs : [];
  const numberNames = inputs.map((f: unknown) =>
    isObj(f) && f.type === 'number' && typeof f.name === 'string' ? f.name : null,
  );
  const inOrder = (byName: unknown) =>
    isObj(byName)
      ? numberNames.map((name) => (name !== null && Object.hasOwn(byName, name) ? byName[name] : null))
      : byName;
  const profile = (p: unknown, keys: string[]) =>
    isObj(p) ? { ...p, ...Object.fromEntries(keys.map((k) => [k, inOrder(p[k])])) } : p;
  const seg = doc.segmentation;
  return {
    ...doc,
    format: FORMAT_2,
    ...(isObj(seg)
      ? {
          segmentation: {
            ...seg,
            segments: Array.isArray(seg.segments)
              ? seg.segments.map((s: unknown) => (isObj(s) ? { ...s, profile: profile(s.profile, ['means']) } : s))
              : seg.segments,
            population: profile(seg.population, ['means', 'stds']),
          },
        }
      : {}),
  };
}
