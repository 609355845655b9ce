// The replica on disk: one SQLite file (better-sqlite3) per issuer and user, every row encrypted
// with aes-256-gcm under the key kept in the OS keychain.
//
// - Incremental: a client is one row, so one changed client rewrites one row (a page or two of
//   the write-ahead log), never the list.
// - Crash-safe: every batch (a page of the change feed with the position it brings the replica
//   to, or one change this app made) is one transaction in WAL mode with synchronous=FULL, so a
//   kill -9 (or a power cut) at any moment leaves the last committed batch, nothing half-applied.
// - Nothing readable on disk: a row's key is an HMAC of the client id, its value the encrypted
//   JSON of the client, bound (as associated data) to that key; the position, the time of the
//   last sync and who the replica belongs to are one encrypted meta row. A row that fails to
//   decrypt, or a file SQLite finds damaged, makes `open` report `damaged`: the caller discards
//   the file and takes a new snapshot, with a log line saying so.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** Bumped when the file layout changes: an older file is discarded and synced afresh. 2: rows carry createdAt. */
const FORMAT = 2;
const META_ID = Buffer.from('meta');

export interface ReplicaMeta {
  /** The change-feed position the rows are in step with. */
  seq: number;
  /** When the replica was last in step with the server; null before the first full sync. */
  syncedAt: string | null;
  /** True once a full snapshot has been taken. */
  complete: boolean;
  /** Whose replica this is, checked on open. */
  owner: string;
}

export interface StoredRow {
  clientId: string;
  /** The client's changeSeq. */
  changeSeq: number;
  /** The client's createdAt: the table's default order, known without parsing the JSON. */
  createdAt: string;
  /** The client's JSON, as UTF-8 bytes (kept off the JS heap by the replica). */
  json: Buffer;
}

export interface ReplicaBatch {
  upserts: readonly StoredRow[];
  deleted: readonly string[];
  meta?: Partial<Omit<ReplicaMeta, 'owner'>>;
  /** Drop every row first (a snapshot taken from scratch). */
  replaceAll?: boolean;
}

export type OpenResult =
  | { ok: true; store: ReplicaStore; meta: ReplicaMeta; rows: StoredRow[] }
  | { ok: false; reason: 'damaged' | 'outdated'; detail: string };

export interface ReplicaStore {
  readonly file: string;
  apply(batch: ReplicaBatch): ReplicaMeta;
  meta(): ReplicaMeta;
  close(): void;
}

function encrypt(key: Buffer, aad: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]);
}

function decrypt(key: Buffer, aad: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

const NEWLINE = 0x0a;

// A row's plain text: changeSeq, client id and createdAt ahead of the JSON, so opening 100,000
// rows needs no JSON parse to know what each one is and where the table's default order puts it.
// (JSON has no raw line break, nor do the three fields.)
function packRow(row: StoredRow): Buffer {
  return Buffer.concat([Buffer.from(`${row.changeSeq}\n${row.clientId}\n${row.createdAt}\n`, 'utf8'), row.json]);
}

function unpackRow(plain: Buffer): StoredRow | null {
  const first = plain.indexOf(NEWLINE);
  const second = first < 0 ? -1 : plain.indexOf(NEWLINE, first + 1);
  const third = second < 0 ? -1 : plain.indexOf(NEWLINE, second + 1);
  if (third < 0) return null;
  const changeSeq = Number(plain.toString('latin1', 0, first));
  if (!Number.isSafeInteger(changeSeq)) return null;
  return { changeSeq, clientId: plain.toString('utf8', first + 1, second), createdAt: plain.toString('utf8', second + 1, third), json: plain.subarray(third + 1) };
}

/**
 * Opens (creating when absent) the replica in `file` for `owner`; its rows are in `rows`, or
 * passed to `onRow` one by one (then `rows` is empty; on `damaged`, discard what was passed). A file that is not a database,
 * fails SQLite's check, has another format, belongs to someone else or holds a row that does not
 * decrypt is reported as damaged; the caller removes it (`discardReplicaFile`) and starts over.
 */
export function openReplicaStore(file: string, key: Buffer, owner: string, onRow?: (row: StoredRow) => void): OpenResult {
  if (key.length !== 32) throw new Error('The replica key must be 32 bytes.');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let db: Database.Database | null = null;
  try {
    db = new Database(file);
    fs.chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`SQLite's check failed: ${String(check)}`);
    db.exec(`
      CREATE TABLE IF NOT EXISTS replica_format (format INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS rows (id BLOB PRIMARY KEY, sealed BLOB NOT NULL) WITHOUT ROWID;
    `);
    const format = db.prepare('SELECT format FROM replica_format').pluck().get() as number | undefined;
    if (format === undefined) db.prepare('INSERT INTO replica_format (format) VALUES (?)').run(FORMAT);
    else if (format !== FORMAT) {
      db.close();
      return { ok: false, reason: 'outdated', detail: `it has format ${format}, this app writes ${FORMAT}` };
    }

    const rowId = (clientId: string) => createHmac('sha256', key).update(`row|${clientId}`, 'utf8').digest();
    // Row by row: holding every sealed row at once would double the memory the replica needs.
    const all = db.prepare('SELECT id, sealed FROM rows').raw().iterate() as IterableIterator<[Buffer, Buffer]>;
    let meta: ReplicaMeta = { seq: 0, syncedAt: null, complete: false, owner };
    const rows: StoredRow[] = [];
    for (const [id, sealed] of all) {
      if (id.equals(META_ID)) {
        const stored = JSON.parse(decrypt(key, META_ID, sealed).toString('utf8')) as ReplicaMeta;
        if (stored.owner !== owner) throw new Error('it belongs to another issuer or user');
        meta = stored;
        continue;
      }
      const row = unpackRow(decrypt(key, id, sealed));
      if (!row || !rowId(row.clientId).equals(id)) throw new Error('a row does not match its key');
      // Handed over one at a time when asked, so 100,000 decrypted rows are never held at once.
      if (onRow) onRow(row);
      else rows.push(row);
    }

    const put = db.prepare('INSERT INTO rows (id, sealed) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed');
    const remove = db.prepare('DELETE FROM rows WHERE id = ?');
    const removeAll = db.prepare('DELETE FROM rows');
    const open = db;
    const applyBatch = open.transaction((batch: ReplicaBatch, next: ReplicaMeta) => {
      if (batch.replaceAll) removeAll.run();
      for (const clientId of batch.deleted) remove.run(rowId(clientId));
      for (const row of batch.upserts) {
        const id = rowId(row.clientId);
        put.run(id, encrypt(key, id, packRow(row)));
      }
      put.run(META_ID, encrypt(key, META_ID, Buffer.from(JSON.stringify(next), 'utf8')));
    });

    const store: ReplicaStore = {
      file,
      apply(batch) {
        const next: ReplicaMeta = { ...meta, ...batch.meta, owner };
        applyBatch(batch, next);
        meta = next;
        return meta;
      },
      meta: () => meta,
      close() {
        if (open.open) open.close();
      },
    };
    return { ok: true, store, meta, rows };
  } catch (error) {
    if (db?.open) db.close();
    return { ok: false, reason: 'damaged', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** Removes a replica file and its write-ahead log. */
export function discardReplicaFile(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
}
