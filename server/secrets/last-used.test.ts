// Last use, written behind (issue 10), over real HTTP with the server's injected clock: many
// tokens in a minute are one write; the next write waits for the minute; the change feed carries
// a client's first use and then at most one last-use change an hour; version and ETag stay;
// what is pending is written on shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../shared/client.ts';
import { startServer } from '../app.ts';
import { ADMIN_CLIENT_ID } from '../provisioning.ts';
import { openEventStream } from '../testing/event-stream.ts';
import { TEST_CREDENTIALS, accessToken, api, clientCredentialsToken, makeDataDir, startTestServer } from '../testing/test-server.ts';
import type { TestServer } from '../testing/test-server.ts';

const MINUTE = 60_000;
let clock = Date.now();
let server: TestServer;
let adminToken: string;

beforeAll(async () => {
  // startTestServer leaves the timer as good as off: the test decides when due notes are written (flushLastUsed).
  server = await startTestServer({ now: () => new Date(clock) });
  adminToken = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
});
afterAll(async () => {
  await server?.stop();
});

async function read(clientId: string): Promise<Client> {
  return (await (await api(server, 'GET', `/clients/${clientId}`, { token: adminToken })).json()) as Client;
}

async function token(clientId: string, secret: string): Promise<void> {
  expect((await clientCredentialsToken(server, clientId, secret, 'directory:read')).status).toBe(200);
}

describe('last used', () => {
  it('is written at most once a minute per client, on the client and on the secret that was used', async () => {
    const created = await api(server, 'POST', '/clients', { token: adminToken, body: { name: 'Busy Service', grantTypes: ['client_credentials'], scopes: ['directory:read'] } });
    const { client, clientSecret } = (await created.json()) as { client: Client; clientSecret: string };
    expect(client.lastUsedAt).toBeNull();
    const start = clock;

    await server.flushLastUsed();
    const batchesBefore = await server.clients.lastChangeSeq();
    for (let i = 0; i < 20; i += 1) {
      clock += 100;
      await token(client.clientId, clientSecret);
    }
    // Not yet written: the token endpoint only noted it.
    expect((await read(client.clientId)).lastUsedAt).toBeNull();
    await server.flushLastUsed();
    const first = await read(client.clientId);
    expect(first.lastUsedAt).toBe(new Date(start + 2_000).toISOString());
    expect(first.secrets[0]!.lastUsedAt).toBe(first.lastUsedAt);
    // Not an edit: same version, no audit record; but the first use is in the change feed, once.
    expect(first.version).toBe(client.version);
    expect(await server.clients.lastChangeSeq()).toBe(batchesBefore + 1);
    expect(first.changeSeq).toBe(batchesBefore + 1);
    expect((await server.clients.auditLog({ clientId: client.clientId })).map((a) => a.action)).toEqual(['client.create']);

    // 30 s later: noted, but this client was written less than a minute ago.
    clock += 30_000;
    await token(client.clientId, clientSecret);
    const usedAt = new Date(clock).toISOString();
    await server.flushLastUsed();
    expect((await read(client.clientId)).lastUsedAt).toBe(first.lastUsedAt);

    // Once the minute is over the note is written, with the time of that token.
    clock += MINUTE;
    await server.flushLastUsed();
    const second = await read(client.clientId);
    expect(second.lastUsedAt).toBe(usedAt);
    // Within the hour since the feed last carried it: no new change number for last use alone.
    expect(second.changeSeq).toBe(first.changeSeq);

    // An hour on, the next use enters the feed again.
    clock += 60 * MINUTE;
    await token(client.clientId, clientSecret);
    await server.flushLastUsed();
    const third = await read(client.clientId);
    expect(third.lastUsedAt).toBe(new Date(clock).toISOString());
    expect(third.changeSeq).toBeGreaterThan(second.changeSeq);
    const feed = (await (await api(server, 'GET', `/clients/changes?since=${second.changeSeq}`, { token: adminToken })).json()) as { items: Client[] };
    expect(feed.items.find((item) => item.clientId === client.clientId)?.lastUsedAt).toBe(third.lastUsedAt);
  });

  it('one batch of first uses of several clients is one change each in the feed and one event on the stream', async () => {
    const made: { client: Client; clientSecret: string }[] = [];
    for (const name of ['Batch A', 'Batch B', 'Batch C']) {
      const response = await api(server, 'POST', '/clients', { token: adminToken, body: { name, grantTypes: ['client_credentials'], scopes: ['directory:read'] } });
      made.push((await response.json()) as { client: Client; clientSecret: string });
    }
    clock += MINUTE;
    await server.flushLastUsed();
    const stream = await openEventStream(server, adminToken);
    try {
      const first = await stream.nextEvent();
      const before = await server.clients.lastChangeSeq();
      expect(first).toMatchObject({ event: 'clients', id: String(before) });
      for (const { client, clientSecret } of made) await token(client.clientId, clientSecret);
      await server.flushLastUsed();
      expect(await server.clients.lastChangeSeq()).toBe(before + 3);
      expect(await stream.nextEvent(2_000)).toMatchObject({ event: 'clients', id: String(before + 3) });
      expect(await stream.nextEvent(300)).toBe('timeout');
    } finally {
      await stream.close();
    }
  });

  it('a failed authentication is not a use', async () => {
    const created = await api(server, 'POST', '/clients', { token: adminToken, body: { name: 'Unused Service', grantTypes: ['client_credentials'], scopes: ['directory:read'] } });
    const { client } = (await created.json()) as { client: Client };
    expect((await clientCredentialsToken(server, client.clientId, 'wrong-secret-0123456789-0123456789-0123')).status).toBe(401);
    clock += MINUTE;
    await server.flushLastUsed();
    expect((await read(client.clientId)).lastUsedAt).toBeNull();
  });

  it('what is pending is written when the server stops', async () => {
    const dataDir = await makeDataDir();
    const first = await startServer({ port: 0, ...TEST_CREDENTIALS, dataDir, quiet: true, lastUsedFlushMs: 3_600_000 });
    const response = await clientCredentialsToken(first, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret, 'clients:read');
    expect(response.status).toBe(200);
    await first.close();
    const again = await startTestServer({ dataDir });
    try {
      const admin = await accessToken(again, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
      const stored = (await (await api(again, 'GET', `/clients/${ADMIN_CLIENT_ID}`, { token: admin })).json()) as Client;
      expect(stored.lastUsedAt).not.toBeNull();
    } finally {
      await again.stop();
    }
  });
});
