// Where the Electron binary is, without letting the `electron` package try to download it:
// its index.js starts a download when the binary is missing, which hangs or fails offline.
// This reads the same path.txt the package writes after a successful install.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return fs.existsSync(candidate) ? { found: true, path: candidate } : { found: false, reason: `no Electron binary at ${candidate}` };
  }
  if (!relative) return { found: false, reason: 'the Electron binary was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD)' };
  const candidate = path.join(packageDir, 'dist', relative);
  return fs.existsSync(candidate) ? { found: true, path: candidate } : { found: false, reason: `no Electron binary at ${candidate}` };
}
