import { describe, expect, it } from 'vitest';
import type { Client } from '../../../shared/client.ts';
import { sampleClient } from '../../../shared/testing/sample-client.ts';
import { generateClients } from '../../../bench/renderer-search-data.ts';
import { ClientIndex, COMPARATORS, SORT_KEYS } from './client-index.ts';
import type { ClientView, SortSpec } from './client-index.ts';
import { buildSearchIndex, filterIndex, NO_FILTERS } from './client-search.ts';
import type { ClientFilters } from './client-search.ts';

const client = sampleClient;

const ids = (view: ClientView) => Array.from({ length: view.length }, (_, i) => view.at(i).client.clientId);
const names = (view: ClientView) => Array.from({ length: view.length }, (_, i) => view.at(i).client.name);
const BY_NAME: SortSpec = { key: 'name', desc: false };
const NEWEST: SortSpec = { key: 'createdAt', desc: true };

/** The reference answer: sort everything with the comparator, then the plain one-pass filter. */
function reference(clients: readonly Client[], sort: SortSpec, filters: ClientFilters): string[] {
  const index = new ClientIndex();
  index.replaceAll(clients);
  const sorted = [...index.order(sort.key)];
  if (sort.desc) sorted.reverse();
  return filterIndex(buildSearchIndex(sorted, (entry) => entry.client), filters).map((entry) => entry.client.clientId);
}

describe('client index: sorting', () => {
  it('sorts names in the user\'s locale order — case and accents as a person expects, not by code unit', () => {
    const index = new ClientIndex();
    index.replaceAll([client({ clientId: 'a', name: 'zebra' }), client({ clientId: 'b', name: 'Émile' }), client({ clientId: 'c', name: 'apple' }), client({ clientId: 'd', name: 'Banana' }), client({ clientId: 'e', name: 'Ezra' })]);
    expect(names(index.view(BY_NAME, NO_FILTERS))).toEqual(['apple', 'Banana', 'Émile', 'Ezra', 'zebra']);
    expect(names(index.view({ key: 'name', desc: true }, NO_FILTERS))).toEqual(['zebra', 'Ezra', 'Émile', 'Banana', 'apple']);
  });

  it('orders plain ASCII names exactly as Intl.Collator does (the fast path agrees with the collator)', () => {
    const collator = new Intl.Collator();
    const alphabet = 'ABCabcXYZxyz0189 ';
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const clients = Array.from({ length: 3000 }, (_, i) => {
      let name = '';
      for (let c = 0, n = 1 + Math.floor(random() * 6); c < n; c++) name += alphabet[Math.floor(random() * alphabet.length)];
      return client({ clientId: `tsc_${String(i).padStart(5, '0')}`, name });
    });
    const index = new ClientIndex();
    index.replaceAll(clients);
    const got = names(index.view(BY_NAME, NO_FILTERS));
    const expected = clients.map((c) => c.name).sort((a, b) => collator.compare(a, b));
    expect(got).toEqual(expected);
  });

  it('sorts every column, newest first by default, with a total order (ties by client ID)', () => {
    const index = new ClientIndex();
    index.replaceAll([
      client({ clientId: 'tsc_b', name: 'Same', createdAt: '2026-01-02T00:00:00.000Z', status: 'disabled' }),
      client({ clientId: 'tsc_a', name: 'Same', createdAt: '2026-01-03T00:00:00.000Z', grantTypes: ['authorization_code'] }),
      client({ clientId: 'tsc_c', name: 'Other', createdAt: '2026-01-01T00:00:00.000Z' }),
    ]);
    expect(ids(index.view(NEWEST, NO_FILTERS))).toEqual(['tsc_a', 'tsc_b', 'tsc_c']);
    expect(ids(index.view(BY_NAME, NO_FILTERS))).toEqual(['tsc_c', 'tsc_a', 'tsc_b']);
    expect(ids(index.view({ key: 'status', desc: false }, NO_FILTERS))).toEqual(['tsc_c', 'tsc_a', 'tsc_b']);
    expect(ids(index.view({ key: 'grantTypes', desc: false }, NO_FILTERS))).toEqual(['tsc_a', 'tsc_c', 'tsc_b']);
    expect(ids(index.view({ key: 'clientId', desc: false }, NO_FILTERS))).toEqual(['tsc_a', 'tsc_b', 'tsc_c']);
  });
});

describe('client index: changes keep every order and the search right', () => {
  it('a created client appears in place, an edit moves it, a delete removes it — in every prepared order', () => {
    const index = new ClientIndex();
    index.replaceAll([client({ clientId: 'tsc_1', name: 'Billing', createdAt: '2026-01-01T00:00:00.000Z' }), client({ clientId: 'tsc_2', name: 'Payroll', createdAt: '2026-01-02T00:00:00.000Z' })]);
    for (const key of SORT_KEYS) index.prepare(key);
    const before = index.version;

    index.apply([client({ clientId: 'tsc_3', name: 'Audit', createdAt: '2026-01-03T00:00:00.000Z' })], []);
    expect(index.version).toBeGreaterThan(before);
    expect(names(index.view(BY_NAME, NO_FILTERS))).toEqual(['Audit', 'Billing', 'Payroll']);
    expect(names(index.view(NEWEST, NO_FILTERS))).toEqual(['Audit', 'Payroll', 'Billing']);

    index.apply([client({ clientId: 'tsc_1', name: 'Zeta Billing', createdAt: '2026-01-01T00:00:00.000Z', version: 2 })], []);
    expect(names(index.view(BY_NAME, NO_FILTERS))).toEqual(['Audit', 'Payroll', 'Zeta Billing']);
    expect(names(index.view(BY_NAME, { ...NO_FILTERS, query: 'billing' }))).toEqual(['Zeta Billing']);
    expect(names(index.view(BY_NAME, { ...NO_FILTERS, query: 'zeta' }))).toEqual(['Zeta Billing']);

    index.apply([], ['tsc_2']);
    expect(names(index.view(BY_NAME, NO_FILTERS))).toEqual(['Audit', 'Zeta Billing']);
    expect(index.view(BY_NAME, { ...NO_FILTERS, query: 'payroll' }).length).toBe(0);
    expect(index.get('tsc_2')).toBeUndefined();
    expect(index.size).toBe(2);
  });

  it('after many random batches (small and large), every view equals a full re-sort and a plain filter', () => {
    const pool = generateClients(3000, 9);
    const index = new ClientIndex();
    index.replaceAll(pool.slice(0, 1000));
    for (const key of SORT_KEYS) index.prepare(key);
    const live = new Map(pool.slice(0, 1000).map((c) => [c.clientId, c]));
    let seed = 3;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let next = 1000;
    for (let round = 0; round < 30; round++) {
      const size = round % 5 === 4 ? 200 : 1 + Math.floor(random() * 6);
      const upserts: Client[] = [];
      const deleted: string[] = [];
      const existing = [...live.keys()];
      for (let i = 0; i < size; i++) {
        const roll = random();
        if (roll < 0.4 && next < pool.length) upserts.push(pool[next++]!);
        else if (roll < 0.75) {
          const id = existing[Math.floor(random() * existing.length)]!;
          const current = live.get(id);
          if (current) upserts.push({ ...current, name: `${current.name} v${round}`, status: random() < 0.5 ? 'active' : 'disabled', version: current.version + 1 });
        } else deleted.push(existing[Math.floor(random() * existing.length)]!);
      }
      index.apply(upserts, deleted);
      for (const c of upserts) live.set(c.clientId, c);
      for (const id of deleted) live.delete(id);
    }
    const clients = [...live.values()];
    expect(index.size).toBe(clients.length);
    const searches: ClientFilters[] = [NO_FILTERS, { ...NO_FILTERS, query: 'billing' }, { ...NO_FILTERS, query: ' v2' }, { ...NO_FILTERS, query: 'TSC_A' }, { ...NO_FILTERS, query: 'oslo', status: 'disabled' }, { ...NO_FILTERS, kind: 'sync_connector' }];
    for (const key of SORT_KEYS) {
      for (const desc of [false, true]) {
        for (const filters of searches) expect(ids(index.view({ key, desc }, filters)), `${key} ${desc ? 'desc' : 'asc'} ${JSON.stringify(filters)}`).toEqual(reference(clients, { key, desc }, filters));
      }
    }
  });

  it('typing a longer query narrows the last result, and erasing finds the shorter query\'s result again, both matching the plain filter', () => {
    const clients = generateClients(2000, 5);
    const index = new ClientIndex();
    index.replaceAll(clients);
    for (const query of ['b', 'bi', 'bil', 'billing', 'billing w', 'billing', 'bi', '', 'tsc_a', 'tsc_ab']) {
      const filters = { ...NO_FILTERS, query };
      expect(ids(index.view(NEWEST, filters)), query).toEqual(reference(clients, NEWEST, filters));
    }
  });

  it('does not match across two clients, nor across the end of a name into its client ID', () => {
    const index = new ClientIndex();
    index.replaceAll([client({ clientId: 'ts_admin_client', name: 'Admin Client' }), client({ clientId: 'tsc_2', name: 'Client Two' })]);
    expect(index.view(BY_NAME, { ...NO_FILTERS, query: 'clientts' }).length).toBe(0);
    expect(index.view(BY_NAME, { ...NO_FILTERS, query: 'client\u0001client' }).length).toBe(0);
    expect(names(index.view(BY_NAME, { ...NO_FILTERS, query: '  CLIENT ' }))).toEqual(['Admin Client', 'Client Two']);
  });

  it('a comparator is a total order: equal only for the same client', () => {
    const index = new ClientIndex();
    index.replaceAll([client({ clientId: 'a', name: 'Same' }), client({ clientId: 'b', name: 'Same' })]);
    const [a, b] = index.order('name');
    for (const key of SORT_KEYS) expect(COMPARATORS[key](a!, b!)).not.toBe(0);
  });
});
