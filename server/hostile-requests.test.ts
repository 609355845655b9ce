// Issue 9, item 5: requests that answered 500 or broke the connection. Deeply nested JSON in
// grantTypes/responseTypes, a NUL in q, and bodies over the size limit, over real HTTP with
// keep-alive agents (as an API client or a browser sends them).
import http from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CLIENT_ID } from './provisioning.ts';
import { TEST_CREDENTIALS, accessToken, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

let server: TestServer;
let token: string;
let agent: http.Agent;

beforeAll(async () => {
  server = await startTestServer();
  token = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
  agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
});
afterAll(async () => {
  agent?.destroy();
  await server?.stop();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: Socket;
  ms: number;
}

/** One request on the shared keep-alive agent; `chunks` are written one by one (chunked when no content-length is set). */
function send(method: string, path: string, headers: Record<string, string>, chunks: (string | Buffer)[] = []): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.url}${path}`, { method, agent, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body, socket: request.socket!, ms: performance.now() - started }));
    });
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

const bearer = () => ({ authorization: `Bearer ${token}` });
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('deeply nested JSON', () => {
  it.each(['grantTypes', 'responseTypes'])('5,000+ levels inside %s → 400 naming the field, quickly', async (field) => {
    for (const depth of [5_000, 50_000]) {
      const body = `{"name":"Nested","grantTypes":["client_credentials"],"scopes":["clients:read"],"${field}":${nested(depth)}}`;
      const answer = await send('POST', '/api/v1/clients', { ...bearer(), 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, [body]);
      expect(answer.status).toBe(400);
      const problem = JSON.parse(answer.body) as { errors: { field: string; message: string }[] };
      expect(problem.errors.map((error) => error.field)).toContain(`${field}[0]`);
      expect(answer.ms).toBeLessThan(1_000);
    }
    // Nothing was created, and the server still answers at once.
    const list = await send('GET', '/api/v1/clients?q=Nested', bearer());
    expect(JSON.parse(list.body)).toMatchObject({ total: 0 });
  });

  it('nested inside a PATCH too', async () => {
    const created = JSON.parse((await send('POST', '/api/v1/clients', { ...bearer(), 'content-type': 'application/json' }, [JSON.stringify({ name: 'Patch Target', grantTypes: ['client_credentials'], scopes: ['clients:read'] })])).body) as { client: { clientId: string } };
    const body = `{"grantTypes":${nested(6_000)}}`;
    const answer = await send('PATCH', `/api/v1/clients/${created.client.clientId}`, { ...bearer(), 'content-type': 'application/json', 'if-match': '*' }, [body]);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('"field":"grantTypes[0]"');
  });
});

describe('a NUL in the search text', () => {
  it.each(['ab\u0000', 'abc\u0000def', '\u0000\u0000\u0000', 'billing\u0007'])('q=%j → 400 naming q, never 500', async (q) => {
    const answer = await send('GET', `/api/v1/clients?q=${encodeURIComponent(q)}`, bearer());
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ errors: [{ field: 'q', message: expect.stringContaining('control characters') }] });
  });
});

describe('a body over the size limit', () => {
  const big = (bytes: number) => Buffer.alloc(bytes, 'a');

  async function expectClosedCleanly(answer: Answer, nextPath: string, nextHeaders: Record<string, string>): Promise<void> {
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    // The server really closes the connection (it does not linger half-broken) ...
    await new Promise<void>((resolve) => (answer.socket.destroyed ? resolve() : answer.socket.once('close', () => resolve())));
    // ... and the next request on the same agent goes through at once, on a new connection.
    const next = await send('GET', nextPath, nextHeaders);
    expect(next.status).toBe(200);
    expect(next.socket).not.toBe(answer.socket);
    expect(next.ms).toBeLessThan(1_000);
  }

  it.each([
    ['with Content-Length', 300_000, true],
    ['chunked', 300_000, false],
    ['chunked, 5 MB', 5_000_000, false],
  ])('admin API, %s: 413 problem, then the connection is closed and the next request is fast', async (_how, bytes, declared) => {
    const body = big(bytes);
    const headers: Record<string, string> = { ...bearer(), 'content-type': 'application/json' };
    if (declared) headers['content-length'] = String(bytes);
    const chunks = declared ? [body] : Array.from({ length: Math.ceil(bytes / 65_536) }, (_, i) => body.subarray(i * 65_536, (i + 1) * 65_536));
    const answer = await send('POST', '/api/v1/clients', headers, chunks);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 413, type: 'urn:thetasecure:problem:body-too-large' });
    await expectClosedCleanly(answer, '/api/v1/me', bearer());
  });

  it.each([
    ['with Content-Length', true],
    ['chunked', false],
  ])('/token, %s: 413 invalid_request, then the connection is closed and the next request is fast', async (_how, declared) => {
    const form = `grant_type=client_credentials&scope=${'x'.repeat(200_000)}`;
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${ADMIN_CLIENT_ID}:${TEST_CREDENTIALS.adminClientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (declared) headers['content-length'] = String(form.length);
    const chunks = declared ? [form] : Array.from({ length: Math.ceil(form.length / 16_384) }, (_, i) => form.slice(i * 16_384, (i + 1) * 16_384));
    const answer = await send('POST', '/token', headers, chunks);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_request' });
    await expectClosedCleanly(answer, '/healthz', {});
  });

  it('a body under the limit on the same agent still works (keep-alive is kept)', async () => {
    const first = await send('GET', '/api/v1/me', bearer());
    const second = await send('GET', '/api/v1/me', bearer());
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.socket).toBe(first.socket);
  });
});

describe('text UTF-8 cannot hold', () => {
  it('an unpaired surrogate in a name or description → 400 naming the field, nothing stored (it was stored as U+FFFD)', async () => {
    for (const [field, body] of [
      ['name', '{"name":"Bad \\ud800 Name","grantTypes":["client_credentials"],"scopes":["clients:read"]}'],
      ['description', '{"name":"Surrogate Desc","description":"x\\udc00","grantTypes":["client_credentials"],"scopes":["clients:read"]}'],
    ] as const) {
      const answer = await send('POST', '/api/v1/clients', { ...bearer(), 'content-type': 'application/json' }, [body]);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ errors: [{ field }] });
    }
    const list = await send('GET', '/api/v1/clients?q=Surrogate', bearer());
    expect(JSON.parse(list.body)).toMatchObject({ total: 0 });
  });
});
