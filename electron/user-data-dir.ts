// The app's per-user folder (settings, offline cache). Electron would derive it from the app
// name; both hosts use this one function instead, so Electron and serve mode share settings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'ThetaSecure Admin';

export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.THETASECURE_USER_DATA_DIR) return path.resolve(env.THETASECURE_USER_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

/**
 * Creates the folder if needed and sets it to 0700 — at every start, not only on creation: it
 * holds the settings and the encrypted replica, and a folder created by an older version, a
 * restored backup or a permissive umask would otherwise stay readable by other local users.
 * (Windows has no POSIX modes; the folder under %APPDATA% is already per-user.)
 */
export function prepareUserDataDir(dir: string, platform: NodeJS.Platform = process.platform): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (platform !== 'win32') fs.chmodSync(dir, 0o700);
  return dir;
}
