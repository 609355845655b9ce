// The renderer's copy of the client list, organised for 100,000 clients: a Map by client ID,
// one sorted order per sort key (built once, then kept sorted change by change), and the
// search text in blocks of concatenated strings (shared/search-blocks.ts). Applying a change costs about
// the change (a binary search and an array splice per sort order, one block's string rebuilt at
// the next search), never a re-copy or re-sort of the whole list. A keystroke costs one `indexOf`
// pass over ~5 MB of text plus a walk over typed arrays (the sorted order as slot numbers, the
// grant/status/kind filters as bit flags per slot), or less when the query narrows the last one;
// its result is an Int32Array of slots, so a search creates no object per client and leaves the
// garbage collector nothing to trace. Pure: no React, no DOM; the replica store feeds it.
import { GRANT_TYPES } from '../../../shared/catalogs.ts';
import type { Client } from '../../../shared/client.ts';
import { countLifecycle, hasLifecycleFilter, lifecycleFacts, passesLifecycle } from './client-filters.ts';
import type { LifecycleCounts, LifecycleFacts } from './client-filters.ts';
import { grantTypesText, hasLabelFilter, normalizeQuery, searchText } from './client-search.ts';
import type { ClientFilters } from './client-search.ts';
import { SearchBlocks } from '../../../shared/search-blocks.ts';

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

// The grant type, status and kind filters as bits of one number per slot: a filter is one mask
// and one comparison, `(flags & mask) === want`, on a typed array.
const DISABLED_BIT = 1;
const KIND_SHIFT = 1;
const KIND_CODES: Record<Client['kind'], number> = { default: 0, sync_connector: 1, custom: 2 };
const GRANT_SHIFT = 3;
const GRANT_BITS = new Map<string, number>(GRANT_TYPES.map((grant, i) => [grant, 1 << (GRANT_SHIFT + i)]));

function flagsOf(client: Client): number {
  let flags = (client.status === 'disabled' ? DISABLED_BIT : 0) | (KIND_CODES[client.kind] << KIND_SHIFT);
  for (const grant of client.grantTypes) flags |= GRANT_BITS.get(grant) ?? 0;
  return flags;
}

function filterMask(filters: ClientFilters): { mask: number; want: number } {
  let mask = 0;
  let want = 0;
  if (filters.status !== 'all') {
    mask |= DISABLED_BIT;
    want |= filters.status === 'disabled' ? DISABLED_BIT : 0;
  }
  if (filters.kind !== 'all') {
    mask |= 3 << KIND_SHIFT;
    want |= KIND_CODES[filters.kind] << KIND_SHIFT;
  }
  if (filters.grantType !== 'all') {
    const bit = GRANT_BITS.get(filters.grantType) ?? 0;
    mask |= bit;
    want |= bit;
  }
  return { mask, want };
}

interface CachedResult {
  version: number;
  order: string;
  rest: string;
  query: string;
  /** Slots, in display order. */
  result: Int32Array;
}

const CACHE_SIZE = 48;
// A longer query is answered by filtering the last result only when that result is at most this
// share of the list: past it, one indexOf pass over the blocks is cheaper than an `includes` per
// remaining client.
const NARROW_SHARE = 1 / 8;

export class ClientIndex {
  private readonly byId = new Map<string, ClientEntry>();
  private readonly slots: (ClientEntry | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly orders = new Map<SortKey, ClientEntry[]>();
  /** Each order as slot numbers, rebuilt from `orders` (lazily) after a change. */
  private readonly orderSlots = new Map<SortKey, { version: number; slots: Int32Array }>();
  private readonly search = new SearchBlocks((slot) => this.slots[slot]?.text);
  private flags = new Uint16Array(1024);
  /** Where a search walk writes its matches before they are copied out at their exact length. */
  private scratch = new Int32Array(0);
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
    this.orderSlots.clear();
    this.search.clear();
    this.cache = [];
    this.ensureFlags(clients.length);
    for (const client of clients) {
      const entry = makeEntry(client, this.slots.length);
      const previous = this.byId.get(client.clientId);
      if (previous) this.slots[previous.slot] = undefined;
      this.byId.set(client.clientId, entry);
      this.flags[entry.slot] = flagsOf(client);
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
      this.ensureFlags(slot + 1);
      this.flags[slot] = flagsOf(client);
      this.search.invalidate(slot);
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
      this.search.invalidate(previous.slot);
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

  /** Builds the search blocks now (idle time), so the first keystroke does not pay for them. */
  prepareSearch(): void {
    this.search.build(this.slots.length);
  }

  isSearchPrepared(): boolean {
    return this.search.isBuilt(this.slots.length);
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
    const lifecycle = hasLifecycleFilter(filters);
    const { mask, want } = filterMask(filters);
    // Issue 11: the label filter (not a bit: labels are open-ended).
    const label = hasLabelFilter(filters) ? filters.label! : null;
    if (!query && mask === 0 && !lifecycle && label === null) return orderView(order, sort.desc);

    const orderKey = `${sort.key}:${sort.desc ? 'desc' : 'asc'}`;
    const rest = `${mask}|${want}|${filters.secretsEndBefore}|${filters.idleSince}|${label ?? ''}`;
    const version = this.version;
    const hit = this.cache.find((c) => c.version === version && c.order === orderKey && c.rest === rest && c.query === query);
    if (hit) return this.slotView(hit.result);

    const slots = this.slots;
    const scratch = this.takeScratch();
    let k = 0;
    // Typing one more character: every match of the longer query is among the last result's.
    const narrower = query ? this.cache.find((c) => c.version === version && c.order === orderKey && c.rest === rest && query.includes(c.query) && c.result.length <= this.byId.size * NARROW_SHARE) : undefined;
    if (narrower) {
      const previous = narrower.result;
      for (let i = 0; i < previous.length; i++) {
        const slot = previous[i]!;
        if (slots[slot]!.text.includes(query)) scratch[k++] = slot;
      }
    } else {
      const ordered = this.slotOrder(sort.key);
      const marks = query ? this.search.mark(query, slots.length) : null;
      const flags = this.flags;
      const n = ordered.length;
      const last = n - 1;
      const desc = sort.desc;
      // One tight loop over typed arrays per case: no closure call and no object read per client.
      if (marks && mask === 0 && !lifecycle && label === null) {
        const { marks: marked, generation } = marks;
        for (let i = 0; i < n; i++) {
          const slot = ordered[desc ? last - i : i]!;
          if (marked[slot] === generation) scratch[k++] = slot;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const slot = ordered[desc ? last - i : i]!;
          if (marks && marks.marks[slot] !== marks.generation) continue;
          if ((flags[slot]! & mask) !== want) continue;
          if (lifecycle && !passesLifecycle(slots[slot]!.facts, filters)) continue;
          if (label !== null && !slots[slot]!.client.labels.includes(label)) continue;
          scratch[k++] = slot;
        }
      }
    }
    const result = scratch.slice(0, k);
    this.cache.unshift({ version, order: orderKey, rest, query, result });
    if (this.cache.length > CACHE_SIZE) this.cache.length = CACHE_SIZE;
    return this.slotView(result);
  }

  private slotView(result: Int32Array): ClientView {
    const slots = this.slots;
    return { length: result.length, at: (index) => slots[result[index]!]! };
  }

  /** The ascending order of `key` as slot numbers, current with the list. */
  private slotOrder(key: SortKey): Int32Array {
    const cached = this.orderSlots.get(key);
    if (cached && cached.version === this.version) return cached.slots;
    const order = this.order(key);
    const slots = cached && cached.slots.length === order.length ? cached.slots : new Int32Array(order.length);
    for (let i = 0; i < order.length; i++) slots[i] = order[i]!.slot;
    this.orderSlots.set(key, { version: this.version, slots });
    return slots;
  }

  private takeScratch(): Int32Array {
    if (this.scratch.length < this.byId.size) this.scratch = new Int32Array(Math.max(this.byId.size, this.scratch.length * 2, 1024));
    return this.scratch;
  }

  private ensureFlags(count: number): void {
    if (this.flags.length >= count) return;
    const grown = new Uint16Array(Math.max(count, this.flags.length * 2));
    grown.set(this.flags);
    this.flags = grown;
  }

  private takeSlot(): number {
    return this.freeSlots.pop() ?? this.slots.length;
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
