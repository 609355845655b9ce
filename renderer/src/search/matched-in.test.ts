import { describe, expect, it } from 'vitest';
import { sampleClient } from '../../../shared/testing/sample-client.ts';
import { buildSearchIndex, filterIndex, NO_FILTERS } from '../lib/client-search.ts';
import { matchedIn } from './matched-in.ts';

const client = sampleClient({ name: 'Billing', clientId: 'tsc_bill', description: 'Owned by finance', redirectUris: ['https://pay.example.com/callback'], scopes: ['directory:read'], labels: ['team:payments'] });

describe('search on every field', () => {
  it('finds a client by description, redirect URI, scope and label', () => {
    const index = buildSearchIndex([client], (c) => c);
    for (const query of ['billing', 'TSC_BILL', 'finance', 'pay.example', 'directory:read', 'team:pay']) expect(filterIndex(index, { ...NO_FILTERS, query }), query).toHaveLength(1);
    expect(filterIndex(index, { ...NO_FILTERS, query: 'nothing here' })).toHaveLength(0);
  });

  it('filters by label', () => {
    const other = sampleClient({ clientId: 'tsc_other', labels: ['env:prod'] });
    const index = buildSearchIndex([client, other], (c) => c);
    expect(filterIndex(index, { ...NO_FILTERS, label: 'env:prod' })).toEqual([other]);
    expect(filterIndex(index, { ...NO_FILTERS, label: 'all' })).toHaveLength(2);
  });

  it('says where it matched when it is not the name or the client ID', () => {
    expect(matchedIn(client, 'bill')).toBeNull();
    expect(matchedIn(client, ' PAY.example ')).toEqual({ field: 'redirect URI', value: 'https://pay.example.com/callback' });
    expect(matchedIn(client, 'directory')).toEqual({ field: 'scope', value: 'directory:read' });
    expect(matchedIn(client, 'team:')).toEqual({ field: 'label', value: 'team:payments' });
    expect(matchedIn(client, 'finance')).toEqual({ field: 'description', value: 'Owned by finance' });
    expect(matchedIn(client, '')).toBeNull();
  });
});
