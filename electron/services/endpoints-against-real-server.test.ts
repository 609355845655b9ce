// server:endpoints against the real reference server (HTTP on 127.0.0.1): the URLs are the
// server's own discovery document's, the last document read is kept for while the server is
// away, and no sign-in is needed (the document is public).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_CREDENTIALS } from '../../server/testing/test-server.ts';
import type { TestServer } from '../../server/testing/test-server.ts';
import { createEndpointsService, discoveryUrl } from './endpoints.ts';
import { createTestApp, valueOf } from './testing/app-harness.ts';
import { makeTempDir } from './testing/temp-dir.ts';

let server: TestServer;
let discovery: { issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string };

beforeAll(async () => {
  server = await startTestServer({ quiet: true });
  discovery = (await (await fetch(discoveryUrl(server.issuer))).json()) as typeof discovery;
});
afterAll(async () => {
  await server?.stop();
});

describe('server:endpoints (real server)', () => {
  it("answers the issuer, authorization, token and JWKS URLs of the server's discovery document", async () => {
    const service = createEndpointsService({ issuer: () => server.issuer });
    const endpoints = valueOf(await service.get());
    expect(endpoints).toEqual({
      issuer: discovery.issuer,
      authorizationEndpoint: discovery.authorization_endpoint,
      tokenEndpoint: discovery.token_endpoint,
      jwksUri: discovery.jwks_uri,
      source: 'live',
    });
    expect(endpoints.tokenEndpoint.startsWith(server.issuer)).toBe(true);
    // The token endpoint it names is the one that issues tokens.
    const basic = Buffer.from(`ts_admin_client:${TEST_CREDENTIALS.adminClientSecret}`).toString('base64');
    const token = await fetch(endpoints.tokenEndpoint, { method: 'POST', headers: { authorization: `Basic ${basic}` }, body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'clients:read' }) });
    expect(token.status).toBe(200);
    expect(((await token.json()) as { access_token?: string }).access_token).toBeTruthy();
    // And the JWKS URL serves the signing keys.
    const jwks = (await (await fetch(endpoints.jwksUri)).json()) as { keys: unknown[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
  });

  it('through the contract, without signing in', async () => {
    const dir = await makeTempDir('endpoints-app');
    const t = createTestApp({ dataDir: dir.dir, issuer: server.issuer });
    try {
      expect(valueOf(await t.call('server:endpoints', {}))).toMatchObject({ tokenEndpoint: discovery.token_endpoint, source: 'live' });
      expect(await t.callRaw('server:endpoints', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'validation' } });
    } finally {
      await t.app.dispose();
      await dir.remove();
    }
  });

  it('an issuer whose document names another issuer is refused', async () => {
    const service = createEndpointsService({ issuer: () => `${server.issuer}/`, fetch: async () => Response.json({ ...discovery, issuer: 'https://elsewhere.example' }) });
    expect(await service.get()).toMatchObject({ ok: false, error: { code: 'server', message: expect.stringContaining('https://elsewhere.example') } });
  });

  it('with the server stopped: the last document read (source cache), or offline when none was read', async () => {
    const stopped = await startTestServer({ quiet: true });
    const reachability: boolean[] = [];
    const service = createEndpointsService({ issuer: () => stopped.issuer, onReachability: (reachable) => reachability.push(reachable) });
    const live = valueOf(await service.get());
    await stopped.stop();
    expect(valueOf(await service.get())).toEqual({ ...live, source: 'cache' });
    expect(reachability).toEqual([true, false]);
    const fresh = createEndpointsService({ issuer: () => stopped.issuer });
    expect(await fresh.get()).toMatchObject({ ok: false, error: { code: 'offline' } });
  });
});

describe('secret:copy on a computer without a clipboard (real server)', () => {
  it("answers `unavailable` in our words; the secret stays revealable, to copy by hand", async () => {
    const dir = await makeTempDir('no-clipboard-secret');
    const libraryText = "Clipboard access requires a display server (X11 or Wayland). This doesn't work in headless environments like CI servers, Docker containers, or SSH sessions without X11 forwarding.";
    const broken = {
      readText: async (): Promise<string> => {
        throw new Error(libraryText);
      },
      writeText: async (): Promise<void> => {
        throw new Error(libraryText);
      },
    };
    const t = createTestApp({ dataDir: dir.dir, issuer: server.issuer, credentials: { username: 'admin', password: TEST_CREDENTIALS.adminPassword }, clipboard: broken });
    try {
      await t.app.start();
      valueOf(await t.call('session:sign-in', {}));
      const created = valueOf(await t.call('clients:create', { kind: 'sync_connector', name: 'No clipboard connector' }));
      const copied = await t.call('secret:copy', { handle: created.secret!.handle });
      expect(copied).toEqual({ ok: false, error: { code: 'unavailable', message: 'This computer has no clipboard ThetaSecure Admin can use.' } });
      expect(valueOf(await t.call('secret:reveal', { handle: created.secret!.handle })).secret.length).toBeGreaterThan(20);
      await t.call('session:sign-out', {});
    } finally {
      await t.app.dispose();
      await dir.remove();
    }
  });
});
