// Session behaviour against the real reference server: token refresh (before expiry, and once
// after a 401), cancelling and timing out a sign-in, a server that is not there, bad issuer URLs.
// The system browser is the one stand-in: the opener drives the real login page over HTTP, or
// (for cancel and timeout) opens nothing, like a user who walked away from the browser tab.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app.ts';
import type { RunningServer } from '../../server/app.ts';
import { TEST_CREDENTIALS } from '../../server/testing/test-server.ts';
import { KEYCHAIN_SERVICE, createKeytarKeychain, probeKeychain } from './keychain.ts';
import { SIGN_IN_TIMEOUT_MS } from './loopback-callback.ts';
import { refreshTokenAccount } from './session.ts';
import { createTestApp, valueOf } from './testing/app-harness.ts';
import { forgetKeychainEntries } from './testing/keychain-cleanup.ts';
import { createManualClock } from './testing/manual-clock.ts';
import { makeTempDir } from './testing/temp-dir.ts';

const keychain = createKeytarKeychain();
const keychainStatus = await probeKeychain(keychain);
const ADMIN = { username: 'admin', password: TEST_CREDENTIALS.adminPassword };
const ACCESS_TOKEN_SECONDS = 2;

let server: RunningServer;
let shortLivedTokens: RunningServer;
let serverDir: Awaited<ReturnType<typeof makeTempDir>>;
let shortDir: Awaited<ReturnType<typeof makeTempDir>>;
const appDirs: Array<Awaited<ReturnType<typeof makeTempDir>>> = [];
const appDir = async () => {
  const dir = await makeTempDir('session-app');
  appDirs.push(dir);
  return dir.dir;
};

beforeAll(async () => {
  serverDir = await makeTempDir('session-server');
  shortDir = await makeTempDir('session-server-short');
  server = await startServer({ port: 0, dataDir: serverDir.dir, ...TEST_CREDENTIALS, quiet: true });
  shortLivedTokens = await startServer({ port: 0, dataDir: shortDir.dir, ...TEST_CREDENTIALS, quiet: true, accessTokenTtlSeconds: ACCESS_TOKEN_SECONDS });
});

// Each test starts without a remembered session (the keyring outlives test runs).
const forgetAll = async () => {
  if (!keychainStatus.available) return;
  for (const issuer of [server.issuer, shortLivedTokens.issuer]) await forgetKeychainEntries(keychain, issuer, ['admin', 'helpdesk']);
};
beforeEach(forgetAll);
afterEach(forgetAll);

afterAll(async () => {
  await server.close();
  await shortLivedTokens.close();
  await serverDir.remove();
  await shortDir.remove();
  for (const dir of appDirs) await dir.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('access token refresh against the real server (browser replaced by a scripted HTTP login; app clock injected)', () => {
  it('refreshes before the access token expires, keeping the rotated refresh token in the keychain', async () => {
    const clock = createManualClock(Date.now());
    const t = createTestApp({ dataDir: await appDir(), issuer: server.issuer, credentials: ADMIN, clock });
    await t.app.start();
    valueOf(await t.call('session:sign-in', {}));
    const storedBefore = keychainStatus.available ? await keychain.getPassword(KEYCHAIN_SERVICE, refreshTokenAccount(server.issuer, 'admin')) : null;

    // Lifetime one hour (the server's default): the refresh is due a minute early.
    await clock.advance(3_500_000);
    expect(t.logs.filter((l) => l.event === 'session.refreshed')).toHaveLength(0);
    await clock.advance(100_000);
    expect(t.logs.filter((l) => l.event === 'session.refreshed').map((l) => l.reason)).toEqual(['before expiry']);
    if (keychainStatus.available) {
      const storedAfter = await keychain.getPassword(KEYCHAIN_SERVICE, refreshTokenAccount(server.issuer, 'admin'));
      expect(storedAfter).toBeTruthy();
      expect(storedAfter).not.toBe(storedBefore);
    }
    expect(valueOf(await t.call('clients:refresh', {})).syncedAt).not.toBeNull();
    await t.call('session:sign-out', {});
    await t.app.dispose();
  });

  it('after a 401 (the server saw the token expire) refreshes once and repeats the call', async () => {
    // The app's clock stands still, so it believes its token is fresh; the server's does not.
    const clock = createManualClock(Date.now());
    const t = createTestApp({ dataDir: await appDir(), issuer: shortLivedTokens.issuer, credentials: ADMIN, clock });
    await t.app.start();
    valueOf(await t.call('session:sign-in', {}));
    await sleep(ACCESS_TOKEN_SECONDS * 1000 + 1_100);
    // Reading the change feed needs the API: the first answer is a 401, the retry succeeds.
    expect(valueOf(await t.call('clients:refresh', {})).syncedAt).not.toBeNull();
    expect(t.logs.filter((l) => l.event === 'session.refreshed').map((l) => l.reason)).toEqual(['401 from the API']);
    await t.call('session:sign-out', {});
    await t.app.dispose();
  });
});

describe('sign-in that does not finish (the browser is opened, nobody signs in)', () => {
  it('cancel: the sign-in ends as cancelled and the session is signed out again', async () => {
    let opened = '';
    const t = createTestApp({ dataDir: await appDir(), issuer: server.issuer, openBrowser: async (url) => void (opened = url) });
    await t.app.start();
    const pending = t.call('session:sign-in', {});
    while (!opened) await sleep(10);
    expect(valueOf(await t.call('session:get', {})).status).toBe('signing-in');
    valueOf(await t.call('session:cancel-sign-in', {}));
    expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(valueOf(await t.call('session:get', {})).status).toBe('signed-out');
    // The loopback listener is gone.
    const redirect = new URL(opened).searchParams.get('redirect_uri')!;
    await expect(fetch(`${redirect}?state=x&code=y`)).rejects.toThrow();
    await t.app.dispose();
  });

  it('times out after 5 minutes (injected clock)', async () => {
    const clock = createManualClock(Date.now());
    let opened = false;
    const t = createTestApp({ dataDir: await appDir(), issuer: server.issuer, clock, openBrowser: async () => void (opened = true) });
    await t.app.start();
    const pending = t.call('session:sign-in', {});
    while (!opened) await sleep(10);
    await clock.advance(SIGN_IN_TIMEOUT_MS);
    const result = await pending;
    expect(result).toMatchObject({ ok: false, error: { code: 'timeout' } });
    if (!result.ok) expect(result.error.message).toMatch(/5 minutes/);
    expect(valueOf(await t.call('session:get', {})).status).toBe('signed-out');
    await t.app.dispose();
  });
});

describe('sign-in input and an absent server', () => {
  it('an issuer that is not https (or http on loopback) is refused, naming the field, and not saved', async () => {
    const t = createTestApp({ dataDir: await appDir(), issuer: server.issuer });
    const refused = await t.call('session:sign-in', { issuer: 'http://login.example.com' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation', fields: [{ field: 'issuer' }] } });
    expect(valueOf(await t.call('settings:get', {})).issuerUrl).toBe(server.issuer);
    const settings = await t.call('settings:set', { issuerUrl: 'javascript:alert(1)' });
    expect(settings).toMatchObject({ ok: false, error: { code: 'validation', fields: [{ field: 'issuerUrl' }] } });
    await t.app.dispose();
  });

  it('an issuer URL that is not the one the server names: a message saying which one to use', async () => {
    const t = createTestApp({ dataDir: await appDir(), issuer: server.issuer.replace('127.0.0.1', 'localhost'), credentials: ADMIN });
    const result = await t.call('session:sign-in', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'server' } });
    if (!result.ok) expect(result.error.message).toContain(`names its issuer ${server.issuer}`);
    expect(valueOf(await t.call('session:get', {})).status).toBe('signed-out');
    const wrongPath = createTestApp({ dataDir: await appDir(), issuer: `${server.issuer}/not-here`, credentials: ADMIN });
    const notOidc = await wrongPath.call('session:sign-in', {});
    if (!notOidc.ok) expect(notOidc.error.message).toMatch(/not an OpenID Connect issuer/);
    expect(notOidc.ok).toBe(false);
    await t.app.dispose();
    await wrongPath.app.dispose();
  });

  it('a server that is not running: sign-in fails with offline, quickly', async () => {
    const gone = await makeTempDir('gone-server');
    appDirs.push(gone);
    const down = await startServer({ port: 0, dataDir: gone.dir, ...TEST_CREDENTIALS, quiet: true });
    await down.close();
    const t = createTestApp({ dataDir: await appDir(), issuer: down.issuer, credentials: ADMIN });
    await t.app.start();
    expect(valueOf(await t.call('connectivity:get', {})).online).toBe(false);
    expect(await t.call('session:sign-in', {})).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(valueOf(await t.call('session:get', {})).status).toBe('signed-out');
    await t.app.dispose();
  });
  it('a server that went away after an earlier sign-in: the next sign-in fails with offline, not after the 5-minute wait', async () => {
    const dir = await makeTempDir('leaving-server');
    appDirs.push(dir);
    const leaving = await startServer({ port: 0, dataDir: dir.dir, ...TEST_CREDENTIALS, quiet: true });
    const t = createTestApp({ dataDir: await appDir(), issuer: leaving.issuer, credentials: ADMIN });
    expect(valueOf(await t.call('session:sign-in', {})).status).toBe('signed-in');
    valueOf(await t.call('session:sign-out', {}));
    await leaving.close();
    const started = Date.now();
    expect(await t.call('session:sign-in', {})).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(valueOf(await t.call('session:get', {})).status).toBe('signed-out');
    await t.app.dispose();
  });
});
