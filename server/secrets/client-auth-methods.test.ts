// Client authentication methods over real HTTP (issue 10): a public client signing in with PKCE
// through openid-client, private_key_jwt with jose-signed assertions (RS256, ES256, EdDSA; a
// wrong key or a reused jti refused), client_secret_post, and switching a custom client's
// method (what happens to its secrets).
import crypto from 'node:crypto';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../shared/client.ts';
import { ADMIN_CLIENT_ID } from '../provisioning.ts';
import { signInWithPkce, startLoopbackListener } from '../testing/sign-in.ts';
import { TEST_CREDENTIALS, accessToken, api, clientCredentialsToken, startTestServer } from '../testing/test-server.ts';
import type { TestServer } from '../testing/test-server.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
let server: TestServer;
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer();
  adminToken = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
});
afterAll(async () => {
  await server?.stop();
});

async function create(body: Record<string, unknown>): Promise<{ status: number; client?: Client; clientSecret?: string; errors?: { field: string }[] }> {
  const response = await api(server, 'POST', '/clients', { token: adminToken, body: { grantTypes: ['client_credentials'], scopes: ['directory:read'], ...body } });
  return { status: response.status, ...((await response.json()) as object) };
}

async function keyPair(alg: 'RS256' | 'ES256' | 'EdDSA', kid: string) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  return { privateKey, jwk: { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

async function assertion(clientId: string, key: CryptoKey, alg: string, kid: string, jti = crypto.randomUUID()): Promise<string> {
  return new jose.SignJWT({})
    .setProtectedHeader({ alg, kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(server.issuer)
    .setIssuedAt()
    .setExpirationTime('2m')
    .setJti(jti)
    .sign(key);
}

async function tokenWithAssertion(clientAssertion: string): Promise<Response> {
  return fetch(`${server.url}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'directory:read', client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion }),
  });
}

describe('a public client (tokenEndpointAuthMethod: none)', () => {
  it('is created without a secret and signs a user in with PKCE through openid-client', async () => {
    const created = await create({ name: 'Public SPA', grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1/callback'], scopes: ['openid', 'profile'], tokenEndpointAuthMethod: 'none' });
    expect(created.status).toBe(201);
    expect(created.clientSecret).toBeUndefined();
    expect(created.client).toMatchObject({ tokenEndpointAuthMethod: 'none', secrets: [], jwksUri: null, jwks: null, lastUsedAt: null });
    const clientId = created.client!.clientId;

    const listener = await startLoopbackListener();
    try {
      const config = await oidc.discovery(new URL(server.issuer), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
      const { tokens } = await signInWithPkce(config, listener, { username: 'admin', password: TEST_CREDENTIALS.adminPassword }, 'openid profile');
      expect(tokens.claims()).toMatchObject({ sub: 'admin', aud: clientId });
    } finally {
      await listener.close();
    }
    await server.flushLastUsed();
    const after = (await (await api(server, 'GET', `/clients/${clientId}`, { token: adminToken })).json()) as Client;
    expect(after.lastUsedAt).not.toBeNull();
  });

  it('cannot hold Client Credentials, keys or a secret', async () => {
    const cc = await create({ name: 'Public CC', tokenEndpointAuthMethod: 'none' });
    expect(cc.status).toBe(400);
    expect(cc.errors!.map((e) => e.field)).toEqual(['grantTypes']);
    const secrets = await api(server, 'GET', '/clients/thetasecure-mobile-app/secrets', { token: adminToken });
    expect(await secrets.json()).toEqual({ items: [] });
  });
});

describe('a private_key_jwt client', () => {
  it.each(['ES256', 'RS256', 'EdDSA'] as const)('authenticates with a %s assertion signed by its key; a reused jti and a wrong key are refused', async (alg) => {
    const key = await keyPair(alg, `key-${alg}`);
    const created = await create({ name: `Signed ${alg}`, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [key.jwk] } });
    expect(created.status).toBe(201);
    expect(created.clientSecret).toBeUndefined();
    expect(created.client).toMatchObject({ tokenEndpointAuthMethod: 'private_key_jwt', secrets: [], jwksUri: null, jwks: { keys: [key.jwk] } });
    const clientId = created.client!.clientId;

    const signed = await assertion(clientId, key.privateKey, alg, key.jwk.kid);
    const ok = await tokenWithAssertion(signed);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { access_token: string }).access_token).toBeTruthy();

    const replay = await tokenWithAssertion(signed);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: 'invalid_client' });

    const stranger = await keyPair(alg, key.jwk.kid);
    const forged = await tokenWithAssertion(await assertion(clientId, stranger.privateKey, alg, key.jwk.kid));
    expect(forged.status).toBe(401);

    // No shared secret to fall back on.
    expect((await clientCredentialsToken(server, clientId, 'anything-at-all-0123456789-0123456789')).status).toBe(401);
    const rotate = await api(server, 'POST', `/clients/${clientId}/secrets`, { token: adminToken, body: {} });
    expect(rotate.status).toBe(409);
  });

  it('takes a JWKS URL over https, and refuses http, both sources, none, or a private key (naming the field, nothing written)', async () => {
    const byUri = await create({ name: 'Keys By URL', tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: 'https://keys.example.com/jwks.json' });
    expect(byUri.status).toBe(201);
    expect(byUri.client).toMatchObject({ jwksUri: 'https://keys.example.com/jwks.json', jwks: null });

    const before = await server.clients.count();
    const { jwk } = await keyPair('ES256', 'k');
    const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
    for (const [body, fields] of [
      [{ jwksUri: 'http://keys.example.com/jwks.json' }, ['jwksUri']],
      [{ jwksUri: 'https://keys.example.com/jwks.json', jwks: { keys: [jwk] } }, ['jwks']],
      [{}, ['jwksUri']],
      [{ jwks: { keys: [await jose.exportJWK(privateKey)] } }, ['jwks.keys[0].d']],
      [{ jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }, ['jwks.keys[0].k']],
      // Well-formed members that are not a point on P-256: refused by the server's key import.
      [{ jwks: { keys: [jwk, { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }] } }, ['jwks.keys[1]']],
    ] as const) {
      const refused = await create({ name: 'Bad Keys', tokenEndpointAuthMethod: 'private_key_jwt', ...body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.errors!.map((e) => e.field)).toEqual(fields);
    }
    expect(await server.clients.count()).toBe(before);
  });
});

describe('client_secret_post', () => {
  it('authenticates with the secret in the request body (HTTP Basic works as well: oidc-provider treats the two secret methods as one)', async () => {
    const created = await create({ name: 'Posting Service', tokenEndpointAuthMethod: 'client_secret_post' });
    expect(created.status).toBe(201);
    const { clientId } = created.client!;
    const post = await fetch(`${server.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'directory:read', client_id: clientId, client_secret: created.clientSecret! }),
    });
    expect(post.status).toBe(200);
    const wrong = await fetch(`${server.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'directory:read', client_id: clientId, client_secret: `${created.clientSecret!.slice(0, -1)}x` }),
    });
    expect(wrong.status).toBe(401);
    expect((await clientCredentialsToken(server, clientId, created.clientSecret!, 'directory:read')).status).toBe(200);
  });
});

describe('switching a custom client\'s authentication', () => {
  it('to private_key_jwt removes its secrets; back to a secret method leaves none until POST …/secrets', async () => {
    const created = await create({ name: 'Switching Service' });
    const { clientId, version } = created.client!;
    const key = await keyPair('ES256', 'switch');
    const toJwt = await api(server, 'PATCH', `/clients/${clientId}`, { token: adminToken, headers: { 'if-match': `"${version}"` }, body: { tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [key.jwk] } } });
    expect(toJwt.status).toBe(200);
    const switched = (await toJwt.json()) as Client;
    expect(switched).toMatchObject({ tokenEndpointAuthMethod: 'private_key_jwt', secrets: [] });
    expect((await clientCredentialsToken(server, clientId, created.clientSecret!, 'directory:read')).status).toBe(401);
    expect((await tokenWithAssertion(await assertion(clientId, key.privateKey, 'ES256', 'switch'))).status).toBe(200);
    const [audit] = await server.clients.auditLog({ clientId, limit: 1 });
    expect(audit!.changes).toMatchObject({ tokenEndpointAuthMethod: { from: 'client_secret_basic', to: 'private_key_jwt' }, secrets: { to: [] } });

    const toSecret = await api(server, 'PATCH', `/clients/${clientId}`, { token: adminToken, headers: { 'if-match': `"${switched.version}"` }, body: { tokenEndpointAuthMethod: 'client_secret_basic' } });
    expect(toSecret.status).toBe(200);
    expect(await toSecret.json()).toMatchObject({ tokenEndpointAuthMethod: 'client_secret_basic', secrets: [], jwks: null });
    expect((await tokenWithAssertion(await assertion(clientId, key.privateKey, 'ES256', 'switch'))).status).toBe(401);
    const fresh = await api(server, 'POST', `/clients/${clientId}/secrets`, { token: adminToken });
    expect(fresh.status).toBe(201);
    const { secret } = (await fresh.json()) as { secret: string };
    expect((await clientCredentialsToken(server, clientId, secret, 'directory:read')).status).toBe(200);
  });

  it('a default client keeps its method (400 naming the field)', async () => {
    const current = (await (await api(server, 'GET', '/clients/ts_sync_client', { token: adminToken })).json()) as Client;
    const refused = await api(server, 'PATCH', '/clients/ts_sync_client', { token: adminToken, headers: { 'if-match': `"${current.version}"`, 'confirm-default-client': 'ts_sync_client' }, body: { tokenEndpointAuthMethod: 'client_secret_post' } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['tokenEndpointAuthMethod']);
  });
});
