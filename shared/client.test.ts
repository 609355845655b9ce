import { describe, expect, it } from 'vitest';
import { BUILTIN_SCOPES } from './catalogs.ts';
import { fieldPath, validateClientUpdate, validateCreateClient } from './client.ts';
import type { Client } from './client.ts';
import { sampleClient } from './testing/sample-client.ts';

const context = { scopeCatalog: BUILTIN_SCOPES.map((s) => s.name) };

function fields(result: ReturnType<typeof validateCreateClient>): string[] {
  return result.ok ? [] : result.errors.map((e) => e.field);
}

const stored: Client = sampleClient({
  clientId: 'thetasecure-mobile-app',
  name: 'ThetaSecure Mobile App',
  kind: 'default',
  grantTypes: ['authorization_code', 'refresh_token'],
  responseTypes: ['code'],
  redirectUris: ['com.thetasecure.mobile:/callback'],
  scopes: ['openid', 'profile', 'offline_access'],
  tokenEndpointAuthMethod: 'none',
});

describe('creating a custom client', () => {
  it('accepts a complete client, trims the name and fills the defaults', () => {
    const result = validateCreateClient({ name: '  Billing Service ', grantTypes: ['client_credentials'], scopes: ['directory:read'] }, context);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ name: 'Billing Service', description: '', kind: 'custom', responseTypes: ['token'], redirectUris: [], tokenEndpointAuthMethod: 'client_secret_basic' }),
    });
  });

  it('reports every bad field at once, not only the first', () => {
    const result = validateCreateClient(
      { name: '', grantTypes: ['authorization_code', 'implicit'], scopes: ['nope'], redirectUris: ['http://example.com/cb'], color: 'red' },
      context,
    );
    expect(fields(result)).toEqual(['name', 'color', 'grantTypes[1]', 'redirectUris[0]', 'scopes[0]']);
  });

  it('needs a redirect URI for Authorization Code', () => {
    const result = validateCreateClient({ name: 'Web', grantTypes: ['authorization_code'], scopes: ['openid'] }, context);
    expect(result.ok || result.errors).toEqual([{ field: 'redirectUris', message: 'Authorization Code needs at least one redirect URI.' }]);
  });

  it('refuses Coming Soon choices', () => {
    const result = validateCreateClient({ name: 'X', grantTypes: ['client_credentials'], responseTypes: ['code'], scopes: ['openid'], requireConsent: true }, context);
    expect(fields(result)).toEqual(['responseTypes[0]', 'requireConsent']);
  });

  it('ignores everything but name and description for a Sync Connector and applies the preset', () => {
    const ok = validateCreateClient({ kind: 'sync_connector', name: 'LDAP sync' }, context);
    expect(ok).toEqual({ ok: true, value: expect.objectContaining({ kind: 'sync_connector', grantTypes: ['client_credentials'], scopes: ['directory:read', 'directory:write'] }) });
    const bad = validateCreateClient({ kind: 'sync_connector', name: 'LDAP sync', scopes: ['openid'] }, context);
    expect(fields(bad)).toEqual(['scopes']);
  });
});

describe('updating a client', () => {
  it('lets a default client keep the Coming Soon values it was provisioned with', () => {
    const result = validateClientUpdate(stored, { name: 'Mobile' }, context);
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ name: 'Mobile', grantTypes: ['authorization_code', 'refresh_token'] }) });
  });

  it('does not let a custom client gain them', () => {
    const custom: Client = { ...stored, kind: 'custom', grantTypes: ['authorization_code'], responseTypes: ['token'] };
    const result = validateClientUpdate(custom, { grantTypes: ['authorization_code', 'refresh_token'] }, context);
    expect(fields(result)).toEqual(['grantTypes[1]']);
  });

  it('refuses Client Credentials for a public client', () => {
    const result = validateClientUpdate(stored, { grantTypes: ['authorization_code', 'client_credentials'] }, context);
    expect(fields(result)).toEqual(['grantTypes']);
  });

  it('keeps the Sync Connector preset fixed', () => {
    const sync: Client = { ...stored, kind: 'sync_connector', tokenEndpointAuthMethod: 'client_secret_basic' };
    expect(fields(validateClientUpdate(sync, { scopes: ['openid'] }, context))).toEqual(['scopes']);
  });
});

describe('field paths', () => {
  it('writes list positions in brackets', () => {
    expect(fieldPath(['redirectUris', 1])).toBe('redirectUris[1]');
    expect(fieldPath(['changes', 'name'])).toBe('changes.name');
    expect(fieldPath([])).toBe('body');
  });
});

describe('names, descriptions and redirect URIs are stored as checked (issue 9 item 7)', () => {
  const base = { name: 'Web App', grantTypes: ['authorization_code'], scopes: ['openid'], redirectUris: ['https://app.example.com/cb'] };

  it.each([
    ['a NUL', 'Web\u0000App'],
    ['a line break', 'Web\nApp'],
    ['a bidi override', 'Web\u202eppA'],
    ['a lone surrogate', 'Web\ud800App'],
    ['only invisible characters', '\u200b\u200d\ufeff'],
    ['only a Hangul filler and spaces', ' \u3164 '],
  ])('refuses a name with %s, naming the field once', (_what, name) => {
    const result = validateCreateClient({ ...base, name }, context);
    expect(result.ok).toBe(false);
    expect(fields(result)).toEqual(['name']);
  });

  it('a description keeps line breaks (CRLF stored as LF) but not other controls or bidi overrides', () => {
    const kept = validateCreateClient({ ...base, description: 'Line one\r\nLine two' }, context);
    expect(kept.ok && kept.value.description).toBe('Line one\nLine two');
    expect(fields(validateCreateClient({ ...base, description: 'bell\u0007' }, context))).toEqual(['description']);
    expect(fields(validateCreateClient({ ...base, description: 'x\u2067y' }, context))).toEqual(['description']);
  });

  it('stores redirect URIs in their canonical form, on create and on update', () => {
    const created = validateCreateClient({ ...base, redirectUris: ['HTTPS://App.Example.com:443/cb', 'COM.Example.App:/cb'] }, context);
    expect(created.ok && created.value.redirectUris).toEqual(['https://app.example.com/cb', 'com.example.app:/cb']);
    const updated = validateClientUpdate(stored, { redirectUris: ['Com.TheTaSecure.Mobile:/callback'] }, context);
    expect(updated.ok && updated.value.redirectUris).toEqual(['com.thetasecure.mobile:/callback']);
  });

  it('refuses the audit examples, naming redirectUris[0]', () => {
    for (const uri of ['https:///cb', 'https:/example.com/cb', 'https:example.com/cb', 'https://example.com\\@evil.com/cb', 'data.evil.com:alert(1)', 'javascript.evil.com:/cb', 'https://a.example/c\u0000b']) {
      expect(fields(validateCreateClient({ ...base, redirectUris: [uri] }, context)), uri).toEqual(['redirectUris[0]']);
    }
  });

  it('an update that keeps a default client as provisioned still validates', () => {
    expect(validateClientUpdate(stored, { name: 'ThetaSecure Mobile App' }, context).ok).toBe(true);
  });
});

describe('client authentication (issue 10)', () => {
  const web = { name: 'Web', grantTypes: ['authorization_code'], scopes: ['openid'], redirectUris: ['https://app.example.com/cb'] };
  const ecKey = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };

  it('defaults to client_secret_basic and accepts client_secret_post', () => {
    const post = validateCreateClient({ ...web, tokenEndpointAuthMethod: 'client_secret_post' }, context);
    expect(post.ok && post.value.tokenEndpointAuthMethod).toBe('client_secret_post');
  });

  it('a public client: Authorization Code only, no Client Credentials, no keys', () => {
    expect(validateCreateClient({ ...web, tokenEndpointAuthMethod: 'none' }, context).ok).toBe(true);
    expect(fields(validateCreateClient({ ...web, grantTypes: ['client_credentials'], tokenEndpointAuthMethod: 'none' }, context))).toEqual(['grantTypes']);
    expect(fields(validateCreateClient({ ...web, tokenEndpointAuthMethod: 'none', jwks: { keys: [ecKey] } }, context))).toEqual(['jwks']);
  });

  it('private_key_jwt needs exactly one of jwksUri (https) and jwks (public keys only)', () => {
    const base = { name: 'Svc', grantTypes: ['client_credentials'], scopes: ['directory:read'], tokenEndpointAuthMethod: 'private_key_jwt' };
    expect(validateCreateClient({ ...base, jwks: { keys: [ecKey] } }, context).ok).toBe(true);
    expect(validateCreateClient({ ...base, jwksUri: 'https://svc.example.com/jwks.json' }, context).ok).toBe(true);
    expect(fields(validateCreateClient(base, context))).toEqual(['jwksUri']);
    expect(fields(validateCreateClient({ ...base, jwksUri: 'https://svc.example.com/jwks.json', jwks: { keys: [ecKey] } }, context))).toEqual(['jwks']);
    expect(fields(validateCreateClient({ ...base, jwksUri: 'http://svc.example.com/jwks.json' }, context))).toEqual(['jwksUri']);
    expect(fields(validateCreateClient({ ...base, jwks: { keys: [{ ...ecKey, d: 'secret' }] } }, context))).toEqual(['jwks.keys[0].d']);
    expect(fields(validateCreateClient({ ...base, jwks: { keys: [{ kty: 'oct', k: 'abc' }] } }, context))).toEqual(['jwks.keys[0].k']);
    expect(fields(validateCreateClient({ ...base, jwks: { keys: [{ ...ecKey, crv: 'P-384' }] } }, context))).toEqual(['jwks.keys[0].crv']);
    expect(fields(validateCreateClient({ ...base, jwks: { keys: [] } }, context))).toEqual(['jwks.keys']);
    expect(fields(validateCreateClient({ ...base, tokenEndpointAuthMethod: 'client_secret_jwt' }, context))).toEqual(['tokenEndpointAuthMethod']);
  });

  it('an update switches a custom client away from private_key_jwt and drops its keys; default clients keep theirs', () => {
    const custom: Client = { ...stored, kind: 'custom', grantTypes: ['client_credentials'], responseTypes: ['token'], redirectUris: [], scopes: ['directory:read'], tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [ecKey] } };
    const switched = validateClientUpdate(custom, { tokenEndpointAuthMethod: 'client_secret_basic' }, context);
    expect(switched.ok && [switched.value.tokenEndpointAuthMethod, switched.value.jwks]).toEqual(['client_secret_basic', null]);
    const kept = validateClientUpdate(custom, { name: 'Renamed' }, context);
    expect(kept.ok && kept.value.jwks).toEqual({ keys: [ecKey] });
    expect(fields(validateClientUpdate(stored, { tokenEndpointAuthMethod: 'client_secret_basic' }, context))).toEqual(['tokenEndpointAuthMethod']);
  });
});
