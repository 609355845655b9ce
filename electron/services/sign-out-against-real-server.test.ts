// Issue 9 item 2 against the real reference server: sign-out ends the server's browser session
// (RP-initiated logout with id_token_hint), so the next sign-in shows the login page; "Sign in as
// a different user" shows it even while that session is alive. The system browser is replaced
// by a scripted HTTP browser that keeps its cookies between pages (one jar = one browser).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app.ts';
import type { RunningServer } from '../../server/app.ts';
import { SIGNED_OUT_TEXT } from '../../server/logout-pages.ts';
import { CookieJar } from '../../server/testing/login-over-http.ts';
import { TEST_CREDENTIALS } from '../../server/testing/test-server.ts';
import { KEYCHAIN_SERVICE, createKeytarKeychain, probeKeychain } from './keychain.ts';
import { lastSessionAccount, refreshTokenAccount } from './session.ts';
import { createTestApp, valueOf } from './testing/app-harness.ts';
import { forgetKeychainEntries } from './testing/keychain-cleanup.ts';
import { makeTempDir } from './testing/temp-dir.ts';

const keychain = createKeytarKeychain();
const keychainStatus = await probeKeychain(keychain);
const ADMIN = { username: 'admin', password: TEST_CREDENTIALS.adminPassword };
const HELPDESK = { username: 'helpdesk', password: TEST_CREDENTIALS.helpdeskPassword };

let server: RunningServer;
let serverDir: Awaited<ReturnType<typeof makeTempDir>>;
const appDirs: Array<Awaited<ReturnType<typeof makeTempDir>>> = [];
const appDir = async () => {
  const dir = await makeTempDir('sign-out-app');
  appDirs.push(dir);
  return dir.dir;
};

beforeAll(async () => {
  serverDir = await makeTempDir('sign-out-server');
  server = await startServer({ port: 0, dataDir: serverDir.dir, ...TEST_CREDENTIALS, quiet: true });
});
const forgetAll = async () => {
  if (keychainStatus.available) await forgetKeychainEntries(keychain, server.issuer, ['admin', 'helpdesk']);
};
beforeEach(forgetAll);
afterEach(forgetAll);
afterAll(async () => {
  await server.close();
  await serverDir.remove();
  for (const dir of appDirs) await dir.remove();
});

const idTokenHintOf = (url: string | undefined) => (url ? new URL(url).searchParams.get('id_token_hint') : null);

describe('sign-out ends the server session (scripted HTTP browser keeping its cookies)', () => {
  it('after sign-out a new sign-in shows the login form, also for a fresh app with the same browser', async () => {
    const browser = new CookieJar();
    const t = createTestApp({ dataDir: await appDir(), issuer: server.issuer, credentials: ADMIN, browserCookies: browser });
    await t.app.start();
    valueOf(await t.call('session:sign-in', {}));
    // While the server session lives, a sign-in goes through without the password: the audit's finding.
    valueOf(await t.call('session:sign-in', {}));
    await expect.poll(() => t.loginFormShown).toEqual([true, false]);

    valueOf(await t.call('session:sign-out', {}));
    const endSession = t.opened.at(-1)!;
    expect(new URL(endSession).pathname).toBe('/session/end');
    expect(idTokenHintOf(endSession)).toMatch(/^ey/);
    expect(t.endSessionPages).toEqual([expect.stringContaining(SIGNED_OUT_TEXT)]);

    // A different app instance (nothing of the old one's memory) with the same browser: the
    // server itself asks for the password, so its session is really gone.
    const fresh = createTestApp({ dataDir: await appDir(), issuer: server.issuer, credentials: HELPDESK, browserCookies: browser });
    await fresh.app.start();
    expect(valueOf(await fresh.call('session:sign-in', {})).user?.subject).toBe('helpdesk');
    await expect.poll(() => fresh.loginFormShown).toEqual([true]);
    expect(new URL(fresh.opened[0]!).searchParams.get('prompt')).toBe('consent');
    await fresh.call('session:sign-out', {});
    await fresh.app.dispose();

    // The same app's next sign-in also asks (it adds prompt=login after a sign-out).
    valueOf(await t.call('session:sign-in', {}));
    await expect.poll(() => t.loginFormShown).toEqual([true, false, true]);
    await t.call('session:sign-out', {});

    // The ID token went only into the end-session URL: not into a log line.
    const logs = JSON.stringify([...t.logs, ...fresh.logs]);
    for (const url of t.opened) {
      const hint = idTokenHintOf(url);
      if (hint) expect(logs).not.toContain(hint);
    }
    await t.app.dispose();
  });

  it('"Sign in as a different user" (forceLogin) shows the login form while the server session is alive', async () => {
    const browser = new CookieJar();
    const t = createTestApp({ dataDir: await appDir(), issuer: server.issuer, credentials: ADMIN, browserCookies: browser });
    await t.app.start();
    valueOf(await t.call('session:sign-in', {}));
    t.loginAs(HELPDESK);
    const other = valueOf(await t.call('session:sign-in', { forceLogin: true }));
    expect(other).toMatchObject({ status: 'signed-in', user: { subject: 'helpdesk' }, canWrite: false });
    await expect.poll(() => t.loginFormShown).toEqual([true, true]);
    expect(new URL(t.opened[1]!).searchParams.get('prompt')).toBe('login consent');
    expect(await t.callRaw('session:sign-in', { forceLogin: 'yes' })).toMatchObject({ ok: false, error: { code: 'validation', fields: [{ field: 'forceLogin' }] } });
    await t.call('session:sign-out', {});
    await t.app.dispose();
  });

  it('a session restored from the keychain also ends the server session: the ID token comes from the refresh and is never stored', async (ctx) => {
    ctx.skip(!keychainStatus.available, `no Secret Service here: ${keychainStatus.reason ?? ''}`);
    const browser = new CookieJar();
    const dir = await appDir();
    const first = createTestApp({ dataDir: dir, issuer: server.issuer, credentials: ADMIN, browserCookies: browser });
    await first.app.start();
    expect(valueOf(await first.call('session:sign-in', {})).remembered).toBe(true);
    await first.app.dispose();

    const next = createTestApp({ dataDir: dir, issuer: server.issuer, credentials: ADMIN, browserCookies: browser });
    await next.app.start();
    // Still remembered after the silent refresh rotated the refresh token (this used to flip to false).
    expect(valueOf(await next.call('session:get', {}))).toMatchObject({ status: 'signed-in', remembered: true });
    expect(next.opened).toEqual([]);
    const stored = [await keychain.getPassword(KEYCHAIN_SERVICE, refreshTokenAccount(server.issuer, 'admin')), await keychain.getPassword(KEYCHAIN_SERVICE, lastSessionAccount(server.issuer))];

    valueOf(await next.call('session:sign-out', {}));
    const hint = idTokenHintOf(next.opened[0]);
    expect(hint).toMatch(/^ey/);
    for (const value of stored) expect(value ?? '').not.toContain(hint!);
    expect(next.endSessionPages).toEqual([expect.stringContaining(SIGNED_OUT_TEXT)]);
    await next.app.dispose();

    const after = createTestApp({ dataDir: await appDir(), issuer: server.issuer, credentials: ADMIN, browserCookies: browser });
    valueOf(await after.call('session:sign-in', {}));
    await expect.poll(() => after.loginFormShown).toEqual([true]);
    await after.call('session:sign-out', {});
    await after.app.dispose();
  });
});
