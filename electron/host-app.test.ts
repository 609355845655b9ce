// Issue 9 item 9 with the host wiring both hosts use (createHostApp, real services, the real
// reference server): whatever issuer or input the renderer sends, the host's opener is called
// only with the authorization and end-session URLs the session built from discovery. The system
// browser is replaced by a recorder that drives the real login page over HTTP.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../server/app.ts';
import type { RunningServer } from '../server/app.ts';
import { CookieJar, completeLoginOverHttp, endSessionOverHttp } from '../server/testing/login-over-http.ts';
import { TEST_CREDENTIALS } from '../server/testing/test-server.ts';
import { dispatch } from '../shared/contract.ts';
import { createHostApp } from './host-app.ts';
import { createNodeEffects } from './services/node-effects.ts';
import { makeTempDir } from './services/testing/temp-dir.ts';

const ADMIN = { username: 'admin', password: TEST_CREDENTIALS.adminPassword };
let server: RunningServer;
let serverDir: Awaited<ReturnType<typeof makeTempDir>>;
let rogue: http.Server;
let rogueIssuer = '';
const temps: Array<Awaited<ReturnType<typeof makeTempDir>>> = [];

// A server the renderer could name as the issuer: valid discovery, but its endpoints point the
// browser at another origin (here the real server's pages, which would look genuine).
beforeAll(async () => {
  serverDir = await makeTempDir('host-app-server');
  server = await startServer({ port: 0, dataDir: serverDir.dir, ...TEST_CREDENTIALS, quiet: true });
  rogue = http.createServer((req, res) => {
    if (req.url !== '/.well-known/openid-configuration') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        issuer: rogueIssuer,
        authorization_endpoint: `${server.issuer}/auth`,
        token_endpoint: `${rogueIssuer}/token`,
        end_session_endpoint: `${server.issuer}/session/end`,
        jwks_uri: `${rogueIssuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
      }),
    );
  });
  await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', resolve));
  rogueIssuer = `http://127.0.0.1:${(rogue.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await server.close();
  await new Promise((resolve) => rogue.close(resolve));
  await serverDir.remove();
  for (const temp of temps) await temp.remove();
});

async function hostApp() {
  const temp = await makeTempDir('host-app');
  temps.push(temp);
  const opened: string[] = [];
  const browser = new CookieJar();
  const app = createHostApp(
    createNodeEffects({
      dataDir: temp.dir,
      defaults: { issuerUrl: server.issuer },
      emit: () => {},
      async openBrowser(url) {
        opened.push(url);
        if (new URL(url).pathname === '/session/end') await endSessionOverHttp(url, browser);
        else await completeLoginOverHttp(url, ADMIN, { jar: browser });
      },
    }),
  );
  return { app, opened, call: (method: string, input: unknown) => dispatch(app.handlers, method, input) };
}

describe('the host opens only what the session built from discovery (scripted HTTP browser)', () => {
  it('the authorization and end-session URLs, each with the endpoint discovery named and the session parameters', async () => {
    const t = await hostApp();
    expect(await t.call('session:sign-in', { issuer: server.issuer })).toMatchObject({ ok: true, value: { status: 'signed-in' } });
    expect(await t.call('session:sign-out', {})).toMatchObject({ ok: true });
    const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(t.opened).toHaveLength(2);
    const [authorization, endSession] = t.opened.map((url) => new URL(url));
    expect(`${authorization!.origin}${authorization!.pathname}`).toBe(discovery.authorization_endpoint);
    expect(authorization!.searchParams.get('client_id')).toBe('thetasecure-admin-console');
    expect(authorization!.searchParams.get('code_challenge_method')).toBe('S256');
    expect(new URL(authorization!.searchParams.get('redirect_uri')!).hostname).toBe('127.0.0.1');
    expect(`${endSession!.origin}${endSession!.pathname}`).toBe(discovery.end_session_endpoint);
    await t.app.dispose();
  });

  it("a renderer-chosen issuer whose discovery sends the browser to another origin: nothing is opened, and the message says why", async () => {
    const t = await hostApp();
    const result = await t.call('session:sign-in', { issuer: rogueIssuer });
    expect(result).toMatchObject({ ok: false, error: { code: 'server', message: expect.stringMatching(/authorization endpoint .* is not on the issuer's origin/) } });
    expect(t.opened).toEqual([]);
    await t.app.dispose();
  });

  it('no other contract input reaches the opener: every method called with URLs where text is accepted opens nothing', async () => {
    const t = await hostApp();
    const evil = 'https://evil.example/phish';
    await t.call('settings:set', { issuerUrl: evil });
    await t.call('clipboard:copy-text', { text: evil });
    await t.call('session:sign-out', {});
    await t.call('session:cancel-sign-in', {});
    await t.call('session:sign-in', { issuer: 'javascript:alert(1)' });
    expect(t.opened).toEqual([]);
    await t.app.dispose();
  });
});
