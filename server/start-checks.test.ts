// What the server checks and fixes every time it starts, whatever the data folder looked like:
// owner-only modes (issue 9, item 8) and no weak configured client secret (item 10).
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from './app.ts';
import { DATABASE_FILE } from './database.ts';
import { TEST_CREDENTIALS, makeDataDir } from './testing/test-server.ts';

const mode = async (file: string) => (await fs.stat(file)).mode & 0o777;

describe.skipIf(process.platform === 'win32')('data folder permissions', () => {
  it('sets the data folder to 0700 and the database files to 0600 on every start, not only when created', async () => {
    const dataDir = await makeDataDir();
    try {
      const first = await startServer({ port: 0, dataDir, quiet: true, ...TEST_CREDENTIALS });
      await first.close();
      // Loosened meanwhile (a copy, a restore, an old version, a hand-made folder).
      await fs.chmod(dataDir, 0o755);
      await fs.chmod(path.join(dataDir, DATABASE_FILE), 0o644);
      const second = await startServer({ port: 0, dataDir, quiet: true, ...TEST_CREDENTIALS });
      try {
        expect((await mode(dataDir)).toString(8)).toBe('700');
        for (const name of await fs.readdir(dataDir)) {
          expect({ name, mode: (await mode(path.join(dataDir, name))).toString(8) }).toEqual({ name, mode: '600' });
        }
        expect(await fs.readdir(dataDir)).toContain(`${DATABASE_FILE}-wal`);
      } finally {
        await second.close();
      }
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('tightens a folder made by hand before the first start', async () => {
    const parent = await makeDataDir();
    const dataDir = path.join(parent, 'made-by-hand');
    await fs.mkdir(dataDir, { mode: 0o777 });
    await fs.chmod(dataDir, 0o777);
    try {
      const server = await startServer({ port: 0, dataDir, quiet: true, ...TEST_CREDENTIALS });
      await server.close();
      expect((await mode(dataDir)).toString(8)).toBe('700');
    } finally {
      await fs.rm(parent, { recursive: true, force: true });
    }
  });
});

describe('configured client secrets', () => {
  it.each(['adminClientSecret', 'syncClientSecret'] as const)('a %s shorter than 32 characters stops the start with the reason, and nothing is written', async (option) => {
    const dataDir = await makeDataDir();
    const weak = 'only-31-characters-long-secret!';
    expect(weak).toHaveLength(31);
    try {
      const error = await startServer({ port: 0, dataDir, quiet: true, ...TEST_CREDENTIALS, [option]: weak }).then(
        async (server) => {
          await server.close();
          return null;
        },
        (caught: unknown) => caught as Error,
      );
      expect(error?.message).toMatch(/at least 32 characters.*SHA-256/);
      expect(error?.message).not.toContain(weak);
      expect(await fs.readdir(dataDir)).toEqual([]);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
