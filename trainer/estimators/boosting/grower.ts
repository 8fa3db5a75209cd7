// Growing one regression tree leaf-wise (best-first, as LightGBM and
// scikit-learn's grower.py): the leaf whose best split gains most is split
// next, until maxLeaves leaves or no split gains. Rows are partitioned in
// place (stably, so the order never depends on anything but the data); the
// smaller child's histogram is built from its rows, the larger one's is the
// parent's minus it.
import type { BinnedColumn } from './binning.ts';
import { subtractHistogram } from './histogram.ts';
import { bestSplit, type Split } from './split.ts';
import type { BoostMemory } from './memory.ts';
import { nodeHistogram, partitionRows, rootHistogram } from './threads.ts';

export interface GrowOptions {
  maxLeaves: number;
  minLeafSize: number;
  l2: number;
  learningRate: number;
}

/** A grown tree: nodes in creation order, node 0 the root. */
export interface GrownNode {
  n: number;
  G: number;
  H: number;
  /** Rows of the node: `rows[start..end)` of the grower's partition. */
  start: number;
  end: number;
  split: Split | null;
  left: number;
  right: number;
  /** A leaf's value (learning rate applied); NaN for an internal node. */
  value: number;
}

/** The state one fit reuses across trees: the binned columns, their layout, scratch. */
export class Grower {
  readonly rows: Uint32Array;
  /** Histograms of the memory not held by a node, by index. */
  private readonly free: number[];

  constructor(
    readonly columns: readonly BinnedColumn[],
    readonly off: Int32Array,
    readonly size: number,
    readonly memory: BoostMemory,
    readonly options: GrowOptions,
  ) {
    this.rows = memory.rows;
    this.free = memory.hists.map((_, h) => h).reverse();
  }

  /** A free histogram of the memory (a tree holds at most one per leaf, and one more while it splits). */
  private histogram(): number {
    const h = this.free.pop();
    if (h === undefined) throw new Error('grower: more histograms held than a tree has leaves');
    return h;
  }

  /** Grows a tree on the memory's gradients and hessians. */
  grow(): GrownNode[] {
    const { rows, columns, off, memory, options } = this;
    const { gh, sums } = memory;
    const n = rows.length;
    const { minLeafSize, l2, maxLeaves } = options;
    // Every row in order, and the sums of their gradients and hessians in row order.
    memory.kernels.startTree(rows.byteOffset, n, gh.byteOffset, sums.byteOffset);
    const [G, H] = sums;
    const nodes: GrownNode[] = [];
    const hists: (number | null)[] = [];
    const add = (start: number, end: number, G: number, H: number, hist: number | null): number => {
      const count = end - start;
      let split: Split | null = null;
      if (hist !== null && count >= 2 * minLeafSize)
        split = bestSplit(memory.hists[hist], columns, off, G, H, count, { minLeafSize, l2 });
      if (hist !== null && !split) {
        this.free.push(hist);
        hist = null;
      }
      nodes.push({ n: count, G, H, start, end, split, left: -1, right: -1, value: NaN });
      hists.push(hist);
      return nodes.length - 1;
    };
    const rootHist = this.histogram();
    rootHistogram(memory, rootHist);
    add(0, n, G, H, rootHist);

    let leaves = 1;
    while (leaves < maxLeaves) {
      // The open leaf with the largest gain; on a tie the older one.
      let pick = -1;
      for (let i = 0; i < nodes.length; i++) {
        const s = nodes[i].split;
        if (s && nodes[i].left < 0 && (pick < 0 || s.gain > nodes[pick].split!.gain)) pick = i;
      }
      if (pick < 0) break;
      const node = nodes[pick];
      const split = node.split!;
      const mid = this.partition(node, split);
      const parentHist = hists[pick]!;
      hists[pick] = null;
      const nLeft = mid - node.start;
      const nRight = node.end - mid;
      const small = this.histogram();
      if (nLeft <= nRight) nodeHistogram(memory, node.start, mid, small);
      else nodeHistogram(memory, mid, node.end, small);
      // The parent's histogram becomes the larger child's.
      subtractHistogram(memory.hists[parentHist], memory.hists[small], memory.hists[parentHist]);
      const [leftHist, rightHist] = nLeft <= nRight ? [small, parentHist] : [parentHist, small];
      node.left = add(node.start, mid, split.gLeft, split.hLeft, leftHist);
      node.right = add(mid, node.end, node.G - split.gLeft, node.H - split.hLeft, rightHist);
      leaves++;
    }
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node.left < 0) {
        node.split = null;
        node.value = (-options.learningRate * node.G) / (node.H + l2);
      }
      const hist = hists[i];
      if (hist !== null) this.free.push(hist);
    }
    return nodes;
  }

  /** Reorders `rows[start..end)` of the node, left rows first (each side in its old order); returns where the right ones start. */
  private partition(node: GrownNode, split: Split): number {
    const col = this.columns[split.column];
    const missing = col.bins;
    const { goesLeft } = this.memory;
    goesLeft.fill(0);
    if (split.categories) for (const c of split.categories) goesLeft[c] = 1;
    else goesLeft.fill(1, 0, split.bin + 1);
    goesLeft[missing] = split.missingLeft ? 1 : 0;
    return partitionRows(this.memory, node.start, node.end, split.column);
  }
}
