// Validating a boosted head's trees (the flat format of trees.ts) on load:
// every array the right length, every index in range, every node reached
// from the root exactly once (no cycle, no shared subtree, nothing
// unreachable), every value finite, every category level one the input has.
// A walk over a tree that passed can neither loop nor read out of bounds.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** What a tree may know of an input: its type, and a category's number of levels. */
export interface TreeInputKind {
  type: unknown;
  levels: number;
}

/** Checks one tree; each problem goes to `bad` with its path under `path`. */
export function validateTree(
  tree: unknown,
  path: string,
  inputs: readonly (TreeInputKind | undefined)[],
  bad: (path: string, why: string) => void,
) {
  if (!isObj(tree)) return bad(path, 'must be an object');
  const numbers = (key: string, len: number, check: (v: number) => boolean, want: string): number[] | null => {
    const v = tree[key];
    if (!Array.isArray(v) || v.length !== len) {
      bad(`${path}.${key}`, `must be an array of ${len}`);
      return null;
    }
    const at = v.findIndex((x) => !isNum(x) || !check(x));
    if (at >= 0) {
      bad(`${path}.${key}[${at}]`, `must be ${want}`);
      return null;
    }
    return v as number[];
  };
  const n = Array.isArray(tree.feature) ? tree.feature.length : (bad(`${path}.feature`, 'must be an array'), -1);
  if (n < 0) return;
  const leaves = n + 1;
  const inRange = (max: number) => (v: number) => Number.isInteger(v) && v >= 0 && v < max;
  const feature = numbers('feature', n, inRange(inputs.length), `an input index below ${inputs.length}`);
  // Any input may be split by a threshold (a category by its level index, e.g. an ordinal one).
  numbers('threshold', n, () => true, 'a finite number');
  numbers('missingLeft', n, (v) => v === 0 || v === 1, '0 or 1');
  const child = (v: number) => Number.isInteger(v) && (v >= 0 ? v < n : ~v < leaves);
  const left = numbers('left', n, child, `an internal node below ${n} or a leaf ~i with i below ${leaves}`);
  const right = numbers('right', n, child, `an internal node below ${n} or a leaf ~i with i below ${leaves}`);
  numbers('cover', n, (v) => v >= 0, 'a count ≥ 0');
  numbers('leaf', leaves, () => true, 'a finite number');
  numbers('leafCover', leaves, (v) => v >= 0, 'a count ≥ 0');

  if (tree.categories !== undefined) {
    const cats = tree.categories;
    if (!Array.isArray(cats) || cats.length !== n) bad(`${path}.categories`, `must be an array of ${n}`);
    else
      cats.forEach((c: unknown, i: number) => {
        if (c === null) return;
        const p = `${path}.categories[${i}]`;
        const input = feature ? inputs[feature[i]] : undefined;
        if (feature && input?.type !== 'category') return bad(p, 'splits a number input: must be null');
        const levels = input?.levels ?? 0;
        if (
          !Array.isArray(c) ||
          !c.every((l, j) => Number.isInteger(l) && l >= 0 && l < levels && (j === 0 || l > c[j - 1]))
        )
          bad(p, `must be increasing level indices below ${levels}`);
      });
  }
  if (!left || !right) return;
  // Every node once from the root: a repeat is a cycle or a shared subtree, a node never seen is unreachable.
  const seenNode = new Uint8Array(n);
  const seenLeaf = new Uint8Array(leaves);
  const stack = [n === 0 ? -1 : 0];
  let visited = 0;
  while (stack.length) {
    const c = stack.pop()!;
    const seen = c >= 0 ? seenNode : seenLeaf;
    const i = c >= 0 ? c : ~c;
    if (seen[i])
      return bad(path, `${c >= 0 ? `node ${i}` : `leaf ${i}`} is reached twice (a cycle or a shared subtree)`);
    seen[i] = 1;
    visited++;
    if (c >= 0) stack.push(right[c], left[c]);
  }
  if (visited !== n + leaves) bad(path, `${n + leaves - visited} nodes are not reachable from the root`);
}
