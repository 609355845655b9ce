import { describe, expect, it } from 'vitest';
import type { Client } from '../../../shared/client.ts';
import { addEntries, changedKeys, characterCount, commitDrafts, splitEntries, createInput, displayField, emptyForm, fieldErrorsFrom, formFromClient, rebaseEdits, redirectUriEntryProblem, scopeEntryProblem, updateChanges, validateForm } from './client-form-model.ts';

const CATALOG = ['openid', 'profile', 'email', 'offline_access', 'clients:read', 'clients:write', 'directory:read', 'directory:write'];

const mobileApp: Client = {
  clientId: 'thetasecure-mobile-app',
  name: 'ThetaSecure Mobile App',
  description: 'End user authentication from the ThetaSecure mobile application.',
  kind: 'default',
  status: 'active',
  grantTypes: ['authorization_code', 'refresh_token'],
  responseTypes: ['token'],
  redirectUris: ['com.thetasecure.mobile:/callback'],
  scopes: ['openid', 'profile', 'offline_access'],
  requireConsent: false,
  tokenEndpointAuthMethod: 'none',
  jwksUri: null,
  jwks: null,
  labels: [],
  secrets: [],
  lastUsedAt: null,
  createdAt: '2026-11-26T12:00:00.000Z',
  updatedAt: '2026-11-26T12:00:00.000Z',
  version: 3,
  changeSeq: 7,
};

describe('the create/edit form model', () => {
  it('refuses, before sending, what the server would refuse — with the field each problem belongs to', () => {
    const errors = validateForm({ ...emptyForm(), name: '   ', grantTypes: ['authorization_code'], scopes: [] }, 'custom', CATALOG);
    expect(errors).toEqual({
      name: 'Enter a client name.',
      redirectUris: 'Authorization Code needs at least one redirect URI.',
      scopes: 'Add at least one scope.',
    });
    expect(validateForm({ ...emptyForm(), name: 'Billing', scopes: ['openid'] }, 'custom', CATALOG)).toEqual({ grantTypes: 'Select at least one grant type.' });
    expect(validateForm({ ...emptyForm(), name: 'Billing', grantTypes: ['client_credentials'], scopes: ['openid'] }, 'custom', CATALOG)).toEqual({});
  });

  it('asks a Sync Connector only for its name and description', () => {
    expect(validateForm({ ...emptyForm(), name: 'LDAP Berlin' }, 'sync_connector', CATALOG)).toEqual({});
    expect(createInput({ ...emptyForm(), name: ' LDAP Berlin ', description: ' office ' }, 'sync_connector')).toEqual({ kind: 'sync_connector', name: 'LDAP Berlin', description: 'office' });
  });

  it('checks each redirect URI and scope as it is entered', () => {
    expect(redirectUriEntryProblem('http://app.example.com/cb', [])).toBe('http:// is only allowed for the loopback addresses 127.0.0.1 and [::1]; use https://.');
    expect(redirectUriEntryProblem('https://app.example.com/cb', ['https://app.example.com/cb'])).toBe('This redirect URI is already in the list.');
    expect(redirectUriEntryProblem('http://127.0.0.1:8765/cb', [])).toBeNull();
    expect(scopeEntryProblem('payments:write', [], CATALOG)).toBe('Unknown scope "payments:write": it is not in this server\'s scope catalog.');
    expect(scopeEntryProblem('openid', ['openid'], CATALOG)).toBe('The scope "openid" is already in the list.');
    // Without the server's catalog only the shape of the name can be judged.
    expect(scopeEntryProblem('payments:write', [], null)).toBeNull();
    expect(scopeEntryProblem('bad scope', [], null)).toBe('"bad scope" is not a valid scope name.');
  });

  it('lets a default client keep the "Coming Soon" grant it was provisioned with', () => {
    expect(validateForm(formFromClient(mobileApp), 'default', CATALOG, mobileApp)).toEqual({});
  });

  it('puts the server\'s field errors on their fields, entries keeping their index', () => {
    const errors = fieldErrorsFrom({
      code: 'validation',
      message: 'Invalid client.',
      fields: [
        { field: 'changes.name', message: 'Enter a client name.' },
        { field: 'redirectUris[1]', message: 'A redirect URI cannot contain a fragment (#).' },
        { field: 'grantTypes[2]', message: 'Password is coming soon and cannot be selected yet.' },
        { field: 'clientId', message: 'clientId is required.' },
      ],
    });
    expect(errors).toEqual({
      name: 'Enter a client name.',
      'redirectUris[1]': 'A redirect URI cannot contain a fragment (#).',
      grantTypes: 'Password is coming soon and cannot be selected yet.',
      form: 'clientId is required.',
    });
    expect(fieldErrorsFrom({ code: 'validation', message: 'Bad request.' })).toEqual({ form: 'Bad request.' });
    expect(displayField('scopes[0]')).toBe('scopes[0]');
  });

  it('sends only what changed, so a default client keeps what the user did not touch', () => {
    const values = { ...formFromClient(mobileApp), description: 'Mobile sign-in', grantTypes: ['refresh_token', 'authorization_code'] as Client['grantTypes'] };
    expect(changedKeys(mobileApp, values)).toEqual(['description']);
    expect(updateChanges(mobileApp, values)).toEqual({ description: 'Mobile sign-in' });
    expect(updateChanges(mobileApp, formFromClient(mobileApp))).toEqual({});
  });

  it('never sends a Sync Connector\'s preset fields', () => {
    const sync: Client = { ...mobileApp, kind: 'sync_connector', grantTypes: ['client_credentials'], scopes: ['directory:read', 'directory:write'], redirectUris: [] };
    expect(updateChanges(sync, { ...formFromClient(sync), name: 'LDAP Lyon', scopes: ['openid'] })).toEqual({ name: 'LDAP Lyon' });
  });

  it('after a conflict, lays the user\'s edits over the latest version', () => {
    const latest: Client = { ...mobileApp, name: 'Mobile (renamed elsewhere)', scopes: ['openid'], version: 4 };
    const mine = { ...formFromClient(mobileApp), description: 'Mine' };
    const rebased = rebaseEdits(mobileApp, latest, mine);
    expect(rebased).toMatchObject({ name: 'Mobile (renamed elsewhere)', description: 'Mine', scopes: ['openid'] });
    expect(updateChanges(latest, rebased)).toEqual({ description: 'Mine' });
  });
});

describe('text typed but not added when the form is submitted', () => {
  it('is added when it is valid, and the entry fields are emptied', () => {
    const committed = commitDrafts({ ...emptyForm(), scopes: ['openid'] }, { redirectUris: ' https://app.example.com/cb ', scopes: 'profile' }, CATALOG);
    expect(committed.values).toMatchObject({ redirectUris: ['https://app.example.com/cb'], scopes: ['openid', 'profile'] });
    expect(committed.drafts).toEqual({ redirectUris: '', scopes: '' });
    expect(committed.errors).toEqual({});
  });

  it('stays in its field with the reason when it cannot be added; the valid one is still added', () => {
    const committed = commitDrafts(emptyForm(), { redirectUris: 'http://example.com/cb', scopes: 'profile' }, CATALOG);
    expect(committed.values).toMatchObject({ redirectUris: [], scopes: ['profile'] });
    expect(committed.drafts).toEqual({ redirectUris: 'http://example.com/cb', scopes: '' });
    expect(committed.errors['redirectUris:draft']).toMatch(/only allowed for the loopback/);
  });

  it('several entries in one draft (pasted) are each added', () => {
    const committed = commitDrafts(emptyForm(), { redirectUris: 'https://a.example.com/cb\nhttps://b.example.com/cb', scopes: 'openid profile email' }, CATALOG);
    expect(committed.values).toMatchObject({ redirectUris: ['https://a.example.com/cb', 'https://b.example.com/cb'], scopes: ['openid', 'profile', 'email'] });
    expect(committed.errors).toEqual({});
  });

  it('of several, the refused ones stay in the field, named with their reason', () => {
    const committed = commitDrafts({ ...emptyForm(), scopes: ['openid'] }, { redirectUris: '', scopes: 'openid, profile,nope:scope' }, CATALOG);
    expect(committed.values.scopes).toEqual(['openid', 'profile']);
    expect(committed.drafts.scopes).toBe('openid nope:scope');
    expect(committed.errors['scopes:draft']).toMatch(/^openid: The scope "openid" is already in the list\.$/);
  });
});

describe('pasting lists and counting characters', () => {
  it('splits scopes on spaces, commas and new lines; redirect URIs on new lines and spaces, never commas', () => {
    expect(splitEntries('scopes', 'openid profile email')).toEqual(['openid', 'profile', 'email']);
    expect(splitEntries('scopes', 'openid,profile, email\r\ndirectory:read\t')).toEqual(['openid', 'profile', 'email', 'directory:read']);
    expect(splitEntries('redirectUris', 'https://a.example.com/cb\r\nhttps://b.example.com/x?a=1,2\n\n')).toEqual(['https://a.example.com/cb', 'https://b.example.com/x?a=1,2']);
    expect(splitEntries('scopes', '   ')).toEqual([]);
  });

  it('adds the entries that pass, checked against the list as it grows', () => {
    const problem = (entry: string, list: readonly string[]) => (list.includes(entry) ? 'duplicate' : entry.startsWith('x') ? 'bad' : null);
    expect(addEntries(['a'], ['b', 'b', 'xc', 'd'], problem)).toEqual({ entries: ['a', 'b', 'd'], rejected: ['b', 'xc'], reason: 'b: duplicate' });
    expect(addEntries([], ['xa'], problem)).toEqual({ entries: [], rejected: ['xa'], reason: 'bad' });
  });

  it('shows the counter from 80 % of the limit, and says when it is over', () => {
    expect(characterCount(79, 100)).toMatchObject({ show: false });
    expect(characterCount(80, 100)).toEqual({ show: true, text: '80 / 100', over: false, remaining: 20 });
    expect(characterCount(101, 100)).toMatchObject({ show: true, over: true, remaining: -1 });
    expect(characterCount(400, 500).show).toBe(true);
  });
});
