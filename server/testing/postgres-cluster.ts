// A throwaway PostgreSQL cluster for tests and the benchmark: `initdb` into a temporary folder,
// `pg_ctl start` on a free loopback port, `pg_ctl stop` and the folder removed at the end. The
// binaries are Debian's `postgresql` package (.ci/run installs it). PostgreSQL refuses to run as
// root, so when this process is root the cluster runs as the unprivileged `nobody` (through
// `runuser`), in a folder that user owns.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The newest PostgreSQL binaries on this machine (/usr/lib/postgresql/<major>/bin), or PATH. */
export function postgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (fs.existsSync(base)) {
    const majors = fs.readdirSync(base).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const dir = path.join(base, major, 'bin');
      if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
    }
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const RUN_AS = 'nobody';

async function asOwner(binDir: string, command: string, args: string[]): Promise<void> {
  const file = path.join(binDir, command);
  try {
    if (isRoot) await run('runuser', ['-u', RUN_AS, '--', file, ...args], { cwd: os.tmpdir() });
    else await run(file, args);
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${command} failed: ${(stderr || stdout || String(error)).trim()}`, { cause: error });
  }
}

export interface PostgresCluster {
  /** postgres://…/postgres on the cluster's loopback port (superuser, no password: trust on loopback). */
  url: string;
  port: number;
  /** A fresh, empty database; returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (fast shutdown: connections are cut, as when a database host goes away). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

let databaseCounter = 0;

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error('PostgreSQL is not installed: initdb was not found under /usr/lib/postgresql (Debian package "postgresql"; .ci/run installs it).');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'thetasecure-pg-'));
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, 'data');
  const socketDir = path.join(root, 'socket');
  fs.mkdirSync(dataDir, { mode: 0o700 });
  fs.mkdirSync(socketDir, { mode: 0o755 });
  if (isRoot) {
    const { stdout } = await run('id', ['-u', RUN_AS]);
    const uid = Number(stdout.trim());
    const gid = Number((await run('id', ['-g', RUN_AS])).stdout.trim());
    for (const dir of [root, dataDir, socketDir]) fs.chownSync(dir, uid, gid);
  }
  const port = await freePort();
  // The superuser is "postgres" whatever OS user runs it; loopback connections are trusted (a test
  // cluster on 127.0.0.1 only). The C locale: byte order, as the SQLite store compares text.
  await asOwner(binDir, 'initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${socketDir}`,
    // Throwaway data: no need to survive a power cut, and CI has 2 cores.
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  const logFile = path.join(root, 'server.log');
  const start = () => asOwner(binDir, 'pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
  const stop = () => asOwner(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let running = true;
  return {
    url,
    port,
    async createDatabase(name) {
      databaseCounter += 1;
      const database = name ?? `t_${process.pid}_${databaseCounter}_${Date.now().toString(36)}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${database}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${database}`;
    },
    async stop() {
      if (!running) return;
      await stop();
      running = false;
    },
    async start() {
      if (running) return;
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop().catch(() => {});
      running = false;
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
