// `npm run bench:renderer` — not a test. With 10,000 clients loaded, how long does a keystroke
// in "Search clients" take to reach the DOM, in headless Chromium? The real renderer build is
// measured beside a naive filter (bench/naive-search-table.tsx) with the same clients and the
// same keystrokes, in the same run. Target (issue 4): p95 ≤ 16 ms, one frame.
//
// This is a benchmark harness: the renderer is the production build (vite), but its
// `window.thetasecure` is an in-page stand-in that serves the 10,000 generated clients, so the
// figures measure the renderer alone, not the network or the server.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build as esbuild } from 'esbuild';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import type { Client } from '../shared/client.ts';
import { generateClients } from './renderer-search-data.ts';

const CLIENT_COUNT = 10_000;
const TARGET_P95_MS = 16;
const WARMUP_KEYSTROKES = 12;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
// Realistic searches: names, a region, a number, a client ID prefix. Each is typed and then erased.
const QUERIES = ['billing worker', 'gateway api 12', 'tsc_a', 'reporting', 'audit portal oslo', 'ledger 99', 'search', 'identity job', 'checkout 7', 'mailer exporter'];

const repoRoot = path.resolve(import.meta.dirname, '..');

interface Sample {
  /** From the input event's timestamp to the first DOM mutation it caused; null when it changed nothing. */
  dom: number | null;
  /** `sync` plus style and layout of the result (read back synchronously). */
  layout: number;
  /** From the input event to the end of the synchronous work it started (every keystroke). */
  sync: number;
}

// ---- the pages --------------------------------------------------------------------------------

async function buildPages(outDir: string): Promise<{ rendererDir: string; naiveDir: string }> {
  const rendererDir = path.join(outDir, 'renderer');
  await viteBuild({ configFile: path.join(repoRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn', build: { outDir: rendererDir, emptyOutDir: true } });

  const naiveDir = path.join(outDir, 'naive');
  await esbuild({
    entryPoints: [path.join(repoRoot, 'bench', 'naive-search-table.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    outfile: path.join(naiveDir, 'naive.js'),
    logLevel: 'warning',
  });
  const css = (await fsp.readdir(path.join(rendererDir, 'assets'))).find((file) => file.endsWith('.css'));
  await fsp.writeFile(
    path.join(naiveDir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>naive</title>${css ? `<link rel="stylesheet" href="/renderer/assets/${css}">` : ''}</head><body><div id="root"></div><script type="module" src="/naive/naive.js"></script></body></html>`,
  );
  return { rendererDir, naiveDir };
}

function serve(rootDir: string): Promise<http.Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = path.join(rootDir, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (!file.startsWith(rootDir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The stand-in `window.thetasecure`: a signed-in admin, online, and the generated clients. */
function installBenchBridge(clients: Client[]): void {
  const w = window as unknown as { benchClients: Client[]; thetasecure: unknown };
  w.benchClients = clients;
  const ok = (value: unknown) => Promise.resolve({ ok: true, value });
  const now = new Date().toISOString();
  const answers: Record<string, () => Promise<unknown>> = {
    'session:get': () => ok({ status: 'signed-in', issuer: 'https://bench.invalid', user: { subject: 'bench', name: 'Bench', roles: ['admin'] }, canWrite: true, remembered: false, keychainAvailable: true }),
    'connectivity:get': () => ok({ online: true, since: now }),
    'clients:list': () => ok({ items: clients, total: clients.length, source: 'live', fetchedAt: now, cachePersisted: false }),
    'settings:get': () => ok({ issuerUrl: 'https://bench.invalid', clipboardClearSeconds: 30, cacheTtlDays: 7 }),
    'scopes:list': () => ok({ items: [] }),
  };
  const methods = new Proxy({}, { get: (_target, name: string) => () => (answers[name] ?? (() => Promise.resolve({ ok: false, error: { code: 'internal', message: `${name} is not part of the benchmark` } })))() });
  const events = new Proxy({}, { get: () => () => () => {} });
  w.thetasecure = { methods, events };
}

/**
 * Times each input event on the search box, from the event's own timestamp:
 * - `sync`: until the keystroke's synchronous work is done. React renders a discrete input
 *   update in a microtask right after its own listener on the root, and a trusted event runs
 *   microtasks after each listener, so a bubble-phase listener on window runs once the DOM is up
 *   to date (or React decided nothing changes). Every keystroke has one.
 * - `layout`: the same, plus style and layout of the result (a layout property read back).
 * - `dom`: to the first DOM mutation (MutationObserver), for keystrokes that changed the DOM.
 */
function installProbe(): void {
  type Pending = { start: number; dom: number | null };
  const w = window as unknown as { benchSamples: { dom: number | null; layout: number; sync: number }[]; benchPending: Pending | null };
  w.benchSamples = [];
  w.benchPending = null;
  const observer = new MutationObserver(() => {
    const pending = w.benchPending;
    if (pending && pending.dom === null) pending.dom = performance.now() - pending.start;
  });
  const start = () => observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['style', 'class'] });
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
  const isSearch = (event: Event) => (event.target as HTMLElement | null)?.getAttribute('aria-label') === 'Search clients';
  // Capture phase on window: before React's listener on the root sees the event.
  window.addEventListener(
    'input',
    (event) => {
      if (isSearch(event)) w.benchPending = { start: event.timeStamp, dom: null };
    },
    true,
  );
  // Bubble phase on window: after React's listener and the render it scheduled.
  window.addEventListener('input', (event) => {
    const pending = w.benchPending;
    if (!pending || !isSearch(event)) return;
    const sync = performance.now() - pending.start;
    void document.body.offsetHeight;
    const layout = performance.now() - pending.start;
    w.benchSamples.push({ dom: pending.dom, sync, layout });
    w.benchPending = null;
  });
}

async function typeAndMeasure(page: Page): Promise<Sample[]> {
  const search = page.getByRole('searchbox', { name: 'Search clients' });
  await search.click();
  const samples: Sample[] = [];
  let keystroke = 0;
  const press = async (key: string) => {
    const before = await page.evaluate(() => (window as unknown as { benchSamples: Sample[] }).benchSamples.length);
    await page.keyboard.press(key);
    await page.waitForFunction((n) => (window as unknown as { benchSamples: Sample[] }).benchSamples.length > n, before, { timeout: 10_000, polling: 'raf' });
    // Let the frame finish before the next key.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    keystroke++;
    const sample = await page.evaluate(() => (window as unknown as { benchSamples: Sample[] }).benchSamples.at(-1)!);
    if (keystroke > WARMUP_KEYSTROKES) samples.push(sample);
  };
  for (const query of QUERIES) {
    for (const char of query) await press(char === ' ' ? 'Space' : char);
    for (let i = 0; i < query.length; i++) await press('Backspace');
  }
  return samples;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

function summary(samples: Sample[]) {
  const sync = samples.map((s) => s.sync);
  const layout = samples.map((s) => s.layout);
  const dom = samples.filter((s) => s.dom !== null).map((s) => s.dom!);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    keystrokes: samples.length,
    changedDom: dom.length,
    syncP50: round(percentile(sync, 50)),
    syncP95: round(percentile(sync, 95)),
    layoutP50: round(percentile(layout, 50)),
    layoutP95: round(percentile(layout, 95)),
    layoutMax: round(Math.max(...layout)),
    domP50: round(percentile(dom, 50)),
    domP95: round(percentile(dom, 95)),
  };
}

async function main(): Promise<void> {
  const workDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'thetasecure-renderer-bench-'));
  const browser = await chromium.launch({ executablePath: process.env.THETASECURE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  let server: http.Server | null = null;
  try {
    console.log(`Building the renderer (vite) and the naive baseline (esbuild) into ${workDir} …`);
    await buildPages(workDir);
    server = await serve(workDir);
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const clients = generateClients(CLIENT_COUNT);
    const countLabel = `${CLIENT_COUNT} of ${CLIENT_COUNT} clients`;

    const measure = async (name: string, url: string, countText: string | RegExp) => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`  [${name}] page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') console.error(`  [${name}] console: ${message.text()}`);
      });
      // tsx compiles this file with esbuild's keepNames, whose __name helper the page lacks.
      await page.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
      await page.addInitScript(installBenchBridge, clients);
      await page.addInitScript(installProbe);
      await page.goto(url);
      await page.getByText(countText).first().waitFor({ timeout: 60_000 });
      const samples = await typeAndMeasure(page);
      await context.close();
      const result = { name, ...summary(samples) };
      console.log(`  ${name}: ${result.keystrokes} keystrokes, ${result.changedDom} of them changed the DOM`);
      return result;
    };

    console.log(`Typing ${QUERIES.length} searches (each typed, then erased) into a list of ${CLIENT_COUNT.toLocaleString('en')} clients …`);
    const renderer = await measure('renderer (index + virtualized rows)', `${origin}/renderer/index.html`, countLabel);
    const naive = await measure('naive filter (full re-render)', `${origin}/naive/index.html`, new RegExp(`^${CLIENT_COUNT} of ${CLIENT_COUNT} clients$`));

    const machine = {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      chromium: browser.version(),
      platform: `${os.type()} ${os.release()}`,
    };
    const rows = [renderer, naive];
    const pad = (text: string | number, width: number) => String(text).padStart(width);
    const lines = [
      `renderer search benchmark — ${new Date().toISOString()}`,
      `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}; Node ${machine.node}; Chromium ${machine.chromium} (headless)`,
      `${CLIENT_COUNT.toLocaleString('en')} clients; ${QUERIES.length} searches typed and erased; first ${WARMUP_KEYSTROKES} keystrokes are warm-up`,
      'ms from the input event: "DOM updated" = the keystroke\'s work done and the DOM up to date; "+ layout" = and laid out;',
      '"first mutation" = to the first DOM change (only keystrokes that changed the visible rows or the count)',
      '',
      `${'implementation'.padEnd(38)}${pad('keys', 6)}${pad('DOM updated p50', 17)}${pad('p95', 8)}${pad('+ layout p50', 14)}${pad('p95', 8)}${pad('max', 8)}${pad('first mutation p50', 20)}${pad('p95', 8)}`,
      ...rows.map((r) => `${r.name.padEnd(38)}${pad(r.keystrokes, 6)}${pad(r.syncP50, 17)}${pad(r.syncP95, 8)}${pad(r.layoutP50, 14)}${pad(r.layoutP95, 8)}${pad(r.layoutMax, 8)}${pad(r.domP50, 20)}${pad(r.domP95, 8)}`),
      '',
      `target: renderer "DOM updated" p95 ≤ ${TARGET_P95_MS} ms — ${renderer.syncP95 <= TARGET_P95_MS ? 'met' : 'NOT met'}; naive ÷ renderer: ${(naive.syncP50 / renderer.syncP50).toFixed(1)}× at p50, ${(naive.syncP95 / renderer.syncP95).toFixed(1)}× at p95`,
    ];
    console.log(`\n${lines.join('\n')}`);

    const resultsDir = path.join(repoRoot, 'bench', 'results');
    await fsp.mkdir(resultsDir, { recursive: true });
    const commit = (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
      } catch {
        return 'unknown';
      }
    })();
    await fsp.writeFile(path.join(resultsDir, 'renderer-search.txt'), `${lines.join('\n')}\ncommit: ${commit}\n`);
    await fsp.writeFile(path.join(resultsDir, 'renderer-search.json'), `${JSON.stringify({ date: new Date().toISOString(), commit, machine, clients: CLIENT_COUNT, queries: QUERIES, targetP95Ms: TARGET_P95_MS, results: rows }, null, 2)}\n`);
    console.log(`\nWritten: bench/results/renderer-search.txt and .json`);
  } finally {
    await browser.close();
    server?.close();
    await fsp.rm(workDir, { recursive: true, force: true });
  }
}

await main();
