// Today's design before the replica, kept as the sync benchmark's baseline: the host pages
// through GET /api/v1/clients (limit 500, following nextCursor) into one list of objects — at
// start, after every change the app made, every 60 s and on every window focus — and writes
// the whole list to the encrypted offline cache file each time.
//
// Run as a child process (`node --import tsx bench/baseline-full-refetch.ts`) so that its
// resident memory is the old host's alone; the parent sends `{issuer, token, cacheDir}` on the
// IPC channel and gets `{ms, bytes, pages, clients, rssMb, cacheFileBytes, writeBytes}` back.
import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client, ClientPage } from '../shared/client.ts';

export interface BaselineRequest {
  issuer: string;
  token: string;
  cacheDir: string;
}

export interface BaselineResult {
  ms: number;
  bytes: number;
  pages: number;
  clients: number;
  rssMb: number;
  cacheFileBytes: number;
  /** Bytes this process sent to storage while writing the offline cache once (/proc/self/io). */
  writeBytes: number;
}

export function procWriteBytes(pid: number | 'self' = 'self'): number {
  const match = /write_bytes:\s*(\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

export function procRssMb(pid: number | 'self' = 'self'): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const read = (field: string) => Number(new RegExp(`${field}:\\s*(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
  return { rss: read('VmRSS'), peak: read('VmHWM') };
}

async function fullRefetch(request: BaselineRequest): Promise<{ items: Client[]; ms: number; bytes: number; pages: number }> {
  const started = performance.now();
  const items: Client[] = [];
  let bytes = 0;
  let pages = 0;
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '500' });
    if (cursor) query.set('cursor', cursor);
    const response = await fetch(`${request.issuer}/api/v1/clients?${query}`, { headers: { authorization: `Bearer ${request.token}` } });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET /api/v1/clients answered ${response.status}`);
    bytes += Buffer.byteLength(text);
    pages += 1;
    const page = JSON.parse(text) as ClientPage;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return { items, ms: performance.now() - started, bytes, pages };
}

/** The old offline cache's write: the whole list, aes-256-gcm, base64, in one JSON file rewritten atomically. */
function writeWholeListCache(dir: string, items: Client[]): { fileBytes: number; writeBytes: number } {
  const before = procWriteBytes();
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify({ items }), 'utf8'), cipher.final()]);
  const file = path.join(dir, 'offline-cache.json');
  const text = JSON.stringify({ entries: { bench: { v: 1, fetchedAt: new Date().toISOString(), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') } } });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  const fd = fs.openSync(`${file}.tmp`, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  return { fileBytes: fs.statSync(file).size, writeBytes: procWriteBytes() - before };
}

if (process.send) {
  process.once('message', (request: BaselineRequest) => {
    void (async () => {
      const fetched = await fullRefetch(request);
      const written = writeWholeListCache(request.cacheDir, fetched.items);
      const result: BaselineResult = { ms: fetched.ms, bytes: fetched.bytes, pages: fetched.pages, clients: fetched.items.length, rssMb: procRssMb().rss, cacheFileBytes: written.fileBytes, writeBytes: written.writeBytes };
      process.send!(result);
      process.disconnect();
    })().catch((error: unknown) => {
      process.send!({ error: error instanceof Error ? error.message : String(error) });
      process.disconnect();
    });
  });
}
