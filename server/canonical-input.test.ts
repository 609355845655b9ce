// Issue 9 item 7 through the real API: redirect URIs and names the audit got stored as sent are
// refused with 400 naming the field (nothing written), and an accepted redirect URI is read back
// in the one canonical form that was checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../shared/client.ts';
import { ADMIN_CLIENT_ID } from './provisioning.ts';
import { TEST_CREDENTIALS, accessToken, api, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

let server: TestServer;
let token: string;
let target: Client;

const webApp = { name: 'Canonical Web App', grantTypes: ['authorization_code'], scopes: ['openid'], redirectUris: ['https://app.example.com/cb'] };

beforeAll(async () => {
  server = await startTestServer();
  token = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
  const created = await api(server, 'POST', '/clients', { token, body: webApp });
  target = ((await created.json()) as { client: Client }).client;
});

afterAll(async () => {
  await server?.stop();
});

const badRedirectUris = [
  'https://app.example.com/c\u0000b',
  'https://app.example.com/cb\u001f',
  'https://app.example.com/\u202ebc',
  'https://exa\u200bmple.com/cb',
  'https://example.com/\ud800',
  'https:///cb',
  'https:/example.com/cb',
  'https:example.com/cb',
  'https://example.com\\@evil.com/cb',
  'https://user@example.com/cb',
  'data.evil.com:alert(1)',
  'javascript.evil.com:/cb',
];

const badNames = ['Web\u0000App', 'Web\nApp', 'Web\u202eppA', 'Web\udc00App', '\u200b\u200c\u200d', '\u3164'];

async function problemFields(response: Response): Promise<string[]> {
  expect(response.status).toBe(400);
  return ((await response.json()) as { errors: { field: string }[] }).errors.map((error) => error.field);
}

describe('POST /clients refuses what the audit got stored (issue 9 item 7)', () => {
  it.each(badRedirectUris)('redirect URI %j → 400 naming redirectUris[0], nothing created', async (uri) => {
    const before = await server.clients.count();
    const response = await api(server, 'POST', '/clients', { token, body: { ...webApp, redirectUris: [uri] } });
    expect(await problemFields(response)).toEqual(['redirectUris[0]']);
    expect(await server.clients.count()).toBe(before);
  });

  it.each(badNames)('name %j → 400 naming name, nothing created', async (name) => {
    const before = await server.clients.count();
    const response = await api(server, 'POST', '/clients', { token, body: { ...webApp, name } });
    expect(await problemFields(response)).toEqual(['name']);
    expect(await server.clients.count()).toBe(before);
  });

  it('description with a control character → 400 naming description; with line breaks it is kept', async () => {
    const refused = await api(server, 'POST', '/clients', { token, body: { ...webApp, description: 'beep\u0007' } });
    expect(await problemFields(refused)).toEqual(['description']);
    const kept = await api(server, 'POST', '/clients', { token, body: { ...webApp, name: 'Two-line description', description: 'One\r\nTwo' } });
    expect(kept.status).toBe(201);
    expect(((await kept.json()) as { client: Client }).client.description).toBe('One\nTwo');
  });
});

describe('accepted redirect URIs are read back canonical (issue 9 item 7)', () => {
  it('POST stores the parsed form, and GET returns exactly that', async () => {
    const response = await api(server, 'POST', '/clients', {
      token,
      body: { ...webApp, name: 'Spelled loosely', redirectUris: ['HTTPS://App.Example.COM:443/Callback', 'https://bücher.example/ü', 'COM.Example.App:/cb', 'HTTP://127.0.0.1:8080/cb'] },
    });
    expect(response.status).toBe(201);
    const { client } = (await response.json()) as { client: Client };
    const canonical = ['https://app.example.com/Callback', 'https://xn--bcher-kva.example/%C3%BC', 'com.example.app:/cb', 'http://127.0.0.1:8080/cb'];
    expect(client.redirectUris).toEqual(canonical);
    const read = (await (await api(server, 'GET', `/clients/${client.clientId}`, { token })).json()) as Client;
    expect(read.redirectUris).toEqual(canonical);
  });

  it('PATCH too; and a second spelling of a listed URI is a duplicate', async () => {
    const patched = await api(server, 'PATCH', `/clients/${target.clientId}`, { token, body: { redirectUris: ['HTTPS://APP.EXAMPLE.COM/next'] }, headers: { 'if-match': `"${target.version}"` } });
    expect(patched.status).toBe(200);
    const client = (await patched.json()) as Client;
    expect(client.redirectUris).toEqual(['https://app.example.com/next']);
    const duplicate = await api(server, 'PATCH', `/clients/${target.clientId}`, {
      token,
      body: { redirectUris: ['https://app.example.com/next', 'https://APP.example.com:443/next'] },
      headers: { 'if-match': `"${client.version}"` },
    });
    expect(await problemFields(duplicate)).toEqual(['redirectUris[1]']);
  });

  it('the default clients as provisioned still validate (renaming one is accepted)', async () => {
    const list = (await (await api(server, 'GET', '/clients?kind=default', { token })).json()) as { items: Client[] };
    expect(list.items).toHaveLength(5);
    const mobile = list.items.find((c) => c.clientId === 'thetasecure-mobile-app')!;
    const renamed = await api(server, 'PATCH', `/clients/${mobile.clientId}`, {
      token,
      body: { name: 'ThetaSecure Mobile App' },
      headers: { 'if-match': `"${mobile.version}"`, 'confirm-default-client': mobile.clientId },
    });
    expect(renamed.status).toBe(200);
  });
});
