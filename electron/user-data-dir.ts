// The app's per-user folder (settings, offline cache). Electron would derive it from the app
// name; both hosts use this one function instead, so Electron and serve mode share settings.
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
