// The search index against a plain model of the same answer: filter every client, sort by the
// UTF-8 bytes of the sort value then of the client ID (what PostgreSQL's C collation does), and
// page by cursor — after random puts and removes, with names in mixed case, accents, CJK and
// emoji (the characters where JavaScript's `<` and byte order part ways).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLIENT_SORT_KEYS } from '../../shared/client.ts';
import type { ClientSortKey } from '../../shared/client.ts';
import { ClientSearchIndex, compareCodePoints } from './client-search-index.ts';
import type { IndexQuery, SearchEntry } from './client-search-index.ts';

const lower = (text: string) => text.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

function entry(clientId: string, name: string, extra: Partial<SearchEntry> = {}): SearchEntry {
  return {
    clientId,
    nameKey: lower(name),
    status: 'active',
    kind: 'custom',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    grantMask: 1,
    ...extra,
  };
}

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

const VALUE: Record<ClientSortKey, (e: SearchEntry) => string> = {
  name: (e) => e.nameKey,
  clientId: (e) => e.clientId,
  status: (e) => e.status,
  kind: (e) => e.kind,
  createdAt: (e) => e.createdAt,
  updatedAt: (e) => e.updatedAt,
};

/** Every page of `query`, following the cursor as the list endpoint builds it. */
function allPages(index: ClientSearchIndex, query: Omit<IndexQuery, 'after'>, byId: Map<string, SearchEntry>): { ids: string[]; totals: number[] } {
  const ids: string[] = [];
  const totals: number[] = [];
  let after: IndexQuery['after'] = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page = index.find({ ...query, after });
    ids.push(...page.clientIds);
    totals.push(page.total);
    if (!page.hasMore) break;
    const last = byId.get(page.clientIds.at(-1)!)!;
    after = { value: VALUE[query.key](last), clientId: last.clientId };
  }
  return { ids, totals };
}

function model(entries: Iterable<SearchEntry>, query: Omit<IndexQuery, 'after' | 'limit'>): string[] {
  const sign = query.descending ? -1 : 1;
  return [...entries]
    .filter((e) => `${e.nameKey}\n${lower(e.clientId)}`.includes(query.q))
    .filter((e) => (query.status === undefined || e.status === query.status) && (query.kind === undefined || e.kind === query.kind))
    .filter((e) => query.grantMask === undefined || (e.grantMask & query.grantMask) !== 0)
    .sort((a, b) => sign * ((query.key === 'clientId' ? 0 : bytes(VALUE[query.key](a), VALUE[query.key](b))) || bytes(a.clientId, b.clientId)))
    .map((e) => e.clientId);
}

describe('compareCodePoints', () => {
  it('orders as UTF-8 bytes do, also where UTF-16 units do not (emoji after U+E000–U+FFFF)', () => {
    expect(compareCodePoints('\uFF21', '😀')).toBeLessThan(0);
    expect('\uFF21' < '😀').toBe(false);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(bytes(a, b)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('ClientSearchIndex', () => {
  // Few parts, so that names share prefixes and a search matches many (several pages).
  const NAME_PARTS = ['Ter', 'ter', 'ｔｅｒ', '😀', 'É', 'ing', ' ', '-'];
  const name = fc.array(fc.constantFrom(...NAME_PARTS), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
  const clientId = fc.stringMatching(/^[a-cA-C_-]{1,4}$/);
  const anEntry = fc
    .record({
      clientId,
      name,
      status: fc.constantFrom('active', 'disabled'),
      kind: fc.constantFrom('custom', 'sync_connector', 'default'),
      createdAt: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00.001Z'),
      grantMask: fc.integer({ min: 1, max: 15 }),
    })
    .map(({ clientId, name, ...rest }) => entry(clientId, name, { ...rest, updatedAt: rest.createdAt }));
  const step = fc.oneof(
    { weight: 6, arbitrary: fc.record({ put: anEntry }) },
    { weight: 2, arbitrary: fc.record({ remove: fc.nat() }) },
    // What the database keeper does after a catch-up: piece lists built, orders merged.
    { weight: 1, arbitrary: fc.record({ prepare: fc.constant(true as const) }) },
  );
  const query = fc.record({
    q: fc.constantFrom('ter', 'te', 'e', 'ing', 'É', 'ｔｅ', '😀', 'r-', ' t', 'zz', 'a', 'r', 'ter-', 'ing ', 'erte', 'r-ｔｅ', 'teri'),
    key: fc.constantFrom(...CLIENT_SORT_KEYS),
    descending: fc.boolean(),
    limit: fc.integer({ min: 1, max: 5 }),
    status: fc.option(fc.constantFrom('active', 'disabled'), { nil: undefined }),
    kind: fc.option(fc.constantFrom('custom', 'default'), { nil: undefined }),
    grantMask: fc.option(fc.constantFrom(1, 2, 4), { nil: undefined }),
  });

  it('after any puts and removes, pages by cursor give every match once, in the database order, with the total', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 80, size: 'large' }), query, (steps, q) => {
        const index = new ClientSearchIndex();
        const present = new Map<string, SearchEntry>();
        const check = () => {
          const expected = model(present.values(), q);
          const { ids, totals } = allPages(index, q, present);
          expect(ids).toEqual(expected);
          for (const total of totals) expect(total).toBe(expected.length);
          expect(index.size).toBe(present.size);
        };
        // Searched between the changes too: a change must reach blocks already built.
        for (const [n, s] of steps.entries()) {
          if ('prepare' in s) {
            index.prepare();
          } else if ('put' in s) {
            index.put(s.put);
            present.set(s.put.clientId, s.put);
          } else if (present.size > 0) {
            const id = [...present.keys()][s.remove % present.size]!;
            index.remove(id);
            present.delete(id);
          }
          if (n % 8 === 7) check();
        }
        check();
      }),
      { numRuns: 400 },
    );
  });

  it('filled with many clients at once (grouped rather than sorted for status and kind), gives the model\'s order for every key', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anEntry, { minLength: 65, maxLength: 300, selector: (e) => e.clientId, size: 'max' }), query, (entries, q) => {
        const index = new ClientSearchIndex();
        for (const e of entries) index.put(e);
        const present = new Map(entries.map((e) => [e.clientId, e]));
        for (const key of CLIENT_SORT_KEYS) {
          for (const descending of [false, true]) {
            const expected = model(present.values(), { ...q, key, descending });
            expect(allPages(index, { ...q, key, descending, limit: 40 }, present).ids).toEqual(expected);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('sorts a name with an emoji after one with a full-width letter, as the database does (JavaScript\'s < says the opposite)', () => {
    const index = new ClientSearchIndex();
    index.put(entry('x', 'Tool 😀'));
    index.put(entry('y', 'Tool ｔ'));
    index.put(entry('z', 'Tool a'));
    const ids = (descending: boolean) => index.find({ q: 'tool', key: 'name', descending, after: null, limit: 10 }).clientIds;
    expect(ids(false)).toEqual(['z', 'y', 'x']);
    expect(ids(true)).toEqual(['x', 'y', 'z']);
  });

  it('a rename moves a client into and out of a search; a removed slot is reused without a ghost match', () => {
    const index = new ClientSearchIndex();
    index.put(entry('a', 'Billing Service'));
    index.put(entry('b', 'Reporting'));
    const search = (q: string) => index.find({ q, key: 'name', descending: false, after: null, limit: 10 }).clientIds;
    expect(search('ing')).toEqual(['a', 'b']);
    index.put(entry('a', 'Payments'));
    expect(search('ing')).toEqual(['b']);
    expect(search('pay')).toEqual(['a']);
    index.remove('b');
    index.put(entry('c', 'Audit'));
    expect(search('ing')).toEqual([]);
    expect(search('rep')).toEqual([]);
    expect(search('aud')).toEqual(['c']);
  });
});
