import { describe, expect, it } from 'vitest';
import type { Client, SecretMeta } from '../../../shared/client.ts';
import { sampleClient } from '../../../shared/testing/sample-client.ts';
import { countLifecycle, lifecycleFacts, lifecycleThresholds, passesLifecycle } from './client-filters.ts';
import { ClientIndex } from './client-index.ts';
import type { ClientView } from './client-index.ts';
import { buildSearchIndex, filterIndex, hasActiveFilters, NO_FILTERS } from './client-search.ts';
import type { ClientFilters } from './client-search.ts';

const NOW = Date.parse('2026-12-02T12:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function secret(overrides: Partial<SecretMeta> = {}): SecretMeta {
  return { id: 'sec_1', hint: '…abcd', createdAt: iso(NOW - 100 * DAY), expiresAt: null, lastUsedAt: null, status: 'active', retiresAt: null, ...overrides };
}

// Each client is named after what a person would say about it.
const clients: Client[] = [
  sampleClient({ clientId: 'expires-in-3-days', name: 'expires in 3 days', secrets: [secret({ expiresAt: iso(NOW + 3 * DAY) })], lastUsedAt: iso(NOW - DAY) }),
  sampleClient({ clientId: 'expires-in-30-days', name: 'expires in 30 days', secrets: [secret({ expiresAt: iso(NOW + 30 * DAY) })], lastUsedAt: iso(NOW - DAY) }),
  sampleClient({ clientId: 'never-expires', name: 'never expires', secrets: [secret()], lastUsedAt: iso(NOW - 10 * DAY) }),
  // Rotated: the old secret retires tomorrow, the new one never expires: nothing is about to break.
  sampleClient({ clientId: 'rotated', name: 'rotated', secrets: [secret({ id: 'old', retiresAt: iso(NOW + DAY) }), secret({ id: 'new' })], lastUsedAt: iso(NOW - DAY) }),
  // Rotated onto a secret that itself expires in 10 days.
  sampleClient({ clientId: 'rotated-expiring', name: 'rotated expiring', secrets: [secret({ id: 'old', retiresAt: iso(NOW + DAY) }), secret({ id: 'new', expiresAt: iso(NOW + 10 * DAY) })], lastUsedAt: iso(NOW - DAY) }),
  sampleClient({ clientId: 'already-expired', name: 'already expired', secrets: [secret({ status: 'expired', expiresAt: iso(NOW - DAY) })], lastUsedAt: iso(NOW - 2 * DAY) }),
  // A public client has no secret to expire; never used, created 200 days ago.
  sampleClient({ clientId: 'public-idle', name: 'public idle', tokenEndpointAuthMethod: 'none', secrets: [], createdAt: iso(NOW - 200 * DAY), lastUsedAt: null }),
  // Never used, but created last week: not "unused for 90 days" yet.
  sampleClient({ clientId: 'new-unused', name: 'new unused', secrets: [secret()], createdAt: iso(NOW - 7 * DAY), lastUsedAt: null }),
  sampleClient({ clientId: 'used-100-days-ago', name: 'used 100 days ago', secrets: [secret()], createdAt: iso(NOW - 300 * DAY), lastUsedAt: iso(NOW - 100 * DAY) }),
];

const expiring = lifecycleThresholds(NOW, { expiring: true, unused: false });
const unused = lifecycleThresholds(NOW, { expiring: false, unused: true });
const ids = (view: ClientView) => Array.from({ length: view.length }, (_, i) => view.at(i).client.clientId);

describe('lifecycle filters', () => {
  it('"Secret expires within 14 days": every working secret stops within 14 days, or none works any more', () => {
    const matched = clients.filter((c) => passesLifecycle(lifecycleFacts(c), expiring)).map((c) => c.clientId);
    expect(matched).toEqual(['expires-in-3-days', 'rotated-expiring', 'already-expired']);
  });

  it('"Unused for 90 days": no token in 90 days, counting a never-used client from its creation', () => {
    const matched = clients.filter((c) => passesLifecycle(lifecycleFacts(c), unused)).map((c) => c.clientId);
    expect(matched).toEqual(['public-idle', 'used-100-days-ago']);
  });

  it('both filters on keep only the clients in both', () => {
    const both = lifecycleThresholds(NOW, { expiring: true, unused: true });
    const stale = sampleClient({ clientId: 'stale-expiring', secrets: [secret({ expiresAt: iso(NOW + 5 * DAY) })], lastUsedAt: iso(NOW - 95 * DAY) });
    expect([...clients, stale].filter((c) => passesLifecycle(lifecycleFacts(c), both)).map((c) => c.clientId)).toEqual(['stale-expiring']);
  });

  it('a secret the server still calls active is judged by its dates (the status may lag the clock)', () => {
    const lagging = sampleClient({ secrets: [secret({ status: 'active', expiresAt: iso(NOW - 60_000) })] });
    expect(passesLifecycle(lifecycleFacts(lagging), expiring)).toBe(true);
    const retired = sampleClient({ secrets: [secret({ id: 'a', status: 'retired', expiresAt: null }), secret({ id: 'b', expiresAt: iso(NOW + 2 * DAY) })] });
    expect(passesLifecycle(lifecycleFacts(retired), expiring)).toBe(true);
  });

  it('a lifecycle filter counts as a filter (the toolbar offers "Clear", the empty state says no match)', () => {
    expect(hasActiveFilters(NO_FILTERS)).toBe(false);
    expect(hasActiveFilters({ ...NO_FILTERS, ...expiring })).toBe(true);
    expect(hasActiveFilters({ ...NO_FILTERS, ...unused })).toBe(true);
  });

  it('counts both filters in one pass, equal to what each filter shows', () => {
    const counts = countLifecycle(clients.map(lifecycleFacts), NOW);
    expect(counts).toEqual({ expiring: 3, unused: 2 });
  });
});

describe('lifecycle filters in the client index', () => {
  const index = new ClientIndex();
  index.replaceAll(clients);

  it('the index shows what the reference one-pass filter shows, combined with search and the other filters', () => {
    const cases: ClientFilters[] = [
      { ...NO_FILTERS, ...expiring },
      { ...NO_FILTERS, ...unused },
      { ...NO_FILTERS, ...expiring, query: 'rotated' },
      { ...NO_FILTERS, ...unused, status: 'disabled' },
    ];
    for (const filters of cases) {
      const sorted = [...index.order('name')];
      const expected = filterIndex(buildSearchIndex(sorted, (e) => e.client), filters).map((e) => e.client.clientId);
      expect(ids(index.view({ key: 'name', desc: false }, filters))).toEqual(expected);
    }
    expect(ids(index.view({ key: 'name', desc: false }, { ...NO_FILTERS, ...expiring, query: 'rotated' }))).toEqual(['rotated-expiring']);
  });

  it('sorts by last used, newest first, with never-used clients last', () => {
    const order = ids(index.view({ key: 'lastUsedAt', desc: true }, NO_FILTERS));
    expect(order.slice(-2).sort()).toEqual(['new-unused', 'public-idle']);
    expect(order[order.length - 3]).toBe('used-100-days-ago');
    expect(order.indexOf('already-expired')).toBeGreaterThan(order.indexOf('rotated'));
  });

  it('keeps the counts until the list changes or the minute turns, and follows a change', () => {
    const counts = index.lifecycleCounts(NOW);
    expect(counts).toEqual({ expiring: 3, unused: 2 });
    expect(index.lifecycleCounts(NOW + 1000)).toBe(counts);
    index.apply([sampleClient({ clientId: 'new-unused', name: 'new unused', secrets: [secret({ expiresAt: iso(NOW + DAY) })], createdAt: iso(NOW - 7 * DAY), lastUsedAt: null })], ['used-100-days-ago']);
    expect(index.lifecycleCounts(NOW + 1000)).toEqual({ expiring: 4, unused: 1 });
    // Ninety-one days later no client has been used within 90 days: the count moves with the clock.
    expect(index.lifecycleCounts(NOW + 91 * DAY).unused).toBe(index.size);
  });
});
