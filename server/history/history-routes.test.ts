// Issue 11 over real HTTP against a real SQLite file: labels on the client resource, a client's
// history (who by name, each field before → after, secrets by id and hint only, pages), and the
// audit log across clients (admins only, filters).
import type * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../shared/client.ts';
import type { HistoryPage } from '../../shared/history.ts';
import { ADMIN_CLIENT_ID } from '../provisioning.ts';
import { discoverAdminConsole, signInWithPkce, startLoopbackListener } from '../testing/sign-in.ts';
import type { LoopbackListener } from '../testing/sign-in.ts';
import { TEST_CREDENTIALS, accessToken, api, startTestServer } from '../testing/test-server.ts';
import type { TestServer } from '../testing/test-server.ts';

let server: TestServer;
let clientToken: string;
let userToken: string;
let helpdeskToken: string;
let listener: LoopbackListener;

beforeAll(async () => {
  server = await startTestServer();
  clientToken = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
  listener = await startLoopbackListener();
  const config: oidc.Configuration = await discoverAdminConsole(server.issuer);
  userToken = (await signInWithPkce(config, listener, { username: 'admin', password: TEST_CREDENTIALS.adminPassword })).tokens.access_token;
  helpdeskToken = (await signInWithPkce(config, listener, { username: 'helpdesk', password: TEST_CREDENTIALS.helpdeskPassword })).tokens.access_token;
});

afterAll(async () => {
  await listener?.close();
  await server?.stop();
});

async function create(body: Record<string, unknown>, token = userToken): Promise<{ client: Client; clientSecret?: string }> {
  const response = await api(server, 'POST', '/clients', { token, body: { grantTypes: ['client_credentials'], scopes: ['directory:read'], ...body } });
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return (await response.json()) as { client: Client; clientSecret?: string };
}

async function patch(client: Client, body: Record<string, unknown>, token = userToken): Promise<Response> {
  return api(server, 'PATCH', `/clients/${client.clientId}`, { token, body, headers: { 'if-match': `"${client.version}"` } });
}

async function history(clientId: string, query = '', token = userToken): Promise<HistoryPage> {
  const response = await api(server, 'GET', `/clients/${clientId}/history${query}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as HistoryPage;
}

describe('labels', () => {
  it('are stored sorted with the client, changed by PATCH, and shown in list, get and the change feed', async () => {
    const { client } = await create({ name: 'Labelled', labels: ['team:payments', 'env:prod'] });
    expect(client.labels).toEqual(['env:prod', 'team:payments']);
    const changed = await patch(client, { labels: ['env:staging'] });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as Client).labels).toEqual(['env:staging']);
    const got = (await (await api(server, 'GET', `/clients/${client.clientId}`, { token: userToken })).json()) as Client;
    expect(got.labels).toEqual(['env:staging']);
    const feed = (await (await api(server, 'GET', '/clients/changes?since=0&limit=5000', { token: userToken })).json()) as { items: Client[] };
    expect(feed.items.find((each) => each.clientId === client.clientId)?.labels).toEqual(['env:staging']);
  });

  it('refuse upper case, bad characters, duplicates and more than 20, naming the field, and write nothing', async () => {
    const before = await server.clients.count();
    const response = await api(server, 'POST', '/clients', {
      token: userToken,
      body: { name: 'Bad labels', grantTypes: ['client_credentials'], scopes: ['directory:read'], labels: ['Team:Payments', 'env prod', 'ok', 'ok'] },
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'labels[0]', message: expect.stringContaining('lower case') },
        { field: 'labels[1]', message: expect.stringContaining('is not a label') },
        { field: 'labels[3]', message: expect.stringContaining('twice') },
      ]),
    );
    const many = await api(server, 'POST', '/clients', {
      token: userToken,
      body: { name: 'Too many', grantTypes: ['client_credentials'], scopes: ['directory:read'], labels: Array.from({ length: 21 }, (_, i) => `l${i}`) },
    });
    expect(many.status).toBe(400);
    expect(((await many.json()) as { errors: { field: string }[] }).errors).toContainEqual({ field: 'labels', message: 'At most 20 labels.' });
    expect(await server.clients.count()).toBe(before);
  });
});

describe('GET /clients/{clientId}/history', () => {
  it('shows who by name, when, and each changed field before and after, newest first', async () => {
    const { client } = await create({ name: 'History Subject', description: 'first' });
    const renamed = await patch(client, { name: 'History Subject 2', grantTypes: ['client_credentials', 'authorization_code'], redirectUris: ['https://app.example.com/cb'] }, clientToken);
    expect(renamed.status).toBe(200);
    const page = await history(client.clientId);
    expect(page.items.map((entry) => entry.action)).toEqual(['client.update', 'client.create']);
    const [update, created] = page.items;
    expect(update!.actor).toEqual({ type: 'client', id: ADMIN_CLIENT_ID, name: 'Admin Client' });
    expect(update!.changes).toEqual(
      expect.arrayContaining([
        { field: 'name', before: 'History Subject', after: 'History Subject 2' },
        { field: 'grantTypes', before: ['client_credentials'], after: ['client_credentials', 'authorization_code'] },
        { field: 'redirectUris', before: [], after: ['https://app.example.com/cb'] },
      ]),
    );
    expect(update!.changes.map((change) => change.field)).not.toContain('description');
    expect(created!.actor).toEqual({ type: 'user', id: 'admin', name: 'Administrator' });
    expect(created!.changes).toContainEqual({ field: 'description', before: null, after: 'first' });
    expect(Date.parse(update!.at)).toBeGreaterThanOrEqual(Date.parse(created!.at));
  });

  it('names secrets by id and hint only, never the secret or its hash', async () => {
    const { client, clientSecret } = await create({ name: 'Secret History' });
    const rotated = await api(server, 'POST', `/clients/${client.clientId}/secrets`, { token: userToken, body: {} });
    expect(rotated.status).toBe(201);
    const { secret } = (await rotated.json()) as { secret: string };
    const text = JSON.stringify(await history(client.clientId));
    expect(text).not.toContain(clientSecret!);
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"hash"/);
    const page = await history(client.clientId);
    expect(page.items[0]!.action).toBe('client.secret.create');
    expect(page.items[0]!.changes[0]).toMatchObject({ field: 'secret', before: null, after: { id: expect.stringMatching(/^sec_/), hint: secret.slice(-4) } });
    const createdSecrets = page.items[1]!.changes.find((change) => change.field === 'secrets')!;
    expect(createdSecrets.after).toEqual([{ id: client.secrets[0]!.id, hint: client.secrets[0]!.hint }]);
  });

  it('pages with a cursor, keeps the history of a deleted client, 404 for an id nobody had, 400 for a bad cursor', async () => {
    let { client } = await create({ name: 'Paged 0' });
    for (let i = 1; i <= 4; i += 1) {
      const response = await patch(client, { name: `Paged ${i}` });
      client = (await response.json()) as Client;
    }
    const first = await history(client.clientId, '?limit=2');
    expect(first.items.map((entry) => entry.changes.find((c) => c.field === 'name')?.after)).toEqual(['Paged 4', 'Paged 3']);
    const second = await history(client.clientId, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((entry) => entry.changes.find((c) => c.field === 'name')?.after)).toEqual(['Paged 2', 'Paged 1']);
    const third = await history(client.clientId, `?limit=2&cursor=${second.nextCursor}`);
    expect(third.items.map((entry) => entry.action)).toEqual(['client.create']);
    expect(third.nextCursor).toBeNull();

    expect((await api(server, 'DELETE', `/clients/${client.clientId}`, { token: userToken })).status).toBe(204);
    const afterDelete = await history(client.clientId, '?limit=1');
    expect(afterDelete.items[0]).toMatchObject({ action: 'client.delete', changes: expect.arrayContaining([{ field: 'name', before: 'Paged 4', after: null }]) });

    expect((await api(server, 'GET', '/clients/tsc_never_existed/history', { token: userToken })).status).toBe(404);
    const bad = await api(server, 'GET', `/clients/${client.clientId}/history?cursor=nope`, { token: userToken });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ field: 'cursor' }] });
  });

  it('is readable by the helpdesk role', async () => {
    const { client } = await create({ name: 'Helpdesk Reads' });
    expect((await history(client.clientId, '', helpdeskToken)).items).toHaveLength(1);
  });
});

describe('GET /audit', () => {
  it('lists changes across clients, filtered by actor, action and since', async () => {
    const start = new Date().toISOString();
    const { client: a } = await create({ name: 'Audit A' }, clientToken);
    const { client: b } = await create({ name: 'Audit B' });
    await patch(b, { description: 'changed' });
    const all = (await (await api(server, 'GET', `/audit?since=${encodeURIComponent(start)}`, { token: userToken })).json()) as HistoryPage;
    expect(all.items.map((entry) => [entry.clientId, entry.action])).toEqual([
      [b.clientId, 'client.update'],
      [b.clientId, 'client.create'],
      [a.clientId, 'client.create'],
    ]);
    const byClient = (await (await api(server, 'GET', `/audit?since=${encodeURIComponent(start)}&actor=client:${ADMIN_CLIENT_ID}`, { token: userToken })).json()) as HistoryPage;
    expect(byClient.items.map((entry) => entry.clientId)).toEqual([a.clientId]);
    const updates = (await (await api(server, 'GET', `/audit?since=${encodeURIComponent(start)}&action=client.update`, { token: userToken })).json()) as HistoryPage;
    expect(updates.items.map((entry) => entry.clientId)).toEqual([b.clientId]);
  });

  it('is for admins only (403 for helpdesk) and names bad parameters', async () => {
    expect((await api(server, 'GET', '/audit', { token: helpdeskToken })).status).toBe(403);
    const bad = await api(server, 'GET', '/audit?since=yesterday&action=client.eat&colour=red', { token: userToken });
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['action', 'colour', 'since']);
  });
});
