// Runs a script inside `dbus-run-session` with a throwaway gnome-keyring (and inside `xvfb-run`
// when it wants a display), when those are not already there: the tests and the sync benchmark
// use a real Secret Service and must not touch the user's own keyring.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Re-runs `script` (with this process's arguments) inside the session it needs and exits with its status; returns when nothing is needed. */
export function wrapInSessionIfNeeded(options: { script: string; display: boolean; label: string }): void {
  if (process.env.THETASECURE_TESTS_WRAPPED === '1') return;
  const needBus = !process.env.DBUS_SESSION_BUS_ADDRESS && has('dbus-run-session') && has('gnome-keyring-daemon');
  const needDisplay = options.display && !process.env.DISPLAY && has('xvfb-run');
  if (!needBus && !needDisplay) return;
  const args = process.argv.slice(2).map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const self = `exec "${process.execPath}" "${path.join(root, 'node_modules/tsx/dist/cli.mjs')}" "${options.script}" ${args}`;
  // A throwaway keyring: its own folder (gnome-keyring keeps keyrings under
  // $XDG_DATA_HOME/keyrings, so the user's login keyring is neither used nor needed) and a
  // random password that unlocks it for as long as this bus lives.
  const keyringHome = mkdtempSync(path.join(tmpdir(), 'thetasecure-test-keyring-'));
  const inner = needBus
    ? `printf %s "$THETASECURE_TEST_KEYRING_PW" | XDG_DATA_HOME="$THETASECURE_TEST_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null; ${self}`
    : self;
  const argv = [
    ...(needDisplay ? ['xvfb-run', '-a', '--server-args=-screen 0 1440x900x24'] : []),
    ...(needBus ? ['dbus-run-session', '--'] : []),
    'sh', '-c', inner,
  ];
  console.log(`[${options.label}] running inside: ${[needDisplay && 'xvfb-run', needBus && 'dbus-run-session + gnome-keyring'].filter(Boolean).join(', ')}`);
  const run = spawnSync(argv[0]!, argv.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, THETASECURE_TESTS_WRAPPED: '1', THETASECURE_TEST_KEYRING_PW: randomBytes(16).toString('hex'), THETASECURE_TEST_KEYRING_HOME: keyringHome },
  });
  rmSync(keyringHome, { recursive: true, force: true });
  process.exit(run.status ?? 1);
}
