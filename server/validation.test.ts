// Bad input through the real API: each payload gets 400 with an RFC 9457 problem that names the
// bad field, and nothing is written (the client count and the target client stay as they were).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../shared/client.ts';
import { ADMIN_CLIENT_ID } from './provisioning.ts';
import { TEST_CREDENTIALS, accessToken, api, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

let server: TestServer;
let token: string;
let custom: Client;
let syncConnector: Client;

const valid = { name: 'Valid Client', grantTypes: ['client_credentials'], scopes: ['directory:read'] };
const authCode = { name: 'Web App', grantTypes: ['authorization_code'], scopes: ['openid'], redirectUris: ['https://app.example.com/callback'] };

beforeAll(async () => {
  server = await startTestServer();
  token = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
  const created = await api(server, 'POST', '/clients', { token, body: authCode });
  custom = ((await created.json()) as { client: Client }).client;
  const sync = await api(server, 'POST', '/clients', { token, body: { kind: 'sync_connector', name: 'Directory Sync' } });
  syncConnector = ((await sync.json()) as { client: Client }).client;
});

afterAll(async () => {
  await server?.stop();
});

interface BadCase {
  what: string;
  body: unknown;
  field: string;
}

const createCases: BadCase[] = [
  { what: 'missing name', body: { grantTypes: ['client_credentials'], scopes: ['directory:read'] }, field: 'name' },
  { what: 'empty name', body: { ...valid, name: '' }, field: 'name' },
  { what: 'name of spaces only', body: { ...valid, name: '    ' }, field: 'name' },
  { what: '101-character name', body: { ...valid, name: 'x'.repeat(101) }, field: 'name' },
  { what: 'name that is not text', body: { ...valid, name: 42 }, field: 'name' },
  { what: '501-character description', body: { ...valid, description: 'd'.repeat(501) }, field: 'description' },
  { what: 'description that is not text', body: { ...valid, description: ['a'] }, field: 'description' },
  { what: 'unknown field', body: { ...valid, colour: 'blue' }, field: 'colour' },
  { what: 'client-chosen clientId', body: { ...valid, clientId: 'my-own-id' }, field: 'clientId' },
  { what: 'client-chosen secret', body: { ...valid, clientSecret: 'hunter2hunter2hunter2' }, field: 'clientSecret' },
  { what: 'status on create', body: { ...valid, status: 'active' }, field: 'status' },
  { what: 'kind "default" on create', body: { ...valid, kind: 'default' }, field: 'kind' },
  { what: 'missing grant types', body: { name: 'x', scopes: ['directory:read'] }, field: 'grantTypes' },
  { what: 'no grant type selected', body: { ...valid, grantTypes: [] }, field: 'grantTypes' },
  { what: 'unknown grant type', body: { ...valid, grantTypes: ['device_code'] }, field: 'grantTypes[0]' },
  { what: 'Coming Soon grant type: password', body: { ...valid, grantTypes: ['client_credentials', 'password'] }, field: 'grantTypes[1]' },
  { what: 'Coming Soon grant type: refresh_token', body: { ...valid, grantTypes: ['refresh_token'] }, field: 'grantTypes[0]' },
  { what: 'Coming Soon grant type: implicit', body: { ...authCode, grantTypes: ['implicit'] }, field: 'grantTypes[0]' },
  { what: 'grant type listed twice', body: { ...valid, grantTypes: ['client_credentials', 'client_credentials'] }, field: 'grantTypes[1]' },
  { what: 'grant types not a list', body: { ...valid, grantTypes: 'client_credentials' }, field: 'grantTypes' },
  { what: 'authorization_code without redirect URI', body: { ...authCode, redirectUris: [] }, field: 'redirectUris' },
  { what: 'http:// redirect URI that is not loopback', body: { ...authCode, redirectUris: ['http://app.example.com/callback'] }, field: 'redirectUris[0]' },
  { what: 'redirect URI with a fragment', body: { ...authCode, redirectUris: ['https://app.example.com/callback#x'] }, field: 'redirectUris[0]' },
  { what: 'wildcard redirect URI', body: { ...authCode, redirectUris: ['https://*.example.com/callback'] }, field: 'redirectUris[0]' },
  { what: 'javascript: redirect URI', body: { ...authCode, redirectUris: ['javascript:alert(1)'] }, field: 'redirectUris[0]' },
  { what: 'data: redirect URI', body: { ...authCode, redirectUris: ['data:text/html,hi'] }, field: 'redirectUris[0]' },
  { what: 'file: redirect URI', body: { ...authCode, redirectUris: ['file:///etc/passwd'] }, field: 'redirectUris[0]' },
  { what: 'redirect URI with user info', body: { ...authCode, redirectUris: ['https://user:pw@app.example.com/cb'] }, field: 'redirectUris[0]' },
  { what: 'relative redirect URI', body: { ...authCode, redirectUris: ['/callback'] }, field: 'redirectUris[0]' },
  { what: 'redirect URI over 2000 characters', body: { ...authCode, redirectUris: [`https://app.example.com/${'a'.repeat(2000)}`] }, field: 'redirectUris[0]' },
  { what: 'duplicate redirect URI', body: { ...authCode, redirectUris: ['https://app.example.com/cb', 'https://app.example.com/cb'] }, field: 'redirectUris[1]' },
  { what: 'custom scheme that is not reverse-DNS', body: { ...authCode, redirectUris: ['myapp:/callback'] }, field: 'redirectUris[0]' },
  { what: 'redirect URIs not a list', body: { ...authCode, redirectUris: 'https://app.example.com/cb' }, field: 'redirectUris' },
  { what: 'unknown scope', body: { ...valid, scopes: ['directory:read', 'payroll:write'] }, field: 'scopes[1]' },
  { what: 'scope with invalid characters', body: { ...valid, scopes: ['bad scope'] }, field: 'scopes[0]' },
  { what: 'no scope', body: { ...valid, scopes: [] }, field: 'scopes' },
  { what: 'scope listed twice', body: { ...valid, scopes: ['directory:read', 'directory:read'] }, field: 'scopes[1]' },
  { what: 'scopes not text', body: { ...valid, scopes: [7] }, field: 'scopes[0]' },
  { what: 'Coming Soon response type: code', body: { ...valid, responseTypes: ['code'] }, field: 'responseTypes[0]' },
  { what: 'unknown response type', body: { ...valid, responseTypes: ['id_token'] }, field: 'responseTypes[0]' },
  { what: 'Require User Consent switched on (Coming Soon)', body: { ...valid, requireConsent: true }, field: 'requireConsent' },
  { what: 'Require User Consent not a boolean', body: { ...valid, requireConsent: 'yes' }, field: 'requireConsent' },
  { what: 'Sync Connector with grant types', body: { kind: 'sync_connector', name: 'Sync', grantTypes: ['authorization_code'] }, field: 'grantTypes' },
  { what: 'Sync Connector without a name', body: { kind: 'sync_connector' }, field: 'name' },
  { what: 'body that is an array', body: [valid], field: 'body' },
  { what: 'body that is null', body: null, field: 'body' },
];

describe('POST /clients with a bad payload', () => {
  it('has at least 30 cases', () => {
    expect(createCases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(createCases)('$what → 400 naming $field, nothing created', async ({ body, field }) => {
    const before = await server.clients.count();
    const response = await api(server, 'POST', '/clients', { token, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { type: string; title: string; status: number; detail: string; errors: { field: string; message: string }[] };
    expect(problem).toMatchObject({ type: 'urn:thetasecure:problem:validation', status: 400, title: expect.any(String), detail: expect.any(String) });
    expect(problem.errors.map((error) => error.field)).toContain(field);
    for (const error of problem.errors) expect(error.message.length).toBeGreaterThan(5);
    expect(await server.clients.count()).toBe(before);
  });

  it('names every bad field at once', async () => {
    const response = await api(server, 'POST', '/clients', { token, body: { name: '', grantTypes: ['implicit'], scopes: ['nope'], extra: 1 } });
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((error) => error.field)).toEqual(expect.arrayContaining(['name', 'extra', 'grantTypes[0]', 'scopes[0]']));
  });
});

const updateCases: (BadCase & { target?: () => Client })[] = [
  { what: 'empty name', body: { name: '' }, field: 'name' },
  { what: 'unknown status', body: { status: 'paused' }, field: 'status' },
  { what: 'changing the kind', body: { kind: 'default' }, field: 'kind' },
  { what: 'changing the client id', body: { clientId: 'x' }, field: 'clientId' },
  { what: 'removing every redirect URI of an authorization_code client', body: { redirectUris: [] }, field: 'redirectUris' },
  { what: 'Coming Soon grant type', body: { grantTypes: ['authorization_code', 'implicit'] }, field: 'grantTypes[1]' },
  { what: 'unknown scope', body: { scopes: ['openid', 'nope'] }, field: 'scopes[1]' },
  { what: 'non-loopback http redirect', body: { redirectUris: ['http://evil.example.com/cb'] }, field: 'redirectUris[0]' },
  { what: 'changing a Sync Connector preset', body: { scopes: ['clients:write'] }, field: 'scopes', target: () => syncConnector },
];

describe('PATCH /clients/:id with a bad payload', () => {
  it.each(updateCases)('$what → 400 naming $field, the client unchanged', async ({ body, field, target }) => {
    const client = target ? target() : custom;
    const before = await (await api(server, 'GET', `/clients/${client.clientId}`, { token })).json();
    const response = await api(server, 'PATCH', `/clients/${client.clientId}`, { token, body, headers: { 'if-match': `"${client.version}"` } });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((error) => error.field)).toContain(field);
    expect(await (await api(server, 'GET', `/clients/${client.clientId}`, { token })).json()).toEqual(before);
  });
});

describe('GET /clients with bad query parameters', () => {
  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=ten', 'limit'],
    ['sort=colour', 'sort'],
    ['status=paused', 'status'],
    ['kind=robot', 'kind'],
    ['grantType=device_code', 'grantType'],
    ['colour=blue', 'colour'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('%s → 400 naming %s', async (query, field) => {
    const response = await api(server, 'GET', `/clients?${query}`, { token });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((error) => error.field)).toContain(field);
  });
});
