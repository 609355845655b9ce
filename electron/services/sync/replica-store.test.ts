import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { discardReplicaFile, openReplicaStore } from './replica-store.ts';
import type { StoredRow } from './replica-store.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
const tempFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replica-store-'));
  dirs.push(dir);
  return path.join(dir, 'replica.sqlite');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const row = (i: number, seq = i): StoredRow => ({ clientId: `tsc_${i}`, changeSeq: seq, createdAt: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`, json: Buffer.from(JSON.stringify({ clientId: `tsc_${i}`, name: `Payroll Export ${i}`, changeSeq: seq })) });
const onDisk = (file: string) => Buffer.concat(['', '-wal'].filter((s) => fs.existsSync(file + s)).map((s) => fs.readFileSync(file + s)));

describe('the replica on disk (real SQLite file)', () => {
  it('keeps rows and position across a reopen, with one changed client as a small write', () => {
    const file = tempFile();
    const key = randomBytes(32);
    const first = openReplicaStore(file, key, 'issuer|alice');
    if (!first.ok) throw new Error(first.detail);
    first.store.apply({ upserts: Array.from({ length: 500 }, (_, i) => row(i)), deleted: [], meta: { seq: 500, syncedAt: '2026-12-01T10:00:00.000Z', complete: true } });
    const walBefore = fs.statSync(`${file}-wal`).size;
    first.store.apply({ upserts: [row(7, 501)], deleted: ['tsc_8'], meta: { seq: 501 } });
    const walGrowth = fs.statSync(`${file}-wal`).size - walBefore;
    first.store.close();
    // One client of ~80 bytes: a few pages of the write-ahead log, not the 500-client list again.
    expect(walGrowth).toBeLessThan(5 * 4096 + 200);

    const again = openReplicaStore(file, key, 'issuer|alice');
    if (!again.ok) throw new Error(again.detail);
    expect(again.meta).toMatchObject({ seq: 501, syncedAt: '2026-12-01T10:00:00.000Z', complete: true });
    expect(again.rows).toHaveLength(499);
    expect(again.rows.find((r) => r.clientId === 'tsc_7')).toEqual(row(7, 501));
    expect(again.rows.find((r) => r.clientId === 'tsc_8')).toBeUndefined();
    again.store.close();
  });

  it('holds no client id, name or position in readable form, and is owner-only', () => {
    const file = tempFile();
    const opened = openReplicaStore(file, randomBytes(32), 'https://id.example.com|alice');
    if (!opened.ok) throw new Error(opened.detail);
    opened.store.apply({ upserts: [row(1), row(2)], deleted: [], meta: { seq: 2 } });
    opened.store.close();
    const bytes = onDisk(file).toString('latin1');
    for (const text of ['tsc_1', 'Payroll Export', 'alice', 'id.example.com']) expect(bytes).not.toContain(text);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is recognised as damaged with a wrong key, another owner, a flipped byte or a file that is not a database', () => {
    const file = tempFile();
    const key = randomBytes(32);
    const opened = openReplicaStore(file, key, 'issuer|alice');
    if (!opened.ok) throw new Error(opened.detail);
    opened.store.apply({ upserts: Array.from({ length: 50 }, (_, i) => row(i)), deleted: [], meta: { seq: 50 } });
    opened.store.close();

    expect(openReplicaStore(file, randomBytes(32), 'issuer|alice')).toMatchObject({ ok: false, reason: 'damaged' });
    expect(openReplicaStore(file, key, 'issuer|bob')).toMatchObject({ ok: false, reason: 'damaged' });

    // Flip one byte in the middle of the sealed rows (checkpointed into the main file by the close).
    const bytes = fs.readFileSync(file);
    const at = bytes.length - 600;
    bytes[at] = bytes[at]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    expect(openReplicaStore(file, key, 'issuer|alice')).toMatchObject({ ok: false, reason: 'damaged' });

    fs.writeFileSync(file, 'not a database at all');
    discardReplicaFile(`${file}-gone`);
    expect(openReplicaStore(file, key, 'issuer|alice')).toMatchObject({ ok: false, reason: 'damaged' });
    discardReplicaFile(file);
    expect(openReplicaStore(file, key, 'issuer|alice')).toMatchObject({ ok: true, rows: [] });
  });

  it('a file an older version wrote (another format) is reported as outdated, not damaged', () => {
    const file = tempFile();
    const old = new Database(file);
    old.exec('CREATE TABLE replica_format (format INTEGER NOT NULL); INSERT INTO replica_format VALUES (1);');
    old.close();
    expect(openReplicaStore(file, randomBytes(32), 'issuer|alice')).toMatchObject({ ok: false, reason: 'outdated', detail: expect.stringContaining('format 1') });
  });

  it('after kill -9 of the writing process at a random moment, opens with every acknowledged batch and no half-applied one', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const file = tempFile();
      const key = randomBytes(32);
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'testing/replica-writer.ts'), file, key.toString('base64'), 'issuer|alice', '300'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let acked = 0;
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        for (const match of buffer.matchAll(/acked (\d+)\n/g)) acked = Math.max(acked, Number(match[1]));
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      });
      // Wait until it is writing, then kill it without warning somewhere inside a batch.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the writer did not start')), 20_000);
        const poll = setInterval(() => {
          if (acked >= 3 + attempt * 5) {
            clearInterval(poll);
            clearTimeout(timer);
            setTimeout(resolve, Math.floor(Math.random() * 40));
          }
        }, 2);
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const ackedAtKill = acked;

      const opened = openReplicaStore(file, key, 'issuer|alice');
      if (!opened.ok) throw new Error(`damaged after kill -9: ${opened.detail}`);
      const { seq } = opened.meta;
      // Everything acknowledged is there; at most the batch in flight committed without its ack being read.
      expect(seq).toBeGreaterThanOrEqual(ackedAtKill);
      expect(seq).toBeLessThanOrEqual(ackedAtKill + 1);
      const batches = new Set(opened.rows.map((r) => r.changeSeq));
      expect([...batches]).toEqual([seq]);
      expect(opened.rows.map((r) => r.clientId).sort()).toEqual([...Array.from({ length: 300 }, (_, i) => `client-${i}`), `added-${seq}`].sort());
      opened.store.close();
    }
  }, 60_000);
});
