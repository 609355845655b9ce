// The OS keychain and the encrypted offline cache against a real Secret Service: run inside
//   dbus-run-session -- sh -c 'printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run electron/services/keychain-cache.test.ts'
// Without a Secret Service the tests skip, saying so; keychain-unavailable.test.ts covers that case.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_STORE_NAME, cacheKeyAccount, createClientCache } from './cache.ts';
import type { CachedList } from './cache.ts';
import { createConfStore } from './conf-store.ts';
import { KEYCHAIN_SERVICE, createKeytarKeychain, probeKeychain } from './keychain.ts';
import { forgetKeychainEntries } from './testing/keychain-cleanup.ts';
import { createManualClock } from './testing/manual-clock.ts';
import type { ManualClock } from './testing/manual-clock.ts';
import { sampleClients } from './testing/sample-clients.ts';
import { makeTempDir } from './testing/temp-dir.ts';

const keychain = createKeytarKeychain();
const status = await probeKeychain(keychain);
const reason = `no Secret Service answers (${status.reason ?? ''}); run inside dbus-run-session with gnome-keyring`;
if (!status.available) console.warn(`[skip] keychain-cache.test.ts: ${reason}`);

const DAY = 24 * 60 * 60 * 1000;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let clock: ManualClock;
let logs: Array<Record<string, unknown>>;
let issuer: string;

beforeEach(async () => {
  temp = await makeTempDir('cache');
  clock = createManualClock(Date.now());
  logs = [];
  // A fresh issuer per test keeps keychain entries of different tests apart.
  issuer = `https://login-${Math.random().toString(36).slice(2)}.example.com`;
});
afterEach(async () => {
  if (status.available) await forgetKeychainEntries(keychain, issuer, ['user-1', 'user-2', 'old-user', 'recent-user']);
  await keychain.deletePassword(KEYCHAIN_SERVICE, `${issuer}|probe-user`).catch(() => false);
  await temp.remove();
});

const makeCache = (ttlDays = 7) =>
  createClientCache({ keychain, createStore: createConfStore(temp.dir, { log: (e) => logs.push(e) }), clock, ttlDays: () => ttlDays, log: (e) => logs.push(e) });
const entry = (subject = 'user-1', items = sampleClients(3)): CachedList => ({
  issuer,
  user: { subject, name: 'Helen Desk', roles: ['helpdesk'] },
  canWrite: false,
  items,
  fetchedAt: new Date(clock.now()).toISOString(),
});
const cacheFile = () => path.join(temp.dir, `${CACHE_STORE_NAME}.json`);
const readFileJson = async () => JSON.parse(await readFile(cacheFile(), 'utf8')) as { entries: Record<string, { data: string; fetchedAt: string }> };

describe('keychain (keytar against gnome-keyring)', () => {
  it('stores, finds and deletes a password', async (ctx) => {
    ctx.skip(!status.available, reason);
    const account = `${issuer}|probe-user`;
    await keychain.setPassword(KEYCHAIN_SERVICE, account, 'value-1');
    expect(await keychain.getPassword(KEYCHAIN_SERVICE, account)).toBe('value-1');
    expect(await keychain.deletePassword(KEYCHAIN_SERVICE, account)).toBe(true);
    expect(await keychain.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
  });
});

describe('offline cache (aes-256-gcm, key in the real keychain, conf file in a temp folder)', () => {
  it('round-trips the list and its fetch time; the file on disk shows none of it', async (ctx) => {
    ctx.skip(!status.available, reason);
    const cache = makeCache();
    expect(await cache.save(entry())).toBe(true);
    const loaded = await makeCache().load(issuer, 'user-1');
    expect(loaded?.items.map((c) => c.name)).toEqual(['Billing Service 0', 'Billing Service 1', 'Billing Service 2']);
    expect(loaded?.fetchedAt).toBe(new Date(clock.now()).toISOString());
    expect(loaded?.user.name).toBe('Helen Desk');

    const onDisk = await readFile(cacheFile(), 'utf8');
    for (const visible of ['Billing', 'tsc_sample', 'Helen', 'helpdesk', 'user-1', issuer]) expect(onDisk).not.toContain(visible);
    const key = await keychain.getPassword(KEYCHAIN_SERVICE, cacheKeyAccount(issuer, 'user-1'));
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(32);
    expect(onDisk).not.toContain(key);
  });

  it('keeps only the client resource: a stray secret or token field is never written', async (ctx) => {
    ctx.skip(!status.available, reason);
    const leaky = sampleClients(1).map((c) => ({ ...c, clientSecret: 'SHOULD-NOT-BE-KEPT', accessToken: 'eyJ-token' }));
    await makeCache().save(entry('user-1', leaky));
    const loaded = await makeCache().load(issuer, 'user-1');
    expect(JSON.stringify(loaded)).not.toContain('SHOULD-NOT-BE-KEPT');
    expect(JSON.stringify(loaded)).not.toContain('eyJ-token');
    expect(loaded?.items).toHaveLength(1);
  });

  it('each user has their own entry: another user on the same issuer sees nothing', async (ctx) => {
    ctx.skip(!status.available, reason);
    const cache = makeCache();
    await cache.save(entry('user-1'));
    expect(await cache.load(issuer, 'user-2')).toBeNull();
    await cache.save(entry('user-2', sampleClients(1, 'Other')));
    expect((await cache.load(issuer, 'user-1'))?.items).toHaveLength(3);
    expect((await cache.load(issuer, 'user-2'))?.items[0]?.name).toBe('Other 0');
  });

  it('a tampered entry is discarded with a message, not a crash', async (ctx) => {
    ctx.skip(!status.available, reason);
    await makeCache().save(entry());
    const file = await readFileJson();
    const [id, stored] = Object.entries(file.entries)[0]!;
    const bytes = Buffer.from(stored.data, 'base64');
    bytes[5] = (bytes[5] ?? 0) ^ 0xff;
    file.entries[id] = { ...stored, data: bytes.toString('base64') };
    await writeFile(cacheFile(), JSON.stringify(file));

    expect(await makeCache().load(issuer, 'user-1')).toBeNull();
    const discarded = logs.find((l) => l.event === 'cache.discarded');
    expect(discarded?.message).toMatch(/integrity check/);
    expect((await readFileJson()).entries).toEqual({});
    // And the app carries on: a new list is stored and read back.
    expect(await makeCache().save(entry())).toBe(true);
    expect(await makeCache().load(issuer, 'user-1')).not.toBeNull();
  });

  it('an edited fetchedAt (to dodge the TTL) fails the integrity check', async (ctx) => {
    ctx.skip(!status.available, reason);
    await makeCache().save(entry());
    const file = await readFileJson();
    const [id, stored] = Object.entries(file.entries)[0]!;
    file.entries[id] = { ...stored, fetchedAt: new Date(clock.now() + DAY).toISOString() };
    await writeFile(cacheFile(), JSON.stringify(file));
    expect(await makeCache().load(issuer, 'user-1')).toBeNull();
    expect(logs.some((l) => l.event === 'cache.discarded')).toBe(true);
  });

  it('a cache file that is not JSON any more is discarded with a log line', async (ctx) => {
    ctx.skip(!status.available, reason);
    await makeCache().save(entry());
    await writeFile(cacheFile(), '{"entries": {"abc": {"v": 1, "da');
    expect(await makeCache().load(issuer, 'user-1')).toBeNull();
    expect(logs.some((l) => l.event === 'store.discarded')).toBe(true);
    expect(await makeCache().save(entry())).toBe(true);
  });

  it('expires after the TTL (7 days by default), with the setting honoured', async (ctx) => {
    ctx.skip(!status.available, reason);
    await makeCache().save(entry());
    await clock.advance(7 * DAY - 1000);
    expect(await makeCache(7).load(issuer, 'user-1')).not.toBeNull();
    await clock.advance(2000);
    expect(await makeCache(30).load(issuer, 'user-1')).not.toBeNull();
    expect(await makeCache(7).load(issuer, 'user-1')).toBeNull();
    expect(logs.find((l) => l.event === 'cache.discarded')?.message).toMatch(/older than 7 days/);
    expect(await keychain.getPassword(KEYCHAIN_SERVICE, cacheKeyAccount(issuer, 'user-1'))).toBeNull();
  });

  it('purges every expired entry and its key at start', async (ctx) => {
    ctx.skip(!status.available, reason);
    await makeCache().save(entry('old-user'));
    await clock.advance(8 * DAY);
    await makeCache().save(entry('recent-user'));
    expect(await makeCache().purgeExpired()).toBe(1);
    expect(Object.keys((await readFileJson()).entries)).toHaveLength(1);
    expect(await keychain.getPassword(KEYCHAIN_SERVICE, cacheKeyAccount(issuer, 'old-user'))).toBeNull();
    expect(await makeCache().load(issuer, 'recent-user')).not.toBeNull();
  });

  it('remove() deletes the entry and its key (sign-out with "remove offline data")', async (ctx) => {
    ctx.skip(!status.available, reason);
    const cache = makeCache();
    await cache.save(entry());
    await cache.remove(issuer, 'user-1');
    expect(await cache.load(issuer, 'user-1')).toBeNull();
    expect(await keychain.getPassword(KEYCHAIN_SERVICE, cacheKeyAccount(issuer, 'user-1'))).toBeNull();
    expect((await readFileJson()).entries).toEqual({});
  });

  it('an entry whose key was deleted from the keychain is discarded', async (ctx) => {
    ctx.skip(!status.available, reason);
    await makeCache().save(entry());
    await keychain.deletePassword(KEYCHAIN_SERVICE, cacheKeyAccount(issuer, 'user-1'));
    expect(await makeCache().load(issuer, 'user-1')).toBeNull();
    expect(logs.find((l) => l.event === 'cache.discarded')?.message).toMatch(/key is no longer/);
  });
});
