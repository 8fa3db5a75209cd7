// Regression trees of a boosted head, as plain flat arrays: the contract
// between the trainer's booster, the scorer's tree walk and TreeSHAP.
//
// A tree reads the model's inputs directly (not the encoded design vector):
// an input's value is its raw number, or for a category input the index of
// its level in `InputField.levels`; a missing value or an unseen level is NaN
// and follows the node's default direction.

/**
 * Internal nodes are numbered 0..n-1 and node 0 is the root. A child
 * reference c ≥ 0 is internal node c; c < 0 is leaf ~c (that is, -c - 1).
 * A tree with no internal node is the single leaf 0.
 */
export interface Tree {
  /** Per internal node: the index into `Model.inputs` it splits on. */
  feature: number[];
  /** Per internal node, numeric split: value ≤ threshold goes left (raw input units). 0 for a category split. */
  threshold: number[];
  /** Per internal node: 1 when a missing value (NaN) goes left, else 0. */
  missingLeft: number[];
  /** Per internal node, category split: the level indices that go left, sorted; null for a numeric split. Absent when the tree has no category split. */
  categories?: (number[] | null)[];
  left: number[];
  right: number[];
  /** Per internal node: training rows that reached it (TreeSHAP's cover). */
  cover: number[];
  /** Per leaf: its value in log-odds, learning rate already applied. */
  leaf: number[];
  /** Per leaf: training rows that reached it. */
  leafCover: number[];
}
