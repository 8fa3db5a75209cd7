// Runs forest.wat: copies a compiled forest's splits into the module's memory
// as one chain in tree order, leaves folded into their parents (once per
// forest while it stays there), with room for a block of records' slots
// beside them; then lays out and walks a block in two calls. The batch path's BlockWalk (model/engine/tree-block.ts).
// Workers cannot compile WebAssembly from bytes at run time, so the worker
// passes the module wrangler bundled; tests compile forest.wasm themselves.
import { BLOCK, type BlockWalk, type CompiledForest } from '../../model/index.ts';
import layout from './layout.json';

interface ForestExports {
  memory: WebAssembly.Memory;
  laySlots(
    values: number,
    inputs: number,
    count: number,
    sets: number,
    setCount: number,
    slots: number,
    width: number,
  ): void;
  walkBlock(root: number, base: number, slots: number, groupBytes: number, groups: number, out: number): void;
}

/** Records walked side by side (forest.wat's lanes; a block holds a whole number of groups of them). */
const LANES = layout.forest.lanes;
/** A node's bytes: i32 slot, where each way leads, f64 threshold, what each way adds (forest.wat's header). */
const NODE = layout.forest.nodeBytes;
const PAGE = 65536;
/** The block's tree values lie at 0. */
const VALUES_AT = 0;
const align8 = (at: number) => (at + 7) & ~7;

/** Where a forest lies in the module's memory (byte offsets; forest.wat's header). */
interface Placement {
  nodes: number;
  sets: number;
  slots: number;
  /** Slots a record has. */
  width: number;
  out: number;
  /** A view of its log-odds, made again after the memory grows. */
  outView: Float64Array;
}

/** The nodes of tree t: compiled nodes [from[t], to[t]) (preorder; `to` is the next tree's root in its lane, or the lane's end). */
function treeRanges(f: CompiledForest): { from: Int32Array; to: Int32Array } {
  const { trees, nodeInt, leafSlot, starts } = f;
  const from = new Int32Array(trees);
  const to = new Int32Array(trees);
  for (let t = 0; t < trees; t++) {
    from[t] = t < starts.length ? starts[t] >> 2 : to[t - starts.length];
    // Its first leaf (the first node reading its +∞ slot) steps to what follows the tree.
    let n = from[t];
    while (nodeInt[4 * n] !== leafSlot + t) n++;
    to[t] = n + 1 + (nodeInt[4 * n + 1] >> 2);
  }
  return { from, to };
}

/**
 * The walk's chain for `f`: per compiled split node its place in the chain
 * (-1 for a leaf), per tree its first place (a tree that is one leaf takes
 * one place too), and the chain's end at `first[trees]`.
 */
function chainOf(f: CompiledForest): { index: Int32Array; first: Int32Array; from: Int32Array; to: Int32Array } {
  const { from, to } = treeRanges(f);
  const index = new Int32Array(f.nodeInt.length >> 2).fill(-1);
  const first = new Int32Array(f.trees + 1);
  let count = 0;
  for (let t = 0; t < f.trees; t++) {
    first[t] = count;
    for (let n = from[t]; n < to[t]; n++) if (f.nodeInt[4 * n] < f.leafSlot) index[n] = count++;
    if (count === first[t]) count++;
  }
  first[f.trees] = count;
  return { index, first, from, to };
}

/** The bytes forest.wat's layout takes for `f`: its chain of nodes, its sets and their levels, a block's slots and log-odds. */
function bytesOf(f: CompiledForest): number {
  const nodes = chainOf(f).first[f.trees] + 1;
  const width = 1 + 2 * (f.inputs + f.setInput.length);
  return NODE * nodes + align8(12 * f.setInput.length) + align8(f.setRight.length) + BLOCK * width * 8 + BLOCK * 8;
}

export class ForestWalk implements BlockWalk {
  private readonly wasm: ForestExports;
  private readonly placed = new Map<CompiledForest, Placement>();
  /** The block's tree values lie at VALUES_AT, in room for `valuesRoom` bytes; forests after them up to `top`. */
  private valuesRoom = 0;
  private top = 0;
  private valuesView = new Float64Array(0);

  constructor(module: WebAssembly.Module) {
    this.wasm = new WebAssembly.Instance(module, {}).exports as unknown as ForestExports;
    this.top = VALUES_AT;
  }

  /** The module's memory in bytes: it holds one working set of forests, whatever was walked before. */
  get memoryBytes(): number {
    return this.wasm.memory.buffer.byteLength;
  }

  values(forests: readonly CompiledForest[]): Float64Array {
    const bytes = BLOCK * (forests[0]?.inputs ?? 0) * 8;
    if (bytes > this.valuesRoom || forests.some((f) => !this.placed.has(f))) this.place(forests, bytes);
    if (this.valuesView.length * 8 !== bytes)
      this.valuesView = new Float64Array(this.wasm.memory.buffer, VALUES_AT, bytes / 8);
    return this.valuesView;
  }

  walk(f: CompiledForest, count: number): Float64Array {
    const p = this.placed.get(f);
    if (p === undefined || count > BLOCK) throw new Error('ForestWalk.walk: no values handed over for this forest');
    this.wasm.laySlots(VALUES_AT, f.inputs, count, p.sets, f.setInput.length, p.slots, p.width);
    const groups = Math.ceil(count / LANES);
    this.wasm.walkBlock(p.nodes, f.base, p.slots, p.width * 8 * LANES, groups, p.out);
    if (p.outView.length === 0) p.outView = new Float64Array(this.wasm.memory.buffer, p.out, BLOCK);
    return p.outView;
  }

  /**
   * Places every forest of `forests` not placed yet after the others, with
   * room for `valuesBytes` of tree values; when they do not fit in the memory
   * as it is, the memory is given to `forests` alone, from the start (grown
   * only when they need more): publishing and rolling back models keeps one
   * working set, not every forest ever walked.
   */
  private place(forests: readonly CompiledForest[], valuesBytes: number): void {
    let missing = [...new Set(forests)].filter((f) => !this.placed.has(f));
    const need = (fs: readonly CompiledForest[]) => fs.reduce((sum, f) => sum + bytesOf(f), 0);
    const have = this.wasm.memory.buffer.byteLength;
    if (valuesBytes > this.valuesRoom || (this.top + need(missing) > have && this.placed.size > 0)) {
      this.placed.clear();
      this.valuesRoom = Math.max(this.valuesRoom, valuesBytes);
      this.top = VALUES_AT + this.valuesRoom;
      missing = [...new Set(forests)];
    }
    const end = this.top + need(missing);
    if (end > have) this.wasm.memory.grow(Math.ceil((end - have) / PAGE));
    this.valuesView = new Float64Array(0); // made again by values()
    for (const p of this.placed.values()) p.outView = new Float64Array(0);
    for (const f of missing) this.placed.set(f, this.write(f));
  }

  /** Writes `f` at `top` as forest.wat's header lays it out; its placement. */
  private write(f: CompiledForest): Placement {
    const { buffer } = this.wasm.memory;
    const { index, first, from, to } = chainOf(f);
    const { nodeInt, nodeThreshold, leafValue, leafSlot, trees } = f;
    const count = first[trees] + 1;
    const nodes = this.top;
    const ints = new Int32Array(buffer, nodes, (NODE / 4) * count);
    const doubles = new Float64Array(buffer, nodes, (NODE / 8) * count);
    const I = NODE / 4;
    const D = NODE / 8;
    const address = (i: number) => nodes + NODE * i;
    /** Node i: its slot (a byte offset in a group) and threshold, and per way (0 left, 1 right) where it leads and what it adds. */
    const put = (i: number, slot: number, threshold: number, next: number[], adds: number[]) => {
      ints[I * i] = slot;
      ints[I * i + 1] = next[0];
      ints[I * i + 2] = next[1];
      doubles[D * i + 2] = threshold;
      doubles[D * i + 3] = adds[0];
      doubles[D * i + 4] = adds[1];
    };
    for (let t = 0; t < trees; t++) {
      const root = address(first[t + 1]); // the next tree's
      // A child that is a split is a node of the chain, and adds −0 (nothing to any sum, −0 included); a leaf adds its value, and leads on.
      const way = (c: number, next: number[], adds: number[], w: number) => {
        next[w] = nodeInt[4 * c] < leafSlot ? address(index[c]) : root;
        adds[w] = nodeInt[4 * c] < leafSlot ? -0 : leafValue[c];
      };
      if (index[from[t]] < 0) {
        // A tree that is one leaf: a node reading +∞ that always goes right, to it.
        put(first[t], 0, 0, [root, root], [leafValue[from[t]], leafValue[from[t]]]);
        continue;
      }
      for (let n = from[t]; n < to[t]; n++) {
        if (index[n] < 0) continue;
        const next = [0, 0];
        const adds = [0, 0];
        way(n + 1, next, adds, 0);
        way(n + 1 + (nodeInt[4 * n + 1] >> 2), next, adds, 1);
        put(index[n], (nodeInt[4 * n] + 1) * 8 * LANES, nodeThreshold[2 * n + 1], next, adds);
      }
    }
    // The chain's end: reads +∞, leads to itself, adds −0.
    const end = address(first[trees]);
    put(first[trees], 0, 0, [end, end], [-0, -0]);
    const sets = nodes + NODE * count;
    const levelsAt = sets + align8(12 * f.setInput.length);
    const setWords = new Int32Array(buffer, sets, 3 * f.setInput.length);
    for (let j = 0; j < f.setInput.length; j++) {
      setWords[3 * j] = f.setInput[j];
      setWords[3 * j + 1] = f.levels[f.setInput[j]];
      setWords[3 * j + 2] = levelsAt + f.setAt[j];
    }
    new Uint8Array(buffer, levelsAt, f.setRight.length).set(f.setRight);
    const width = 1 + 2 * (f.inputs + f.setInput.length);
    const slots = levelsAt + align8(f.setRight.length);
    const out = slots + BLOCK * width * 8;
    this.top = out + BLOCK * 8;
    // Slot 0 (+∞) of every lane, also those a part block leaves empty: their walk must end too.
    const slotView = new Float64Array(buffer, slots, BLOCK * width);
    for (let j = 0; j < BLOCK; j++) slotView[Math.floor(j / LANES) * width * LANES + (j % LANES)] = Infinity;
    return { nodes, sets, slots, width, out, outView: new Float64Array(0) };
  }
}
