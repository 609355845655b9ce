// The renderer's copy of the client list, organised for 100,000 clients: a Map by client ID,
// one sorted order per sort key (built once, then kept sorted change by change), and the
// search text in blocks of concatenated strings. Applying a change costs about the change
// (a binary search and an array splice per sort order, one block's string rebuilt at the next
// search), never a re-copy or re-sort of the whole list; a keystroke costs one `indexOf` pass
// over ~5 MB of text plus a walk over the sorted order, or less when the query narrows the last
// one. Pure: no React, no DOM; the replica store (`replica-store.ts`) feeds it.
import type { Client } from '../../../shared/client.ts';
import { countLifecycle, hasLifecycleFilter, lifecycleFacts, passesLifecycle } from './client-filters.ts';
import type { LifecycleCounts, LifecycleFacts } from './client-filters.ts';
import { grantTypesText, hasLabelFilter, normalizeQuery, searchText } from './client-search.ts';
import type { ClientFilters } from './client-search.ts';

export type SortKey = 'name' | 'clientId' | 'grantTypes' | 'status' | 'createdAt' | 'lastUsedAt';
export const SORT_KEYS: readonly SortKey[] = ['name', 'clientId', 'grantTypes', 'status', 'createdAt', 'lastUsedAt'];

export interface SortSpec {
  key: SortKey;
  desc: boolean;
}

/** One client and the values it is sorted and searched by, computed once per version of it. */
export interface ClientEntry {
  readonly client: Client;
  /** Stable position in the search blocks; reused after a delete. */
  readonly slot: number;
  /** Lowercase name + separator + client ID: what search looks in. */
  readonly text: string;
  readonly nameLower: string;
  /** Only letters, digits and spaces: compared by code unit, which agrees with the collator there. */
  readonly nameSimple: boolean;
  readonly idLower: string;
  readonly grantsLower: string;
  /** Last use and secret expiry as numbers, for the "Last used" column and the lifecycle filters. */
  readonly facts: LifecycleFacts;
}

/** What the table shows: the clients in display order, read by position. */
export interface ClientView {
  readonly length: number;
  at(index: number): ClientEntry;
}

// The user's locale order (accents next to their letter, case ignored first), as
// `String.prototype.localeCompare` would give but without its per-call lookup.
const collator = new Intl.Collator(undefined, { usage: 'sort' });
const SIMPLE_NAME = /^[A-Za-z0-9 ]*$/;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * For names of ASCII letters, digits and spaces, the collator's order is the order of their
 * lowercase code units (space < digits < letters; case decides only a tie) — checked in the
 * unit tests against the collator itself. That fast path keeps a sort of 100,000 typical names
 * at a few tens of milliseconds; any other name goes to the collator.
 */
function compareNames(a: ClientEntry, b: ClientEntry): number {
  if (a.nameSimple && b.nameSimple) {
    const primary = compareText(a.nameLower, b.nameLower);
    if (primary !== 0) return primary;
  }
  return collator.compare(a.client.name, b.client.name);
}

function byClientId(a: ClientEntry, b: ClientEntry): number {
  return compareText(a.client.clientId, b.client.clientId);
}

/** Ascending comparators; ties are broken by client ID so every order is total (binary search needs it). */
export const COMPARATORS: Record<SortKey, (a: ClientEntry, b: ClientEntry) => number> = {
  name: (a, b) => compareNames(a, b) || byClientId(a, b),
  clientId: (a, b) => compareText(a.idLower, b.idLower) || byClientId(a, b),
  grantTypes: (a, b) => compareText(a.grantsLower, b.grantsLower) || compareNames(a, b) || byClientId(a, b),
  status: (a, b) => compareText(a.client.status, b.client.status) || compareNames(a, b) || byClientId(a, b),
  createdAt: (a, b) => compareText(a.client.createdAt, b.client.createdAt) || byClientId(a, b),
  // Never used (-Infinity) is the oldest: last in the newest-first order a first click gives.
  lastUsedAt: (a, b) => a.facts.lastUsedMs - b.facts.lastUsedMs || byClientId(a, b),
};

function makeEntry(client: Client, slot: number): ClientEntry {
  return {
    client,
    slot,
    text: searchText(client),
    nameLower: client.name.toLowerCase(),
    nameSimple: SIMPLE_NAME.test(client.name),
    idLower: client.clientId.toLowerCase(),
    grantsLower: grantTypesText(client).toLowerCase(),
    facts: lifecycleFacts(client),
  };
}

/** The first position whose entry is not before `entry`. */
function lowerBound(order: readonly ClientEntry[], entry: ClientEntry, compare: (a: ClientEntry, b: ClientEntry) => number): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(order[mid]!, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Above this many changed clients in one batch, re-merging each order (O(n + k log k)) beats
// k splices of O(n) each.
const SPLICE_LIMIT = 64;
const BLOCK_SIZE = 512;
// Between two clients' texts in a block: never typed, and not in `searchText`'s own separator.
const BLOCK_SEPARATOR = '\u0001';

interface SearchBlock {
  text: string;
  /** starts[i] = offset of the i-th present entry's text in `text`; slots[i] = its slot. */
  starts: Int32Array;
  slots: Int32Array;
}

interface CachedResult {
  version: number;
  order: string;
  rest: string;
  query: string;
  result: ClientEntry[];
}

const CACHE_SIZE = 48;

export class ClientIndex {
  private readonly byId = new Map<string, ClientEntry>();
  private readonly slots: (ClientEntry | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly orders = new Map<SortKey, ClientEntry[]>();
  private readonly blocks: (SearchBlock | null)[] = [];
  private marks = new Uint32Array(0);
  private markGeneration = 0;
  private cache: CachedResult[] = [];
  private counts: { version: number; minute: number; counts: LifecycleCounts } | null = null;
  /** Bumped on every change: views and memoized results key on it. */
  version = 0;

  get size(): number {
    return this.byId.size;
  }

  get(clientId: string): Client | undefined {
    return this.byId.get(clientId)?.client;
  }

  has(clientId: string): boolean {
    return this.byId.has(clientId);
  }

  /** Replaces everything (a snapshot). */
  replaceAll(clients: readonly Client[]): void {
    this.byId.clear();
    this.slots.length = 0;
    this.freeSlots.length = 0;
    this.orders.clear();
    this.blocks.length = 0;
    this.cache = [];
    for (const client of clients) {
      const entry = makeEntry(client, this.slots.length);
      const previous = this.byId.get(client.clientId);
      if (previous) this.slots[previous.slot] = undefined;
      this.byId.set(client.clientId, entry);
      this.slots.push(entry);
    }
    if (this.byId.size !== this.slots.length) {
      // Duplicate IDs in a snapshot (should not happen): keep the last, free the others' slots.
      for (let slot = 0; slot < this.slots.length; slot++) if (!this.slots[slot]) this.freeSlots.push(slot);
    }
    this.version++;
  }

  /** Upserts and deletes, in that order; returns whether anything changed. */
  apply(upserts: readonly Client[], deleted: readonly string[]): boolean {
    const removed: ClientEntry[] = [];
    const added: ClientEntry[] = [];
    for (const client of upserts) {
      const previous = this.byId.get(client.clientId);
      if (previous && previous.client === client) continue;
      const slot = previous ? previous.slot : this.takeSlot();
      const entry = makeEntry(client, slot);
      if (previous) removed.push(previous);
      // A client upserted twice in one batch: only its last version goes into the orders.
      const already = added.findIndex((e) => e.slot === slot);
      if (already >= 0) added.splice(already, 1);
      added.push(entry);
      this.byId.set(client.clientId, entry);
      this.slots[slot] = entry;
      this.blocks[Math.floor(slot / BLOCK_SIZE)] = null;
    }
    for (const clientId of deleted) {
      const previous = this.byId.get(clientId);
      if (!previous) continue;
      const pending = added.findIndex((e) => e.slot === previous.slot);
      if (pending >= 0) added.splice(pending, 1);
      else removed.push(previous);
      this.byId.delete(clientId);
      this.slots[previous.slot] = undefined;
      this.freeSlots.push(previous.slot);
      this.blocks[Math.floor(previous.slot / BLOCK_SIZE)] = null;
    }
    // Entries both removed and re-added in this batch are removed by identity below.
    const trueRemoved = removed.filter((entry) => this.slots[entry.slot] !== entry);
    if (trueRemoved.length === 0 && added.length === 0) return false;
    for (const [key, order] of this.orders) this.orders.set(key, updateOrder(order, trueRemoved, added, COMPARATORS[key]));
    this.cache = [];
    this.version++;
    return true;
  }

  /** Builds the sorted order of `key` now (idle time), so the first click on that header is instant. */
  prepare(key: SortKey): void {
    this.order(key);
  }

  isPrepared(key: SortKey): boolean {
    return this.orders.has(key);
  }

  /** All clients in the ascending order of `key`. */
  order(key: SortKey): readonly ClientEntry[] {
    let order = this.orders.get(key);
    if (!order) {
      order = Array.from(this.byId.values()).sort(COMPARATORS[key]);
      this.orders.set(key, order);
    }
    return order;
  }

  /**
   * How many clients each lifecycle filter would show at `now`: one pass over the entries, kept
   * until the list changes or the minute turns, so rendering the toolbar costs nothing.
   */
  lifecycleCounts(now: number): LifecycleCounts {
    const minute = Math.floor(now / 60_000);
    if (this.counts && this.counts.version === this.version && this.counts.minute === minute) return this.counts.counts;
    const facts: LifecycleFacts[] = new Array(this.byId.size);
    let i = 0;
    for (const entry of this.byId.values()) facts[i++] = entry.facts;
    const counts = countLifecycle(facts, minute * 60_000);
    this.counts = { version: this.version, minute, counts };
    return counts;
  }

  /** The clients that pass `filters`, in the order of `sort`. */
  view(sort: SortSpec, filters: ClientFilters): ClientView {
    const order = this.order(sort.key);
    const query = normalizeQuery(filters.query);
    const { grantType, status, kind } = filters;
    const lifecycle = hasLifecycleFilter(filters);
    const label = hasLabelFilter(filters) ? filters.label! : null;
    if (!query && grantType === 'all' && status === 'all' && kind === 'all' && !lifecycle && label === null) return orderView(order, sort.desc);

    const orderKey = `${sort.key}:${sort.desc ? 'desc' : 'asc'}`;
    const rest = `${grantType}|${status}|${kind}|${filters.secretsEndBefore}|${filters.idleSince}|${label ?? ''}`;
    const hit = this.cache.find((c) => c.version === this.version && c.order === orderKey && c.rest === rest && c.query === query);
    if (hit) return arrayView(hit.result);

    const passesClient = (client: Client) => (status === 'all' || client.status === status) && (kind === 'all' || client.kind === kind) && (grantType === 'all' || client.grantTypes.includes(grantType)) && (label === null || client.labels.includes(label));
    const passes = lifecycle ? (entry: ClientEntry) => passesClient(entry.client) && passesLifecycle(entry.facts, filters) : (entry: ClientEntry) => passesClient(entry.client);
    let result: ClientEntry[];
    // Typing one more character: every match of the longer query is among the last result's.
    const narrower = this.cache.find((c) => c.version === this.version && c.order === orderKey && c.rest === rest && query.includes(c.query) && c.result.length * 4 < this.byId.size);
    if (narrower && query) {
      result = narrower.result.filter((entry) => entry.text.includes(query));
    } else {
      result = [];
      const generation = query ? this.markMatches(query) : 0;
      const marks = this.marks;
      const n = order.length;
      for (let i = 0; i < n; i++) {
        const entry = order[sort.desc ? n - 1 - i : i]!;
        if (query && marks[entry.slot] !== generation) continue;
        if (!passes(entry)) continue;
        result.push(entry);
      }
    }
    this.cache.unshift({ version: this.version, order: orderKey, rest, query, result });
    if (this.cache.length > CACHE_SIZE) this.cache.length = CACHE_SIZE;
    return arrayView(result);
  }

  private takeSlot(): number {
    return this.freeSlots.pop() ?? this.slots.length;
  }

  /** Marks the slot of every client whose text contains `query`; returns the mark's generation. */
  private markMatches(query: string): number {
    if (this.marks.length < this.slots.length) this.marks = new Uint32Array(Math.max(this.slots.length, this.marks.length * 2, 1024));
    const generation = ++this.markGeneration;
    // A query holding the separator would match across two clients: it can match none.
    if (query.includes(BLOCK_SEPARATOR)) return generation;
    const blockCount = Math.ceil(this.slots.length / BLOCK_SIZE);
    for (let b = 0; b < blockCount; b++) {
      const block = this.blocks[b] ?? this.buildBlock(b);
      const { text, starts, slots } = block;
      let from = text.indexOf(query);
      while (from >= 0) {
        // The entry the match starts in: the last start at or before it.
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (starts[mid]! <= from) lo = mid;
          else hi = mid - 1;
        }
        this.marks[slots[lo]!] = generation;
        if (lo + 1 >= starts.length) break;
        from = text.indexOf(query, starts[lo + 1]!);
      }
    }
    return generation;
  }

  private buildBlock(b: number): SearchBlock {
    const texts: string[] = [];
    const startList: number[] = [];
    const slotList: number[] = [];
    let offset = 0;
    const end = Math.min(this.slots.length, (b + 1) * BLOCK_SIZE);
    for (let slot = b * BLOCK_SIZE; slot < end; slot++) {
      const entry = this.slots[slot];
      if (!entry) continue;
      startList.push(offset);
      slotList.push(slot);
      texts.push(entry.text);
      offset += entry.text.length + BLOCK_SEPARATOR.length;
    }
    const block = { text: texts.join(BLOCK_SEPARATOR), starts: Int32Array.from(startList), slots: Int32Array.from(slotList) };
    this.blocks[b] = block;
    return block;
  }
}

function updateOrder(order: ClientEntry[], removed: readonly ClientEntry[], added: readonly ClientEntry[], compare: (a: ClientEntry, b: ClientEntry) => number): ClientEntry[] {
  if (removed.length + added.length <= SPLICE_LIMIT) {
    for (const entry of removed) {
      const at = lowerBound(order, entry, compare);
      if (order[at] === entry) order.splice(at, 1);
    }
    for (const entry of added) order.splice(lowerBound(order, entry, compare), 0, entry);
    return order;
  }
  const gone = new Set(removed);
  const kept = gone.size ? order.filter((entry) => !gone.has(entry)) : order;
  const incoming = [...added].sort(compare);
  const merged: ClientEntry[] = new Array(kept.length + incoming.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < kept.length && j < incoming.length) merged[k++] = compare(kept[i]!, incoming[j]!) <= 0 ? kept[i++]! : incoming[j++]!;
  while (i < kept.length) merged[k++] = kept[i++]!;
  while (j < incoming.length) merged[k++] = incoming[j++]!;
  return merged;
}

function orderView(order: readonly ClientEntry[], desc: boolean): ClientView {
  const n = order.length;
  return desc ? { length: n, at: (index) => order[n - 1 - index]! } : { length: n, at: (index) => order[index]! };
}

function arrayView(result: readonly ClientEntry[]): ClientView {
  return { length: result.length, at: (index) => result[index]! };
}
