// Guards on the two hosts' source: the security-relevant calls exist exactly where the
// architecture puts them, so a later edit cannot add a second, unchecked path.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const electronDir = path.dirname(fileURLToPath(import.meta.url));

function sources(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push({ file: path.relative(electronDir, full), text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(electronDir);
  return out;
}

const filesMatching = (pattern: RegExp) => sources().filter(({ text }) => pattern.test(text)).map(({ file }) => file);

describe('host wiring (source guards)', () => {
  it('main.ts registers the contract only through registerContractHandlers, with a sender check', () => {
    const main = fs.readFileSync(path.join(electronDir, 'main.ts'), 'utf8');
    expect(main).toMatch(/registerContractHandlers\(ipcMain, hostApp\.handlers, \(event\) => isTrustedSender\(event, /);
    expect(filesMatching(/ipcMain\.(handle|on|once|handleOnce)\(/)).toEqual(['ipc-handlers.ts']);
  });

  it('shell.openExternal is called in one place, behind createHostApp (the external opener)', () => {
    expect(filesMatching(/shell\.openExternal\(/)).toEqual(['main.ts']);
    const main = fs.readFileSync(path.join(electronDir, 'main.ts'), 'utf8');
    expect(main.match(/shell\.openExternal\(/g)).toHaveLength(1);
    expect(main).toMatch(/createHostApp\(\{[\s\S]*openBrowser: \(url\) => shell\.openExternal\(url\)/);
  });

  it('the window uses the secure web preferences, the app:// entry and the sandboxed CommonJS preload', () => {
    const main = fs.readFileSync(path.join(electronDir, 'main.ts'), 'utf8');
    expect(main).toContain('webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath }');
    expect(main).toContain("path.join(here, 'preload.cjs')");
    expect(main).toContain('loadURL(APP_ENTRY_URL)');
    expect(main).toContain('app.requestSingleInstanceLock()');
    expect(main).toContain('app.enableSandbox()');
    expect(filesMatching(/\.loadFile\(|file:\/\//)).toEqual([]);
  });

  it('the preload exposes only the bridge built from the contract', () => {
    const preload = fs.readFileSync(path.join(electronDir, 'preload.ts'), 'utf8');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toContain("contextBridge.exposeInMainWorld('thetasecure', bridge)");
    expect(preload).toContain('buildBridge(CONTRACT_METHODS, CONTRACT_EVENTS');
  });

  it('no host turns on Blink features or experimental web platform features', () => {
    expect(filesMatching(/enableBlinkFeatures|enable-blink-features|enable-experimental-web-platform-features/)).toEqual([]);
  });
});
