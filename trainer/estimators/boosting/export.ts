// A grown tree as the model stores it (model/contract/trees.ts): internal
// nodes and leaves numbered in depth-first order from the root, thresholds in
// the raw units of the input (see splitThreshold), category sets as level
// indices, leaf values rounded to what ships.
import type { Tree } from '../../../model/index.ts';
import { roundSig } from '../../round.ts';
import { type BinnedColumn, splitThreshold } from './binning.ts';
import type { GrownNode } from './grower.ts';

/**
 * A leaf value as it ships: five decimals (at least three significant
 * digits, at most six), so 100 trees move a log-odds by 5e-4 at worst and
 * the model JSON stays small; the booster continues from these values.
 */
export function roundLeaf(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const digits = Math.min(6, Math.max(3, 5 + Math.ceil(Math.log10(Math.abs(v)))));
  return roundSig(v, digits);
}

/** `inputOf[j]`: the model input binned column j reads. */
export function exportTree(nodes: GrownNode[], columns: readonly BinnedColumn[], inputOf: ArrayLike<number>): Tree {
  const tree: Tree = {
    feature: [],
    threshold: [],
    missingLeft: [],
    left: [],
    right: [],
    cover: [],
    leaf: [],
    leafCover: [],
  };
  const categories: (number[] | null)[] = [];
  const visit = (i: number): number => {
    const node = nodes[i];
    if (!node.split) {
      tree.leaf.push(roundLeaf(node.value));
      tree.leafCover.push(node.n);
      return ~(tree.leaf.length - 1);
    }
    const s = node.split;
    const id = tree.feature.length;
    tree.feature.push(inputOf[s.column]);
    tree.threshold.push(s.categories ? 0 : splitThreshold(columns[s.column], s.bin));
    tree.missingLeft.push(s.missingLeft ? 1 : 0);
    tree.cover.push(node.n);
    categories.push(s.categories);
    tree.left.push(0);
    tree.right.push(0);
    tree.left[id] = visit(node.left);
    tree.right[id] = visit(node.right);
    return id;
  };
  visit(0);
  if (categories.some((c) => c !== null)) tree.categories = categories;
  return tree;
}
