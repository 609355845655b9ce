// Issue 9, item 6: whoever reads the database files must find no credential in them. Before,
// the provider's rows were keyed by the token values themselves: a refresh token read from the
// file could be redeemed (the audit tried it: 200). Now the rows are keyed by a hash and sealed.
import fs from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from './database.ts';
import { discoverAdminConsole, signInWithPkce, startLoopbackListener } from './testing/sign-in.ts';
import type { LoopbackListener } from './testing/sign-in.ts';
import { TEST_CREDENTIALS, makeDataDir, startTestServer } from './testing/test-server.ts';
import type { TestServer } from './testing/test-server.ts';

let server: TestServer;
let listener: LoopbackListener;

beforeAll(async () => {
  server = await startTestServer();
  listener = await startLoopbackListener();
});
afterAll(async () => {
  await listener?.close();
  await server?.stop();
});

/** The raw bytes of the database file and its write-ahead log, as a thief would copy them. */
async function databaseBytes(dataDir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const suffix of ['', '-wal']) {
    try {
      parts.push(await fs.readFile(path.join(dataDir, `${DATABASE_FILE}${suffix}`)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return Buffer.concat(parts);
}

describe('credentials in the database files', () => {
  it('after a real sign-in and a refresh, no refresh token, authorization code or state is in the .sqlite or -wal bytes; the tokens still work', async () => {
    const config = await discoverAdminConsole(server.issuer);
    const { callbackUrl, tokens } = await signInWithPkce(config, listener, { username: 'admin', password: TEST_CREDENTIALS.adminPassword });
    const callback = new URL(callbackUrl);
    const code = callback.searchParams.get('code')!;
    const state = callback.searchParams.get('state')!;
    const firstRefresh = tokens.refresh_token!;
    expect(firstRefresh).toEqual(expect.any(String));
    const refreshed = await oidc.refreshTokenGrant(config, firstRefresh);
    const secondRefresh = refreshed.refresh_token!;
    expect(secondRefresh).toEqual(expect.any(String));
    expect(secondRefresh).not.toBe(firstRefresh);

    const bytes = await databaseBytes(server.dataDir);
    expect(bytes.length).toBeGreaterThan(0);
    for (const [what, value] of Object.entries({ code, state, firstRefresh, secondRefresh })) {
      expect(value.length, what).toBeGreaterThanOrEqual(20);
      expect({ what, found: bytes.includes(Buffer.from(value)) }).toEqual({ what, found: false });
    }
    // The server itself still finds what it stored: the rotated refresh token works once more.
    const again = await oidc.refreshTokenGrant(config, secondRefresh);
    expect(again.access_token).toEqual(expect.any(String));
    // A reused (rotated-out) one does not.
    await expect(oidc.refreshTokenGrant(config, firstRefresh)).rejects.toThrow();
  });

  it('the provider rows hold only hashed keys and sealed payloads', async () => {
    const db = new Database(path.join(server.dataDir, DATABASE_FILE), { readonly: true });
    try {
      const rows = db.prepare('SELECT model, id, payload FROM oidc_models').all() as { model: string; id: string; payload: string }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
        if (row.model !== 'Session') expect(row.payload).toMatch(/^v1\./);
        else expect(JSON.parse(row.payload)).not.toHaveProperty('jti');
      }
    } finally {
      db.close();
    }
  });
});

describe('the migration', () => {
  it('drops provider rows written in the clear by an older server (users sign in again)', async () => {
    const dataDir = await makeDataDir();
    try {
      // The schema as it was before the sealing migration (the 4th).
      const old = openDatabase(dataDir, { schemaVersion: 3 });
      old.prepare("INSERT INTO oidc_models (model, id, payload) VALUES ('RefreshToken', 'plain-refresh-token-value', '{}')").run();
      old.close();
      const reopened = openDatabase(dataDir);
      try {
        expect(reopened.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(4);
        expect(reopened.prepare('SELECT count(*) AS n FROM oidc_models').get()).toEqual({ n: 0 });
      } finally {
        reopened.close();
      }
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
