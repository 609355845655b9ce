import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConfStore } from './conf-store.ts';
import { createSettingsService, issuerUrlProblem } from './settings.ts';
import { makeTempDir } from './testing/temp-dir.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir('settings');
});
afterEach(async () => {
  await temp.remove();
});

const open = (defaults: { issuerUrl?: string } = {}) => createSettingsService({ store: createConfStore(temp.dir)('settings'), defaults });

describe('settings (real conf file in a temp folder)', () => {
  it('starts with the defaults: 30 s clipboard, 7 day cache, the issuer from the environment', () => {
    expect(open({ issuerUrl: 'http://127.0.0.1:4000/' }).get()).toEqual({ issuerUrl: 'http://127.0.0.1:4000', clipboardClearSeconds: 30, cacheTtlDays: 7 });
    expect(open().get().issuerUrl).toBe('');
  });

  it('persists changes across a restart', async () => {
    const saved = open().set({ issuerUrl: 'https://login.example.com/', clipboardClearSeconds: 45, cacheTtlDays: 14 });
    expect(saved).toEqual({ ok: true, value: { issuerUrl: 'https://login.example.com', clipboardClearSeconds: 45, cacheTtlDays: 14 } });
    expect(open({ issuerUrl: 'http://127.0.0.1:4000' }).get()).toEqual(saved.ok ? saved.value : null);
    const file = JSON.parse(await readFile(path.join(temp.dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(file.issuerUrl).toBe('https://login.example.com');
  });

  it.each([
    ['http://login.example.com', 'must use https://'],
    ['ftp://login.example.com', 'must use https://, not ftp://'],
    ['login.example.com', 'absolute URL'],
    ['https://user:pw@login.example.com', 'user name or password'],
    ['https://login.example.com/?tenant=a', 'query'],
    ['https://login.example.com/#x', 'fragment'],
  ])('rejects %s with an error naming issuerUrl, and stores nothing', async (value, words) => {
    const settings = open();
    const result = settings.set({ issuerUrl: value, clipboardClearSeconds: 60 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation');
    expect(result.error.fields?.[0]?.field).toBe('issuerUrl');
    expect(result.error.message).toContain(words);
    expect(settings.get().clipboardClearSeconds).toBe(30);
    expect(await readdir(temp.dir)).not.toContain('settings.json');
  });

  it.each(['http://127.0.0.1:4000', 'http://localhost:4000', 'http://[::1]:4000', 'https://login.example.com/realms/acme'])('accepts %s', (value) => {
    expect(issuerUrlProblem(value)).toBeNull();
  });

  it('rejects out-of-range numbers with the field named', () => {
    const result = open().set({ clipboardClearSeconds: 2, cacheTtlDays: 365 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.fields?.map((f) => f.field).sort()).toEqual(['cacheTtlDays', 'clipboardClearSeconds']);
    expect(result.error.message).toContain('at least 5 seconds');
  });

  it('a hand-edited file with bad values falls back to the defaults for those values', async () => {
    await writeFile(path.join(temp.dir, 'settings.json'), JSON.stringify({ issuerUrl: 'http://evil.example.com', clipboardClearSeconds: 'soon', cacheTtlDays: 3 }));
    expect(open({ issuerUrl: 'http://127.0.0.1:4000' }).get()).toEqual({ issuerUrl: 'http://127.0.0.1:4000', clipboardClearSeconds: 30, cacheTtlDays: 7 });
  });

  it('a settings file that is not JSON any more is discarded with a log line, not a crash', async () => {
    await writeFile(path.join(temp.dir, 'settings.json'), '{"issuerUrl": "https://a.example.com", trunc');
    const logs: Array<Record<string, unknown>> = [];
    const settings = createSettingsService({ store: createConfStore(temp.dir, { log: (e) => logs.push(e) })('settings') });
    expect(settings.get().clipboardClearSeconds).toBe(30);
    expect(logs.some((l) => l.event === 'store.discarded')).toBe(true);
    expect(settings.set({ cacheTtlDays: 3 }).ok).toBe(true);
  });

  it('a settings file that turns bad while the app runs is discarded at the next read, not a crash', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const settings = createSettingsService({ store: createConfStore(temp.dir, { log: (e) => logs.push(e) })('settings') });
    expect(settings.set({ cacheTtlDays: 3 }).ok).toBe(true);
    await writeFile(path.join(temp.dir, 'settings.json'), 'not json');
    expect(settings.get().cacheTtlDays).toBe(7);
    expect(logs.filter((l) => l.event === 'store.discarded')).toHaveLength(1);
    expect(settings.set({ cacheTtlDays: 4 }).ok).toBe(true);
    expect(settings.get().cacheTtlDays).toBe(4);
  });
});
