// `npm start`: ThetaSecure Admin for a new user in one command.
//  1. With no issuer configured (THETASECURE_ISSUER unset, none in the settings), it uses the
//     reference server: one already answering on THETASECURE_PORT (default 4000), or it starts
//     `server/main.ts` in the background (its data in the user's data folder, as `npm run server`)
//     and says how to sign in the first time.
//  2. It opens the Electron app, or, where the Electron binary is missing, says so in one line
//     and starts serve mode (the same app in the browser).
// Ctrl-C / SIGTERM stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildElectron } from '../scripts/build-electron.ts';
import { findElectronBinary } from './electron-binary.ts';
import { openInDefaultBrowser } from './serve/open-default-browser.ts';
import { DEFAULT_RENDERER_DIR, startServeMode } from './serve/serve-mode.ts';
import { createConfStore } from './services/conf-store.ts';
import { createSettingsService } from './services/settings.ts';
import { stopOnSignals } from './stop-on-signals.ts';
import { defaultUserDataDir, prepareUserDataDir } from './user-data-dir.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER_READY_TIMEOUT_MS = 60_000;

/** The issuer the user chose: THETASECURE_ISSUER, else the one saved in the app's settings, else none. */
export function configuredIssuer(env: NodeJS.ProcessEnv, userDataDir: string): string | null {
  if (env.THETASECURE_ISSUER) return env.THETASECURE_ISSUER;
  const settings = createSettingsService({ store: createConfStore(userDataDir)('settings') }).get();
  return settings.issuerUrl || null;
}

/** The issuer in the server's "listening" line, e.g. `ThetaSecure server listening on http://… (issuer http://…, …)`. */
export function parseServerReadyLine(line: string): string | null {
  const match = /^ThetaSecure server listening on \S+ \(issuer (\S+?),/.exec(line);
  return match?.[1] ?? null;
}

/** A ThetaSecure server already answering at `url`: its issuer, or null. */
async function runningServerIssuer(url: string): Promise<string | null> {
  try {
    const response = await fetch(`${url}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(1_500) });
    if (!response.ok) return null;
    const metadata = (await response.json()) as { issuer?: unknown };
    const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_500) });
    return typeof metadata.issuer === 'string' && health.ok ? metadata.issuer : null;
  } catch {
    return null;
  }
}

interface StartedServer {
  issuer: string;
  /** The server printed its FIRST START block (generated passwords) in this run. */
  firstStart: boolean;
  child: ChildProcess;
}

/**
 * Starts `npm run server`'s entry point as a child process. Its own lines (the FIRST START block,
 * the listening line, errors) are shown; its per-request JSON log lines are not, to keep this
 * terminal readable (`npm run server` shows them).
 */
function startReferenceServer(env: NodeJS.ProcessEnv): Promise<StartedServer> {
  const tsxCli = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [tsxCli, path.join(repoRoot, 'server', 'main.ts')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let firstStart = false;
    let ready = false;
    const timer = setTimeout(() => {
      if (ready) return;
      child.kill('SIGTERM');
      reject(new Error(`the ThetaSecure server did not start within ${SERVER_READY_TIMEOUT_MS / 1000} s.`));
    }, SERVER_READY_TIMEOUT_MS);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) return;
      console.log(line);
      if (line.includes('FIRST START')) firstStart = true;
      const issuer = parseServerReadyLine(line);
      if (issuer && !ready) {
        ready = true;
        clearTimeout(timer);
        resolve({ issuer, firstStart, child });
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`the ThetaSecure server exited before it was ready (${signal ?? `exit code ${code}`}).`));
      else console.log(`The ThetaSecure server stopped (${signal ?? `exit code ${code}`}).`);
    });
  });
}

function signInHelp(issuer: string, firstStart: boolean): string {
  const where = firstStart
    ? 'their passwords are in the FIRST START block above (shown only this once: keep them in a password manager).'
    : 'use the passwords the server printed on its first start, or the THETASECURE_ADMIN_PASSWORD / THETASECURE_HELPDESK_PASSWORD you started it with.';
  return [
    `Sign in to ${issuer} as user "admin" (full access) or "helpdesk" (read-only): ${where}`,
    '  To choose the passwords yourself, start with THETASECURE_ADMIN_PASSWORD (and THETASECURE_HELPDESK_PASSWORD) set: the server applies them at every start.',
  ].join('\n');
}

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/** Builds the renderer when there is no build, or when its sources are newer than the build. */
function ensureRendererBuild(): void {
  const builtIndex = path.join(DEFAULT_RENDERER_DIR, 'index.html');
  const sources = ['renderer', 'shared'].map((dir) => newestMtime(path.join(repoRoot, dir)));
  if (fs.existsSync(builtIndex) && fs.statSync(builtIndex).mtimeMs >= Math.max(...sources)) return;
  console.log('Building the app window (npm run build:renderer)…');
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', '-c', path.join(repoRoot, 'renderer', 'vite.config.ts')], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the renderer build failed (see above).');
}

function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** What this run started, stopped in reverse order on Ctrl-C, SIGTERM or a failure. */
const stoppers: Array<() => Promise<void>> = [];
async function stopEverything(): Promise<void> {
  for (const stop of stoppers.splice(0).reverse()) await stop().catch(() => undefined);
}

async function main(): Promise<void> {
  const env = process.env;
  // 0700 before the settings are read (which would create the folder with the umask's mode).
  const userDataDir = prepareUserDataDir(defaultUserDataDir(env));
  let server: ChildProcess | null = null;
  stopOnSignals(stopEverything);
  let issuer = configuredIssuer(env, userDataDir);

  if (!issuer) {
    const port = env.THETASECURE_PORT || '4000';
    const existing = port === '0' ? null : await runningServerIssuer(`http://127.0.0.1:${port}`);
    if (existing) {
      issuer = existing;
      console.log(`Using the ThetaSecure server already running at ${existing}.`);
      console.log(signInHelp(existing, false));
    } else {
      console.log('No ThetaSecure server configured (THETASECURE_ISSUER): starting the reference server in the background.');
      const started = await startReferenceServer(env);
      server = started.child;
      stoppers.push(() => stopChild(started.child));
      issuer = started.issuer;
      console.log(signInHelp(issuer, started.firstStart));
    }
  }

  const rendererDir = env.THETASECURE_RENDERER_DIR ? path.resolve(env.THETASECURE_RENDERER_DIR) : undefined;
  if (!rendererDir) ensureRendererBuild();

  const electron = findElectronBinary(env);
  if (electron.found) {
    await buildElectron();
    const app = spawn(electron.path, [repoRoot], { cwd: repoRoot, stdio: 'inherit', env: { ...env, THETASECURE_ISSUER: issuer } });
    stoppers.push(() => stopChild(app));
    app.once('exit', (code) => {
      void stopEverything().then(() => process.exit(code ?? 0));
    });
    return;
  }

  console.log(`Electron is not installed here (${electron.reason}): opening ThetaSecure Admin in your browser instead (serve mode).`);
  const serve = await startServeMode({ issuer, userDataDir, ...(rendererDir ? { rendererDir } : {}) });
  stoppers.push(() => serve.close());
  openInDefaultBrowser(serve.url);
  if (server) {
    // Stopping the server on its own (it crashed, or was killed) leaves the app running offline.
    server.once('exit', () => console.log('ThetaSecure Admin keeps running; it shows the server as offline. Press Ctrl-C to quit.'));
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch(async (error: unknown) => {
    console.error(`ThetaSecure Admin could not start: ${error instanceof Error ? error.message : String(error)}`);
    await stopEverything();
    process.exit(1);
  });
}
