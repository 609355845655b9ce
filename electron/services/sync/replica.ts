// The host's replica of the client list, kept in step with the server incrementally.
//
// - In memory: each client as its JSON, in UTF-8 bytes off the JS heap (a third of the memory
//   of objects at 100,000 clients, nothing for the garbage collector to walk, and the snapshot
//   for a window is those bytes, written out as they are, not a serialisation), with its
//   changeSeq and createdAt.
// - On disk: the encrypted SQLite replica (replica-store.ts), one row per client, written batch
//   by batch; without a keychain nothing is written and the replica lives in memory only.
// - Kept current by the change feed (GET /clients/changes since the replica's position), read
//   when the replica opens, when the server's event stream says something changed, when the
//   user asks (Refresh), and every 30 s while the stream cannot be held. A position too old for
//   the server's history (410) means a new snapshot, diffed against what is here, so the window
//   still gets only what changed.
// - Changes this app makes are applied from the API's own answer at once; the feed brings the
//   same change later with the same changeSeq, and a row is only ever replaced by a newer one.
// - Every change reaches the renderer as `clients:changed` with a `rev` that orders it against
//   the snapshot the window took (`clients:snapshot`); a new owner (sign-out, another user or
//   issuer) is `clients:reset`.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '../../../shared/client.ts';
import { CHANGES_LIMIT_MAX, ClientSchema } from '../../../shared/client.ts';
import type { ClientHead, ClientSnapshot, ContractEvent, EventPayload, Result, SyncState } from '../../../shared/contract.ts';
import { fail, ok } from '../../../shared/contract.ts';
import { jsonArrayText } from '../../../shared/json-text.ts';
import type { ApiClient } from '../api.ts';
import type { Clock, LogEffect } from '../effects.ts';
import { errorMessage } from '../effects.ts';
import type { Keychain } from '../keychain.ts';
import { KEYCHAIN_SERVICE } from '../keychain.ts';
import { createEventStream } from './event-stream.ts';
import { createRowArena } from './row-arena.ts';
import type { RowArena } from './row-arena.ts';
import { discardReplicaFile, openReplicaStore } from './replica-store.ts';
import type { ReplicaStore, StoredRow } from './replica-store.ts';

export const POLL_MS = 30_000;
/** The replicas' folder inside a host's data folder. */
export const REPLICA_FOLDER = 'replicas';
/** Opens of the event stream in a row that fail before it counts as "cannot be held". */
const STREAM_FAILURES_BEFORE_POLLING = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReplicaOwner {
  issuer: string;
  subject: string;
}

export interface ReplicaServiceOptions {
  api: Pick<ApiClient, 'changes' | 'openEvents'>;
  keychain: Keychain;
  clock: Clock;
  log: LogEffect;
  emit: <E extends ContractEvent>(event: E, payload: EventPayload<E>) => void;
  /** Folder of the replica files; null keeps replicas in memory only. */
  dir: string | null;
  ttlDays: () => number;
  pageLimit?: number;
  pollMs?: number;
  streamBackoff?: { initialMs: number; maxMs: number };
  streamSilenceMs?: number;
}

export interface ReplicaService {
  /** Shows the replica of `owner` (opened from disk when `persist`), or none. Announces `clients:reset`. */
  switchTo(owner: ReplicaOwner | null, options?: { persist: boolean }): Promise<void>;
  /** Whether the server can be talked to now: starts (catch-up, then events) or stops following it. */
  follow(online: boolean): void;
  /** The whole replica, for a window: the list as the rows' JSON (see shared/json-text.ts). */
  snapshot(): ClientSnapshot;
  /** The first `limit` clients of the table's default order, and how many there are (a window's first screen). */
  head(limit: number): ClientHead;
  get(clientId: string): Client | null;
  /** A change this app made, from the API's answer. */
  applyLocal(change: { upsert?: Client; deletedId?: string }): void;
  /** A client read from the server (clients:get): kept if it is newer than the row. */
  offer(client: Client): void;
  /** Reads the feed now; answers when in step. */
  refresh(): Promise<Result<SyncState>>;
  state(): SyncState;
  /** Deletes the stored replica of `owner` and its key. */
  remove(owner: ReplicaOwner): Promise<void>;
  /** Deletes replicas not written for longer than the TTL, and their keys. */
  purgeExpired(): Promise<number>;
  /** Resolves when no catch-up is running (tests, shutdown). */
  idle(): Promise<void>;
  dispose(): void;
}

export function replicaId(owner: ReplicaOwner): string {
  return createHash('sha256').update(`${owner.issuer}|${owner.subject}`, 'utf8').digest('hex').slice(0, 32);
}

/** The keychain account of a replica's key (the offline copy's account since the first version). */
export function replicaKeyAccount(id: string): string {
  return `offline-cache-key|${id}`;
}

interface Row {
  changeSeq: number;
  createdAt: string;
  /** The client's JSON, UTF-8. */
  json: Buffer;
}

/** Newer first, as the table's default order (Created, newest first; ties by client ID, descending). */
function newerFirst(a: readonly [string, Row], b: readonly [string, Row]): number {
  if (a[1].createdAt !== b[1].createdAt) return a[1].createdAt > b[1].createdAt ? -1 : 1;
  return a[0] === b[0] ? 0 : a[0] > b[0] ? -1 : 1;
}

interface Current {
  owner: ReplicaOwner;
  id: string;
  rows: Map<string, Row>;
  /** Where the rows' bytes live (row-arena.ts). */
  arena: RowArena;
  store: ReplicaStore | null;
  seq: number;
  syncedAt: string | null;
  complete: boolean;
}

export function createReplicaService(options: ReplicaServiceOptions): ReplicaService {
  const { api, clock, log, emit, keychain } = options;
  const pageLimit = options.pageLimit ?? CHANGES_LIMIT_MAX;
  const pollMs = options.pollMs ?? POLL_MS;
  let current: Current | null = null;
  let rev = 0;
  let phase: SyncState['phase'] = 'signed-out';
  let received = 0;
  let expected: number | null = null;
  let following = false;
  let streamFailures = 0;
  let pollTimer: unknown = null;
  let running: Promise<Result<void>> | null = null;
  let again = false;
  /** Bumped when the owner changes: a catch-up of the previous owner stops applying. */
  let generation = 0;

  const fileOf = (id: string) => (options.dir ? path.join(options.dir, `${id}.sqlite`) : null);

  function state(): SyncState {
    return {
      phase,
      received,
      expected,
      syncedAt: current?.syncedAt ?? null,
      seq: current?.seq ?? 0,
      persisted: Boolean(current?.store),
    };
  }

  const announce = () => emit('sync:changed', state());
  const setPhase = (next: SyncState['phase']) => {
    if (next === phase) return;
    phase = next;
    announce();
  };
  const restingPhase = (): SyncState['phase'] => (!current ? 'signed-out' : !following ? 'offline' : stream.connected() || streamFailures < STREAM_FAILURES_BEFORE_POLLING ? 'live' : 'polling');

  const stream = createEventStream({
    open: (lastEventId, signal) => api.openEvents(lastEventId, signal),
    onChange: (seq) => {
      if (current && seq > current.seq) requestCatchUp();
    },
    onStatus: ({ connected, failures }) => {
      streamFailures = connected ? 0 : failures;
      schedulePoll();
      if (!running) setPhase(restingPhase());
    },
    clock,
    log,
    backoff: options.streamBackoff ?? { initialMs: 1_000, maxMs: pollMs },
    silenceMs: options.streamSilenceMs ?? 45_000,
  });

  // While the stream is down the feed is read every 30 s; with a stream, events say when.
  function schedulePoll() {
    const wanted = following && current !== null && !stream.connected();
    // A pending poll stays as it is: every failed stream open reports here, and re-arming the
    // timer each time would keep pushing the poll away.
    if (wanted && pollTimer !== null) return;
    if (pollTimer !== null) clock.clearTimeout(pollTimer);
    pollTimer = null;
    if (!wanted) return;
    pollTimer = clock.setTimeout(() => {
      pollTimer = null;
      requestCatchUp();
      schedulePoll();
    }, pollMs);
  }

  function publish(upserts: Client[], deleted: string[], origin: 'local' | 'remote') {
    if (upserts.length === 0 && deleted.length === 0) return;
    rev += 1;
    emit('clients:changed', { rev, upserts, deleted, origin });
  }

  function persist(target: Current, batch: Parameters<ReplicaStore['apply']>[0]): void {
    if (!target.store) return;
    try {
      target.store.apply(batch);
    } catch (error) {
      // A full disk or a file removed under us: keep going in memory and say so once.
      log({ level: 'warn', event: 'replica.write-failed', message: 'The offline copy could not be written; the list is kept in memory only.', reason: errorMessage(error) });
      target.store.close();
      target.store = null;
      announce();
    }
  }

  /**
   * The one way rows change: each client kept only if it is newer than its row (so the feed
   * bringing back a change this app already applied does nothing), the deleted ids removed, the
   * feed position moved when a page says so; then one transaction on disk and one event with
   * what actually changed.
   */
  function apply(target: Current, change: { items: readonly Client[]; deleted: readonly string[]; origin: 'local' | 'remote'; position?: { seq: number; syncedAt?: string; complete?: boolean } }) {
    const upserts: Client[] = [];
    const stored: StoredRow[] = [];
    for (const client of change.items) {
      const row = target.rows.get(client.clientId);
      if (row && row.changeSeq >= client.changeSeq) continue;
      const json = target.arena.fromText(JSON.stringify(client));
      if (row) target.arena.release(row.json);
      target.rows.set(client.clientId, { changeSeq: client.changeSeq, createdAt: client.createdAt, json });
      stored.push({ clientId: client.clientId, changeSeq: client.changeSeq, createdAt: client.createdAt, json });
      upserts.push(client);
    }
    const deleted = change.deleted.filter((id) => {
      const row = target.rows.get(id);
      if (row) target.arena.release(row.json);
      return target.rows.delete(id);
    });
    if (target.arena.wasteful()) compact(target);
    const { position } = change;
    if (position) {
      target.seq = Math.max(target.seq, position.seq);
      if (position.syncedAt) target.syncedAt = position.syncedAt;
      if (position.complete) target.complete = true;
    }
    if (stored.length || deleted.length || position) {
      persist(target, { upserts: stored, deleted, ...(position ? { meta: { seq: target.seq, syncedAt: target.syncedAt, complete: target.complete } } : {}) });
    }
    publish(upserts, deleted, change.origin);
  }

  /** Copies the live rows into a fresh arena: the old one's slabs, mostly holes, go with it. */
  function compact(target: Current) {
    const arena = createRowArena();
    for (const row of target.rows.values()) row.json = arena.copy(row.json);
    target.arena = arena;
  }

  /** Reads the feed from the replica's position to the end; a 410 turns into a snapshot. */
  async function catchUp(): Promise<Result<void>> {
    const target = current;
    const mine = generation;
    if (!target) return fail('unauthenticated', 'You are not signed in.');
    let snapshot = !target.complete || target.seq === 0;
    let since = snapshot ? 0 : target.seq;
    // During a snapshot, the ids the server still has: what is not among them was deleted.
    let seen: Set<string> | null = snapshot ? new Set() : null;
    const startSeq = since;
    received = 0;
    expected = null;
    // A catch-up prompted by an event or a poll, while in step, is not "syncing" for the window.
    setPhase(snapshot ? 'snapshot' : phase === 'live' || phase === 'polling' ? phase : 'catching-up');
    for (;;) {
      const page = await api.changes(since, pageLimit);
      if (mine !== generation) return ok(undefined);
      if (!page.ok) {
        if (page.error.code === 'gone' && !snapshot) {
          log({ level: 'info', event: 'sync.snapshot', message: "The server's change history no longer reaches this replica's position: taking a new snapshot." });
          snapshot = true;
          since = 0;
          seen = new Set();
          received = 0;
          setPhase('snapshot');
          continue;
        }
        return page;
      }
      const { items, deleted, nextSince, hasMore, total, lastSeq } = page.value;
      received += items.length + deleted.length;
      expected = snapshot ? total : Math.max(received, lastSeq - startSeq);
      const done = !hasMore;
      if (done && seen) {
        // Rows the snapshot did not see, and that no change of ours made after it began, are gone.
        for (const [clientId, row] of target.rows) if (!seen.has(clientId) && row.changeSeq <= nextSince) deleted.push(clientId);
      }
      for (const client of items) seen?.add(client.clientId);
      apply(target, { items, deleted, origin: 'remote', position: done ? { seq: nextSince, syncedAt: new Date(clock.now()).toISOString(), complete: true } : { seq: nextSince } });
      announce();
      since = nextSince;
      if (done) return ok(undefined);
    }
  }

  function requestCatchUp(): Promise<Result<void>> {
    if (running) {
      again = true;
      return running;
    }
    if (!current || !following) return Promise.resolve(fail('offline', 'The ThetaSecure server cannot be reached.'));
    const run = (async () => {
      let result: Result<void>;
      do {
        again = false;
        result = await catchUp();
      } while (result.ok && again && following);
      return result;
    })();
    running = run;
    void run.then((result) => {
      running = null;
      received = 0;
      expected = null;
      if (!result.ok && result.error.code !== 'offline' && result.error.code !== 'timeout') {
        log({ level: 'warn', event: 'sync.failed', code: result.error.code, message: result.error.message });
      }
      setPhase(result.ok ? restingPhase() : result.error.code === 'offline' || result.error.code === 'timeout' ? 'offline' : restingPhase());
      announce();
    });
    return run;
  }

  async function keyFor(id: string): Promise<Buffer | null> {
    try {
      const account = replicaKeyAccount(id);
      const stored = await keychain.getPassword(KEYCHAIN_SERVICE, account);
      const existing = stored ? Buffer.from(stored, 'base64') : null;
      if (existing?.length === 32) return existing;
      const key = randomBytes(32);
      await keychain.setPassword(KEYCHAIN_SERVICE, account, key.toString('base64'));
      return key;
    } catch (error) {
      log({ level: 'info', event: 'replica.not-persisted', message: 'No OS keychain: the client list is kept in memory only.', reason: errorMessage(error) });
      return null;
    }
  }

  async function open(owner: ReplicaOwner, persist: boolean): Promise<Current> {
    const id = replicaId(owner);
    const next: Current = { owner, id, rows: new Map(), arena: createRowArena(), store: null, seq: 0, syncedAt: null, complete: false };
    const file = fileOf(id);
    if (!persist || !file) return next;
    const key = await keyFor(id);
    if (!key) return next;
    const owned = `${owner.issuer}|${owner.subject}`;
    const take = (row: StoredRow) => next.rows.set(row.clientId, { changeSeq: row.changeSeq, createdAt: row.createdAt, json: next.arena.copy(row.json) });
    let opened = openReplicaStore(file, key, owned, take);
    if (!opened.ok) {
      if (opened.reason === 'outdated') log({ level: 'info', event: 'replica.outdated', message: `The offline copy of the client list was written by an older version (${opened.detail}); it was discarded and will be rebuilt from the server.` });
      else log({ level: 'warn', event: 'replica.damaged', message: `The offline copy of the client list was damaged (${opened.detail}); it was discarded and will be rebuilt from the server.` });
      discardReplicaFile(file);
      next.rows.clear();
      next.arena = createRowArena();
      opened = openReplicaStore(file, key, owned, take);
      if (!opened.ok) {
        log({ level: 'warn', event: 'replica.unwritable', message: 'The offline copy cannot be written; the list is kept in memory only.', reason: opened.detail });
        return next;
      }
    }
    const { store, meta } = opened;
    const expired = meta.syncedAt !== null && clock.now() - Date.parse(meta.syncedAt) > options.ttlDays() * DAY_MS;
    if (expired) {
      log({ level: 'info', event: 'replica.expired', message: `The offline copy was older than ${options.ttlDays()} days and was discarded.` });
      store.apply({ upserts: [], deleted: [], replaceAll: true, meta: { seq: 0, syncedAt: null, complete: false } });
      next.rows.clear();
      next.arena = createRowArena();
    } else {
      next.seq = meta.seq;
      next.syncedAt = meta.syncedAt;
      next.complete = meta.complete;
    }
    next.store = store;
    return next;
  }

  function follow(online: boolean) {
    if (!online) {
      following = false;
      stream.stop();
      schedulePoll();
      if (current) setPhase('offline');
      return;
    }
    if (!current) {
      following = true;
      return;
    }
    // Already following: the session announces itself often (refreshes, keychain), and each
    // announcement must not cost a feed read; a return of the server comes through follow(false) first.
    if (following) return;
    following = true;
    streamFailures = 0;
    void requestCatchUp();
    stream.start();
  }

  function close() {
    generation += 1;
    stream.stop();
    if (pollTimer !== null) clock.clearTimeout(pollTimer);
    pollTimer = null;
    current?.store?.close();
    current = null;
  }

  return {
    async switchTo(owner, switchOptions = { persist: true }) {
      if (owner && current && current.owner.issuer === owner.issuer && current.owner.subject === owner.subject) {
        // Same owner: only the keychain may have come back, which a later open uses.
        return;
      }
      const wasFollowing = following;
      close();
      if (owner) {
        const mine = generation;
        const opened = await open(owner, switchOptions.persist);
        if (mine !== generation) {
          opened.store?.close();
          return;
        }
        current = opened;
      }
      rev += 1;
      received = 0;
      expected = null;
      phase = current ? 'offline' : 'signed-out';
      emit('clients:reset', { rev });
      announce();
      if (current && wasFollowing) {
        following = false;
        follow(true);
      }
    },

    follow,

    snapshot() {
      const rows = current?.rows;
      const texts = rows ? Array.from(rows.values(), (row) => row.json) : [];
      // The host hands over the text it holds; the contract's type is what the renderer gets.
      return { rev, items: jsonArrayText(texts) as unknown as Client[], complete: current?.complete ?? false, sync: state() };
    },

    head(limit) {
      // One pass keeping the newest `limit` (sorted, newest first): 100,000 rows in a few ms.
      const top: Array<[string, Row]> = [];
      for (const entry of current?.rows ?? []) {
        if (top.length === limit && newerFirst(entry, top[limit - 1]!) >= 0) continue;
        let at = top.length;
        while (at > 0 && newerFirst(entry, top[at - 1]!) < 0) at -= 1;
        top.splice(at, 0, entry);
        if (top.length > limit) top.pop();
      }
      return { items: jsonArrayText(top.map(([, row]) => row.json)) as unknown as Client[], total: current?.rows.size ?? 0, complete: current?.complete ?? false };
    },

    get(clientId) {
      const row = current?.rows.get(clientId);
      return row ? ClientSchema.parse(JSON.parse(row.json.toString('utf8'))) : null;
    },

    applyLocal({ upsert, deletedId }) {
      // The position stays where the feed left it: changes of others before this one are still to come.
      if (current) apply(current, { items: upsert ? [upsert] : [], deleted: deletedId ? [deletedId] : [], origin: 'local' });
    },

    offer(client) {
      if (current) apply(current, { items: [client], deleted: [], origin: 'remote' });
    },

    async refresh() {
      if (!current) return fail('unauthenticated', 'You are not signed in.');
      if (!following) return fail('offline', 'The ThetaSecure server cannot be reached: the list cannot be refreshed now.');
      const result = await requestCatchUp();
      return result.ok ? ok(state()) : result;
    },

    state,

    async remove(owner) {
      const id = replicaId(owner);
      if (current?.id === id) {
        current.store?.close();
        current.store = null;
      }
      const file = fileOf(id);
      if (file) discardReplicaFile(file);
      await keychain.deletePassword(KEYCHAIN_SERVICE, replicaKeyAccount(id)).catch(() => false);
    },

    async purgeExpired() {
      if (!options.dir || !fs.existsSync(options.dir)) return 0;
      let purged = 0;
      for (const name of fs.readdirSync(options.dir)) {
        const match = /^([0-9a-f]{32})\.sqlite$/.exec(name);
        if (!match) continue;
        const file = path.join(options.dir, name);
        const written = Math.max(...['', '-wal'].map((suffix) => fs.statSync(`${file}${suffix}`, { throwIfNoEntry: false })?.mtimeMs ?? 0));
        if (clock.now() - written <= options.ttlDays() * DAY_MS) continue;
        discardReplicaFile(file);
        await keychain.deletePassword(KEYCHAIN_SERVICE, replicaKeyAccount(match[1]!)).catch(() => false);
        purged += 1;
      }
      if (purged) log({ level: 'info', event: 'replica.purged', message: `${purged} offline cop${purged === 1 ? 'y' : 'ies'} of the client list older than ${options.ttlDays()} days removed.` });
      return purged;
    },

    async idle() {
      while (running) await running;
    },

    dispose() {
      following = false;
      close();
    },
  };
}
