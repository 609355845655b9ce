// Issue 9, item 4: the sign-in lock holds when guesses arrive at once. An audit sent 40
// concurrent guesses for `admin`: all 40 were evaluated and the right one (guess 36) got in,
// because the lock was checked before the password hash and recorded after it.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';
import { discoverAdminConsole } from './testing/sign-in.ts';
import { TEST_CREDENTIALS, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

let server: TestServer;
let config: oidc.Configuration;

beforeAll(async () => {
  server = await startTestServer();
  config = await discoverAdminConsole(server.issuer);
});
afterAll(async () => {
  await server?.stop();
});

/** Starts a sign-in as an attacker's own client would and returns the login form's action and cookies. */
async function openLoginPage(): Promise<{ action: URL; cookie: string }> {
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: 'http://127.0.0.1:9/callback',
    scope: 'openid clients:read',
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
    state: oidc.randomState(),
  });
  const start = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(start.status).toBe(303);
  const pageUrl = new URL(start.headers.get('location')!, server.url);
  const cookie = start.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ');
  return { action: new URL(`${pageUrl.pathname}/login`, server.url), cookie };
}

describe('concurrent password guesses', () => {
  it('40 at once, the right one among them (guess 36): at most 5 are evaluated, the rest are refused as locked', async () => {
    const pages = await Promise.all(Array.from({ length: 40 }, () => openLoginPage()));
    const guesses = pages.map((_, index) => (index === 35 ? TEST_CREDENTIALS.adminPassword : `wrong-guess-${index}`));
    const responses = await Promise.all(
      pages.map((page, index) =>
        fetch(page.action, {
          method: 'POST',
          headers: { cookie: page.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username: 'admin', password: guesses[index]! }),
          redirect: 'manual',
        }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    await Promise.all(responses.map((response) => response.body?.cancel()));
    // Evaluated: 401 (wrong) or a redirect onwards (right). Refused without evaluation: 429.
    const evaluated = statuses.filter((status) => status !== 429);
    expect(evaluated.length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(35);
    expect(evaluated.every((status) => status === 401 || (status >= 300 && status < 400))).toBe(true);
    const locked = responses.find((response) => response.status === 429)!;
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The right password got in only if it was one of the (at most 5) evaluated guesses.
    const rightGotIn = statuses[35]! >= 300 && statuses[35]! < 400;
    if (rightGotIn) expect(evaluated.filter((status) => status === 401).length).toBeLessThanOrEqual(4);
  });
});

describe('LoginThrottle.reserve (injected clock)', () => {
  it('counts reserved attempts while they are evaluated: the 6th concurrent one waits', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now });
    for (let i = 0; i < 5; i += 1) expect(throttle.reserve('admin')).toBe(0);
    expect(throttle.reserve('ADMIN ')).toBeGreaterThan(0);
    // Another name is not affected.
    expect(throttle.reserve('helpdesk')).toBe(0);
    // Five failures: locked for the lock time, even for the right password.
    for (let i = 0; i < 5; i += 1) throttle.recordFailure('admin');
    expect(throttle.reserve('admin')).toBe(300);
    now += 300_000;
    expect(throttle.reserve('admin')).toBe(0);
  });

  it('a success frees the slots; a released reservation gives its slot back', () => {
    const throttle = new LoginThrottle({ now: () => 0 });
    for (let i = 0; i < 5; i += 1) throttle.reserve('admin');
    throttle.release('admin');
    expect(throttle.reserve('admin')).toBe(0);
    throttle.recordSuccess('admin');
    for (let i = 0; i < 4; i += 1) throttle.recordSuccess('admin');
    expect(throttle.reserve('admin')).toBe(0);
  });
});
