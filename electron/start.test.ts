import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServerReadyLine } from './start.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsxCli = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * `npm start` as a brand-new user: empty home and XDG folders, no display (no browser is opened),
 * and an empty ELECTRON_OVERRIDE_DIST_PATH, so the Electron binary is missing on every machine.
 */
async function newUserStart(extraEnv: Record<string, string> = {}): Promise<{ run: Run; home: string }> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'thetasecure-start-'));
  const rendererDir = path.join(home, 'renderer-build');
  await fs.mkdir(rendererDir, { recursive: true });
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>ThetaSecure Admin</title><script type="module" src="./app.js"></script>');
  await fs.mkdir(path.join(home, 'no-electron'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('THETASECURE_') || name === 'DISPLAY' || name === 'WAYLAND_DISPLAY') delete env[name];
  Object.assign(env, {
    HOME: home,
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    THETASECURE_PORT: '0',
    THETASECURE_RENDERER_DIR: rendererDir,
    ELECTRON_OVERRIDE_DIST_PATH: path.join(home, 'no-electron'),
    ...extraEnv,
  });
  const child = spawn(process.execPath, [tsxCli, path.join(repoRoot, 'electron', 'start.ts')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const run = { child, output: () => output, exited };
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    await fs.rm(home, { recursive: true, force: true });
  });
  return { run, home };
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Exchanges the token like a browser, loads the page and calls session:get through the contract route. */
async function openServeMode(appUrl: string) {
  const exchange = await get(appUrl);
  expect(exchange.status).toBe(303);
  const cookie = (exchange.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  const origin = new URL(appUrl).origin;
  const page = await get(`${origin}/`, { cookie });
  const session = await new Promise<unknown>((resolve, reject) => {
    const req = http.request(`${origin}/contract/session%3Aget`, { method: 'POST', headers: { cookie, origin, 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end('{}');
  });
  return { page, session };
}

const servePattern = /^ThetaSecure Admin: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]+)$/m;

describe('npm start for a new user on a machine without the Electron binary', () => {
  it('starts the reference server and serve mode, explains the first sign-in, and stops both on SIGTERM', async () => {
    const { run, home } = await newUserStart();
    await expect.poll(() => servePattern.test(run.output()), { timeout: 60_000, interval: 250 }).toBe(true);
    const output = run.output();

    // The server: started in the background with its data in the user's data folder.
    const readyLine = output.split('\n').find((line) => parseServerReadyLine(line));
    const issuer = parseServerReadyLine(readyLine ?? '');
    expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(fs.stat(path.join(home, '.local', 'share', 'thetasecure-server'))).resolves.toBeTruthy();
    expect((await get(`${issuer}/healthz`)).status).toBe(200);

    // How to sign in the first time.
    expect(output).toContain('FIRST START');
    expect(output).toMatch(/as user "admin".*"helpdesk"/);
    expect(output).toContain('THETASECURE_ADMIN_PASSWORD');

    // One line about Electron, one line with the address.
    expect(output.split('\n').filter((line) => line.includes('Electron is not installed'))).toHaveLength(1);
    expect(output.match(new RegExp(servePattern.source, 'gm'))).toHaveLength(1);
    const [, appUrl, servePortText] = servePattern.exec(output)!;

    // Serve mode is the app, configured with the server it started.
    const { page, session } = await openServeMode(appUrl!);
    expect(page.status).toBe(200);
    expect(page.body).toContain('/serve-bridge.js');
    expect(session).toMatchObject({ ok: true, value: { status: 'signed-out', issuer } });

    // Ctrl-C / SIGTERM stops what it started.
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(await refusesConnections(Number(new URL(issuer!).port))).toBe(true);
    expect(await refusesConnections(Number(servePortText))).toBe(true);
  });

  it('with THETASECURE_ISSUER set, starts no server and serve mode uses that issuer', async () => {
    const { run } = await newUserStart({ THETASECURE_ISSUER: 'https://login.example.com' });
    await expect.poll(() => servePattern.test(run.output()), { timeout: 60_000, interval: 250 }).toBe(true);
    expect(run.output()).not.toContain('starting the reference server');
    expect(run.output()).not.toContain('ThetaSecure server listening');
    const { session } = await openServeMode(servePattern.exec(run.output())![1]!);
    expect(session).toMatchObject({ ok: true, value: { status: 'signed-out', issuer: 'https://login.example.com' } });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});

describe('parseServerReadyLine', () => {
  it("reads the issuer from the server's listening line", () => {
    expect(parseServerReadyLine('ThetaSecure server listening on http://127.0.0.1:4000 (issuer http://127.0.0.1:4000, admin API audience http://127.0.0.1:4000/api, data /x)')).toBe('http://127.0.0.1:4000');
    expect(parseServerReadyLine('{"level":"info"}')).toBeNull();
  });
});
