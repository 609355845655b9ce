// Serve mode driven by Playwright for the benchmarks: the host as its own process, the page's
// probes (first rows, watched names), sign-in through the server's login page, the sync state
// and where a window load's time goes.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { SyncState } from '../shared/contract.ts';
import { SNAPSHOT_MARKS } from '../renderer/src/lib/snapshot-marks.ts';
import { SERVE_HOST_NODE_FLAGS, SERVE_OUTFILE } from '../scripts/build-electron.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface ServeHost {
  child: ChildProcess;
  url: string;
  startedAt: number;
  stop(): Promise<void>;
}

/** `npm run serve` as its own process: the bundled host (dist/electron/serve-main.js) under plain Node, with the same flags. */
export function startServeHost(issuer: string, userDataDir: string, nodeFlags: string[] = []): Promise<ServeHost> {
  if (!fs.existsSync(SERVE_OUTFILE)) throw new Error(`${path.relative(root, SERVE_OUTFILE)} is missing: run \`npm run build\` first`);
  const startedAt = Date.now();
  const child = spawn(process.execPath, [...SERVE_HOST_NODE_FLAGS, ...nodeFlags, SERVE_OUTFILE], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, THETASECURE_ISSUER: issuer, THETASECURE_USER_DATA_DIR: userDataDir, DISPLAY: '', WAYLAND_DISPLAY: '' },
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /ThetaSecure Admin: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(text);
      if (match) resolve({ child, url: match[1]!, startedAt, stop });
    });
    child.once('exit', (code) => reject(new Error(`serve mode exited (${code}) before it printed its address`)));
  });
}

/** In the page from its first script on: when the first client row appears, and when each watched name does. */
export const PAGE_PROBES = `
  window.__bench = { firstRowsAt: null, seen: {} };
  const look = () => {
    if (window.__bench.firstRowsAt === null && document.querySelector('tr[data-row-id]')) window.__bench.firstRowsAt = performance.now();
  };
  new MutationObserver((records) => {
    look();
    for (const record of records) for (const node of record.addedNodes.length ? record.addedNodes : [record.target]) {
      const text = node.textContent || '';
      for (const match of text.matchAll(/AAA Live (\\d+)/g)) window.__bench.seen[match[1]] ??= Date.now();
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

export async function signInThroughLoginPage(page: Page, password: string): Promise<void> {
  const popup = page.context().waitForEvent('page');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const login = await popup;
  await login.getByLabel('Username').fill('admin');
  await login.getByLabel('Password').fill(password);
  await login.getByRole('button', { name: 'Sign in' }).click();
  // The server may ask to confirm the return to the app (RFC 8252 §8.6) before it redirects.
  const proceed = login.getByRole('button', { name: /^Continue/ });
  await Promise.race([login.getByText(/Signed in/).waitFor({ timeout: 60_000 }), proceed.waitFor({ timeout: 60_000 }).then(() => proceed.click())]);
  await login.getByText(/Signed in/).waitFor({ timeout: 60_000 });
  await login.close();
}

export async function syncState(page: Page): Promise<SyncState | null> {
  return page.evaluate(async () => {
    const bridge = (window as unknown as { thetasecure: { methods: Record<string, (input: object) => Promise<{ ok: boolean; value?: unknown }>> } }).thetasecure;
    const result = await bridge.methods['clients:refresh']!({});
    return result.ok ? (result.value as SyncState) : null;
  });
}

/** Where a window load's time went: page scripts run, snapshot asked, first screen in, whole list answered (parsed), applied — ms from navigation. */
export interface LoadPhases { domContentLoaded: number; requested: number; head: number; received: number; applied: number }
export async function loadPhases(page: Page): Promise<LoadPhases> {
  // No named function inside: tsx's transform would wrap it in a helper the page does not have.
  return page.evaluate(
    (marks) => ({
      domContentLoaded: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? Number.NaN,
      requested: performance.getEntriesByName(marks.requested).at(-1)?.startTime ?? Number.NaN,
      head: performance.getEntriesByName(marks.head).at(-1)?.startTime ?? Number.NaN,
      received: performance.getEntriesByName(marks.received).at(-1)?.startTime ?? Number.NaN,
      applied: performance.getEntriesByName(marks.applied).at(-1)?.startTime ?? Number.NaN,
    }),
    SNAPSHOT_MARKS,
  );
}
/** Waits until the window holds the whole list (the snapshot applied), not only its first screen. */
export async function waitForWholeList(page: Page, timeoutMs = 120_000): Promise<void> {
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, SNAPSHOT_MARKS.applied, { timeout: timeoutMs, polling: 20 });
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 50): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

