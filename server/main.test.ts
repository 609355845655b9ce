// `npm run server` as a new user runs it: the first start prints the generated credentials once,
// in a marked block; the second start does not; Ctrl-C (SIGINT) and SIGTERM stop it cleanly.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'server-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

interface Run { output: string; port: number; stop(signal: NodeJS.Signals): Promise<number | null> }

/** Starts `server/main.ts` like `npm run server`, on a free port, and waits for its listening line. */
async function startCli(): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, THETASECURE_PORT: '0', THETASECURE_DATA_DIR: dataDir };
  for (const name of ['THETASECURE_ISSUER', 'THETASECURE_ADMIN_PASSWORD', 'THETASECURE_HELPDESK_PASSWORD', 'THETASECURE_ADMIN_CLIENT_SECRET', 'THETASECURE_SYNC_CLIENT_SECRET']) delete env[name];
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'server/main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line in:\n${output}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
  return {
    get output() {
      return output;
    },
    port,
    stop: async (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}

const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });

describe('npm run server (the CLI, in a child process)', () => {
  it('prints the generated credentials once, on the first start only, and stops cleanly on SIGINT and SIGTERM', async () => {
    const first = await startCli();
    const health = await fetch(`http://127.0.0.1:${first.port}/healthz`);
    expect(health.status).toBe(200);
    expect(first.output).toContain('FIRST START: generated credentials');
    expect(first.output).toMatch(/admin password:\s+\S{12,}/);
    expect(first.output).toMatch(/ts_admin_client secret:\s+\S{32,}/);
    expect(await first.stop('SIGINT')).toBe(0);
    expect(first.output).toContain('SIGINT received: shutting down.');
    expect(await refusesConnections(first.port)).toBe(true);

    const second = await startCli();
    expect(second.output).not.toContain('FIRST START');
    expect(second.output).not.toMatch(/password:|secret:/);
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(await refusesConnections(second.port)).toBe(true);
  }, 60_000);
});
