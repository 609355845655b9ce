// GET /api/v1/events over real HTTP against a real SQLite file, read as an EventSource would:
// where the server stands at connect, an event after a change made through the API, coalescing,
// heartbeats, Last-Event-ID resume, and the stream's end (token expiry, disabled client, close).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientChanges } from '../shared/client.ts';
import { prepareNewClient } from './new-client.ts';
import { ADMIN_CLIENT_ID } from './provisioning.ts';
import { openEventStream } from './testing/event-stream.ts';
import type { EventStreamReader, StreamFrame } from './testing/event-stream.ts';
import { TEST_CREDENTIALS, accessToken, api, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

const HEARTBEAT_MS = 150;
let server: TestServer;
let adminToken: string;
const streams: EventStreamReader[] = [];

beforeAll(async () => {
  server = await startTestServer({ eventsHeartbeatMs: HEARTBEAT_MS });
  adminToken = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
});

afterAll(async () => {
  await Promise.all(streams.map((stream) => stream.close()));
  await server?.stop();
});

async function open(token: string | undefined = adminToken, headers: Record<string, string> = {}, target: TestServer = server): Promise<EventStreamReader> {
  const stream = await openEventStream(target, token, headers);
  streams.push(stream);
  return stream;
}

async function lastSeq(target: TestServer = server, token = adminToken): Promise<number> {
  return ((await (await api(target, 'GET', '/clients/changes?limit=1', { token })).json()) as ClientChanges).lastSeq;
}

async function create(name: string, target: TestServer = server, token = adminToken): Promise<{ client: Client; clientSecret: string }> {
  const response = await api(target, 'POST', '/clients', { token, body: { name, grantTypes: ['client_credentials'], scopes: ['clients:read'] } });
  expect(response.status).toBe(201);
  return (await response.json()) as { client: Client; clientSecret: string };
}

function clientsEvent(seq: number): StreamFrame {
  return { kind: 'event', event: 'clients', id: String(seq), data: JSON.stringify({ seq }) };
}

describe('the events stream', () => {
  it('is text/event-stream, not cached, and starts with where the change feed stands', async () => {
    const seq = await lastSeq();
    const stream = await open();
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('cache-control')).toBe('no-store');
    expect(await stream.nextEvent()).toEqual(clientsEvent(seq));
    expect(JSON.parse((clientsEvent(seq) as { data: string }).data)).toEqual({ seq });
  });

  it('sends an event with the new seq after a change made through the API', async () => {
    const stream = await open();
    await stream.nextEvent();
    const { client } = await create('Events Create');
    expect(await stream.nextEvent()).toEqual(clientsEvent(client.changeSeq));

    const patch = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { name: 'Events Renamed' }, headers: { 'if-match': '"1"' } });
    const renamed = (await patch.json()) as Client;
    expect(await stream.nextEvent()).toEqual(clientsEvent(renamed.changeSeq));

    expect((await api(server, 'DELETE', `/clients/${client.clientId}`, { token: adminToken })).status).toBe(204);
    expect(await stream.nextEvent()).toEqual(clientsEvent(await lastSeq()));
  });

  it('sends one event, with the newest seq, for an import of many clients', async () => {
    const stream = await open();
    await stream.nextEvent();
    const records = Array.from({ length: 2_000 }, (_, index) =>
      prepareNewClient({
        name: `Events Import ${index}`,
        description: '',
        kind: 'sync_connector',
        status: 'active',
        grantTypes: ['client_credentials'],
        responseTypes: ['token'],
        redirectUris: [],
        scopes: ['directory:read', 'directory:write'],
        requireConsent: false,
        tokenEndpointAuthMethod: 'client_secret_basic',
      }).record,
    );
    await server.clients.insertMany(records, 'system:test');
    const newest = await lastSeq();
    expect(await stream.nextEvent()).toEqual(clientsEvent(newest));
    // Only heartbeats follow: no event per client.
    const frames: StreamFrame[] = [];
    const until = Date.now() + HEARTBEAT_MS * 3;
    for (let frame = await stream.next(HEARTBEAT_MS * 3); frame !== 'timeout' && frame !== 'end' && Date.now() < until; frame = await stream.next(until - Date.now())) frames.push(frame);
    expect(frames.filter((frame) => frame.kind === 'event')).toEqual([]);
  });

  it('sends a comment heartbeat at the configured interval', async () => {
    const stream = await open();
    await stream.nextEvent();
    const started = Date.now();
    expect(await stream.next(HEARTBEAT_MS * 10)).toEqual({ kind: 'comment', text: 'heartbeat' });
    expect(await stream.next(HEARTBEAT_MS * 10)).toEqual({ kind: 'comment', text: 'heartbeat' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(HEARTBEAT_MS * 2 - 50);
  });

  it('resumes with Last-Event-ID: a missed change is announced at once; nothing when the caller is current', async () => {
    const first = await open();
    const seen = await first.nextEvent();
    if (seen === 'end' || seen === 'timeout') throw new Error(`no first event: ${seen}`);
    await first.close();

    const { client } = await create('Events Missed');
    const resumed = await open(adminToken, { 'last-event-id': seen.id! });
    expect(await resumed.next(HEARTBEAT_MS / 2)).toEqual(clientsEvent(client.changeSeq));

    const current = await open(adminToken, { 'last-event-id': String(client.changeSeq) });
    expect(await current.next(HEARTBEAT_MS * 10)).toEqual({ kind: 'comment', text: 'heartbeat' });
  });

  it('refuses a request without a token (401) and one without clients:read (403)', async () => {
    const none = await api(server, 'GET', '/events');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const { client, clientSecret } = await create('Events No Read');
    const patch = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { scopes: ['directory:read'] }, headers: { 'if-match': '"1"' } });
    expect(patch.status).toBe(200);
    const token = await accessToken(server, client.clientId, clientSecret, 'directory:read');
    const forbidden = await api(server, 'GET', '/events', { token });
    expect(forbidden.status).toBe(403);
  });

  it('ends when the client of its token is disabled (checked at the next heartbeat)', async () => {
    const { client, clientSecret } = await create('Events Disabled');
    const token = await accessToken(server, client.clientId, clientSecret, 'clients:read');
    const stream = await open(token);
    await stream.nextEvent();
    const disable = await api(server, 'PATCH', `/clients/${client.clientId}`, { token: adminToken, body: { status: 'disabled' }, headers: { 'if-match': '"1"' } });
    expect(disable.status).toBe(200);
    await stream.ended(HEARTBEAT_MS * 10);
    // Opening it again is refused.
    expect((await api(server, 'GET', '/events', { token })).status).toBe(401);
  });
});

describe('the end of a stream', () => {
  it('ends when its access token expires', async () => {
    const shortLived = await startTestServer({ accessTokenTtlSeconds: 2 });
    try {
      const token = await accessToken(shortLived, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
      const opened = Date.now();
      const stream = await open(token, {}, shortLived);
      expect(await stream.nextEvent()).toMatchObject({ event: 'clients' });
      // The token's exp is in whole seconds: it expires 1 to 2 s after opening.
      await stream.ended(4_000);
      expect(Date.now() - opened).toBeGreaterThanOrEqual(900);
      expect((await api(shortLived, 'GET', '/events', { token })).status).toBe(401);
    } finally {
      await shortLived.stop();
    }
  });

  it('ends every stream when the server closes, without waiting for them', async () => {
    const closing = await startTestServer();
    const token = await accessToken(closing, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
    const stream = await open(token, {}, closing);
    await stream.nextEvent();
    const started = Date.now();
    await closing.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    await stream.ended(1_000);
  });
});
