// `npm run bench:sync`: the live, incremental sync at 100,000 clients (issue 8, "Benchmark"),
// beside today's design before it (bench/baseline-full-refetch.ts: the paged full refetch, the
// whole list held as objects and rewritten to the offline cache file), in one run.
//
// 1. Seeds 100,000 clients into a fresh server data folder and starts the real server in its own
//    process (bench/server-child.ts).
// 2. Baseline, in a child process of its own: a paged full refetch (time, bytes, that process's
//    resident memory) and one write of the whole-list offline cache (bytes to storage).
// 3. The replica (electron/services/sync, in this process, its key in a throwaway gnome-keyring):
//    the full snapshot through the change feed; then the catch-up after 100 changes made
//    through the API while it was not following; then the bytes written to disk for one change.
// 4. Serve mode, as a user runs it (electron/serve/serve-main.ts in its own process) with
//    headless Chromium: sign in through the real login page, the first sync; window load → first
//    rows from the replica (reloads, and a cold host start); another admin's change → on screen
//    (≥ 50 renames through the API, seen by a MutationObserver in the page); the host's resident
//    memory; the renderer's JS heap.
//
// Search, sort and scrolling at 100,000 rows are measured by `npm run bench:renderer`.
// Options: --clients N (100000), --changes N (100), --live N (60), --loads N (5).
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ADMIN_CLIENT_ID } from '../server/provisioning.ts';
import type { Client } from '../shared/client.ts';
import { ok } from '../shared/contract.ts';
import type { SyncState } from '../shared/contract.ts';
import { createApiClient } from '../electron/services/api.ts';
import { systemClock } from '../electron/services/effects.ts';
import { createKeytarKeychain, probeKeychain } from '../electron/services/keychain.ts';
import { createReplicaService } from '../electron/services/sync/replica.ts';
import { wrapInSessionIfNeeded } from '../scripts/keyring-session.ts';
import type { BaselineResult } from './baseline-full-refetch.ts';
import { procRssMb, procWriteBytes } from './baseline-full-refetch.ts';
import { machineLines } from './machine.ts';
import { CHROMIUM_ARGS, PAGE_PROBES, loadPhases, median, signInThroughLoginPage, startServeHost, syncState, waitFor, waitForWholeList } from './serve-page.ts';
import type { LoadPhases, ServeHost } from './serve-page.ts';
import { seedClients } from './server-seed.ts';
import { ms, startChildServer, summarize, table, timedJson, tokenRequestInit } from './server-load.ts';
import type { ChildServer } from './server-load.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
wrapInSessionIfNeeded({ script: fileURLToPath(import.meta.url), display: false, label: 'bench:sync' });

const TARGETS = { firstRowsMs: 1_500, changeOnScreenMs: 2_000, hostRssMb: 300 };

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    changes: { type: 'string', default: '100' },
    live: { type: 'string', default: '60' },
    loads: { type: 'string', default: '5' },
  },
});
const CLIENTS = Number(args.clients);
const CHANGES = Number(args.changes);
const LIVE = Number(args.live);
const LOADS = Number(args.loads);
const progress = (text: string) => process.stderr.write(`[bench:sync] ${text}\n`);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

/** Bytes of the response bodies this process fetched while `counting` (Content-Length; the server sends it on every JSON answer). */
let counted = 0;
let counting = false;
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const response = await realFetch(input, init);
  if (counting) counted += Number(response.headers.get('content-length') ?? 0);
  return response;
};
async function measureBytes<T>(work: () => Promise<T>): Promise<{ value: T; bytes: number }> {
  counted = 0;
  counting = true;
  try {
    return { value: await work(), bytes: counted };
  } finally {
    counting = false;
  }
}

function runBaseline(issuer: string, token: string, cacheDir: string): Promise<BaselineResult> {
  const child = fork(path.join(here, 'baseline-full-refetch.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: BaselineResult | { error: string }) => ('error' in message ? reject(new Error(message.error)) : resolve(message)));
    child.once('exit', (code) => code !== 0 && reject(new Error(`the baseline exited with ${code}`)));
    child.send({ issuer, token, cacheDir });
  });
}

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
  const header = machineLines(`Node ${process.version}, better-sqlite3 ${version('better-sqlite3')}, playwright-core ${version('playwright-core')}, Chromium at ${process.env.THETASECURE_CHROMIUM ?? '/usr/bin/chromium'}`, ['server', 'electron', 'renderer', 'shared', 'bench']);
  const keychain = createKeytarKeychain();
  const keychainStatus = await probeKeychain(keychain);
  if (!keychainStatus.available) throw new Error(`bench:sync needs a Secret Service for the replica's key (${keychainStatus.reason ?? ''}); install gnome-keyring and dbus`);
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'thetasecure-sync-bench-'));
  const dataDir = path.join(work, 'server');
  let server: ChildServer | null = null;
  let host: ServeHost | null = null;
  const browser = await chromium.launch({ executablePath: process.env.THETASECURE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    if (!fs.existsSync(path.join(root, 'dist/renderer/index.html'))) throw new Error('dist/renderer is missing: run `npm run build:renderer` first');
    const secrets = {
      adminClientSecret: crypto.randomBytes(32).toString('base64url'),
      syncClientSecret: crypto.randomBytes(32).toString('base64url'),
      adminPassword: crypto.randomBytes(15).toString('base64url'),
      helpdeskPassword: crypto.randomBytes(15).toString('base64url'),
    };
    progress(`seeding ${CLIENTS.toLocaleString('en-US')} clients`);
    await seedClients(dataDir, CLIENTS);
    server = await startChildServer({ mode: 'ours', dataDir, ...secrets });
    const issuer = server.url;
    const tokenResponse = await timedJson<{ access_token: string }>(`${issuer}/token`, { method: 'POST', ...tokenRequestInit({ url: issuer, clientId: ADMIN_CLIENT_ID, clientSecret: secrets.adminClientSecret, scope: 'clients:read clients:write' }) });
    const token = tokenResponse.body.access_token;
    const apiCall = async (method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await realFetch(`${issuer}/api/v1${pathname}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}`);
      return response.status === 204 ? null : ((await response.json()) as Client);
    };

    // ---- 2. baseline ---------------------------------------------------------------------
    progress('baseline: paged full refetch (limit 500) and one whole-list cache write, in a child process');
    const baselineRuns: BaselineResult[] = [];
    for (let i = 0; i < 3; i += 1) baselineRuns.push(await runBaseline(issuer, token, path.join(work, `baseline-${i}`)));
    const baseline = baselineRuns.sort((a, b) => a.ms - b.ms)[1]!;

    // ---- 3. the replica ------------------------------------------------------------------
    progress('replica: snapshot through the change feed');
    const states: SyncState[] = [];
    const replicaApi = createApiClient({ issuer: () => issuer, auth: { accessToken: async () => ok(token), refreshAfterUnauthorized: async () => false } });
    const replica = createReplicaService({
      api: replicaApi,
      keychain,
      clock: systemClock,
      log: (entry) => entry.level === 'warn' && progress(`replica: ${JSON.stringify(entry)}`),
      emit: (event, payload) => event === 'sync:changed' && states.push(payload as SyncState),
      dir: path.join(work, 'replicas'),
      ttlDays: () => 7,
    });
    const until = (test: (state: SyncState) => boolean) => waitFor('the replica', async () => test(replica.state()), 600_000, 5);
    await replica.switchTo({ issuer, subject: 'bench' });
    const snapshot = await measureBytes(async () => {
      const started = performance.now();
      replica.follow(true);
      await until((s) => s.phase === 'live' && s.syncedAt !== null);
      return performance.now() - started;
    });
    const rssAfterSnapshot = procRssMb().rss;

    progress(`replica: ${CHANGES} changes through the API while not following, then the catch-up`);
    replica.follow(false);
    const all = (await apiCall('GET', '/clients?limit=500&sort=name')) as unknown as { items: Client[] };
    const targets = all.items.filter((c) => c.kind !== 'default').slice(0, CHANGES);
    let lastSeq = 0;
    for (const [i, client] of targets.entries()) {
      const updated = (await apiCall('PATCH', `/clients/${client.clientId}`, { description: `Changed while away ${i}` }, { 'if-match': `"${client.version}"` })) as Client;
      lastSeq = Math.max(lastSeq, updated.changeSeq);
    }
    const catchUp = await measureBytes(async () => {
      const started = performance.now();
      replica.follow(true);
      await until((s) => s.seq >= lastSeq && s.phase === 'live');
      return performance.now() - started;
    });

    progress('replica: bytes written to disk for one change');
    const one = targets[0]!;
    const current = replica.get(one.clientId)!;
    const walFile = path.join(work, 'replicas', fs.readdirSync(path.join(work, 'replicas')).find((f) => f.endsWith('.sqlite'))!);
    const writesBefore = procWriteBytes();
    const walBefore = fs.statSync(`${walFile}-wal`).size;
    const changed = (await apiCall('PATCH', `/clients/${one.clientId}`, { description: 'One change' }, { 'if-match': `"${current.version}"` })) as Client;
    await waitFor('the change in the replica', async () => replica.get(one.clientId)?.version === changed.version, 10_000, 2);
    const oneChangeWriteBytes = procWriteBytes() - writesBefore;
    const oneChangeWalBytes = fs.statSync(`${walFile}-wal`).size - walBefore;
    const clientJsonBytes = Buffer.byteLength(JSON.stringify(changed));
    replica.dispose();

    // ---- 4. serve mode and the window ---------------------------------------------------
    progress('serve mode: sign in, first sync');
    const userDataDir = path.join(work, 'app');
    host = await startServeHost(issuer, userDataDir);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript(PAGE_PROBES);
    const page = await context.newPage();
    await page.goto(host.url);
    await signInThroughLoginPage(page, secrets.adminPassword);
    const firstSyncStarted = Date.now();
    await waitFor('the first sync in serve mode', async () => (await syncState(page))?.phase === 'live', 600_000, 500);
    const firstSyncMs = Date.now() - firstSyncStarted;
    await page.locator('tr[data-row-id]').first().waitFor({ timeout: 120_000 });

    progress(`window load → first rows, ${LOADS} reloads`);
    const reloads: number[] = [];
    const phases: LoadPhases[] = [];
    for (let i = 0; i < LOADS; i += 1) {
      await page.reload();
      reloads.push(await waitFor('first rows', () => page.evaluate(() => (window as unknown as { __bench: { firstRowsAt: number | null } }).__bench.firstRowsAt), 60_000, 20));
      await waitForWholeList(page);
      phases.push(await loadPhases(page));
    }
    const hostRss = procRssMb(host.child.pid!);

    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };

    progress(`another admin's change → on screen, ${LIVE} renames through the API`);
    // The newest custom client: the table's default order (newest first) shows it right under the default clients, and a rename keeps it there.
    let live = ((await apiCall('GET', '/clients?limit=1&sort=-createdAt&kind=custom')) as unknown as { items: Client[] }).items[0]!;
    const latencies: number[] = [];
    for (let i = 0; i < LIVE; i += 1) {
      const name = `AAA Live ${String(i).padStart(3, '0')}`;
      const sent = Date.now();
      live = (await apiCall('PATCH', `/clients/${live.clientId}`, { name }, { 'if-match': `"${live.version}"` })) as Client;
      const seenAt = await waitFor(`"${name}" on screen`, () => page.evaluate((key) => (window as unknown as { __bench: { seen: Record<string, number> } }).__bench.seen[key], String(i).padStart(3, '0')), 30_000, 5);
      latencies.push(seenAt - sent);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const hostRssAfterChanges = procRssMb(host.child.pid!);

    progress('cold start: the host restarted, its replica read from disk');
    await host.stop();
    host = await startServeHost(issuer, userDataDir);
    const coldPage = await context.newPage();
    await coldPage.goto(host.url);
    const coldFirstRows = await waitFor('first rows after a cold start', () => coldPage.evaluate(() => (window as unknown as { __bench: { firstRowsAt: number | null } }).__bench.firstRowsAt), 120_000, 20);
    const coldFromSpawn = Date.now() - host.startedAt;
    const coldRss = procRssMb(host.child.pid!);

    // ---- report ----------------------------------------------------------------------------
    const liveSummary = summarize(latencies);
    const loadSummary = summarize(reloads);
    const snapshotStates = states.filter((s) => s.phase === 'snapshot');
    const rows: string[][] = [
      ['full snapshot (replica, change feed pages of 5,000)', seconds(snapshot.value), seconds(baseline.ms), '-', `${mb(snapshot.bytes)} vs ${mb(baseline.bytes)}`],
      [`catch-up after ${CHANGES} changes`, seconds(catchUp.value), seconds(baseline.ms), '-', `${kb(catchUp.bytes)} vs ${mb(baseline.bytes)}`],
      ['window load → first rows (host running), p50 / max', `${ms(loadSummary.p50)} / ${ms(loadSummary.max)} ms`, `≥ ${seconds(baseline.ms)} (refetch before any row)`, `≤ ${TARGETS.firstRowsMs} ms`, ''],
      ['window load → first rows (host cold start, replica from disk)', `${ms(coldFirstRows)} ms (${ms(coldFromSpawn)} ms from host spawn)`, `≥ ${seconds(baseline.ms)}`, `≤ ${TARGETS.firstRowsMs} ms`, ''],
      [`another admin's change → on screen (n=${liveSummary.n}), p50 / p95`, `${ms(liveSummary.p50)} / ${ms(liveSummary.p95)} ms`, `up to 60 s poll + ${seconds(baseline.ms)}`, `≤ ${TARGETS.changeOnScreenMs} ms`, ''],
      ['host resident memory (serve mode, after load / after changes / cold)', `${hostRss.rss.toFixed(0)} / ${hostRssAfterChanges.rss.toFixed(0)} / ${coldRss.rss.toFixed(0)} MB (peak ${Math.max(hostRss.peak, hostRssAfterChanges.peak).toFixed(0)} MB)`, `${baseline.rssMb.toFixed(0)} MB (list as objects)`, `≤ ${TARGETS.hostRssMb} MB`, ''],
      ['replica process RSS after snapshot (bench process)', `${rssAfterSnapshot.toFixed(0)} MB`, '', '', ''],
      ['renderer JS heap after load (used / total)', `${mb(heap.usedSize)} / ${mb(heap.totalSize)}`, '', '', ''],
      ['bytes written to disk for one change (to storage / WAL growth)', `${kb(oneChangeWriteBytes)} / ${kb(oneChangeWalBytes)} (client JSON ${kb(clientJsonBytes)})`, `${mb(baseline.writeBytes)} (file ${mb(baseline.cacheFileBytes)})`, 'of the client\'s size', ''],
      ['first sync in serve mode (sign-in → live)', seconds(firstSyncMs), '', '', ''],
    ];
    const report = [
      '# bench:sync — live incremental sync at 100,000 clients (issue 8)',
      '',
      ...header,
      `clients:  ${CLIENTS.toLocaleString('en-US')} seeded (+5 default); baseline = paged full refetch (limit 500, ${baseline.pages} pages, median of 3 runs)`,
      '',
      table(['figure', 'replica (this design)', "baseline (today's design)", 'target', 'bytes transferred'], rows),
      '',
      `snapshot progress events: ${snapshotStates.length} ("Syncing N of M"), last ${snapshotStates.at(-1)?.received ?? 0} of ${snapshotStates.at(-1)?.expected ?? 0}`,
      `change → on screen samples (ms): ${latencies.map((v) => v.toFixed(0)).join(' ')}`,
      `window reload → first rows samples (ms): ${reloads.map((v) => v.toFixed(0)).join(' ')}`,
      `window reload, medians in ms from navigation: page scripts done ${median(phases.map((p) => p.domContentLoaded)).toFixed(0)}, snapshot asked ${median(phases.map((p) => p.requested)).toFixed(0)}, first screen in ${median(phases.map((p) => p.head)).toFixed(0)}, whole list answered and parsed ${median(phases.map((p) => p.received)).toFixed(0)}, applied (searchable) ${median(phases.map((p) => p.applied)).toFixed(0)}, first rows ${median(reloads).toFixed(0)}`,
      `verdict: first rows ${loadSummary.p50 <= TARGETS.firstRowsMs && coldFirstRows <= TARGETS.firstRowsMs ? 'met' : 'NOT met'}; change on screen p95 ${liveSummary.p95 <= TARGETS.changeOnScreenMs ? 'met' : 'NOT met'}; host RSS ${Math.max(hostRss.rss, hostRssAfterChanges.rss, coldRss.rss) <= TARGETS.hostRssMb ? 'met' : 'NOT met'}`,
    ].join('\n');
    console.log(report);
    const resultsDir = path.join(here, 'results');
    await fsp.mkdir(resultsDir, { recursive: true });
    await fsp.writeFile(path.join(resultsDir, 'sync.txt'), `${report}\n`);
    await fsp.writeFile(
      path.join(resultsDir, 'sync.json'),
      `${JSON.stringify({ header, clients: CLIENTS, baseline: baselineRuns, snapshot, catchUp, oneChange: { writeBytes: oneChangeWriteBytes, walBytes: oneChangeWalBytes, clientJsonBytes }, firstSyncMs, reloads, phases, cold: { firstRows: coldFirstRows, fromSpawn: coldFromSpawn, rss: coldRss }, hostRss, hostRssAfterChanges, heap, latencies }, null, 2)}\n`,
    );
  } finally {
    await browser.close().catch(() => undefined);
    await host?.stop();
    await server?.stop();
    await fsp.rm(work, { recursive: true, force: true });
  }
}

await main();
