// Issue 9 item 11: `npm install` succeeds on a machine that cannot download Electron or build
// keytar. Both are optional dependencies (npm skips an optional package whose install fails),
// electron-builder is told the Electron version explicitly, and keytar is only ever loaded
// lazily, so a missing keytar means "sign-in will not be remembered", not a crash.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { createKeytarKeychain, probeKeychain } from '../electron/services/keychain.ts';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
const builder = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { electronVersion?: string };

describe('install without Electron or keytar (issue 9 item 11)', () => {
  it('electron and keytar are optional dependencies, and nowhere else', () => {
    expect(Object.keys(pkg.optionalDependencies ?? {}).sort()).toEqual(['electron', 'keytar']);
    for (const section of ['dependencies', 'devDependencies'] as const) {
      expect(pkg[section]).not.toHaveProperty('electron');
      expect(pkg[section]).not.toHaveProperty('keytar');
    }
  });

  it("electron-builder's electronVersion is set and equals the pinned Electron", () => {
    expect(pkg.optionalDependencies?.electron).toMatch(/^\d+\.\d+\.\d+$/);
    expect(builder.electronVersion).toBe(pkg.optionalDependencies?.electron);
  });

  it('keytar is imported only lazily, in keychain.ts', () => {
    const sources = ['electron/services/keychain.ts', 'electron/electron-effects.ts', 'electron/services/node-effects.ts', 'electron/main.ts'];
    for (const file of sources) {
      expect(readFileSync(path.join(root, file), 'utf8'), file).not.toMatch(/^import .* from 'keytar'/m);
    }
  });

  it('a keytar that cannot be loaded reads as "no keychain", quickly (a module name that does not exist stands in for it)', async () => {
    const keychain = createKeytarKeychain({ moduleName: 'keytar-not-installed' });
    const started = performance.now();
    const status = await probeKeychain(keychain);
    expect(status.available).toBe(false);
    expect(status.reason).toMatch(/keychain module could not be loaded/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
