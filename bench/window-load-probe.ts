// `npm run probe:window-load`: a development probe, not a benchmark of record. Seeds N clients,
// signs in to serve mode, waits for the first sync, then reloads the window and prints where
// each load's time went (User Timing marks of the snapshot, renderer/src/lib/snapshot-marks.ts)
// and the host's resident memory. For working on "first rows ≤ 1.5 s" and "host RSS ≤ 300 MB"
// without the whole of bench:sync; the committed figures come from bench:sync.
// Options: --clients N (100000), --loads N (5).
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { wrapInSessionIfNeeded } from '../scripts/keyring-session.ts';
import { procRssMb } from './baseline-full-refetch.ts';
import { CHROMIUM_ARGS, PAGE_PROBES, loadPhases, signInThroughLoginPage, startServeHost, syncState, waitFor } from './serve-page.ts';
import type { ServeHost } from './serve-page.ts';
import { seedClients } from './server-seed.ts';
import { startChildServer } from './server-load.ts';
import type { ChildServer } from './server-load.ts';

wrapInSessionIfNeeded({ script: fileURLToPath(import.meta.url), display: false, label: 'probe:window-load' });
const { values: args } = parseArgs({ options: { clients: { type: 'string', default: '100000' }, loads: { type: 'string', default: '5' } } });
const say = (text: string) => process.stderr.write(`[probe:window-load] ${text}\n`);

const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'thetasecure-load-probe-'));
const secrets = { adminClientSecret: crypto.randomBytes(32).toString('base64url'), syncClientSecret: crypto.randomBytes(32).toString('base64url'), adminPassword: crypto.randomBytes(15).toString('base64url'), helpdeskPassword: crypto.randomBytes(15).toString('base64url') };
const browser = await chromium.launch({ executablePath: process.env.THETASECURE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
let server: ChildServer | null = null;
let host: ServeHost | null = null;
try {
  say(`seeding ${Number(args.clients).toLocaleString('en-US')} clients`);
  await seedClients(path.join(work, 'server'), Number(args.clients));
  server = await startChildServer({ mode: 'ours', dataDir: path.join(work, 'server'), ...secrets });
  host = await startServeHost(server.url, path.join(work, 'app'));
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
    const p = await loadPhases(page);
    const rss = procRssMb(host.child.pid!);
    console.log([p.domContentLoaded, p.requested, p.head, p.received, p.applied, firstRows].reduce((line, v) => line + Math.round(v).toString().padStart(9), String(i + 1).padStart(4)) + `   ${rss.rss.toFixed(0)} (${rss.peak.toFixed(0)})`);
  }
} finally {
  await host?.stop();
  await server?.stop();
  await browser.close();
  await fsp.rm(work, { recursive: true, force: true });
}
