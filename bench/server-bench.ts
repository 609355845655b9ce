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
// Options (for quick development runs): --clients N (100000), --requests N (300 per list
// scenario), --seconds N (8 per throughput run), --warmup N (3).
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { Client, ClientPage, CreateClientResponse } from '../shared/client.ts';
import { DATABASE_FILE } from '../server/database.ts';
import { ADMIN_CLIENT_ID } from '../server/provisioning.ts';
import { machineLines } from './machine.ts';
import { seedClients, seededRandom } from './server-seed.ts';
import { closeLatencyAgent, ms, startChildServer, summarize, table, timedJson, tokenRequestInit, tokenThroughput } from './server-load.ts';
import type { ChildServer, Summary, Throughput, TokenRequest } from './server-load.ts';

const LIST_P95_TARGET_MS = 20;
const THROUGHPUT_RATIO_TARGET = 0.8;
const PAGE = 50;

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '3' },
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

interface ListScenario {
  label: string;
  samples: number[];
  totals: number[];
}

function scenario(label: string): ListScenario {
  return { label, samples: [], totals: [] };
}

/** A 3–4 character piece of a seeded name, without spaces at its ends, half of the time lower-cased (search ignores case). */
function fragment(random: () => number, names: readonly string[], length: number): string {
  for (;;) {
    const name = names[Math.floor(random() * names.length)]!;
    if (name.length < length) continue;
    const start = Math.floor(random() * (name.length - length + 1));
    const piece = name.slice(start, start + length);
    if (piece.trim() !== piece) continue;
    return random() < 0.5 ? piece.toLowerCase() : piece;
  }
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

    const list = async (query: Record<string, string>, into?: ListScenario): Promise<ClientPage> => {
      const response = await timedJson<ClientPage>(`${ours.url}/api/v1/clients?${new URLSearchParams({ limit: String(PAGE), ...query })}`, { headers: auth });
      if (response.status !== 200) throw new Error(`GET /api/v1/clients?${new URLSearchParams(query)} answered ${response.status}`);
      if (into) {
        into.samples.push(response.ms);
        into.totals.push(response.body.total);
      }
      return response.body;
    };

    const random = seededRandom(7);
    const grantTypes = ['client_credentials', 'authorization_code'];
    const noFilter = scenario('(a) no filter');
    const search = scenario('(b) q = 3-4 character fragment of a name');
    const byGrant = scenario('(c) grantType (client_credentials | authorization_code)');
    const shortSearch = scenario('(b2) q = 1-2 characters (below trigram size)');
    const combined = scenario('(d) q = 3 chars + grantType');
    const deepNoFilter = scenario('(a) pages 2-101 by cursor, no filter');
    const deepByGrant = scenario('(c) pages 2-51 by cursor, grantType');
    const deepSearch = scenario('(b) pages 2-5 by cursor, q = 3 chars');

    progress('warming up the list endpoint');
    for (let i = 0; i < 20; i += 1) {
      await list({});
      await list({ q: fragment(random, seed.names, 3 + (i % 2)) });
      await list({ grantType: grantTypes[i % 2]! });
    }

    // The three main scenarios interleaved, so that noise from the machine falls on all of them alike.
    progress(`timing ${REQUESTS} list requests per scenario`);
    const first = await list({}, noFilter);
    const expectedTotal = first.total;
    if (first.items.length !== PAGE) throw new Error(`the first page has ${first.items.length} items, not ${PAGE}`);
    for (let i = 1; i < REQUESTS; i += 1) {
      const page = await list({}, noFilter);
      if (page.items.length !== PAGE || page.total !== expectedTotal) throw new Error('the unfiltered page changed during the run');
    }
    for (let i = 0; i < REQUESTS; i += 1) {
      await list({ q: fragment(random, seed.names, 3 + (i % 2)) }, search);
      const page = await list({ grantType: grantTypes[i % 2]! }, byGrant);
      if (page.items.length !== PAGE) throw new Error(`a grantType page has ${page.items.length} items`);
      if (i % 3 === 0) await list({ q: fragment(random, seed.names, 1 + (i % 2)) }, shortSearch);
      if (i % 3 === 1) await list({ q: fragment(random, seed.names, 3), grantType: grantTypes[i % 2]! }, combined);
    }

    progress('walking deeper pages by cursor');
    let cursor = first.nextCursor;
    for (let depth = 2; depth <= 101 && cursor; depth += 1) cursor = (await list({ cursor }, deepNoFilter)).nextCursor;
    cursor = (await list({ grantType: 'client_credentials' })).nextCursor;
    for (let depth = 2; depth <= 51 && cursor; depth += 1) cursor = (await list({ grantType: 'client_credentials', cursor }, deepByGrant)).nextCursor;
    for (let walks = 0; walks < 25; walks += 1) {
      const q = fragment(random, seed.names, 3);
      cursor = (await list({ q })).nextCursor;
      for (let depth = 2; depth <= 5 && cursor; depth += 1) cursor = (await list({ q, cursor }, deepSearch)).nextCursor;
    }

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

    // ---- report --------------------------------------------------------------------------------
    const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
    const listRow = (s: ListScenario, summary: Summary, targeted: boolean) => [
      s.label,
      String(summary.n),
      String(Math.round(s.totals.reduce((a, b) => a + b, 0) / (s.totals.length || 1))),
      ms(summary.mean),
      ms(summary.p50),
      ms(summary.p95),
      ms(summary.max),
      targeted ? `p95 <= ${LIST_P95_TARGET_MS} ms` : 'none (info)',
      targeted ? verdict(summary.p95 <= LIST_P95_TARGET_MS) : summary.p95 <= LIST_P95_TARGET_MS ? '(under)' : '(over)',
    ];
    const listRows = [
      ...[noFilter, search, byGrant, deepNoFilter, deepByGrant, deepSearch].map((s) => listRow(s, summarize(s.samples), true)),
      ...[shortSearch, combined].map((s) => listRow(s, summarize(s.samples), false)),
    ];

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
      '   (b2) and (d) are for information: 1-2 character searches cannot use the trigram index and scan;',
      '   (d) combines a search with a grant-type filter.',
      '',
      table(['scenario', 'n', 'matches', 'mean', 'p50', 'p95', 'max', 'target', 'result'], listRows, new Set([1, 2, 3, 4, 5, 6])),
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
      `Total bench time ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await cleanup();
  }
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
