// `npm run bench:renderer` — not a test. With 100,000 clients loaded, in headless Chromium:
// how long a keystroke in "Search clients" takes to reach the DOM, how long a click on the
// "Client" header takes to re-sort, and how long each frame takes while the list is scrolled
// through. The real renderer build is measured beside a naive table (bench/naive-search-table.tsx)
// with the same clients and the same actions, in the same run. Targets (issue 8): search
// p95 ≤ 16 ms, sort ≤ 50 ms, scroll frame p95 ≤ 20 ms.
//
// This is a benchmark harness: the renderer is the production build (vite), but its
// `window.thetasecure` is an in-page stand-in that serves the generated clients as the
// replica's snapshot, so the figures measure the renderer alone, not the host or the server.
//
//   npm run bench:renderer                      # 100,000 clients
//   npm run bench:renderer -- --clients 20000   # a quicker run on a busy machine
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
import { installBenchBridge, installProbe, scrollFrames } from './renderer-bench-page.ts';
import type { Sample } from './renderer-bench-page.ts';
import { generateClients } from './renderer-search-data.ts';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

const CLIENT_COUNT = option('clients', 100_000);
const TARGETS = { searchP95: 16, sort: 50, frameP95: 20 };
const WARMUP_KEYSTROKES = 12;
// The naive table renders every row: at 100,000 a keystroke takes seconds, so it types only the
// first searches (said in the report).
const NAIVE_QUERIES = option('naive-queries', CLIENT_COUNT > 20_000 ? 1 : 10);
// Header clicks on "Client": ascending, descending, … (the first is reported on its own too).
const SORT_CLICKS = 8;
// The naive table's sort takes tens of seconds at 100,000: fewer clicks there (said in the report).
const NAIVE_SORT_CLICKS = CLIENT_COUNT > 20_000 ? 2 : SORT_CLICKS;
// A 2026-12-02 run at 100,000 never got the naive table's first sort click back (Playwright gave up
// after 5 minutes). Past this limit the naive table's sort is reported as "more than" it, and its
// page, still busy, is closed without the scroll measurements.
const NAIVE_SORT_LIMIT_MS = option('naive-sort-limit-s', 120) * 1000;
// Scrolling: a fling through the whole list (every frame shows new rows), then wheel-sized steps.
const ROW_HEIGHT = 52;
const FLING_FRAMES = 600;
const WHEEL_FRAMES = 300;
const WHEEL_STEP_PX = 120;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
// Realistic searches: names, a region, a number, a client ID prefix. Each is typed and then erased.
const QUERIES = ['billing worker', 'gateway api 12', 'tsc_a', 'reporting', 'audit portal oslo', 'ledger 99', 'search', 'identity job', 'checkout 7', 'mailer exporter'];

const repoRoot = path.resolve(import.meta.dirname, '..');

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

type Samples = Record<'input' | 'click', Sample[]>;

/** Presses `key` (or clicks) and waits for the probe's sample and the frame after it. */
async function act(page: Page, kind: 'input' | 'click', action: () => Promise<void>): Promise<Sample> {
  const before = await page.evaluate((k) => (window as unknown as { benchSamples: Samples }).benchSamples[k].length, kind);
  await action();
  await page.waitForFunction(([k, n]) => (window as unknown as { benchSamples: Samples }).benchSamples[k as 'input' | 'click'].length > (n as number), [kind, before] as const, { timeout: 120_000, polling: 'raf' });
  // Let the frame finish before the next action.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  return page.evaluate((k) => (window as unknown as { benchSamples: Samples }).benchSamples[k].at(-1)!, kind);
}

async function typeAndMeasure(page: Page, queries: readonly string[]): Promise<Sample[]> {
  const search = page.getByRole('searchbox', { name: 'Search clients' });
  await search.click();
  const samples: Sample[] = [];
  let keystroke = 0;
  const press = async (key: string) => {
    const sample = await act(page, 'input', () => page.keyboard.press(key));
    if (++keystroke > WARMUP_KEYSTROKES) samples.push(sample);
  };
  for (const query of queries) {
    for (const char of query) await press(char === ' ' ? 'Space' : char);
    for (let i = 0; i < query.length; i++) await press('Backspace');
  }
  return samples;
}

/** The clicks' samples, or null when they had not all finished within `limitMs`. */
async function sortAndMeasure(page: Page, clicks: number, limitMs: number): Promise<Sample[] | null> {
  const header = page.getByRole('button', { name: /^Client$/ });
  const samples: Sample[] = [];
  const clicking = (async () => {
    // The naive table's sort at 100,000 blocks the page for longer than Playwright's default wait.
    for (let i = 0; i < clicks; i++) samples.push(await act(page, 'click', () => header.click({ timeout: limitMs })));
    return samples;
  })();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), limitMs);
  });
  try {
    return await Promise.race([clicking, limit]);
  } finally {
    clearTimeout(timer);
    clicking.catch(() => undefined);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

const round = (n: number) => Math.round(n * 10) / 10;

function summary(samples: Sample[]) {
  const sync = samples.map((s) => s.sync);
  const layout = samples.map((s) => s.layout);
  const dom = samples.filter((s) => s.dom !== null).map((s) => s.dom!);
  return {
    count: samples.length,
    changedDom: dom.length,
    syncP50: round(percentile(sync, 50)),
    syncP95: round(percentile(sync, 95)),
    syncMax: round(Math.max(...sync)),
    layoutP50: round(percentile(layout, 50)),
    layoutP95: round(percentile(layout, 95)),
    layoutMax: round(Math.max(...layout)),
    first: round(samples[0]?.layout ?? NaN),
  };
}

function frameSummary(result: { frames: number[]; blankFrames: number; scrolledPx: number }) {
  return {
    frames: result.frames.length,
    p50: round(percentile(result.frames, 50)),
    p95: round(percentile(result.frames, 95)),
    max: round(Math.max(...result.frames)),
    blank: result.blankFrames,
    rowsScrolled: Math.round(result.scrolledPx / ROW_HEIGHT),
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
    const total = CLIENT_COUNT.toLocaleString('en-US');
    const countLabel = new RegExp(`^${total} of ${total} clients$`);
    const listHeight = CLIENT_COUNT * ROW_HEIGHT;

    const measure = async (name: string, url: string, queries: readonly string[], sortClicks: number, sortLimitMs: number) => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
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
      await page.getByText(countLabel).first().waitFor({ timeout: 300_000 });
      const firstRowsMs = round(await page.evaluate(() => performance.now()));
      // The app builds each column's sorted order in idle time after the snapshot; give it that.
      await page.waitForTimeout(3000);
      console.log(`  ${name}: first rows ${firstRowsMs} ms after navigation; typing ${queries.length} searches …`);
      const search = summary(await typeAndMeasure(page, queries));
      console.log(`  ${name}: search "DOM updated" p50 ${search.syncP50} / p95 ${search.syncP95} ms; sorting by Client ${sortClicks} times …`);
      const sortSamples = await sortAndMeasure(page, sortClicks, sortLimitMs);
      if (!sortSamples) {
        console.log(`  ${name}: sort not finished after ${sortLimitMs / 1000} s; closing its page without scrolling`);
        await context.close();
        return { name, queries: queries.length, firstRowsMs, heapMiB: null, search, sort: null, fling: null, wheel: null };
      }
      const sort = summary(sortSamples);
      console.log(`  ${name}: sort first ${sort.first} / p50 ${sort.layoutP50} / max ${sort.layoutMax} ms`);
      // Back to the list as loaded, at the top, before scrolling.
      console.log(`  ${name}: scrolling …`);
      const flingStep = Math.ceil(listHeight / FLING_FRAMES);
      const fling = frameSummary(await page.evaluate(scrollFrames, { steps: FLING_FRAMES, stepPx: flingStep }));
      const wheel = frameSummary(await page.evaluate(scrollFrames, { steps: WHEEL_FRAMES, stepPx: WHEEL_STEP_PX }));
      const heapMiB = round((await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0)) / 2 ** 20);
      await context.close();
      console.log(`  ${name}: scroll fling p50 ${fling.p50} / p95 ${fling.p95} ms, wheel p50 ${wheel.p50} / p95 ${wheel.p95} ms`);
      return { name, queries: queries.length, firstRowsMs, heapMiB, search, sort, fling: { ...fling, stepPx: flingStep }, wheel: { ...wheel, stepPx: WHEEL_STEP_PX } };
    };

    console.log(`${CLIENT_COUNT.toLocaleString('en-US')} clients …`);
    const renderer = await measure('renderer', `${origin}/renderer/index.html`, QUERIES, SORT_CLICKS, 300_000);
    if (!renderer.sort || !renderer.fling || !renderer.wheel) throw new Error('the renderer did not finish sorting in 5 minutes');
    const naive = await measure('naive table', `${origin}/naive/index.html`, QUERIES.slice(0, NAIVE_QUERIES), NAIVE_SORT_CLICKS, NAIVE_SORT_LIMIT_MS);

    const machine = {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      load: os.loadavg().map((n) => n.toFixed(2)).join(' '),
      node: process.version,
      chromium: browser.version(),
      platform: `${os.type()} ${os.release()}`,
    };
    const rows = [renderer, naive];
    const pad = (text: string | number, width: number) => String(text).padStart(width);
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const lines = [
      `renderer benchmark — ${new Date().toISOString()}`,
      `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}; load ${machine.load} at the end; Node ${machine.node}; Chromium ${machine.chromium} (headless)`,
      `${CLIENT_COUNT.toLocaleString('en-US')} clients (a complete replica snapshot); the naive table typed the first ${NAIVE_QUERIES} of the ${QUERIES.length} searches and sorted ${NAIVE_SORT_CLICKS} times`,
      '',
      'Search: each search typed, then erased; first 12 keystrokes are warm-up. ms from the input event:',
      '"DOM updated" = the keystroke\'s work done and the DOM up to date; "+ layout" = and laid out.',
      `${'implementation'.padEnd(14)}${pad('keys', 6)}${pad('DOM updated p50', 17)}${pad('p95', 8)}${pad('+ layout p50', 14)}${pad('p95', 8)}${pad('max', 8)}`,
      ...rows.map((r) => `${r.name.padEnd(14)}${pad(r.search.count, 6)}${pad(r.search.syncP50, 17)}${pad(r.search.syncP95, 8)}${pad(r.search.layoutP50, 14)}${pad(r.search.layoutP95, 8)}${pad(r.search.layoutMax, 8)}`),
      '',
      `Sort: ${SORT_CLICKS} clicks on the "Client" header (A→Z, Z→A, …); ms from the click to the DOM updated and laid out.`,
      `${'implementation'.padEnd(14)}${pad('first click', 13)}${pad('p50', 8)}${pad('max', 8)}`,
      ...rows.map((r) => (r.sort ? `${r.name.padEnd(14)}${pad(r.sort.first, 13)}${pad(r.sort.layoutP50, 8)}${pad(r.sort.layoutMax, 8)}` : `${r.name.padEnd(14)}${pad(`> ${NAIVE_SORT_LIMIT_MS}`, 13)}  (the first click had not finished; page closed)`)),
      '',
      `Scroll: requestAnimationFrame-to-requestAnimationFrame frame times (ms) while the list's scrollTop moves each frame;`,
      `fling = ${FLING_FRAMES} frames through the whole list (every frame new rows), wheel = ${WHEEL_FRAMES} frames of ${WHEEL_STEP_PX} px. blank = frames that began with no row in view.`,
      `${'implementation'.padEnd(14)}${pad('fling p50', 11)}${pad('p95', 8)}${pad('max', 8)}${pad('blank', 7)}${pad('wheel p50', 11)}${pad('p95', 8)}${pad('max', 8)}${pad('blank', 7)}`,
      ...rows.map((r) => (r.fling && r.wheel ? `${r.name.padEnd(14)}${pad(r.fling.p50, 11)}${pad(r.fling.p95, 8)}${pad(r.fling.max, 8)}${pad(r.fling.blank, 7)}${pad(r.wheel.p50, 11)}${pad(r.wheel.p95, 8)}${pad(r.wheel.max, 8)}${pad(r.wheel.blank, 7)}` : `${r.name.padEnd(14)}  not measured (its page was still sorting)`)),
      '',
      `For information: first rows after navigation ${renderer.firstRowsMs} ms (renderer) / ${naive.firstRowsMs} ms (naive); JS heap ${renderer.heapMiB} / ${naive.heapMiB ?? 'not measured'} MiB.`,
      '',
      `targets: search "DOM updated" p95 ≤ ${TARGETS.searchP95} ms — ${renderer.search.syncP95} ms, ${met(renderer.search.syncP95 <= TARGETS.searchP95)}` +
        `; sort ≤ ${TARGETS.sort} ms — max ${renderer.sort.layoutMax} ms, ${met(renderer.sort.layoutMax <= TARGETS.sort)}` +
        `; scroll frame p95 ≤ ${TARGETS.frameP95} ms — fling ${renderer.fling.p95} / wheel ${renderer.wheel.p95} ms, ${met(Math.max(renderer.fling.p95, renderer.wheel.p95) <= TARGETS.frameP95)}`,
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
    await fsp.writeFile(path.join(resultsDir, 'renderer-search.json'), `${JSON.stringify({ date: new Date().toISOString(), commit, machine, clients: CLIENT_COUNT, queries: QUERIES, targets: TARGETS, results: rows }, null, 2)}\n`);
    console.log(`\nWritten: bench/results/renderer-search.txt and .json`);
  } finally {
    await browser.close();
    server?.close();
    await fsp.rm(workDir, { recursive: true, force: true });
  }
}

await main();
