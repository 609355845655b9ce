import { describe, expect, it } from 'vitest';
import { defaultClientImpact, guardedChanges, guardedFieldLabels } from './default-client-impact.ts';

describe('changes to a default client that need the typed confirmation (issue 9 item 1)', () => {
  it('status, grant types, redirect URIs and scopes of a default client are guarded; name and description are not', () => {
    expect(guardedChanges({ kind: 'default' }, { name: 'x', description: 'y' })).toEqual([]);
    expect(guardedChanges({ kind: 'default' }, { status: 'disabled' })).toEqual(['status']);
    expect(guardedChanges({ kind: 'default' }, { scopes: ['openid'], redirectUris: [], grantTypes: ['authorization_code'], name: 'x' })).toEqual(['grantTypes', 'redirectUris', 'scopes']);
    expect(guardedChanges({ kind: 'custom' }, { status: 'disabled' })).toEqual([]);
    expect(guardedFieldLabels(['status', 'scopes'])).toBe('Status, Scopes');
  });

  it('says what stops working, per default client', () => {
    expect(defaultClientImpact('thetasecure-admin-console')).toMatch(/^ThetaSecure Admin signs in with this client: /);
    expect(defaultClientImpact('ts_admin_client')).toMatch(/^API automation using its secret/);
    expect(defaultClientImpact('ts_sync_client')).toMatch(/Directory synchronization/);
    expect(defaultClientImpact('thetasecure-mobile-app')).toMatch(/Mobile App/);
    expect(defaultClientImpact('thetasecure-desktop-agent')).toMatch(/Desktop Agent/);
    expect(defaultClientImpact('something-else')).toMatch(/may stop working/);
  });
});
