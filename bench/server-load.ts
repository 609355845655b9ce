// Load helpers for the server benchmark: timed sequential requests over one keep-alive connection
// (latency), autocannon runs (throughput), child processes for the servers under test, and the
// statistics and table printing.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ChildStart } from './server-child.ts';

// ---- latency ------------------------------------------------------------------------------

/** One connection, reused: what the desktop app does when it pages through the list. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export interface TimedResponse<T> {
  status: number;
  body: T;
  ms: number;
}

/** A request timed from the first byte sent to the last byte of the body parsed. */
export function timedJson<T>(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<TimedResponse<T>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          const body = (text ? JSON.parse(text) : null) as T;
          resolve({ status: response.statusCode ?? 0, body, ms: performance.now() - started });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

export function closeLatencyAgent(): void {
  agent.destroy();
}

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1);
  return { n: sorted.length, mean, p50: rank(50), p95: rank(95), max: sorted[sorted.length - 1] ?? Number.NaN };
}

// ---- throughput ---------------------------------------------------------------------------

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method: string;
  headers: Record<string, string>;
  body: string;
}

interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requests: { average: number; total: number };
  latency: { p50: number; p97_5: number; p99: number; average: number };
}

// autocannon ships no types; this is the part of its programmatic API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

export interface Throughput {
  connections: number;
  seconds: number;
  /** Successful (2xx) responses per second. */
  perSecond: number;
  ok: number;
  failed: number;
  latencyP50: number;
  latencyP99: number;
  /** CPU time (user + system) the server process spent per successful token, in ms: unlike req/s, barely moved by other load on the machine. */
  cpuMsPerToken: number;
}

export interface TokenRequest {
  url: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

export function tokenRequestInit(request: TokenRequest): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(request.clientId)}:${encodeURIComponent(request.clientSecret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: request.scope }).toString(),
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

// USER_HZ: 100 on every Linux build this runs on (getconf CLK_TCK).
const CLOCK_TICKS_PER_SECOND = 100;

export async function tokenThroughput(request: TokenRequest, connections: number, seconds: number, serverPid?: number): Promise<Throughput> {
  const cpuBefore = serverPid === undefined ? 0 : await processCpuSeconds(serverPid);
  const result = await autocannon({ url: `${request.url}/token`, method: 'POST', connections, duration: seconds, ...tokenRequestInit(request) });
  const cpuAfter = serverPid === undefined ? 0 : await processCpuSeconds(serverPid);
  return {
    cpuMsPerToken: result['2xx'] > 0 && serverPid !== undefined ? ((cpuAfter - cpuBefore) * 1000) / result['2xx'] : Number.NaN,
    connections,
    seconds: result.duration,
    perSecond: result['2xx'] / result.duration,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
  };
}

// ---- servers in child processes -------------------------------------------------------------

export interface ChildServer {
  url: string;
  apiAudience: string;
  pid: number;
  stop(): Promise<void>;
}

const CHILD_ENTRY = fileURLToPath(new URL('./server-child.ts', import.meta.url));

/** Forks server-child.ts (tsx's loader comes along in execArgv) and waits until it listens. */
export function startChildServer(start: ChildStart, timeoutMs = 60_000): Promise<ChildServer> {
  // stdout (the request log) goes to /dev/null: writing it is part of the server's cost, reading it is not.
  const child: ChildProcess = fork(CHILD_ENTRY, [start.mode], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (child.connected) child.send({ mode: 'stop' });
      else child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${start.mode} server did not start within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${start.mode} server exited (code ${code}) before it was ready`));
    });
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ url: message.url, apiAudience: message.apiAudience, pid: child.pid!, stop });
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${start.mode} server failed to start: ${message.message}`));
      }
    });
    child.send(start);
  });
}

// ---- output -------------------------------------------------------------------------------

export function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : '-';
}
