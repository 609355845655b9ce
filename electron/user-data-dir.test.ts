// Issue 9 item 8: the app's user-data folder is 0700 at every start of either host, not only
// when it is created (a folder left 0755 by an older version or a loose umask is tightened).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServeMode } from './serve/serve-mode.ts';
import { makeTempDir } from './services/testing/temp-dir.ts';
import { prepareUserDataDir } from './user-data-dir.ts';

const posix = process.platform !== 'win32';
const mode = (dir: string) => fs.statSync(dir).mode & 0o777;
const temps: Array<Awaited<ReturnType<typeof makeTempDir>>> = [];
afterEach(async () => {
  for (const temp of temps.splice(0)) await temp.remove();
});

describe.skipIf(!posix)('user-data folder permissions (issue 9 item 8)', () => {
  it('creates a missing folder as 0700, whatever the umask', async () => {
    const temp = await makeTempDir('user-data');
    temps.push(temp);
    const dir = path.join(temp.dir, 'nested', 'ThetaSecure Admin');
    const before = process.umask(0o000);
    try {
      prepareUserDataDir(dir);
    } finally {
      process.umask(before);
    }
    expect(mode(dir)).toBe(0o700);
  });

  it('tightens an existing 0755 folder to 0700, and leaves its files alone', async () => {
    const temp = await makeTempDir('user-data');
    temps.push(temp);
    fs.chmodSync(temp.dir, 0o755);
    fs.writeFileSync(path.join(temp.dir, 'settings.json'), '{}', { mode: 0o600 });
    prepareUserDataDir(temp.dir);
    expect(mode(temp.dir)).toBe(0o700);
    expect(mode(path.join(temp.dir, 'settings.json'))).toBe(0o600);
  });

  it('serve mode (the host npm start and npm run serve use) sets it at start', async () => {
    const temp = await makeTempDir('user-data');
    temps.push(temp);
    fs.chmodSync(temp.dir, 0o775);
    const serve = await startServeMode({ port: 0, issuer: 'http://127.0.0.1:9', userDataDir: temp.dir, quiet: true });
    try {
      expect(mode(temp.dir)).toBe(0o700);
    } finally {
      await serve.close();
    }
  });

  it('Electron main sets it before giving the folder to Electron (source guard: no Electron binary here)', () => {
    const main = fs.readFileSync(path.join(import.meta.dirname, 'main.ts'), 'utf8');
    expect(main).toMatch(/app\.setPath\('userData', prepareUserDataDir\(defaultUserDataDir\(\)\)\)/);
  });
});
