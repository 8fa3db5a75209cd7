// Runs writer.wat: lays a model's answer text out in the module's memory
// (once per model and version), scores a batch the reader read — per result
// its segment and numbers, plus text of its own for a result with warnings or
// class scores — and writes the answer's bytes in one call. The bytes equal
// the text scoreToJson gives for the same records (test/worker/records-wasm-matches-plain.node.test.ts).
import {
  type BlockWalk,
  type CompiledModel,
  type FieldWarning,
  type Scorer,
  answerFragments,
  asciiJson,
  batchOpening,
  readBatchRecord,
  type ReadBatch,
  type Tally,
} from '../../model/index.ts';
import layout from './layout.json';

/** Fragment numbers, as writer.wat's text has them (layout.json; build.mjs writes them into the module). */
const F = layout.writer.fragments;

interface WriterExports {
  memory: WebAssembly.Memory;
  tablesEnd(): number;
  setLayout(frags: number, segments: number, heads: number): void;
  write(count: number, results: number, nums: number, out: number): number;
}

const PAGE = 65536;
const align8 = (at: number) => (at + 7) & ~7;
/** The longest number text: a sign, "0.", five zeros and 17 digits. */
const NUMBER_BYTES = 25;
/** writer.wat copies fragments eight bytes at a time, so the last word may run past the end. */
const SLACK = 8;

export class AnswerWriter {
  private readonly wasm: WriterExports;
  private laidOut: CompiledModel | null = null;
  private version = '';
  /** The fragment table, and how many fragments the model's layout holds (a batch's own follow). */
  private fragsAt = 0;
  private fixed = 0;
  /** The most bytes a result without text of its own takes. */
  private resultBytes = 0;
  private openingBytes = 0;
  private readonly warnings: FieldWarning[] = [];
  /** This batch's own fragments' text, in fragment order after the model's. */
  private readonly own: string[] = [];

  constructor(module: WebAssembly.Module) {
    this.wasm = new WebAssembly.Instance(module, {}).exports as unknown as WriterExports;
  }

  /**
   * The answer to a batch, `{ model, results }`, as bytes; null when a record
   * turns out to have a problem, for the caller to read the whole body the
   * ordinary way, which names every problem. The bytes are the module's
   * memory, good until the next write: `new Response(bytes)` copies them, as
   * Fetch copies every BufferSource body (the copy a slice would make here
   * took ~10% of a batch). Boosted heads are walked by `walk` when given
   * (the WebAssembly walk, forest.ts), else in JavaScript: the same answer.
   */
  write(
    scorer: Scorer,
    version: string,
    batch: ReadBatch,
    tally: Tally | null = null,
    walk: BlockWalk | null = null,
  ): Uint8Array<ArrayBuffer> | null {
    const { cm } = scorer;
    if (this.laidOut !== cm || this.version !== version) this.layOut(cm, version);
    const { count } = batch;
    const heads = cm.heads.length;
    const width = heads + 2;
    const { probs, proj } = scorer;
    // A batch's own fragments (at most two a result) follow the model's in the table.
    const ownAt = this.fragsAt + this.fixed * 8;
    const resultsAt = ownAt + count * 16;
    const numsAt = align8(resultsAt + count * 12);
    const textAt = numsAt + count * width * 8;
    this.reserve(textAt);
    const results = new Int32Array(this.wasm.memory.buffer, resultsAt, count * 3);
    const nums = new Float64Array(this.wasm.memory.buffer, numsAt, count * width);
    const { warnings, own } = this;
    if (own.length) own.length = 0;
    /** Record i's result, from what the scorer holds: it scored as `segment`, with `warned`. */
    const place = (i: number, segment: number, warned: readonly FieldWarning[]) => {
      const r = 3 * i;
      const at = width * i;
      if (tally !== null) tally.add(scorer.values, segment, probs, warned);
      results[r] = F.segments + segment;
      for (let h = 0; h < heads; h++) nums[at + h] = probs[h];
      nums[at + heads] = proj[0];
      nums[at + heads + 1] = proj[1];
      const classes = scorer.classScores();
      // Text of the result's own (rare: models with class heads, records with warnings) is placed after the loop.
      results[r + 1] = classes
        ? this.fixed + own.push(`},"classes":${asciiJson(classes)},"projection":[`) - 1
        : F.toProjection;
      results[r + 2] = warned.length ? this.fixed + own.push(`],"warnings":${asciiJson(warned)}}`) - 1 : F.close;
    };
    // With boosted heads, records are kept and scored in blocks (model/engine/tree-block.ts).
    const block = scorer.treeBlock(walk);
    for (let i = 0; i < count; i++) {
      if (warnings.length) warnings.length = 0; // setting it is a call, even to 0 on an empty array
      if (!readBatchRecord(scorer, batch, i, warnings)) return null;
      if (block === null) place(i, scorer.scoreInto(), warnings);
      else if (block.keep(warnings) || i === count - 1) {
        const first = i + 1 - block.count;
        block.drain((j, segment, warned) => place(first + j, segment, warned));
      }
    }
    let ownBytes = 0;
    for (const t of own) ownBytes += t.length;
    const outAt = align8(textAt + ownBytes);
    this.reserve(outAt + this.openingBytes + count * this.resultBytes + ownBytes + SLACK);
    if (own.length) this.placeOwn(ownAt, textAt);
    const end = this.wasm.write(count, resultsAt, numsAt, outAt);
    return new Uint8Array(this.wasm.memory.buffer, outAt, end - outAt);
  }

  /** Writes this batch's own fragments (ASCII text, as asciiJson makes it) at `textAt`, and their entries at `ownAt`. */
  private placeOwn(ownAt: number, textAt: number): void {
    const bytes = new Uint8Array(this.wasm.memory.buffer);
    const entries = new Int32Array(this.wasm.memory.buffer, ownAt, this.own.length * 2);
    this.own.forEach((text, f) => {
      for (let c = 0; c < text.length; c++) bytes[textAt + c] = text.charCodeAt(c);
      entries[2 * f] = textAt;
      entries[2 * f + 1] = text.length;
      textAt += text.length;
    });
  }

  /** Grows the memory to hold `bytes` (which leaves every view of it stale). */
  private reserve(bytes: number): void {
    const have = this.wasm.memory.buffer.byteLength;
    if (bytes > have) this.wasm.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /** Writes the fragments writer.wat's header describes, for `cm` and `version`. */
  private layOut(cm: CompiledModel, version: string): void {
    const f = answerFragments(cm);
    // Class scores, when the model has them, come as each result's own text instead of `toProjection`.
    const texts: string[] = [];
    texts[F.opening] = batchOpening(version);
    texts[F.toProjection] = f.toProjection;
    texts[F.close] = f.close;
    texts[F.end] = ']}';
    f.next.forEach((t, s) => {
      texts[F.segments + s] = t;
    });
    f.moreKeys.forEach((t, h) => {
      texts[F.segments + cm.k + h] = t;
    });
    const encoder = new TextEncoder();
    const encoded = texts.map((t) => encoder.encode(t)); // ASCII, as asciiJson makes it
    // The text first, then the table, which a batch's own fragments extend.
    let at = this.wasm.tablesEnd();
    const fragsAt = align8(at + encoded.reduce((sum, b) => sum + b.length, 0));
    this.reserve(fragsAt + texts.length * 8);
    const words = new Int32Array(this.wasm.memory.buffer);
    const bytes = new Uint8Array(this.wasm.memory.buffer);
    encoded.forEach((b, i) => {
      words[(fragsAt >> 2) + 2 * i] = at;
      words[(fragsAt >> 2) + 2 * i + 1] = b.length;
      bytes.set(b, at);
      at += b.length;
    });
    this.wasm.setLayout(fragsAt, cm.k, cm.heads.length);
    this.fragsAt = fragsAt;
    this.fixed = texts.length;
    this.openingBytes = encoded[F.opening].length + encoded[F.end].length;
    const longestOpening = Math.max(...encoded.slice(F.segments, F.segments + cm.k).map((b) => b.length));
    const keys = encoded.slice(F.segments + cm.k).reduce((sum, b) => sum + b.length, 0);
    this.resultBytes =
      longestOpening +
      keys +
      encoded[F.toProjection].length +
      encoded[F.close].length +
      1 +
      (cm.heads.length + 2) * NUMBER_BYTES +
      SLACK;
    this.laidOut = cm;
    this.version = version;
  }
}
