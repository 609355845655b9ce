// Opens the serve-mode address in the user's default browser, where there is one: a desktop
// session (DISPLAY / WAYLAND_DISPLAY on Linux, always on macOS and Windows) and the platform's
// opener on PATH. Otherwise the printed line is all there is, and that is fine (remote shells).
import { spawn, spawnSync } from 'node:child_process';

function onPath(command: string): boolean {
  const probe = process.platform === 'win32' ? spawnSync('where', [command], { stdio: 'ignore' }) : spawnSync('sh', ['-c', 'command -v "$0"', command], { stdio: 'ignore' });
  return probe.status === 0;
}

export function defaultBrowserCommand(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): { command: string; args: (url: string) => string[] } | null {
  if (platform === 'darwin') return { command: 'open', args: (url) => [url] };
  if (platform === 'win32') return { command: 'cmd', args: (url) => ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return { command: 'xdg-open', args: (url) => [url] };
}

/** True when a browser was launched. Never throws: the printed line is the fallback. */
export function openInDefaultBrowser(url: string): boolean {
  const opener = defaultBrowserCommand();
  if (!opener || !onPath(opener.command)) return false;
  try {
    const child = spawn(opener.command, opener.args(url), { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
