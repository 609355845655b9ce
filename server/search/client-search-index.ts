// An in-memory "contains" search over every client's name and client ID, with the list's filters,
// sort orders and keyset cursor: what GET /api/v1/clients?q=… (and any filtered list) answers on
// PostgreSQL. The database stays the only truth — postgres/search-index.ts fills this from it and
// brings it up to the change feed's number before every search — and the page's rows are read
// from the database. Why not a trigram index in PostgreSQL: there a search cost ~1 µs per
// candidate row, and a dense fragment ("ing": 31,000 of 100,000) needed 25–40 ms for its exact
// total alone on this machine's 2 cores (server/README.md, "Listing and search").
//
// Laid out so that a search touches few per-client objects: a search of three characters or
// more starts from the lists of slots holding each three-character piece (trigram-postings.ts),
// a shorter one scans the texts in blocks (shared/search-blocks.ts); either leaves marks by slot.
// The filters are typed arrays by slot, and each sort order an Int32Array of slots. A search is
// the marking, one counting pass over the arrays, and a walk of the sort order from the cursor
// until the page is full. Changes mark their slots; the next search takes them out of each order
// and merges them back in sorted, one linear pass per order however many changed.
//
// Order is the database's: text compared by code point (UTF-8 bytes in the C collation, which
// JavaScript's UTF-16 `<` agrees with except around surrogates), ties broken by client ID.
// Pure: no database, no Node.
import { CLIENT_SORT_KEYS } from '../../shared/client.ts';
import type { ClientSortKey } from '../../shared/client.ts';
import { SearchBlocks } from '../../shared/search-blocks.ts';
import { TrigramPostings } from './trigram-postings.ts';

/** What a search reads of one client, as the database's client_search row has it. */
export interface SearchEntry {
  clientId: string;
  /** lower(name): the name sort key, and with the lower-cased ID what q is looked for in. */
  nameKey: string;
  status: string;
  kind: string;
  createdAt: string;
  updatedAt: string;
  grantMask: number;
}

export interface IndexQuery {
  /** The search term, lower-cased with `asciiLower`; '' for none (the filters alone). */
  q: string;
  status?: string;
  kind?: string;
  /** Matches clients holding any of these grant bits. */
  grantMask?: number;
  key: ClientSortKey;
  descending: boolean;
  /** The cursor: the last row's sort value (in the key's terms: the name lower-cased) and ID. */
  after: { value: string; clientId: string } | null;
  limit: number;
}

export interface IndexPage {
  /** The page's clients in order. */
  clientIds: string[];
  /** Matches of q and the filters, whatever the cursor. */
  total: number;
  hasMore: boolean;
}

/**
 * One client as the index holds it. A class, not a spread copy of the entry: objects of one shape
 * built by one constructor keep the sort's property reads fast (a spread copy sorted 2× slower).
 * Few objects per client (100,000 of them live as long as the process, and every full garbage
 * collection visits them): the search text is not kept but made from the name and ID when a
 * block or piece list is built, and status and kind are shared strings.
 */
class Stored implements SearchEntry {
  readonly clientId: string;
  readonly nameKey: string;
  /** The client ID lower-cased (the same string when it has no capitals). */
  readonly #idKey: string;
  readonly status: string;
  readonly kind: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly grantMask: number;
  /** A UTF-16 unit at or above U+D800 in nameKey or clientId, where `<` and code point order can differ. */
  readonly wide: boolean;

  constructor(entry: SearchEntry, status = entry.status, kind = entry.kind) {
    this.clientId = entry.clientId;
    this.nameKey = entry.nameKey;
    this.#idKey = asciiLower(entry.clientId);
    this.status = status;
    this.kind = kind;
    this.createdAt = entry.createdAt;
    this.updatedAt = entry.updatedAt;
    this.grantMask = entry.grantMask;
    this.wide = WIDE.test(entry.nameKey) || WIDE.test(entry.clientId);
  }

  /** What q is looked for in: the lower-cased name, a newline (which no q holds), the lower-cased ID. */
  get text(): string {
    return `${this.nameKey}\n${this.#idKey}`;
  }

  /** text.includes(query), without building the text: a query holds no newline, so it lies in the name or the ID. */
  contains(query: string): boolean {
    return this.nameKey.includes(query) || this.#idKey.includes(query);
  }
}

/** lower() of the C collation (the database's names and IDs are COLLATE "C"): ASCII letters only. */
export function asciiLower(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]/g, (ch) => ch.toLowerCase()) : text;
}

const WIDE = /[\uD800-\uFFFF]/;

/** Code point order of two strings (the C collation's byte order of their UTF-8). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (D800–DFFF) stand for code points above FFFF: move them above E000–FFFF.
      const fix = (unit: number) => (unit < 0xd800 ? unit : unit >= 0xe000 ? unit - 0x800 : unit + 0x2000);
      return fix(x) - fix(y);
    }
  }
  return a.length - b.length;
}

function compareText(a: string, b: string, wide: boolean): number {
  if (wide) return compareCodePoints(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

type Compare = (a: Stored, b: Stored) => number;

const byClientId: Compare = (a, b) => compareText(a.clientId, b.clientId, a.wide || b.wide);

/**
 * Ascending (sort value, client ID) order per key. One function each, not one reading a field by
 * name: a sort of 100,000 makes ~1.7 million calls, and each call site then sees one shape.
 */
const COMPARE: Record<ClientSortKey, Compare> = {
  name: (a, b) => compareText(a.nameKey, b.nameKey, a.wide || b.wide) || byClientId(a, b),
  clientId: byClientId,
  status: (a, b) => compareText(a.status, b.status, false) || byClientId(a, b),
  kind: (a, b) => compareText(a.kind, b.kind, false) || byClientId(a, b),
  createdAt: (a, b) => compareText(a.createdAt, b.createdAt, false) || byClientId(a, b),
  updatedAt: (a, b) => compareText(a.updatedAt, b.updatedAt, false) || byClientId(a, b),
};

/** A cursor as an entry that every key's comparison reads its value from. */
function cursorEntry(value: string, clientId: string): Stored {
  return new Stored({ clientId, nameKey: value, status: value, kind: value, createdAt: value, updatedAt: value, grantMask: 0 });
}

/** Small codes for the few status and kind values, so a filter compares bytes; one string per value. */
class Codes {
  readonly #codes = new Map<string, { code: number; value: string }>();
  /** The value's code and its shared string. */
  take(value: string): { code: number; value: string } {
    let known = this.#codes.get(value);
    if (known === undefined) {
      known = { code: this.#codes.size + 1, value };
      this.#codes.set(value, known);
    }
    return known;
  }
  /** The code of a value no client has is 0: it matches nothing. */
  find(value: string): number {
    return this.#codes.get(value)?.code ?? 0;
  }
}

export class ClientSearchIndex {
  readonly #entries: (Stored | undefined)[] = [];
  readonly #free: number[] = [];
  readonly #byClientId = new Map<string, number>();
  /** The texts, for searches of one or two characters. */
  readonly #blocks = new SearchBlocks((slot) => this.#entries[slot]?.text);
  /** Where each three-character piece occurs, for longer searches. */
  readonly #postings = new TrigramPostings(
    (slot) => this.#entries[slot]?.text,
    (slot, query) => this.#entries[slot]?.contains(query) === true,
  );
  readonly #statusCodes = new Codes();
  readonly #kindCodes = new Codes();
  #status = new Uint8Array(1024);
  #kind = new Uint8Array(1024);
  #grants = new Int32Array(1024);
  /** Per sort key, the live slots in ascending order (as of the last merge). */
  #orders: Record<ClientSortKey, Int32Array> = Object.fromEntries(CLIENT_SORT_KEYS.map((key) => [key, new Int32Array(0)])) as Record<ClientSortKey, Int32Array>;
  /** Slots changed since the orders were merged (1 = changed). */
  #changed = new Uint8Array(1024);
  #changedCount = 0;

  get size(): number {
    return this.#byClientId.size;
  }

  /** Adds a client or replaces what the index has of it. */
  put(entry: SearchEntry): void {
    const existing = this.#byClientId.get(entry.clientId);
    if (existing !== undefined && sameEntry(this.#entries[existing]!, entry)) return;
    const at = existing ?? this.#free.pop() ?? this.#entries.length;
    if (existing === undefined) this.#byClientId.set(entry.clientId, at);
    this.#room(at);
    if (existing === undefined || this.#entries[existing]!.nameKey !== entry.nameKey) {
      this.#blocks.invalidate(at);
      this.#postings.invalidate(at);
    }
    const status = this.#statusCodes.take(entry.status);
    const kind = this.#kindCodes.take(entry.kind);
    this.#entries[at] = new Stored(entry, status.value, kind.value);
    this.#status[at] = status.code;
    this.#kind[at] = kind.code;
    this.#grants[at] = entry.grantMask;
    this.#markChanged(at);
  }

  remove(clientId: string): void {
    const at = this.#byClientId.get(clientId);
    if (at === undefined) return;
    this.#byClientId.delete(clientId);
    this.#entries[at] = undefined;
    this.#status[at] = 0;
    this.#free.push(at);
    this.#blocks.invalidate(at);
    this.#postings.invalidate(at);
    this.#markChanged(at);
  }

  /** Does now what the next search would (search blocks, piece lists, sort orders), so that it need not. */
  prepare(): void {
    this.#blocks.build(this.#entries.length);
    this.#postings.refresh(this.#entries.length);
    this.#merge();
  }

  find(query: IndexQuery): IndexPage {
    this.#merge();
    const slotCount = this.#entries.length;
    const { marks, generation } =
      query.q === '' ? { marks: null, generation: 0 } : query.q.length >= 3 ? this.#postings.mark(query.q, slotCount) : this.#blocks.mark(query.q, slotCount);
    // A status of 0 is a free slot; a filter value no client has matches nothing.
    const status = query.status === undefined ? -1 : this.#statusCodes.find(query.status);
    const kind = query.kind === undefined ? -1 : this.#kindCodes.find(query.kind);
    const grants = query.grantMask;
    const statuses = this.#status;
    const kinds = this.#kind;
    const masks = this.#grants;
    const matches = (at: number) =>
      (marks === null || marks[at] === generation) &&
      statuses[at] !== 0 && (status < 0 || statuses[at] === status) && (kind < 0 || kinds[at] === kind) && (grants === undefined || (masks[at]! & grants) !== 0);

    let total = 0;
    for (let at = 0; at < slotCount; at++) if (matches(at)) total++;

    const order = this.#orders[query.key];
    const want = query.limit + 1;
    const page: number[] = [];
    if (total > 0) {
      const step = query.descending ? -1 : 1;
      let position = query.descending ? order.length - 1 : 0;
      if (query.after) {
        const cursor = cursorEntry(query.after.value, query.after.clientId);
        const compare = COMPARE[query.key];
        const toCursor = (position: number) => compare(this.#entries[order[position]!]!, cursor);
        // The first position whose entry is at or after the cursor (ascending).
        let low = 0;
        let high = order.length;
        while (low < high) {
          const middle = (low + high) >> 1;
          if (toCursor(middle) < 0) low = middle + 1;
          else high = middle;
        }
        // Ascending: skip the cursor's own row; descending: start just before it.
        position = query.descending ? low - 1 : low < order.length && toCursor(low) === 0 ? low + 1 : low;
      }
      for (; position >= 0 && position < order.length && page.length < want; position += step) {
        const at = order[position]!;
        if (matches(at)) page.push(at);
      }
    }
    const hasMore = page.length > query.limit;
    return { clientIds: page.slice(0, query.limit).map((at) => this.#entries[at]!.clientId), total, hasMore };
  }

  #markChanged(at: number): void {
    if (this.#changed[at] === 1) return;
    this.#changed[at] = 1;
    this.#changedCount++;
  }

  /** Takes the changed slots out of every order and puts the live ones back where they now sort. */
  #merge(): void {
    if (this.#changedCount === 0) return;
    const changed = this.#changed;
    const entries = this.#entries;
    const live: number[] = [];
    for (let at = 0; at < entries.length; at++) if (changed[at] === 1 && entries[at] !== undefined) live.push(at);
    let byClientId: number[] = [];
    for (const key of CLIENT_SORT_KEYS) {
      const compare = COMPARE[key];
      let incoming: number[];
      if ((key === 'status' || key === 'kind') && live.length > 64) {
        // Few values: the client ID order grouped by value (a linear pass, not another sort).
        incoming = groupInOrder(byClientId, (at) => entries[at]![key]);
      } else {
        incoming = live.length > 1 ? [...live].sort((a, b) => compare(entries[a]!, entries[b]!)) : live;
      }
      if (key === 'clientId') byClientId = incoming;
      // The unchanged slots, still in order.
      const old = this.#orders[key];
      const kept = new Int32Array(old.length);
      let keptLength = 0;
      for (let i = 0; i < old.length; i++) if (changed[old[i]!] !== 1) kept[keptLength++] = old[i]!;
      // Each incoming slot's place among them (binary search from the previous one's), then one copy pass.
      const merged = new Int32Array(keptLength + incoming.length);
      let out = 0;
      let from = 0;
      for (const at of incoming) {
        const entry = entries[at]!;
        let low = from;
        let high = keptLength;
        while (low < high) {
          const middle = (low + high) >> 1;
          if (compare(entries[kept[middle]!]!, entry) < 0) low = middle + 1;
          else high = middle;
        }
        merged.set(kept.subarray(from, low), out);
        out += low - from;
        merged[out++] = at;
        from = low;
      }
      merged.set(kept.subarray(from, keptLength), out);
      this.#orders[key] = merged;
    }
    changed.fill(0);
    this.#changedCount = 0;
  }

  /** Grows the per-slot arrays to hold slot `at`. */
  #room(at: number): void {
    if (at < this.#status.length) return;
    const size = Math.max(at + 1, this.#status.length * 2);
    const grow = <T extends Uint8Array | Int32Array>(old: T, made: T): T => {
      made.set(old);
      return made;
    };
    this.#status = grow(this.#status, new Uint8Array(size));
    this.#kind = grow(this.#kind, new Uint8Array(size));
    this.#grants = grow(this.#grants, new Int32Array(size));
    this.#changed = grow(this.#changed, new Uint8Array(size));
  }
}

/** `slots` (in client ID order) grouped by a value that few clients have alone, groups in that value's order. */
function groupInOrder(slots: readonly number[], valueOf: (at: number) => string): number[] {
  const groups = new Map<string, number[]>();
  for (const at of slots) {
    const value = valueOf(at);
    let group = groups.get(value);
    if (!group) groups.set(value, (group = []));
    group.push(at);
  }
  return [...groups.keys()].sort(compareCodePoints).flatMap((value) => groups.get(value)!);
}

function sameEntry(a: SearchEntry, b: SearchEntry): boolean {
  return (
    a.nameKey === b.nameKey &&
    a.status === b.status &&
    a.kind === b.kind &&
    a.createdAt === b.createdAt &&
    a.updatedAt === b.updatedAt &&
    a.grantMask === b.grantMask
  );
}
