// `npm run bench:server -- --db postgres`: the same list scenarios and token runs against the
// PostgreSQL back end, in the same run as SQLite: a throwaway PostgreSQL cluster
// (server/testing/postgres-cluster.ts), the same seeded clients through the PostgreSQL store's
// insertMany, one server process, then two processes on the same database with the token load
// split evenly between them (two autocannon instances at once, their rates added).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CreateClientResponse } from '../shared/client.ts';
import { ChangeEvents } from '../server/change-events.ts';
import { openPostgresBackend } from '../server/postgres/backend.ts';
import { ADMIN_CLIENT_ID } from '../server/provisioning.ts';
import { startPostgresCluster } from '../server/testing/postgres-cluster.ts';
import { runListScenarios } from './server-list-run.ts';
import type { ListRun } from './server-list-run.ts';
import { seedClients } from './server-seed.ts';
import { startChildServer, timedJson, tokenRequestInit, tokenThroughput } from './server-load.ts';
import type { ChildServer, Throughput, TokenRequest } from './server-load.ts';

export interface PostgresBenchOptions {
  clients: number;
  requests: number;
  seconds: number;
  warmupSeconds: number;
  secrets: { adminClientSecret: string; syncClientSecret: string; adminPassword: string; helpdeskPassword: string };
  progress: (text: string) => void;
}

export interface PostgresBenchResult {
  seedSeconds: number;
  lists: ListRun;
  /** Per connection count: one process, and two processes sharing the load. */
  tokens: { connections: number; one: Throughput; two: Throughput }[];
  postgresVersion: string;
}

/** Two runs at once, one per process, each with half the connections: rates added, worst latencies. */
async function splitThroughput(targets: readonly (TokenRequest & { pid: number })[], connections: number, seconds: number): Promise<Throughput> {
  const runs = await Promise.all(targets.map((target) => tokenThroughput(target, Math.max(1, Math.round(connections / targets.length)), seconds, target.pid)));
  const tokens = runs.reduce((sum, run) => sum + run.ok, 0);
  const cpu = runs.reduce((sum, run) => sum + run.cpuMsPerToken * run.ok, 0);
  return {
    cpuMsPerToken: tokens > 0 ? cpu / tokens : Number.NaN,
    connections,
    seconds,
    perSecond: runs.reduce((sum, run) => sum + run.perSecond, 0),
    ok: runs.reduce((sum, run) => sum + run.ok, 0),
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
    latencyP50: Math.max(...runs.map((run) => run.latencyP50)),
    latencyP99: Math.max(...runs.map((run) => run.latencyP99)),
  };
}

export async function runPostgresBench(options: PostgresBenchOptions): Promise<PostgresBenchResult> {
  const { progress } = options;
  progress('starting a throwaway PostgreSQL cluster');
  const cluster = await startPostgresCluster();
  const children: ChildServer[] = [];
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'thetasecure-bench-pg-'));
  try {
    const databaseUrl = await cluster.createDatabase('thetasecure_bench');
    // Seed through the store the server uses (migrations run on open).
    const backend = await openPostgresBackend({ dataDir, databaseUrl, changeEvents: new ChangeEvents() });
    let seed;
    let postgresVersion = '';
    try {
      progress(`seeding ${options.clients.toLocaleString('en-US')} clients into PostgreSQL ...`);
      seed = await seedClients(dataDir, options.clients, { store: backend.clients, onProgress: (done) => done % 50_000 === 0 && progress(`  ${done.toLocaleString('en-US')} seeded`) });
    } finally {
      await backend.close();
    }
    {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query('ANALYZE');
      postgresVersion = String((await client.query('SHOW server_version')).rows[0].server_version);
      await client.end();
    }
    progress(`seeded in ${seed.seconds.toFixed(1)} s; starting a server process on PostgreSQL`);
    const first = await startChildServer({ mode: 'ours', dataDir, databaseUrl, ...options.secrets });
    children.push(first);
    const tokenResponse = await timedJson<{ access_token?: string }>(`${first.url}/token`, {
      method: 'POST',
      ...tokenRequestInit({ url: first.url, clientId: ADMIN_CLIENT_ID, clientSecret: options.secrets.adminClientSecret, scope: 'clients:read clients:write' }),
    });
    const adminToken = tokenResponse.body.access_token;
    if (tokenResponse.status !== 200 || !adminToken) throw new Error(`admin token request (PostgreSQL) failed: HTTP ${tokenResponse.status}`);
    const lists = await runListScenarios(first.url, adminToken, seed.names, options.requests, (text) => progress(`postgres: ${text}`));

    const created = await timedJson<CreateClientResponse>(`${first.url}/api/v1/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Benchmark Token Client', grantTypes: ['client_credentials'], scopes: ['directory:read'] }),
    });
    if (created.status !== 201 || !created.body.clientSecret) throw new Error(`creating the benchmark client (PostgreSQL) answered ${created.status}`);
    const client = { clientId: created.body.client.clientId, clientSecret: created.body.clientSecret, scope: 'directory:read' };

    progress('postgres: starting a second server process on the same database (same issuer)');
    const second = await startChildServer({ mode: 'ours', dataDir, databaseUrl, issuer: first.url, ...options.secrets });
    children.push(second);
    const one = { url: first.url, ...client, pid: first.pid };
    const both = [one, { url: second.url, ...client, pid: second.pid }];

    progress(`postgres: warming up the token endpoints (${options.warmupSeconds} s)`);
    await splitThroughput(both, 10, options.warmupSeconds);
    const tokens: PostgresBenchResult['tokens'] = [];
    for (const connections of [10, 50]) {
      progress(`postgres: token throughput, one process, ${connections} connections, ${options.seconds} s`);
      const single = await tokenThroughput(one, connections, options.seconds, one.pid);
      progress(`postgres: token throughput, two processes, ${connections} connections, ${options.seconds} s`);
      const pair = await splitThroughput(both, connections, options.seconds);
      tokens.push({ connections, one: single, two: pair });
    }
    return { seedSeconds: seed.seconds, lists, tokens, postgresVersion };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await cluster.destroy();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
