import { describe, expect, it } from 'vitest';
import { sampleClient } from '../../../shared/testing/sample-client.ts';
import type { HistoryEntry } from '../../../shared/history.ts';
import { changeView, changedSince, revertPatch } from './history-model.ts';

const update: HistoryEntry = {
  id: 7,
  at: '2026-12-01T10:00:00.000Z',
  actor: { type: 'user', id: 'alice', name: 'Alice Admin' },
  action: 'client.update',
  clientId: 'tsc_x',
  changes: [
    { field: 'name', before: 'Old', after: 'New' },
    { field: 'grantTypes', before: ['client_credentials'], after: ['client_credentials', 'authorization_code'] },
    { field: 'redirectUris', before: [], after: ['https://a.example.com/cb'] },
    { field: 'secrets', before: [{ id: 'sec_1', hint: 'Qa9x' }], after: [] },
  ],
};

describe('history entries as read', () => {
  it('shows grant types by label, lists as added/removed, secrets by hint', () => {
    expect(changeView(update.changes[0]!)).toEqual({ kind: 'value', field: 'name', label: 'Client Name', before: 'Old', after: 'New' });
    expect(changeView(update.changes[1]!)).toEqual({ kind: 'list', field: 'grantTypes', label: 'Grant Types', added: ['Authorization Code'], removed: [] });
    expect(changeView(update.changes[3]!)).toMatchObject({ kind: 'list', removed: ['secret ending Qa9x'] });
    expect(changeView({ field: 'status', before: 'active', after: 'disabled' })).toMatchObject({ before: 'Active', after: 'Disabled' });
  });

  it('reverts an update with the old values of the settable fields only', () => {
    expect(revertPatch(update)).toEqual({ name: 'Old', grantTypes: ['client_credentials'], redirectUris: [] });
    expect(revertPatch({ ...update, action: 'client.create' })).toBeNull();
    expect(revertPatch({ ...update, changes: [update.changes[3]!] })).toBeNull();
  });

  it('names the fields changed again since the entry', () => {
    const client = sampleClient({ name: 'Newer', grantTypes: ['client_credentials', 'authorization_code'], redirectUris: ['https://a.example.com/cb'] });
    expect(changedSince(update, client)).toEqual(['Client Name']);
  });
});
