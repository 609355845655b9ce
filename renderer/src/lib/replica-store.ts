// The renderer's side of the replica contract (shared/contract.ts): one `clients:snapshot` per
// window load (and after each `clients:reset`), then `clients:changed` events, ordered by `rev`.
// Before the snapshot, `clients:head` may bring the first screen of the default order: the
// store is then a `preview` of those rows until the whole list is in.
// Events that arrive before the snapshot's answer are buffered, then those above the snapshot's
// `rev` are applied in `rev` order; an event at or below the current `rev` is already in.
// Pure and synchronous (no bridge, no React): `client-replica.ts` wires it to the host, and the
// unit tests drive it directly.
import type { Client } from '../../../shared/client.ts';
import type { ClientHead, ClientSnapshot, ClientsChanged, ContractError, SyncState } from '../../../shared/contract.ts';
import { ClientIndex } from './client-index.ts';

/** `preview`: only the first screen of the default order is in (`total` says how many are coming). */
export type ReplicaStatus = 'loading' | 'preview' | 'ready' | 'error';

/** What the screens render from; a new object whenever anything in it (or the list) changed. */
export interface ReplicaState {
  status: ReplicaStatus;
  /** The list's version: bumped by every applied change, so memoized views can key on it. */
  version: number;
  size: number;
  /** While a preview: how many clients the whole list has. */
  total: number | null;
  /** The first full sync has finished: an empty list now really means "no clients". */
  complete: boolean;
  sync: SyncState | null;
  error: ContractError | null;
  rev: number;
}

const DELETED_KEPT = 200;
const INITIAL: ReplicaState = { status: 'loading', version: 0, size: 0, total: null, complete: false, sync: null, error: null, rev: 0 };

export class ReplicaStore {
  readonly index = new ClientIndex();
  private state: ReplicaState = INITIAL;
  private listeners = new Set<() => void>();
  /** Events heard while no snapshot is in place (before the first answer, or after a reset). */
  private buffer: ClientsChanged[] = [];
  private haveSnapshot = false;
  private snapshotComplete = false;
  /** Which snapshot request is current: an answer to an older one (before a reset) is dropped. */
  private request = 0;
  /** A `sync:changed` heard since the current request went out is newer than its answer's. */
  private syncHeardSince = false;
  private readonly deletedRecently = new Map<string, Client>();

  getState = (): ReplicaState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Call before asking for a snapshot; pass the token to `applySnapshot` with its answer. */
  beginSnapshot(): number {
    this.syncHeardSince = false;
    if (this.state.status === 'error') this.update({ status: 'loading', error: null });
    return ++this.request;
  }

  /** The first screen, shown until the snapshot's answer; ignored once the snapshot is in. */
  applyHead(token: number, head: ClientHead): boolean {
    if (token !== this.request || this.haveSnapshot) return false;
    this.index.replaceAll(head.items);
    this.update({ status: 'preview', error: null, total: head.total, ...(head.complete ? { complete: true } : {}) });
    return true;
  }

  applySnapshot(token: number, snapshot: ClientSnapshot): boolean {
    if (token !== this.request) return false;
    this.index.replaceAll(snapshot.items);
    this.haveSnapshot = true;
    this.snapshotComplete = snapshot.complete;
    let rev = snapshot.rev;
    // Buffered events above the snapshot, oldest first; the rest are already in it.
    const pending = this.buffer.filter((event) => event.rev > rev).sort((a, b) => a.rev - b.rev);
    this.buffer = [];
    for (const event of pending) {
      if (event.rev <= rev) continue;
      this.index.apply(event.upserts, event.deleted);
      rev = event.rev;
    }
    const sync = this.syncHeardSince && this.state.sync ? this.state.sync : snapshot.sync;
    this.update({ status: 'ready', error: null, total: null, rev, sync, complete: this.isComplete(sync) });
    return true;
  }

  snapshotFailed(token: number, error: ContractError): void {
    if (token !== this.request || this.haveSnapshot) return;
    this.update({ status: 'error', error });
  }

  applyChange(event: ClientsChanged): void {
    if (!this.haveSnapshot) {
      this.buffer.push(event);
      return;
    }
    if (event.rev <= this.state.rev) return;
    for (const clientId of event.deleted) {
      const gone = this.index.get(clientId);
      if (gone) this.deletedRecently.set(clientId, gone);
    }
    // Only the last few are ever asked about (an open panel or form): keep the memory bounded.
    for (const oldest of this.deletedRecently.keys()) {
      if (this.deletedRecently.size <= DELETED_KEPT) break;
      this.deletedRecently.delete(oldest);
    }
    for (const client of event.upserts) this.deletedRecently.delete(client.clientId);
    this.index.apply(event.upserts, event.deleted);
    this.update({ rev: event.rev });
  }

  /** The replica was replaced as a whole: forget the list and wait for a new snapshot. */
  reset(): void {
    this.request++;
    this.haveSnapshot = false;
    this.snapshotComplete = false;
    this.buffer = [];
    this.deletedRecently.clear();
    this.index.replaceAll([]);
    this.update({ status: 'loading', rev: 0, total: null, complete: false, error: null });
  }

  setSync(sync: SyncState): void {
    this.syncHeardSince = true;
    this.update({ sync, complete: this.isComplete(sync) });
  }

  /** The client as it was when a change event removed it (for "This client was deleted"). */
  deletedClient(clientId: string): Client | undefined {
    return this.deletedRecently.get(clientId);
  }

  private isComplete(sync: SyncState | null): boolean {
    // A replica that was once in step stays complete. `syncedAt` is set only when a whole sync
    // finished: a phase of "live" alone is not enough (a first sync that failed goes back to it).
    return this.snapshotComplete || (sync?.syncedAt ?? null) !== null;
  }

  private update(patch: Partial<ReplicaState>): void {
    if (patch.complete) this.snapshotComplete = true;
    this.state = { ...this.state, ...patch, version: this.index.version, size: this.index.size };
    for (const listener of this.listeners) listener();
  }
}
