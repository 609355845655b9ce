// Which clients' search texts hold each three-character piece: the search index's way to a
// search of three characters or more without reading every text. A three-character search is
// its posting list; a longer one is the intersection of its first and last pieces' lists, each
// candidate then tested. (A search shorter than three characters reads the texts: search-blocks.)
//
// All lists live in one Int32Array (offsets per piece, slots ascending), so 4.5 million entries at
// 100,000 clients are one object for the garbage collector, not 50,000. Changes are not written
// into the lists: a changed slot is "stale", left out of every list and tested on its own, and
// when more than 2 % of the slots are stale the lists are built again. Pure.

/** Pieces of characters below U+0400 pack into one small integer key (the usual case). */
const PACK = 1024;

function pieceKey(text: string, at: number): number | string {
  const a = text.charCodeAt(at);
  const b = text.charCodeAt(at + 1);
  const c = text.charCodeAt(at + 2);
  if (a < PACK && b < PACK && c < PACK) return (a * PACK + b) * PACK + c;
  return text.slice(at, at + 3);
}

interface Lists {
  /** Piece → index into `starts`. */
  index: Map<number | string, number>;
  /** List i is data[starts[i] .. starts[i + 1]). */
  starts: Int32Array;
  data: Int32Array;
}

const EMPTY: Lists = { index: new Map(), starts: new Int32Array(1), data: new Int32Array(0) };

export class TrigramPostings {
  readonly #textOf: (slot: number) => string | undefined;
  readonly #contains: (slot: number, query: string) => boolean;
  #lists: Lists = EMPTY;
  /** Slots at or past this were not there when the lists were built: stale. */
  #builtFor = 0;
  #isStale = new Uint8Array(0);
  #stale: number[] = [];
  #marks = new Uint32Array(0);
  #generation = 0;

  /**
   * `textOf(slot)` is the slot's search text, or undefined for a free slot; `contains` answers
   * `textOf(slot)?.includes(query) === true`, perhaps without building the text.
   */
  constructor(textOf: (slot: number) => string | undefined, contains = (slot: number, query: string) => textOf(slot)?.includes(query) === true) {
    this.#textOf = textOf;
    this.#contains = contains;
  }

  /** The slot's text changed (or it was freed). */
  invalidate(slot: number): void {
    if (slot >= this.#builtFor) return;
    if (this.#isStale[slot] === 1) return;
    this.#isStale[slot] = 1;
    this.#stale.push(slot);
  }

  /** Builds the lists unless they are fresh enough: built once, and at most 2 % of the slots stale since. */
  refresh(slotCount: number): void {
    const behind = this.#stale.length + Math.max(0, slotCount - this.#builtFor);
    if ((this.#builtFor === 0 && slotCount > 0) || behind > Math.max(256, slotCount / 50)) this.build(slotCount);
  }

  /** Builds the lists from every slot's text now. */
  build(slotCount: number): void {
    // Pass 1: how many slots hold each piece (a piece twice in one text counts once).
    const index = new Map<number | string, number>();
    const counts: number[] = [];
    const lastSlot: number[] = [];
    for (let slot = 0; slot < slotCount; slot++) {
      const text = this.#textOf(slot);
      if (text === undefined) continue;
      for (let at = 0; at + 3 <= text.length; at++) {
        const key = pieceKey(text, at);
        let list = index.get(key);
        if (list === undefined) {
          list = counts.length;
          index.set(key, list);
          counts.push(0);
          lastSlot.push(-1);
        }
        if (lastSlot[list] !== slot) {
          lastSlot[list] = slot;
          counts[list]!++;
        }
      }
    }
    const starts = new Int32Array(counts.length + 1);
    for (let list = 0; list < counts.length; list++) starts[list + 1] = starts[list]! + counts[list]!;
    // Pass 2: the slots, ascending within each list.
    const data = new Int32Array(starts[counts.length]!);
    const fill = starts.slice(0, counts.length);
    lastSlot.fill(-1);
    for (let slot = 0; slot < slotCount; slot++) {
      const text = this.#textOf(slot);
      if (text === undefined) continue;
      for (let at = 0; at + 3 <= text.length; at++) {
        const list = index.get(pieceKey(text, at))!;
        if (lastSlot[list] !== slot) {
          lastSlot[list] = slot;
          data[fill[list]!++] = slot;
        }
      }
    }
    this.#lists = { index, starts, data };
    this.#builtFor = slotCount;
    this.#isStale = new Uint8Array(slotCount);
    this.#stale = [];
  }

  /**
   * Marks every slot whose text contains `query` (at least three characters) and returns the
   * marks and the generation that means "matched": `marks[slot] === generation`.
   */
  mark(query: string, slotCount: number): { marks: Uint32Array; generation: number } {
    if (query.length < 3) throw new Error('TrigramPostings.mark needs at least three characters.');
    this.refresh(slotCount);
    if (this.#marks.length < slotCount) this.#marks = new Uint32Array(Math.max(slotCount, this.#marks.length * 2, 1024));
    const generation = ++this.#generation;
    const marks = this.#marks;
    const { index, starts, data } = this.#lists;
    const isStale = this.#isStale;
    const first = index.get(pieceKey(query, 0));
    const last = index.get(pieceKey(query, query.length - 3));
    if (first !== undefined && last !== undefined) {
      const exact = query.length === 3;
      // Walk both lists together (both ascending); with one piece they are the same list.
      let i = starts[first]!;
      const iEnd = starts[first + 1]!;
      let j = starts[last]!;
      const jEnd = starts[last + 1]!;
      while (i < iEnd && j < jEnd) {
        const a = data[i]!;
        const b = data[j]!;
        if (a < b) i++;
        else if (b < a) j++;
        else {
          if (isStale[a] !== 1 && (exact || this.#contains(a, query))) marks[a] = generation;
          i++;
          j++;
        }
      }
    }
    // Slots changed since the build, and slots added after it, are tested on their own.
    for (const slot of this.#stale) if (this.#contains(slot, query)) marks[slot] = generation;
    for (let slot = this.#builtFor; slot < slotCount; slot++) if (this.#contains(slot, query)) marks[slot] = generation;
    return { marks, generation };
  }
}
