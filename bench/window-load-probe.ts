// `npm run probe:window-load`: a development probe, not a benchmark of record. Seeds N clients,
// signs in to serve mode, waits for the first sync, then reloads the window and prints where
// each load's time went (User Timing marks of the snapshot, renderer/src/lib/snapshot-marks.ts)
// and the host's resident memory. For working on "first rows ≤ 1.5 s" and "host RSS ≤ 300 MB"
// without the whole of bench:sync; the committed figures come from bench:sync.
// Options: --clients N (100000), --loads N (5), --heap-report (the host's V8 heap after each load,
// from a Node.js diagnostic report: run the host with --report-on-signal).
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { wrapInSessionIfNeeded } from '../scripts/keyring-session.ts';
import { procRssMb } from './baseline-full-refetch.ts';
import { CHROMIUM_ARGS, PAGE_PROBES, loadPhases, signInThroughLoginPage, startServeHost, syncState, waitFor, waitForWholeList } from './serve-page.ts';
import type { ServeHost } from './serve-page.ts';
import { seedClients } from './server-seed.ts';
import { startChildServer } from './server-load.ts';
import type { ChildServer } from './server-load.ts';

wrapInSessionIfNeeded({ script: fileURLToPath(import.meta.url), display: false, label: 'probe:window-load' });
const { values: args } = parseArgs({ options: { clients: { type: 'string', default: '100000' }, loads: { type: 'string', default: '5' }, 'heap-report': { type: 'boolean', default: false } } });
const say = (text: string) => process.stderr.write(`[probe:window-load] ${text}\n`);

/** The host's V8 heap, used / committed / external, from the report it writes on SIGUSR2. */
async function heapReport(serveHost: ServeHost, dir: string): Promise<string> {
  const before = new Set(await fsp.readdir(dir).catch(() => []));
  serveHost.child.kill('SIGUSR2');
  const file = await waitFor('the heap report', async () => (await fsp.readdir(dir).catch(() => [])).find((name) => !before.has(name) && name.endsWith('.json')), 10_000, 100);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const heap = (JSON.parse(await fsp.readFile(path.join(dir, file), 'utf8')) as { javascriptHeap: { usedMemory: number; totalMemory: number; externalMemory: number } }).javascriptHeap;
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  return `   heap ${mb(heap.usedMemory)} / ${mb(heap.totalMemory)} MB, external ${mb(heap.externalMemory)} MB`;
}

const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'thetasecure-load-probe-'));
const secrets = { adminClientSecret: crypto.randomBytes(32).toString('base64url'), syncClientSecret: crypto.randomBytes(32).toString('base64url'), adminPassword: crypto.randomBytes(15).toString('base64url'), helpdeskPassword: crypto.randomBytes(15).toString('base64url') };
const browser = await chromium.launch({ executablePath: process.env.THETASECURE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
let server: ChildServer | null = null;
let host: ServeHost | null = null;
try {
  say(`seeding ${Number(args.clients).toLocaleString('en-US')} clients`);
  await seedClients(path.join(work, 'server'), Number(args.clients));
  server = await startChildServer({ mode: 'ours', dataDir: path.join(work, 'server'), ...secrets });
  const reports = path.join(work, 'reports');
  await fsp.mkdir(reports);
  host = await startServeHost(server.url, path.join(work, 'app'), args['heap-report'] ? ['--report-on-signal', `--report-directory=${reports}`] : []);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(PAGE_PROBES);
  const page = await context.newPage();
  await page.goto(host.url);
  await signInThroughLoginPage(page, secrets.adminPassword);
  const started = Date.now();
  await waitFor('the first sync', async () => (await syncState(page))?.phase === 'live', 600_000, 500);
  say(`first sync ${Date.now() - started} ms; host RSS ${procRssMb(host.child.pid!).rss.toFixed(0)} MB`);
  console.log('load  scripts    asked     head  answered  applied  first-rows   host RSS (peak) MB');
  for (let i = 0; i < Number(args.loads); i += 1) {
    await page.reload();
    const firstRows = await waitFor('first rows', () => page.evaluate(() => (window as unknown as { __bench: { firstRowsAt: number | null } }).__bench.firstRowsAt), 60_000, 20);
    await waitForWholeList(page);
    const p = await loadPhases(page);
    const rss = procRssMb(host.child.pid!);
    const heap = args['heap-report'] ? await heapReport(host, reports) : '';
    console.log([p.domContentLoaded, p.requested, p.head, p.received, p.applied, firstRows].reduce((line, v) => line + Math.round(v).toString().padStart(9), String(i + 1).padStart(4)) + `   ${rss.rss.toFixed(0)} (${rss.peak.toFixed(0)})${heap}`);
  }
} finally {
  await host?.stop();
  await server?.stop();
  await browser.close();
  await fsp.rm(work, { recursive: true, force: true });
}
