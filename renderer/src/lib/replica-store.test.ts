import { describe, expect, it } from 'vitest';
import type { Client } from '../../../shared/client.ts';
import { sampleClient } from '../../../shared/testing/sample-client.ts';
import type { ClientSnapshot, ClientsChanged, SyncState } from '../../../shared/contract.ts';
import { NO_FILTERS } from './client-search.ts';
import { ReplicaStore } from './replica-store.ts';

const client = (id: string, name = id, version = 1): Client => sampleClient({ clientId: id, name, version, changeSeq: version });

const live: SyncState = { phase: 'live', received: 0, expected: null, syncedAt: '2026-11-26T12:00:00.000Z', seq: 10, persisted: true };
const snapshot = (rev: number, items: Client[], extra: Partial<ClientSnapshot> = {}): ClientSnapshot => ({ rev, items, complete: true, sync: live, ...extra });
const changed = (rev: number, upserts: Client[], deleted: string[] = [], origin: ClientsChanged['origin'] = 'remote'): ClientsChanged => ({ rev, upserts, deleted, origin });
const names = (store: ReplicaStore) => {
  const view = store.index.view({ key: 'name', desc: false }, NO_FILTERS);
  return Array.from({ length: view.length }, (_, i) => view.at(i).client.name);
};

describe('replica store', () => {
  it('shows the snapshot, then applies each newer change; an event at or below the current rev is already in', () => {
    const store = new ReplicaStore();
    expect(store.getState()).toMatchObject({ status: 'loading', size: 0 });
    store.applySnapshot(store.beginSnapshot(), snapshot(5, [client('a'), client('b')]));
    expect(store.getState()).toMatchObject({ status: 'ready', size: 2, rev: 5, complete: true });
    store.applyChange(changed(6, [client('c')]));
    store.applyChange(changed(6, [client('ignored')]));
    store.applyChange(changed(4, [], ['a']));
    expect(names(store)).toEqual(['a', 'b', 'c']);
    store.applyChange(changed(7, [client('b', 'b renamed', 2)], ['a']));
    expect(names(store)).toEqual(['b renamed', 'c']);
    expect(store.getState()).toMatchObject({ rev: 7, size: 2 });
  });

  it('a first screen (head) is a preview with the total until the snapshot replaces it; a head after the snapshot changes nothing', () => {
    const store = new ReplicaStore();
    const token = store.beginSnapshot();
    expect(store.applyHead(token, { items: [client('newest')], total: 3, complete: true })).toBe(true);
    expect(store.getState()).toMatchObject({ status: 'preview', size: 1, total: 3 });
    store.applyChange(changed(6, [client('during')]));
    expect(names(store)).toEqual(['newest']);
    store.applySnapshot(token, snapshot(5, [client('newest'), client('older'), client('oldest')]));
    expect(store.getState()).toMatchObject({ status: 'ready', size: 4, total: null });
    expect(names(store)).toEqual(['during', 'newest', 'older', 'oldest']);
    expect(store.applyHead(token, { items: [client('late')], total: 1, complete: true })).toBe(false);
    expect(store.getState().size).toBe(4);
  });

  it('buffers events that arrive before the snapshot answer and applies only those above its rev, in rev order', () => {
    const store = new ReplicaStore();
    const token = store.beginSnapshot();
    store.applyChange(changed(12, [client('x', 'x v3', 3)]));
    store.applyChange(changed(10, [client('old')]));
    store.applyChange(changed(11, [client('x', 'x v2', 2)]));
    expect(store.getState().size).toBe(0);
    store.applySnapshot(token, snapshot(10, [client('x', 'x v1', 1)]));
    expect(names(store)).toEqual(['x v3']);
    expect(store.getState().rev).toBe(12);
  });

  it('notifies subscribers with a new state object on each change, so React re-renders', () => {
    const store = new ReplicaStore();
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    store.applySnapshot(store.beginSnapshot(), snapshot(1, [client('a')]));
    const first = store.getState();
    store.applyChange(changed(2, [client('b')]));
    expect(store.getState()).not.toBe(first);
    expect(store.getState().version).toBeGreaterThan(first.version);
    expect(calls).toBe(2);
    unsubscribe();
  });

  it('after a reset the list is emptied and an answer to the older snapshot request is dropped', () => {
    const store = new ReplicaStore();
    const stale = store.beginSnapshot();
    store.reset();
    const fresh = store.beginSnapshot();
    expect(store.applySnapshot(stale, snapshot(3, [client('other user')]))).toBe(false);
    expect(store.getState()).toMatchObject({ status: 'loading', size: 0 });
    store.applySnapshot(fresh, snapshot(4, [client('mine')]));
    expect(names(store)).toEqual(['mine']);
  });

  it('remembers a client deleted by a change event, for the panel that still shows it', () => {
    const store = new ReplicaStore();
    store.applySnapshot(store.beginSnapshot(), snapshot(1, [client('a', 'Billing')]));
    store.applyChange(changed(2, [], ['a']));
    expect(store.index.get('a')).toBeUndefined();
    expect(store.deletedClient('a')?.name).toBe('Billing');
  });

  it('an incomplete first sync is not "no clients": complete only once the snapshot says so or a whole sync finished', () => {
    const store = new ReplicaStore();
    const syncing: SyncState = { ...live, phase: 'snapshot', received: 0, expected: 100_000, syncedAt: null };
    store.applySnapshot(store.beginSnapshot(), snapshot(0, [], { complete: false, sync: syncing }));
    expect(store.getState()).toMatchObject({ status: 'ready', size: 0, complete: false, sync: { phase: 'snapshot' } });
    store.setSync({ ...syncing, received: 42_000 });
    expect(store.getState().complete).toBe(false);
    // A first sync that failed rests at "live" without a syncedAt: still not known to be empty.
    store.setSync({ ...live, syncedAt: null });
    expect(store.getState().complete).toBe(false);
    store.setSync(live);
    expect(store.getState().complete).toBe(true);
    // Going offline later does not make an empty list look incomplete again.
    store.setSync({ ...live, phase: 'offline' });
    expect(store.getState().complete).toBe(true);
  });

  it('a sync state heard after the snapshot was asked for wins over the one in its answer', () => {
    const store = new ReplicaStore();
    const token = store.beginSnapshot();
    store.setSync({ ...live, phase: 'offline' });
    store.applySnapshot(token, snapshot(1, [], { sync: live }));
    expect(store.getState().sync?.phase).toBe('offline');
  });

  it('a failed snapshot is reported, and a retry clears the error', () => {
    const store = new ReplicaStore();
    store.snapshotFailed(store.beginSnapshot(), { code: 'internal', message: 'Lost contact with the host' });
    expect(store.getState()).toMatchObject({ status: 'error', error: { message: 'Lost contact with the host' } });
    store.beginSnapshot();
    expect(store.getState()).toMatchObject({ status: 'loading', error: null });
  });
});
