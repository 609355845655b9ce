// Issue 9, item 3 (RFC 8252 §8.6): with a browser session at the server, any local process could
// send the browser to /auth for the admin console with its own loopback port and PKCE challenge,
// and get a code (three 303s) that buys a clients:write token. Now such an authorization stops
// at "Continue to <app> as <user>?" on the server's page; and the browser session is bounded.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionTtl } from './provider.ts';
import { CookieJar, completeLoginOverHttp } from './testing/login-over-http.ts';
import { discoverAdminConsole, startLoopbackListener } from './testing/sign-in.ts';
import type { LoopbackListener } from './testing/sign-in.ts';
import { TEST_CREDENTIALS, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

let server: TestServer;
let config: oidc.Configuration;
let listener: LoopbackListener;
const admin = { username: 'admin', password: TEST_CREDENTIALS.adminPassword };

beforeAll(async () => {
  server = await startTestServer();
  config = await discoverAdminConsole(server.issuer);
  listener = await startLoopbackListener();
});
afterAll(async () => {
  await listener?.close();
  await server?.stop();
});

async function authorizationUrl(target: oidc.Configuration, redirectUri: string, extra: Record<string, string> = {}): Promise<{ url: URL; state: string }> {
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(target, {
    redirect_uri: redirectUri,
    scope: 'openid profile offline_access clients:read clients:write',
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  return { url, state };
}

/** Follows redirects with the browser's cookies, as a local process opening the browser would; stops at a page or off the server. */
async function follow(browser: CookieJar, start: URL): Promise<{ status: number; url: URL; html: string; offServer: URL | null }> {
  let url = start;
  for (let step = 0; step < 10; step += 1) {
    const cookie = browser.header(url);
    const response = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    browser.store(response, url);
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const next = new URL(response.headers.get('location')!, url);
      if (next.origin !== new URL(server.url).origin) return { status: response.status, url, html: '', offServer: next };
      url = next;
      continue;
    }
    return { status: response.status, url, html: await response.text(), offServer: null };
  }
  throw new Error('too many redirects');
}

async function signedInBrowser(): Promise<CookieJar> {
  const browser = new CookieJar();
  const first = await completeLoginOverHttp((await authorizationUrl(config, listener.redirectUri)).url.href, admin, { browser });
  // A fresh sign-in with the password is the interaction: no extra page.
  expect(first).toMatchObject({ enteredPassword: true, sawContinuePage: false });
  expect(new URL(first.callbackUrl).searchParams.get('code')).toEqual(expect.any(String));
  return browser;
}

describe('re-authorization of a public native client with an existing browser session', () => {
  it('stops at "Continue to ThetaSecure Admin Console as Administrator?" naming the local port; no code reaches the port', async () => {
    const browser = await signedInBrowser();
    // Another local program, its own port and its own PKCE challenge.
    const { url } = await authorizationUrl(config, 'http://127.0.0.1:49999/callback');
    const page = await follow(browser, url);
    expect(page.offServer).toBeNull();
    expect(page.status).toBe(200);
    const text = page.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Continue to ThetaSecure Admin Console as Administrator?');
    expect(text).toContain('local port 49999');
    expect(page.html).toMatch(/<button type="submit"[^>]*>Continue<\/button>/);
    expect(page.html).toMatch(/<button type="submit"[^>]*>Cancel<\/button>/);
    expect(page.html).not.toContain('name="password"');
  });

  it('Continue completes it (the code is delivered to the redirect URI)', async () => {
    const browser = await signedInBrowser();
    const { url, state } = await authorizationUrl(config, listener.redirectUri);
    const result = await completeLoginOverHttp(url.href, admin, { browser });
    expect(result).toMatchObject({ sawContinuePage: true, enteredPassword: false });
    const callback = new URL(result.callbackUrl);
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('Cancel returns access_denied to the redirect URI, with the state and no code', async () => {
    const browser = await signedInBrowser();
    const { url, state } = await authorizationUrl(config, listener.redirectUri);
    const result = await completeLoginOverHttp(url.href, admin, { browser, onContinuePage: 'cancel' });
    const callback = new URL(result.callbackUrl);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('prompt=none cannot skip the page: an error, never a code', async () => {
    const browser = await signedInBrowser();
    const { url } = await authorizationUrl(config, 'http://127.0.0.1:49998/callback', { prompt: 'none' });
    const answer = await follow(browser, url);
    expect(answer.offServer).not.toBeNull();
    expect(answer.offServer!.searchParams.has('code')).toBe(false);
    expect(answer.offServer!.searchParams.get('error')).toMatch(/interaction_required|consent_required|login_required/);
  });
});

describe('the browser session is bounded', () => {
  it('idle: after the idle time the next sign-in asks for the password again', async () => {
    // 3 s, not 1: the new session made by the second sign-in must outlive that sign-in's own
    // remaining steps, which on a busy 2-core CI machine took more than a second.
    const shortIdle = await startTestServer({ sessionIdleMinutes: 3 / 60 });
    try {
      const target = await discoverAdminConsole(shortIdle.issuer);
      const browser = new CookieJar();
      await completeLoginOverHttp((await authorizationUrl(target, listener.redirectUri)).url.href, admin, { browser });
      await new Promise((resolve) => setTimeout(resolve, 3_200));
      const again = await completeLoginOverHttp((await authorizationUrl(target, listener.redirectUri)).url.href, admin, { browser });
      expect(again).toMatchObject({ enteredPassword: true, sawContinuePage: false });
    } finally {
      await shortIdle.stop();
    }
  });

  it('a session lives at most the idle time from its last use, and never past the absolute limit after sign-in', () => {
    const idle = 30 * 60;
    const max = 8 * 3600;
    const login = 1_000_000;
    expect(sessionTtl(undefined, login, idle, max)).toBe(idle);
    expect(sessionTtl(login, login + 60, idle, max)).toBe(idle);
    expect(sessionTtl(login, login + max - 600, idle, max)).toBe(600);
    expect(sessionTtl(login, login + max + 5, idle, max)).toBe(1);
  });
});

describe('the absolute session lifetime', () => {
  it('after the absolute limit the next sign-in asks for the password, even while the session is in use', async () => {
    // Idle far longer than the absolute limit, so only the absolute limit can end it.
    const shortMax = await startTestServer({ sessionIdleMinutes: 60, sessionMaxHours: 2 / 3600 });
    try {
      const target = await discoverAdminConsole(shortMax.issuer);
      const browser = new CookieJar();
      await completeLoginOverHttp((await authorizationUrl(target, listener.redirectUri)).url.href, admin, { browser });
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const again = await completeLoginOverHttp((await authorizationUrl(target, listener.redirectUri)).url.href, admin, { browser });
      expect(again).toMatchObject({ enteredPassword: true, sawContinuePage: false });
    } finally {
      await shortMax.stop();
    }
  });
});
