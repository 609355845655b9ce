// `npm run dist`: build, rebuild better-sqlite3 against Electron's headers (it is not an N-API
// module, so the Node build that `npm install` made does not load in Electron), package with
// electron-builder, and put the Node build back whatever happened, so that `npm test` and the
// reference server keep working in this checkout.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rebuild } from '@electron/rebuild';

const root = path.resolve(import.meta.dirname, '..');
const electronVersion = (JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (args: string[]) => execFileSync(npm, args, { cwd: root, stdio: 'inherit' });

run(['run', 'build']);
try {
  console.log(`[dist] rebuilding better-sqlite3 for Electron ${electronVersion}`);
  await rebuild({ buildPath: root, electronVersion, onlyModules: ['better-sqlite3'], force: true });
  run(['exec', '--', 'electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)]);
} finally {
  console.log('[dist] restoring the Node build of better-sqlite3');
  run(['rebuild', 'better-sqlite3']);
}
