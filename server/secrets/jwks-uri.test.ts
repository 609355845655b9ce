// A private_key_jwt client whose keys are at a JWKS URL (issue 10): a real HTTPS server on
// 127.0.0.1 with a certificate authority of the test's own (openssl) serves the keys; the
// provider fetches them through an injected fetch that trusts that authority (its default one
// refuses loopback addresses, as it should in production), and verifies the assertion with them.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as jose from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../shared/client.ts';
import { ADMIN_CLIENT_ID } from '../provisioning.ts';
import { TEST_CREDENTIALS, accessToken, api, startTestServer } from '../testing/test-server.ts';
import type { TestServer } from '../testing/test-server.ts';

const opensslMissing = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'openssl is not installed (it makes the test HTTPS certificate): apt-get install openssl';
  }
})();

/** fetch over node:https trusting `ca`: enough of fetch for oidc-provider's JWKS GET. */
function fetchTrusting(ca: string) {
  return (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const request = https.get(url, { ca, headers: Object.fromEntries(new Headers(init?.headers).entries()), signal: init?.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: res.headers as Record<string, string> })));
        res.on('error', reject);
      });
      request.on('error', reject);
    });
}

describe.skipIf(opensslMissing !== null)('a private_key_jwt client with a jwksUri', () => {
  let dir: string;
  let keyServer: https.Server;
  let jwksUri: string;
  let published: { keys: object[] } = { keys: [] };
  let fetched = 0;
  let server: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thetasecure-jwks-uri-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    keyServer = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
      fetched += 1;
      res.writeHead(req.url === '/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(published));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    jwksUri = `https://127.0.0.1:${(keyServer.address() as AddressInfo).port}/jwks.json`;
    server = await startTestServer({ providerFetch: fetchTrusting(cert) });
    adminToken = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
  });
  afterAll(async () => {
    await server?.stop();
    keyServer?.closeAllConnections();
    await new Promise((resolve) => keyServer?.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('authenticates with an assertion signed by a key published at the URL, and not with another key', async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
    published = { keys: [{ ...(await jose.exportJWK(publicKey)), kid: 'published', alg: 'ES256', use: 'sig' }] };
    const created = await api(server, 'POST', '/clients', { token: adminToken, body: { name: 'Keys At A URL', grantTypes: ['client_credentials'], scopes: ['directory:read'], tokenEndpointAuthMethod: 'private_key_jwt', jwksUri } });
    expect(created.status).toBe(201);
    const { client } = (await created.json()) as { client: Client };
    expect(client).toMatchObject({ jwksUri, jwks: null, secrets: [] });

    const sign = (key: CryptoKey) =>
      new jose.SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'published' }).setIssuer(client.clientId).setSubject(client.clientId)
        .setAudience(`${server.issuer}/token`).setIssuedAt().setExpirationTime('2m').setJti(crypto.randomUUID()).sign(key);
    const token = async (assertion: string) =>
      fetch(`${server.url}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'directory:read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }) });

    const ok = await token(await sign(privateKey));
    expect(ok.status).toBe(200);
    expect(fetched).toBeGreaterThan(0);
    const other = await jose.generateKeyPair('ES256', { extractable: true });
    expect((await token(await sign(other.privateKey))).status).toBe(401);
  });
});

if (opensslMissing) console.log(`skipped jwks-uri.test.ts: ${opensslMissing}`);
