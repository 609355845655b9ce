// Several ThetaSecure server processes on one PostgreSQL, behind one issuer (a round-robin load
// balancer, so consecutive requests land on different processes), against a real PostgreSQL
// this file starts: both start at the same moment (keys and default clients created once), a
// change made through one is seen by the other at once (token endpoint, events stream), a sign-in
// works when its steps alternate between processes, sign-in throttling is shared, and stopping
// PostgreSQL under load gives 503s (no hang, no crash) until it is back, then all recovers.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../shared/client.ts';
import { ADMIN_CLIENT_ID } from '../provisioning.ts';
import { openEventStream } from '../testing/event-stream.ts';
import { startPostgresCluster } from '../testing/postgres-cluster.ts';
import type { PostgresCluster } from '../testing/postgres-cluster.ts';
import { startRoundRobinProxy } from '../testing/round-robin-proxy.ts';
import type { RoundRobinProxy } from '../testing/round-robin-proxy.ts';
import { discoverAdminConsole, signInWithPkce, startLoopbackListener } from '../testing/sign-in.ts';
import { TEST_CREDENTIALS, accessToken, api, clientCredentialsToken, startTestServer } from '../testing/test-server.ts';
import type { TestServer } from '../testing/test-server.ts';
import { PgDatabase } from './database.ts';
import { PgLoginAttempts } from './login-attempts.ts';

let cluster: PostgresCluster;
let databaseUrl: string;
let proxy: RoundRobinProxy;
let one: TestServer;
let two: TestServer;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  databaseUrl = await cluster.createDatabase();
  proxy = await startRoundRobinProxy(() => [one.url, two.url]);
  // The same moment, the same empty database: migrations, keys and provisioning race.
  const start = () => startTestServer({ databaseUrl, issuer: proxy.url, sweepIntervalMs: 60_000 });
  [one, two] = await Promise.all([start(), start()]);
}, 120_000);

afterAll(async () => {
  await one?.stop();
  await two?.stop();
  await proxy?.close();
  await cluster?.destroy();
});

async function createClient(server: TestServer, token: string, name: string): Promise<{ client: Client; clientSecret: string }> {
  const response = await api(server, 'POST', '/clients', { token, body: { name, grantTypes: ['client_credentials'], scopes: ['directory:read'] } });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { client: Client; clientSecret: string };
}

describe('two server processes on one PostgreSQL', () => {
  it('started at the same moment: one set of keys, the default clients and users once', async () => {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      expect((await db.query('SELECT name FROM server_keys ORDER BY name')).rows.map((row) => row.name)).toEqual(['cookie_keys', 'jwks']);
      expect(Number((await db.query('SELECT count(*) FROM clients')).rows[0].count)).toBe(5);
      expect((await db.query('SELECT username FROM users ORDER BY username')).rows.map((row) => row.username)).toEqual(['admin', 'helpdesk']);
      expect((await db.query('SELECT version FROM schema_migrations')).rows.length).toBeGreaterThan(0);
    } finally {
      await db.end();
    }
    const [jwksOne, jwksTwo] = await Promise.all([one, two].map(async (server) => (await fetch(`${server.url}/jwks`)).json()));
    expect(jwksOne).toEqual(jwksTwo);
    expect(await (await fetch(`${one.url}/healthz`)).json()).toEqual({ status: 'ok', database: 'postgres' });
  });

  it('a client created through process 2 reaches an admin connected to process 1 within 2 s; disabled through 2, it is refused at 1 at once', async () => {
    // A token from one process is accepted by the other: one issuer, one set of keys.
    const token = await accessToken(one, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
    const stream = await openEventStream(one, token);
    try {
      const first = await stream.nextEvent(5_000);
      expect(first).toMatchObject({ event: 'clients' });
      const { client, clientSecret } = await createClient(two, token, 'Made On Two');
      const started = Date.now();
      const event = await stream.nextEvent(2_000);
      expect(event, 'an event at process 1 within 2 s').toMatchObject({ event: 'clients', id: String(client.changeSeq) });
      expect(Date.now() - started).toBeLessThan(2_000);
      const listed = await api(one, 'GET', `/clients?q=${encodeURIComponent('Made On Two')}`, { token });
      expect(((await listed.json()) as { items: Client[] }).items.map((item) => item.clientId)).toEqual([client.clientId]);

      // Process 1's token endpoint knows the client (and has it cached) ...
      for (let i = 0; i < 3; i += 1) expect((await clientCredentialsToken(one, client.clientId, clientSecret)).status).toBe(200);
      const early = ((await (await clientCredentialsToken(one, client.clientId, clientSecret)).json()) as { access_token: string }).access_token;
      expect((await api(one, 'GET', '/me', { token: early })).status).toBe(200);
      // ... it is disabled through process 2 ...
      const disabled = await api(two, 'PATCH', `/clients/${client.clientId}`, { token, body: { status: 'disabled' }, headers: { 'if-match': `"${client.version}"` } });
      expect(disabled.status).toBe(200);
      // ... and process 1 refuses it on the very next request.
      const refused = await clientCredentialsToken(one, client.clientId, clientSecret);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
      // ... and so does its API: an access token issued before is refused at process 1 at once.
      expect((await api(one, 'GET', '/me', { token: early })).status).toBe(401);
      const deleted = await api(two, 'DELETE', `/clients/${client.clientId}`, { token, headers: { 'if-match': `"${client.version + 1}"` } });
      expect(deleted.status).toBe(204);
      expect((await api(one, 'GET', `/clients/${client.clientId}`, { token })).status).toBe(404);
      // Process 1's search index is brought level before it answers: the delete is there at once.
      const searched = (await (await api(one, 'GET', `/clients?q=${encodeURIComponent('made on two')}`, { token })).json()) as { items: Client[]; total: number };
      expect({ items: searched.items.length, total: searched.total }).toEqual({ items: 0, total: 0 });
    } finally {
      await stream.close();
    }
  });

  it('signs the admin in through the load balancer while its steps alternate between the processes', async () => {
    const listener = await startLoopbackListener();
    try {
      const config = await discoverAdminConsole(proxy.url);
      const before = proxy.served.length;
      const { tokens } = await signInWithPkce(config, listener, { username: 'admin', password: TEST_CREDENTIALS.adminPassword });
      const steps = proxy.served.slice(before);
      expect(new Set(steps)).toEqual(new Set([0, 1]));
      expect(tokens.refresh_token).toEqual(expect.any(String));
      for (const server of [one, two]) {
        const me = await api(server, 'GET', '/me', { token: tokens.access_token });
        expect(me.status).toBe(200);
      }
    } finally {
      await listener.close();
    }
  });

  it('shares sign-in throttling: failures at two processes count against one limit', async () => {
    const dbs = [new PgDatabase(databaseUrl), new PgDatabase(databaseUrl)];
    try {
      const [a, b] = dbs.map((db) => new PgLoginAttempts(db, { maxFailures: 4, windowMs: 60_000, lockMs: 300_000 }));
      // Eight guesses at once, four at each process: at most four are let through to the password check.
      const waits = await Promise.all(Array.from({ length: 8 }, (_, index) => (index % 2 ? a! : b!).reserve('Someone')));
      expect(waits.filter((wait) => wait === 0)).toHaveLength(4);
      for (let i = 0; i < 4; i += 1) await (i % 2 ? a! : b!).recordFailure('someone');
      expect(await a!.reserve('SOMEONE')).toBeGreaterThan(60);
      expect(await b!.reserve('someone')).toBeGreaterThan(60);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });

  it('PostgreSQL stopped under load: 503 problem documents at once (no hang, no crash), /healthz says so; back by itself when it returns', async () => {
    const token = await accessToken(two, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
    const stream = await openEventStream(one, token);
    await stream.nextEvent(5_000);
    const statuses: number[] = [];
    const slowest: number[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        const started = Date.now();
        const target = statuses.length % 2 ? one : two;
        const answer = await api(target, 'GET', '/clients?limit=5', { token }).catch(() => null);
        statuses.push(answer?.status ?? 0);
        slowest.push(Date.now() - started);
        if (answer?.status === 503) {
          expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(await answer.json()).toMatchObject({ status: 503, type: 'urn:thetasecure:problem:database-unavailable' });
        } else await answer?.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await cluster.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      for (const server of [one, two]) {
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(503);
        expect(await health.json()).toMatchObject({ status: 'unavailable', database: 'postgres' });
        // The token endpoint too: a 503, not a 500.
        const refused = await clientCredentialsToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
        expect(refused.status).toBe(503);
      }
      await cluster.start();
      const deadline = Date.now() + 15_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline) {
        const checks = await Promise.all([one, two].map(async (server) => (await fetch(`${server.url}/healthz`)).status));
        healthy = checks.every((status) => status === 200);
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(healthy, 'both processes healthy again within 15 s').toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      running = false;
      await load;
    }
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    // Nothing but answers and 503s: no 500, no dropped connection, no hang.
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(Math.max(...slowest)).toBeLessThan(5_000);
    expect(statuses.at(-1)).toBe(200);

    // Everything works again, changes across processes included (the LISTEN connection is back).
    const { client } = await createClient(two, token, 'After The Outage');
    let event = await stream.nextEvent(3_000);
    while (event !== 'timeout' && event !== 'end' && Number(event.id) < client.changeSeq) event = await stream.nextEvent(3_000);
    expect(event).toMatchObject({ event: 'clients', id: String(client.changeSeq) });
    await stream.close();
    expect((await clientCredentialsToken(one, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret)).status).toBe(200);
  });
});
