// The search text of every client, kept as blocks of 512 clients' texts joined into one string
// each, so a query is one `indexOf` scan per block (a few ms over 100,000 clients, however many
// match) instead of 100,000 `includes` calls (the renderer's ClientIndex and the PostgreSQL
// server's search index both use it). Matches are written as marks into a Uint32Array by
// slot with a generation number, so a search allocates nothing and never clears the marks.
// A block is rebuilt, at the next search, only when one of its clients changed. Pure.

export const BLOCK_SIZE = 512;
// Between two clients' texts in a block: never typed, and not in `searchText`'s own separator.
const BLOCK_SEPARATOR = '\u0001';

interface Block {
  text: string;
  /** starts[i] = offset of the i-th present slot's text in `text`; slots[i] = that slot. */
  starts: Int32Array;
  slots: Int32Array;
}

export class SearchBlocks {
  private blocks: (Block | null)[] = [];
  private marks = new Uint32Array(0);
  private generation = 0;

  /** `textOf(slot)` is the slot's search text, or undefined for a free slot. */
  constructor(private readonly textOf: (slot: number) => string | undefined) {}

  clear(): void {
    this.blocks = [];
  }

  /** The slot's text changed (or it was freed): its block is rebuilt at the next search. */
  invalidate(slot: number): void {
    this.blocks[Math.floor(slot / BLOCK_SIZE)] = null;
  }

  /** Builds every block now (idle time), so the first keystroke does not pay for it. */
  build(slotCount: number): void {
    const count = Math.ceil(slotCount / BLOCK_SIZE);
    for (let b = 0; b < count; b++) if (!this.blocks[b]) this.buildBlock(b, slotCount);
  }

  isBuilt(slotCount: number): boolean {
    const count = Math.ceil(slotCount / BLOCK_SIZE);
    for (let b = 0; b < count; b++) if (!this.blocks[b]) return false;
    return true;
  }

  /**
   * Marks every slot whose text contains `query` (already normalized) and returns the marks and
   * the generation that means "matched": `marks[slot] === generation`.
   */
  mark(query: string, slotCount: number): { marks: Uint32Array; generation: number } {
    if (this.marks.length < slotCount) this.marks = new Uint32Array(Math.max(slotCount, this.marks.length * 2, 1024));
    const generation = ++this.generation;
    const marks = this.marks;
    // A query holding the separator would match across two clients: it can match none.
    if (query.includes(BLOCK_SEPARATOR) || query === '') return { marks, generation };
    const blockCount = Math.ceil(slotCount / BLOCK_SIZE);
    for (let b = 0; b < blockCount; b++) {
      const { text, starts, slots } = this.blocks[b] ?? this.buildBlock(b, slotCount);
      const last = starts.length - 1;
      // Matches come in increasing order, so the entry a match starts in is found by walking
      // `starts` forward (amortized over the block) rather than a binary search per match.
      let entry = 0;
      let from = text.indexOf(query);
      while (from >= 0) {
        while (entry < last && starts[entry + 1]! <= from) entry++;
        marks[slots[entry]!] = generation;
        if (entry >= last) break;
        from = text.indexOf(query, starts[++entry]!);
      }
    }
    return { marks, generation };
  }

  private buildBlock(b: number, slotCount: number): Block {
    const texts: string[] = [];
    const startList: number[] = [];
    const slotList: number[] = [];
    let offset = 0;
    const end = Math.min(slotCount, (b + 1) * BLOCK_SIZE);
    for (let slot = b * BLOCK_SIZE; slot < end; slot++) {
      const text = this.textOf(slot);
      if (text === undefined) continue;
      startList.push(offset);
      slotList.push(slot);
      texts.push(text);
      offset += text.length + BLOCK_SEPARATOR.length;
    }
    const block = { text: texts.join(BLOCK_SEPARATOR), starts: Int32Array.from(startList), slots: Int32Array.from(slotList) };
    this.blocks[b] = block;
    return block;
  }
}
