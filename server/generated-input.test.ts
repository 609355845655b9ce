// Generated hostile input (issue 9): fast-check builds create bodies, update bodies and list
// query strings, mixing valid values with the kinds of invalid ones an audit sends (wrong types,
// control and bidi characters, odd URIs, unknown keys, non-object bodies). Over real HTTP, on
// one keep-alive connection pool, each must be answered either
//   - 400 with the fields named, exactly as the shared rules name them, and the database
//     unchanged (no client, no audit record), or
//   - accepted, and read back identical to the canonical form the shared rules produce
//     (`validateCreateClient` / `validateClientUpdate` / `ListClientsQuerySchema`),
// and never 500. The canonical form is taken from the shared functions themselves, so this holds
// whatever canonicalisation they do (redirect URIs, names). Fixed seed: the same inputs each run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_SCOPES, GRANT_TYPES, RESPONSE_TYPES } from '../shared/catalogs.ts';
import { ListClientsQuerySchema, validateClientUpdate, validateCreateClient } from '../shared/client.ts';
import type { Client, ClientSettings } from '../shared/client.ts';
import { ADMIN_CLIENT_ID } from './provisioning.ts';
import { malformedTextFields } from './well-formed-text.ts';
import { TEST_CREDENTIALS, accessToken, api, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

const SEED = 90_009;
const RUNS = 1_000;
const SCOPE_CATALOG = BUILTIN_SCOPES.map((scope) => scope.name);
const SETTINGS_KEYS = ['name', 'description', 'kind', 'status', 'grantTypes', 'responseTypes', 'redirectUris', 'scopes', 'requireConsent', 'tokenEndpointAuthMethod', 'jwksUri', 'jwks', 'labels'] as const;

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
});
afterAll(async () => {
  await server?.stop();
});

// ---- generators ------------------------------------------------------------------------------

const nasty = fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u200b', '\u200e', '\u202e', '\u2066', '\ufeff', '\ud800', '\\', '"', '\n', ' ', '%00', '<script>', '…');
const plainName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 .-]{0,30}$/);
const text = fc.oneof(
  { weight: 8, arbitrary: plainName },
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.array(fc.oneof(fc.string({ maxLength: 6 }), nasty), { maxLength: 6 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ minLength: 95, maxLength: 110 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', 'Billing Service', '  Trimmed  ') },
);
const notText = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.double());
const uri = fc.oneof(
  fc.constantFrom(
    'https://app.example.com/callback',
    'HTTPS://App.Example.COM/cb',
    'https://example.com:443/cb?x=1',
    'http://127.0.0.1/callback',
    'http://127.0.0.1:8080/cb',
    'http://[::1]/cb',
    'http://localhost/cb',
    'com.example.app:/oauth2/cb',
    'myapp:/cb',
    'https:///cb',
    'https:/example.com/cb',
    'https:example.com/cb',
    'https://example.com\\@evil.com/cb',
    'https://user:pw@example.com/cb',
    'javascript:alert(1)',
    'data.evil.com:alert(1)',
    'javascript.evil.com:/cb',
    'https://exa\u200bmple.com/cb',
    'https://example.com/c\u202eb',
    'https://example.com/#frag',
    'https://*.example.com/cb',
    'file:///etc/passwd',
    ' https://example.com/cb',
  ),
  fc.webUrl({ withQueryParameters: true }),
  text,
);
const list = <T>(item: fc.Arbitrary<T>, maxLength = 4) => fc.oneof({ weight: 14, arbitrary: fc.array(item, { maxLength }) }, { weight: 1, arbitrary: notText }, { weight: 1, arbitrary: text });
/** Mostly good entries, now and then a bad one: a list with one bad entry is refused whole. */
const entry = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: good }, { weight: 1, arbitrary: text }, { weight: 1, arbitrary: notText });
const grantTypes = list(entry(fc.oneof({ weight: 8, arbitrary: fc.constantFrom('client_credentials', 'authorization_code') }, { weight: 1, arbitrary: fc.constantFrom(...GRANT_TYPES) })), 2);
const responseTypes = list(entry(fc.oneof({ weight: 8, arbitrary: fc.constant('token') }, { weight: 1, arbitrary: fc.constantFrom(...RESPONSE_TYPES) })), 2);
const scopes = list(entry(fc.constantFrom(...SCOPE_CATALOG)), 3);
const redirectUris = list(fc.oneof({ weight: 3, arbitrary: fc.constantFrom('https://app.example.com/callback', 'http://127.0.0.1/callback', 'com.example.app:/cb') }, { weight: 2, arbitrary: uri }), 2);
const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: notText });

const settingsFields = {
  name: field(text),
  description: field(text),
  grantTypes,
  responseTypes,
  redirectUris,
  scopes,
  requireConsent: field(fc.boolean()),
};

/** Mostly plausible bodies (so that many are accepted), some with unknown keys, some not objects at all. */
const createBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ ...settingsFields, kind: field(fc.constantFrom('custom', 'sync_connector', 'default')) }, { requiredKeys: ['name', 'grantTypes', 'scopes'] }) },
  { weight: 3, arbitrary: fc.record(settingsFields, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sync_connector'), name: text, description: text }, { requiredKeys: ['kind', 'name'] }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant([]), fc.constant(null)) },
);
const updateBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ name: plainName, description: text, status: fc.constantFrom('active', 'disabled'), scopes }, { requiredKeys: [] }) },
  { weight: 12, arbitrary: fc.record({ ...settingsFields, status: field(fc.constantFrom('active', 'disabled', 'deleted')) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.record({ clientId: text, version: fc.integer(), kind: text, tokenEndpointAuthMethod: text }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant([])) },
);
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: bad });
const query = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record(
      {
        q: fc.oneof(text, fc.constantFrom('ab\u0000', 'abc\u0000def', 'Bil', 'Update', '"', '""', '*', 'a OR b', 'NEAR(a b)', '%', '_', '\\', 'é', '\ud83d\ude00x')),
        grantType: mostly(fc.constantFrom(...GRANT_TYPES), text),
        status: mostly(fc.constantFrom('active', 'disabled'), text),
        kind: mostly(fc.constantFrom('custom', 'sync_connector', 'default'), text),
        sort: mostly(fc.constantFrom('name', '-name', 'clientId', '-createdAt', 'updatedAt', 'status', '-kind'), text),
        limit: mostly(fc.integer({ min: 1, max: 500 }).map(String), fc.oneof(fc.integer({ min: -5, max: 900 }).map(String), text)),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ q: text, cursor: text, other: text }, { requiredKeys: [] }) },
);

// ---- checks ------------------------------------------------------------------------------------

function settingsOf(client: Client): ClientSettings {
  return Object.fromEntries(SETTINGS_KEYS.map((key) => [key, client[key]])) as unknown as ClientSettings;
}

/** What may change in the database: the number of clients and the newest audit record. */
async function databaseState(): Promise<string> {
  const [count, audit] = await Promise.all([server.clients.count(), server.clients.auditLog({ limit: 1 })]);
  return `${count}:${audit[0]?.id ?? 0}`;
}

async function expectRefusal(response: Response, expectedFields: string[], before: string): Promise<void> {
  expect(response.status).toBe(400);
  const problem = (await response.json()) as { errors: { field: string; message: string }[] };
  expect(problem.errors.length).toBeGreaterThan(0);
  expect(problem.errors.map((error) => error.field).sort()).toEqual([...expectedFields].sort());
  for (const error of problem.errors) expect(error.message.length).toBeGreaterThan(0);
  expect(await databaseState()).toBe(before);
}

const send = (body: unknown) => (typeof body === 'string' ? JSON.stringify(body) : JSON.stringify(body) ?? 'null');

describe('generated input over HTTP (fixed seed)', () => {
  it(`${RUNS} create bodies: 400 naming the fields and nothing written, or accepted and read back in canonical form; never 500`, async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(createBody, async (body) => {
        const malformed = malformedTextFields(body);
        const expected = validateCreateClient(body, { scopeCatalog: SCOPE_CATALOG });
        const before = await databaseState();
        const response = await api(server, 'POST', '/clients', { token, body: send(body) });
        expect(response.status).not.toBe(500);
        // Text UTF-8 cannot hold is refused at the door (well-formed-text.ts), before the field rules.
        if (malformed.length) {
          await expectRefusal(response, malformed.map((error) => error.field), before);
          return;
        }
        if (!expected.ok) {
          await expectRefusal(response, expected.errors.map((error) => error.field), before);
          return;
        }
        expect(response.status).toBe(201);
        const { client } = (await response.json()) as { client: Client };
        expect(settingsOf(client)).toEqual(expected.value);
        const readBack = await api(server, 'GET', `/clients/${encodeURIComponent(client.clientId)}`, { token });
        expect(settingsOf((await readBack.json()) as Client)).toEqual(expected.value);
        accepted += 1;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The generator must reach both sides of the rule, or the property says little.
    expect(accepted).toBeGreaterThan(RUNS / 20);
    expect(accepted).toBeLessThan(RUNS);
  }, 120_000);

  it(`${RUNS} update bodies against a custom client: 400 naming the fields and nothing written, or accepted and read back in canonical form`, async () => {
    const created = await api(server, 'POST', '/clients', { token, body: { name: 'Update Target', grantTypes: ['authorization_code'], redirectUris: ['https://app.example.com/cb'], scopes: ['openid'] } });
    const { client: target } = (await created.json()) as { client: Client };
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(updateBody, async (body) => {
        const existing = (await (await api(server, 'GET', `/clients/${target.clientId}`, { token })).json()) as Client;
        const malformed = malformedTextFields(body);
        const expected = validateClientUpdate(existing, body, { scopeCatalog: SCOPE_CATALOG });
        const before = await databaseState();
        const response = await api(server, 'PATCH', `/clients/${target.clientId}`, { token, body: send(body), headers: { 'if-match': `"${existing.version}"` } });
        expect(response.status).not.toBe(500);
        if (malformed.length || !expected.ok) {
          await expectRefusal(response, (malformed.length ? malformed : expected.ok ? [] : expected.errors).map((error) => error.field), before);
          const after = (await (await api(server, 'GET', `/clients/${target.clientId}`, { token })).json()) as Client;
          expect(after).toEqual(existing);
          return;
        }
        expect(response.status).toBe(200);
        expect(settingsOf((await response.json()) as Client)).toEqual(expected.value);
        const readBack = (await (await api(server, 'GET', `/clients/${target.clientId}`, { token })).json()) as Client;
        expect(settingsOf(readBack)).toEqual(expected.value);
        accepted += 1;
      }),
      { seed: SEED + 1, numRuns: RUNS, endOnFailure: true },
    );
    expect(accepted).toBeGreaterThan(RUNS / 20);
    expect(accepted).toBeLessThan(RUNS);
  }, 120_000);

  it(`${RUNS} list query strings: 400 naming the parameters, or 200 with a page; never 500`, async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(query, async (params) => {
        const search = new URLSearchParams(params as Record<string, string>);
        // What the server sees after decoding (lone surrogates become U+FFFD on the way).
        const raw = Object.fromEntries(new URLSearchParams(search.toString()));
        const expected = ListClientsQuerySchema.safeParse(raw);
        const response = await api(server, 'GET', `/clients?${search}`, { token });
        expect(response.status).not.toBe(500);
        if (!expected.success) {
          expect(response.status).toBe(400);
          const problem = (await response.json()) as { errors: { field: string }[] };
          const named = new Set(problem.errors.map((error) => error.field));
          for (const issue of expected.error.issues) {
            const fieldName = issue.code === 'unrecognized_keys' ? issue.keys[0]! : String(issue.path[0]);
            expect(named.has(fieldName)).toBe(true);
          }
          return;
        }
        if (response.status === 400) {
          // Only a cursor this server did not issue is refused after the shape check.
          expect(((await response.json()) as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual(['cursor']);
          return;
        }
        expect(response.status).toBe(200);
        const page = (await response.json()) as { items: Client[]; total: number };
        expect(Array.isArray(page.items)).toBe(true);
        expect(page.items.length).toBeLessThanOrEqual(expected.data.limit ?? 500);
        for (const client of page.items) {
          if (expected.data.status) expect(client.status).toBe(expected.data.status);
          if (expected.data.kind) expect(client.kind).toBe(expected.data.kind);
          if (expected.data.grantType) expect(client.grantTypes).toContain(expected.data.grantType);
        }
        accepted += 1;
      }),
      { seed: SEED + 2, numRuns: RUNS, endOnFailure: true },
    );
    expect(accepted).toBeGreaterThan(RUNS / 50);
  }, 120_000);
});
