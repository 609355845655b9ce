// The sign-in page as a user meets it: labelled fields, a Sign in button, a clear message on
// wrong credentials, a strict CSP, and the lock after too many failures.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';
import { redirectTargetSource } from './login-page.ts';
import { discoverAdminConsole, signInWithPkce, startLoopbackListener } from './testing/sign-in.ts';
import type { LoopbackListener } from './testing/sign-in.ts';
import { TEST_CREDENTIALS, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

let server: TestServer;
let config: oidc.Configuration;
let listener: LoopbackListener;

beforeAll(async () => {
  server = await startTestServer();
  config = await discoverAdminConsole(server.issuer);
  listener = await startLoopbackListener();
});

afterAll(async () => {
  await listener?.close();
  await server?.stop();
});

/** Starts a sign-in and returns the login page's URL, its cookies and its HTML. */
async function openLoginPage(): Promise<{ pageUrl: URL; cookie: string; response: Response; html: string }> {
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: listener.redirectUri,
    scope: 'openid clients:read',
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
    state: oidc.randomState(),
  });
  const start = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(start.status).toBe(303);
  const pageUrl = new URL(start.headers.get('location')!, server.url);
  const cookie = start.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');
  const response = await fetch(pageUrl, { headers: { cookie } });
  return { pageUrl, cookie, response, html: await response.text() };
}

async function submit(page: { pageUrl: URL; cookie: string }, username: string, password: string): Promise<Response> {
  return fetch(new URL(`${page.pageUrl.pathname}/login`, server.url), {
    method: 'POST',
    headers: { cookie: page.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }),
    redirect: 'manual',
  });
}

describe('the login page', () => {
  it('is an accessible HTML form: labelled Username and Password fields and a Sign in button, no script', async () => {
    const { response, html } = await openLoginPage();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toMatch(/<label for="username">Username<\/label>/);
    expect(html).toMatch(/<input id="username" name="username"[^>]*autocomplete="username"/);
    expect(html).toMatch(/<label for="password">Password<\/label>/);
    expect(html).toMatch(/<input id="password" name="password" type="password"[^>]*autocomplete="current-password"/);
    expect(html).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(html).toMatch(/<form method="post" action="\/interaction\/[^"]+\/login">/);
    expect(html).toContain('ThetaSecure Admin Console');
    expect(html).not.toMatch(/<script/i);
  });

  it('sets its own strict CSP that still lets the form land on the client\'s redirect URI', async () => {
    const { response } = await openLoginPage();
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`form-action 'self' ${new URL(listener.redirectUri).origin}`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('says clearly when the username or password is wrong, keeps the username and marks the fields', async () => {
    const page = await openLoginPage();
    const response = await submit(page, 'admin', 'wrong-password');
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('<p class="error" id="login-error" role="alert">Wrong username or password.</p>');
    expect(html).toMatch(/name="username"[^>]*value="admin"[^>]*aria-describedby="login-error" aria-invalid="true"/);
    expect(html).not.toContain('wrong-password');
  });

  it('asks for a missing password', async () => {
    const page = await openLoginPage();
    const response = await submit(page, 'admin', '');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Enter your password.');
  });

  it('answers an unknown or expired sign-in with a page that says so', async () => {
    const response = await fetch(`${server.url}/interaction/does-not-exist`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('This sign-in has expired');
  });

  it('refuses a user after 5 failed attempts within a minute (429 with Retry-After), even with the right password', async () => {
    const page = await openLoginPage();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const response = await submit(page, 'helpdesk', `wrong-${attempt}`);
      expect(response.status).toBe(401);
      await response.body?.cancel();
    }
    const locked = await submit(page, 'helpdesk', TEST_CREDENTIALS.helpdeskPassword);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.text()).toContain('Too many failed sign-in attempts for this user.');

    // Another user is not affected.
    const { tokens } = await signInWithPkce(config, listener, { username: 'admin', password: TEST_CREDENTIALS.adminPassword });
    expect(tokens.access_token).toEqual(expect.any(String));
  });
});

describe('LoginThrottle (injected clock)', () => {
  it('locks a name after 5 failures within the window and lets it try again after the lock', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now });
    for (let i = 0; i < 4; i += 1) throttle.recordFailure('Admin');
    expect(throttle.retryAfterSeconds('admin')).toBe(0);
    throttle.recordFailure('admin ');
    expect(throttle.retryAfterSeconds('ADMIN')).toBe(300);
    now += 299_000;
    expect(throttle.retryAfterSeconds('admin')).toBe(1);
    now += 1_000;
    expect(throttle.retryAfterSeconds('admin')).toBe(0);
  });

  it('forgets failures older than the window', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now });
    for (let i = 0; i < 4; i += 1) throttle.recordFailure('admin');
    now += 61_000;
    throttle.recordFailure('admin');
    expect(throttle.retryAfterSeconds('admin')).toBe(0);
  });
});

describe('redirectTargetSource', () => {
  it.each([
    ['http://127.0.0.1:51234/callback', 'http://127.0.0.1:51234'],
    ['https://app.example.com/cb?x=1', 'https://app.example.com'],
    ['com.example.app:/callback', 'com.example.app:'],
    ['not a uri', ''],
    [undefined, ''],
  ])('%s → %s', (uri, source) => {
    expect(redirectTargetSource(uri)).toBe(source);
  });
});
