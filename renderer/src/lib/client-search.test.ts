import { describe, expect, it } from 'vitest';
import type { Client } from '../../../shared/client.ts';
import { sampleClient } from '../../../shared/testing/sample-client.ts';
import { buildSearchIndex, filterIndex, hasActiveFilters, NO_FILTERS } from './client-search.ts';

const client = sampleClient;

const clients = [
  client({ clientId: 'ts_admin_client', name: 'Admin Client', kind: 'default' }),
  client({ clientId: 'thetasecure-mobile-app', name: 'ThetaSecure Mobile App', kind: 'default', grantTypes: ['authorization_code', 'refresh_token'] }),
  client({ clientId: 'tsc_Q7pX', name: 'Billing Service', status: 'disabled' }),
  client({ clientId: 'tsc_sync9', name: 'LDAP Connector', kind: 'sync_connector' }),
];
const index = buildSearchIndex(clients, (c) => c);
const names = (found: readonly Client[]) => found.map((c) => c.name);

describe('client search', () => {
  it('finds by name or client ID, case-insensitively, ignoring surrounding spaces', () => {
    expect(names(filterIndex(index, { ...NO_FILTERS, query: '  billing ' }))).toEqual(['Billing Service']);
    expect(names(filterIndex(index, { ...NO_FILTERS, query: 'TSC_Q7' }))).toEqual(['Billing Service']);
    expect(names(filterIndex(index, { ...NO_FILTERS, query: 'mobile-app' }))).toEqual(['ThetaSecure Mobile App']);
  });

  it('does not match across the end of the name into the client ID', () => {
    // "Admin Client" + "ts_admin_client": "clientts" spans both and must not match.
    expect(filterIndex(index, { ...NO_FILTERS, query: 'clientts' })).toEqual([]);
  });

  it('combines the search with the grant type, status and kind filters, keeping the index order', () => {
    expect(names(filterIndex(index, { ...NO_FILTERS, grantType: 'client_credentials' }))).toEqual(['Admin Client', 'Billing Service', 'LDAP Connector']);
    expect(names(filterIndex(index, { ...NO_FILTERS, status: 'disabled' }))).toEqual(['Billing Service']);
    expect(names(filterIndex(index, { ...NO_FILTERS, kind: 'default', query: 'app' }))).toEqual(['ThetaSecure Mobile App']);
    expect(filterIndex(index, { ...NO_FILTERS, kind: 'sync_connector', status: 'disabled' })).toEqual([]);
  });

  it('returns the very same list when nothing filters, so nothing downstream recomputes', () => {
    expect(filterIndex(index, { ...NO_FILTERS, query: '   ' })).toBe(index.items);
    expect(hasActiveFilters({ ...NO_FILTERS, query: '   ' })).toBe(false);
    expect(hasActiveFilters({ ...NO_FILTERS, kind: 'custom' })).toBe(true);
  });
});
