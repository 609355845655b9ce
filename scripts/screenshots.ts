// `npm run screenshots`: the screen pass (e2e/screens/), inside a throwaway keyring session as
// the tests run (a real Secret Service, so no "no keychain" notice is in the pictures).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { wrapInSessionIfNeeded } from './keyring-session.ts';

const root = path.resolve(import.meta.dirname, '..');
wrapInSessionIfNeeded({ script: path.join(root, 'scripts/screenshots.ts'), display: false, label: 'screenshots' });
const run = spawnSync(path.join(root, 'node_modules/.bin/playwright'), ['test', '-c', 'e2e/screens/playwright.config.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
