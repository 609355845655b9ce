// `npm run bench:server`: the ThetaSecure server at 100,000 clients (issue 2, "Benchmark").
//
// 1. Seeds 100,000 realistic clients into a fresh SQLite store (temp folder) through the store's
//    bulk API, starts the real server (server/app.ts) on it and times 50-item list pages over
//    HTTP: no filter, a `q` substring, a grant-type filter, and deeper cursor pages.
//    Target: p95 <= 20 ms for list and search.
// 2. Measures client_credentials token throughput (autocannon, 10 and 50 connections) against our
//    server, for a custom client created through the admin API (SHA-256 hashed secret), and
//    against a bare oidc-provider holding the same client in memory. Target: ours/bare >= 0.8.
//
// Each server runs in its own child process (server-child.ts); this process only generates load,
// so the load generator never competes with a server for its event loop. Everything is on
// 127.0.0.1; the temp folder is removed at the end. Progress goes to stderr, the report to stdout.
//
// 3. With --db postgres, the same list scenarios and token runs on the PostgreSQL back end (a
//    throwaway cluster, bench/server-bench-postgres.ts), with one and with two server processes.
//
// Options (for quick development runs): --clients N (100000), --requests N (300 per list
// scenario), --seconds N (8 per throughput run), --warmup N (3), --db sqlite|postgres.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { Client, CreateClientResponse } from '../shared/client.ts';
import { DATABASE_FILE } from '../server/database.ts';
import { ADMIN_CLIENT_ID } from '../server/provisioning.ts';
import { machineLines } from './machine.ts';
import { PAGE, runListScenarios } from './server-list-run.ts';
import { runPostgresBench } from './server-bench-postgres.ts';
import type { PostgresBenchResult } from './server-bench-postgres.ts';
import { seedClients } from './server-seed.ts';
import { closeLatencyAgent, startChildServer, table, timedJson, tokenRequestInit, tokenThroughput } from './server-load.ts';
import type { ChildServer, Throughput, TokenRequest } from './server-load.ts';

const THROUGHPUT_RATIO_TARGET = 0.8;

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '3' },
    db: { type: 'string', default: 'sqlite' },
  },
});
const CLIENTS = Number(args.clients);
const REQUESTS = Number(args.requests);
const SECONDS = Number(args.seconds);
const WARMUP_SECONDS = Number(args.warmup);
for (const [name, value] of Object.entries({ clients: CLIENTS, requests: REQUESTS, seconds: SECONDS, warmup: WARMUP_SECONDS })) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a positive whole number.`);
    process.exit(2);
  }
}

if (args.db !== 'sqlite' && args.db !== 'postgres') {
  console.error('--db must be sqlite (the default) or postgres (SQLite and PostgreSQL in the same run).');
  process.exit(2);
}
const WITH_POSTGRES = args.db === 'postgres';

const progress = (text: string) => process.stderr.write(`[bench:server] ${text}\n`);
const started = performance.now();

function machine(): string[] {
  const require = createRequire(import.meta.url);
  const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
  const memory = new Database(':memory:');
  const sqlite = (memory.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  memory.close();
  return machineLines(`Node ${process.version}, oidc-provider ${version('oidc-provider')}, better-sqlite3 ${version('better-sqlite3')} (SQLite ${sqlite}), autocannon ${version('autocannon')}`, ['server', 'bench']);
}

async function main(): Promise<void> {
  const header = machine();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'thetasecure-bench-'));
  const children: ChildServer[] = [];
  const cleanup = async () => {
    closeLatencyAgent();
    await Promise.all(children.map((child) => child.stop()));
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    void cleanup().finally(() => process.exit(130));
  });

  try {
    const secrets = {
      adminClientSecret: crypto.randomBytes(32).toString('base64url'),
      syncClientSecret: crypto.randomBytes(32).toString('base64url'),
      adminPassword: crypto.randomBytes(15).toString('base64url'),
      helpdeskPassword: crypto.randomBytes(15).toString('base64url'),
    };

    // ---- 1. seed and list --------------------------------------------------------------------
    progress(`seeding ${CLIENTS.toLocaleString('en-US')} clients into ${dataDir} ...`);
    const seed = await seedClients(dataDir, CLIENTS, { onProgress: (done) => done % 50_000 === 0 && progress(`  ${done.toLocaleString('en-US')} seeded`) });
    const databaseBytes = (await fs.stat(path.join(dataDir, DATABASE_FILE))).size;
    progress(`seeded in ${seed.seconds.toFixed(1)} s; starting the server`);

    const ours = await startChildServer({ mode: 'ours', dataDir, ...secrets });
    children.push(ours);

    const adminTokenResponse = await timedJson<{ access_token?: string; error?: string }>(`${ours.url}/token`, {
      method: 'POST',
      ...tokenRequestInit({ url: ours.url, clientId: ADMIN_CLIENT_ID, clientSecret: secrets.adminClientSecret, scope: 'clients:read clients:write' }),
    });
    const adminToken = adminTokenResponse.body.access_token;
    if (adminTokenResponse.status !== 200 || !adminToken) throw new Error(`admin token request failed: HTTP ${adminTokenResponse.status} ${adminTokenResponse.body.error ?? ''}`);
    const auth = { authorization: `Bearer ${adminToken}` };

    const lists = await runListScenarios(ours.url, adminToken, seed.names, REQUESTS, progress);
    const expectedTotal = lists.expectedTotal;

    // ---- 2. token throughput -------------------------------------------------------------------
    progress('creating a custom client for the token runs');
    const created = await timedJson<CreateClientResponse>(`${ours.url}/api/v1/clients`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Benchmark Token Client', grantTypes: ['client_credentials'], scopes: ['directory:read'] }),
    });
    if (created.status !== 201 || !created.body.clientSecret) throw new Error(`creating the benchmark client answered ${created.status}`);
    const client = { clientId: created.body.client.clientId, clientSecret: created.body.clientSecret, scope: 'directory:read' };

    const bare = await startChildServer({ mode: 'bare', client });
    children.push(bare);
    const targets: Record<'ours' | 'bare', TokenRequest> = { ours: { url: ours.url, ...client }, bare: { url: bare.url, ...client } };
    const tokenShape = await compareTokens(targets);

    progress(`warming up both token endpoints (${WARMUP_SECONDS} s each)`);
    const pids = { ours: ours.pid, bare: bare.pid };
    await tokenThroughput(targets.ours, 10, WARMUP_SECONDS);
    await tokenThroughput(targets.bare, 10, WARMUP_SECONDS);
    // ABBA order, so that a drift in the machine's load does not favour one server.
    const runs: { connections: number; ours?: Throughput; bare?: Throughput }[] = [{ connections: 10 }, { connections: 50 }];
    for (const [index, run] of runs.entries()) {
      for (const which of index % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
        progress(`token throughput: ${which}, ${run.connections} connections, ${SECONDS} s`);
        run[which] = await tokenThroughput(targets[which], run.connections, SECONDS, pids[which]);
      }
    }

    // Last-use recording (issue 10) was on during the runs: the client's lastUsedAt shows it wrote.
    const afterRuns = await timedJson<Client>(`${ours.url}/api/v1/clients/${encodeURIComponent(client.clientId)}`, { headers: auth });
    const lastUsed = afterRuns.body.lastUsedAt ?? 'NOT RECORDED';

    // ---- 3. PostgreSQL (--db postgres) ---------------------------------------------------------
    let postgres: PostgresBenchResult | null = null;
    if (WITH_POSTGRES) {
      // The SQLite servers stop first: the PostgreSQL runs get the machine to themselves.
      await Promise.all(children.map((child) => child.stop()));
      children.length = 0;
      postgres = await runPostgresBench({ clients: CLIENTS, requests: REQUESTS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, secrets, progress });
    }

    // ---- report --------------------------------------------------------------------------------
    const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
    const tokenRows = runs.map((run) => {
      const oursRun = run.ours!;
      const bareRun = run.bare!;
      const ratio = oursRun.perSecond / bareRun.perSecond;
      return [
        String(run.connections),
        oursRun.perSecond.toFixed(0),
        bareRun.perSecond.toFixed(0),
        ratio.toFixed(2),
        `${oursRun.latencyP50} / ${oursRun.latencyP99}`,
        `${bareRun.latencyP50} / ${bareRun.latencyP99}`,
        `${oursRun.failed} / ${bareRun.failed}`,
        `${oursRun.cpuMsPerToken.toFixed(3)} / ${bareRun.cpuMsPerToken.toFixed(3)}`,
        (bareRun.cpuMsPerToken / oursRun.cpuMsPerToken).toFixed(2),
        `>= ${THROUGHPUT_RATIO_TARGET}`,
        verdict(ratio >= THROUGHPUT_RATIO_TARGET && oursRun.failed === 0 && bareRun.failed === 0),
      ];
    });

    const lines = [
      'ThetaSecure server benchmark (npm run bench:server)',
      ...header,
      '',
      `Store: ${seed.count.toLocaleString('en-US')} seeded clients + 5 default = ${expectedTotal.toLocaleString('en-US')} (seeded in ${seed.seconds.toFixed(1)} s through insertMany; SQLite file ${(databaseBytes / 2 ** 20).toFixed(0)} MiB)`,
      '',
      `1. List page: GET /api/v1/clients?limit=${PAGE}, admin token, one keep-alive connection, sequential;`,
      '   time from request sent to JSON body parsed, in ms. "matches" = mean `total` of the filtered set.',
      '   (a)-(c) are interleaved request by request; fragments are random 3-4 character pieces of seeded names.',
      '   (b2), (d) and (c2) are for information: on SQLite 1-2 character searches cannot use the trigram index and scan;',
      '   (d) combines a search with a grant-type filter; (c2) filters by a grant type only the default clients hold.',
      '',
      table(['scenario', 'n', 'matches', 'mean', 'p50', 'p95', 'max', 'target', 'result'], lists.rows, new Set([1, 2, 3, 4, 5, 6])),
      '',
      `2. Token throughput: POST /token, client_credentials, client_secret_basic, JWT (ES256) access token;`,
      `   autocannon in this process, ${SECONDS} s per run after a ${WARMUP_SECONDS} s warm-up per server, runs in ABBA order.`,
      '   ours = server/app.ts (client read from SQLite per request, SHA-256 secret hash, request log to /dev/null,',
      `   last use recorded and written behind, at most once a minute per client: the client's lastUsedAt after the runs is ${lastUsed});`,
      '   bare = oidc-provider alone (static in-memory client, plain secret, in-memory adapter, no log).',
      '   Each server in its own child process. Latency columns: autocannon p50 / p99 in ms.',
      '   CPU ms/token: user + system CPU time of the server process per successful token (/proc/<pid>/stat), ours / bare;',
      '   "CPU ratio" = bare ÷ ours of it: the throughput ratio a CPU-bound server reaches, barely moved by other load',
      '   on the machine (req/s is). The target applies to ours/bare req/s.',
      `   Token check: ${tokenShape}`,
      '',
      table(['connections', 'ours req/s', 'bare req/s', 'ours/bare', 'ours p50/p99', 'bare p50/p99', 'failed o/b', 'CPU ms/token o/b', 'CPU ratio', 'target', 'result'], tokenRows, new Set([0, 1, 2, 3, 8])),
      '',
      ...(postgres ? postgresLines(postgres, runs) : []),
      `Total bench time ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await cleanup();
  }
}

function postgresLines(result: PostgresBenchResult, sqliteRuns: readonly { connections: number; ours?: Throughput }[]): string[] {
  const tokenRows = result.tokens.map(({ connections, one, two }) => {
    const sqlite = sqliteRuns.find((run) => run.connections === connections)?.ours;
    return [
      String(connections),
      sqlite ? sqlite.perSecond.toFixed(0) : '-',
      one.perSecond.toFixed(0),
      two.perSecond.toFixed(0),
      (two.perSecond / one.perSecond).toFixed(2),
      `${one.latencyP50} / ${one.latencyP99}`,
      `${two.latencyP50} / ${two.latencyP99}`,
      `${one.cpuMsPerToken.toFixed(2)} / ${two.cpuMsPerToken.toFixed(2)}`,
      `${one.failed} / ${two.failed}`,
    ];
  });
  return [
    `3. PostgreSQL back end (--db postgres): PostgreSQL ${result.postgresVersion}, a throwaway cluster on this machine (fsync off),`,
    `   the same seeded clients through the PostgreSQL store's insertMany (${result.seedSeconds.toFixed(1)} s), then ANALYZE.`,
    '   List pages as in 1., against one server process on PostgreSQL; a search or filter is answered by the process\'s',
    '   in-memory search index (filled before the warm-up, checked against the change feed per request), the rows by PostgreSQL:',
    '',
    table(['scenario', 'n', 'matches', 'mean', 'p50', 'p95', 'max', 'target', 'result'], result.lists.rows, new Set([1, 2, 3, 4, 5, 6])),
    '',
    '   Token throughput as in 2. (same client shape), SQLite (ours, from 2.) beside PostgreSQL with one server process and',
    '   with two processes on the same database (same issuer; connections split evenly, two autocannon runs at once, rates added;',
    '   latency = the worse of the two; CPU = server processes only, not PostgreSQL). On one machine the two processes share its',
    '   cores with PostgreSQL and the load generator, so 2/1 well above 1 needs more cores or machines than this one.',
    '',
    table(['connections', 'SQLite req/s', 'PG 1 proc req/s', 'PG 2 procs req/s', '2/1', 'PG 1 p50/p99', 'PG 2 p50/p99', 'CPU ms/token 1/2', 'failed 1/2'], tokenRows, new Set([0, 1, 2, 3, 4, 7])),
    '',
  ];
}

/** Both servers must issue the same kind of token, or the throughput comparison means nothing. */
async function compareTokens(targets: Record<'ours' | 'bare', TokenRequest>): Promise<string> {
  const shapes: Record<string, string> = {};
  for (const [which, target] of Object.entries(targets)) {
    const response = await timedJson<{ access_token?: string; token_type?: string; expires_in?: number; scope?: string }>(`${target.url}/token`, { method: 'POST', ...tokenRequestInit(target) });
    const token = response.body.access_token;
    if (response.status !== 200 || !token) throw new Error(`${which}: token request answered ${response.status}`);
    const [head, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>);
    const audience = String(payload!.aud).replace(target.url, '<issuer>');
    shapes[which] = `${String(head!.alg)} ${String(head!.typ)} JWT, aud ${audience}, scope ${String(payload!.scope)}, ttl ${Number(payload!.exp) - Number(payload!.iat)} s, claims ${Object.keys(payload!).sort().join(',')}`;
  }
  return shapes.ours === shapes.bare ? `both servers issue ${shapes.ours}` : `TOKENS DIFFER: ours ${shapes.ours}; bare ${shapes.bare}`;
}

await main();
