// Runs reader.wat: lays a compiled model's field names, levels and ranges out
// in the module's memory (once per model), copies a batch body — records or a
// table — in after them and reads it in one call. Workers cannot compile
// WebAssembly from bytes at run time, so the worker passes the module wrangler
// bundled; tests compile reader.wasm themselves.
import type { CompiledModel, ReadBatch } from '../../model/index.ts';
import layout from './layout.json';

interface ReaderExports {
  memory: WebAssembly.Memory;
  setLayout(inputs: number, ranges: number, pow10: number, seen: number, members: number, n: number): void;
  read(body: number, length: number, values: number, spans: number, maxRecords: number): number;
  readTable(body: number, length: number, values: number, spans: number, maxRows: number, slots: number): number;
}

const encoder = new TextEncoder();
/** An input's entry: its size in bytes and its i32 fields' offsets (layout.json, which build.mjs writes into reader.wat). */
const INPUT = layout.reader.input;
/** 10^0..10^22: every power of ten a double holds exactly (reader.wat's fast conversion). */
const POW10 = 23;
const PAGE = 65536;
const align8 = (at: number) => (at + 7) & ~7;

export class RecordsReader {
  private readonly wasm: ReaderExports;
  private laidOut: CompiledModel | null = null;
  /** Where a body goes: the first byte after the model's layout. */
  private bodyAt = 0;

  constructor(module: WebAssembly.Module) {
    this.wasm = new WebAssembly.Instance(module, {}).exports as unknown as ReaderExports;
  }

  /**
   * The batch in `body` — `{"records":[…]}` with 1..max objects, or a table,
   * `{"columns":[…],"data":[[…],…]}` (in that order, naming every field once,
   * 1..max rows) — read into values (plain records or rows) and spans (the
   * rest); null when the body is anything else, for the ordinary reading.
   */
  read(cm: CompiledModel, body: Uint8Array, max: number): ReadBatch | null {
    if (this.laidOut !== cm) this.layOut(cm);
    const n = cm.inputNames.length;
    const bodyAt = this.bodyAt;
    const valuesAt = align8(bodyAt + body.length + 8);
    const spansAt = valuesAt + max * n * 8;
    const slotsAt = spansAt + max * 8;
    this.reserve(slotsAt + n * 4);
    const bytes = new Uint8Array(this.wasm.memory.buffer);
    bytes.set(body, bodyAt);
    bytes.fill(0, bodyAt + body.length, bodyAt + body.length + 8); // the sentinel
    let table = false;
    let count = this.wasm.read(bodyAt, body.length, valuesAt, spansAt, max);
    if (count < 0) {
      count = this.wasm.readTable(bodyAt, body.length, valuesAt, spansAt, max, slotsAt);
      table = true;
    }
    if (count < 0) return null;
    const buffer = this.wasm.memory.buffer;
    const batch: ReadBatch = {
      count,
      values: new Float64Array(buffer, valuesAt, count * n),
      spans: new Int32Array(buffer, spansAt, count * 2),
      body,
      table: null,
    };
    if (table) {
      const slots = new Int32Array(buffer, slotsAt, n).slice();
      batch.table = { columns: Array.from(slots, (i) => cm.inputNames[i]), slots };
    }
    return batch;
  }

  private reserve(bytes: number): void {
    const have = this.wasm.memory.buffer.byteLength;
    if (bytes > have) this.wasm.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /** Writes the layout reader.wat's header describes, for `cm`. */
  private layOut(cm: CompiledModel): void {
    const n = cm.inputNames.length;
    const text = (s: string) => encoder.encode(s);
    // Names and levels as JSON.stringify writes them, so a name needing an escape only matches its escaped form.
    const keyTokens = cm.inputNames.map((name) => text(`${JSON.stringify(name)}:`));
    const keyTexts = cm.inputNames.map((name) => text(JSON.stringify(name).slice(1, -1)));
    const levels = cm.catLevels.map((ls) => (ls ? ls.map((l) => text(JSON.stringify(l))) : []));
    // The member names one after another, as reader.wat expects them.
    const members = text(layout.reader.members.join(''));
    const inputsAt = 0;
    const rangesAt = align8(inputsAt + n * INPUT.bytes);
    const pow10At = rangesAt + n * 16;
    const seenAt = pow10At + POW10 * 8;
    const listsAt = seenAt + n * 4;
    let at = listsAt + levels.reduce((sum, ls) => sum + ls.length * 8, 0);
    const strings: [Uint8Array, number][] = [];
    const place = (b: Uint8Array) => {
      strings.push([b, at]);
      at += b.length;
      return at - b.length;
    };
    const membersAt = place(members);
    const stride = INPUT.bytes >> 2;
    const words = new Int32Array(n * stride);
    const lists: number[] = [];
    let listAt = listsAt;
    for (let i = 0; i < n; i++) {
      const w = i * stride;
      words[w + (INPUT.kind >> 2)] = cm.isNumber[i] ? 0 : 1;
      words[w + (INPUT.tokenAt >> 2)] = place(keyTokens[i]);
      words[w + (INPUT.tokenLength >> 2)] = keyTokens[i].length;
      words[w + (INPUT.textAt >> 2)] = place(keyTexts[i]);
      words[w + (INPUT.textLength >> 2)] = keyTexts[i].length;
      words[w + (INPUT.levels >> 2)] = levels[i].length;
      words[w + (INPUT.levelsAt >> 2)] = listAt;
      for (const l of levels[i]) lists.push(place(l), l.length);
      listAt += levels[i].length * 8;
    }
    this.bodyAt = align8(at);
    this.reserve(this.bodyAt);
    const buffer = this.wasm.memory.buffer;
    new Int32Array(buffer, inputsAt, n * stride).set(words);
    const ranges = new Float64Array(buffer, rangesAt, n * 2);
    for (let i = 0; i < n; i++) {
      ranges[2 * i] = cm.numMin[i];
      ranges[2 * i + 1] = cm.numMax[i];
    }
    new Float64Array(buffer, pow10At, POW10).set(Array.from({ length: POW10 }, (_, k) => Number(`1e${k}`))); // exact: each is a double
    new Int32Array(buffer, listsAt, lists.length).set(lists);
    const bytes = new Uint8Array(buffer);
    for (const [b, where] of strings) bytes.set(b, where);
    this.wasm.setLayout(inputsAt, rangesAt, pow10At, seenAt, membersAt, n);
    this.laidOut = cm;
  }
}
