// The client list as the renderer holds it: the host's replica, taken once per window load with
// `clients:snapshot` and then kept in step by `clients:changed` events (see replica-store.ts).
// No polling and no refetch on focus: the host tells this window about every change, its own
// and other admins'. The Refresh button asks the host to read the server's change feed now.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { ContractError } from '../../../shared/contract.ts';
import { call, subscribe } from './bridge.ts';
import { SORT_KEYS } from './client-index.ts';
import { ReplicaStore } from './replica-store.ts';
import { SNAPSHOT_MARKS } from './snapshot-marks.ts';
import type { ReplicaState } from './replica-store.ts';

/** Rows of the first screen: a 4K screen's worth, at 52 px a row. */
const HEAD_ROWS = 60;

export interface ClientReplica {
  store: ReplicaStore;
  state: ReplicaState;
  /** Take the snapshot again (after it failed). */
  retry: () => void;
  /** Reads the server's change feed now; resolves with the error when it could not. */
  refresh: () => Promise<ContractError | null>;
  refreshing: boolean;
}

export function useClientReplica(): ClientReplica {
  const [store] = useState(() => new ReplicaStore());
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [refreshing, setRefreshing] = useState(false);

  const takeSnapshot = useCallback(() => {
    const token = store.beginSnapshot();
    // User Timing marks: where a window load's time goes (devtools' Performance panel, bench:sync).
    performance.mark(SNAPSHOT_MARKS.requested);
    const askForSnapshot = () =>
      void call('clients:snapshot', {}).then((result) => {
        performance.mark(SNAPSHOT_MARKS.received);
        if (result.ok) {
          if (store.applySnapshot(token, result.value)) prepareSortsWhenIdle(store);
          performance.mark(SNAPSHOT_MARKS.applied);
        } else store.snapshotFailed(token, result.error);
      });
    // The first screen first: a few kilobytes, on screen before the whole list (~60 MB at
    // 100,000 clients) is parsed. The snapshot is asked for after that frame is painted, so its
    // parse cannot hold the first rows back.
    void call('clients:head', { limit: HEAD_ROWS }).then((head) => {
      if (head.ok && store.applyHead(token, head.value)) {
        performance.mark(SNAPSHOT_MARKS.head);
        afterPaint(askForSnapshot);
      } else askForSnapshot();
    });
  }, [store]);

  useEffect(() => {
    // Subscribe first, so no change between the snapshot and its answer is missed.
    const unsubscribers = [
      subscribe('clients:changed', (event) => store.applyChange(event)),
      subscribe('sync:changed', (sync) => store.setSync(sync)),
      subscribe('clients:reset', () => {
        store.reset();
        takeSnapshot();
      }),
    ];
    takeSnapshot();
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [store, takeSnapshot]);

  const refresh = useCallback(async () => {
    setRefreshing(true);
    const result = await call('clients:refresh', {});
    setRefreshing(false);
    if (result.ok) {
      store.setSync(result.value);
      return null;
    }
    return result.error;
  }, [store]);

  return { store, state, retry: takeSnapshot, refresh, refreshing };
}

/** Runs `work` once the next frame is painted; in a hidden window (no frames), after 100 ms. */
function afterPaint(work: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    work();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 100);
}

/**
 * Sorting 100,000 clients by name takes longer than a frame, so each column's order is built
 * once, in idle time after the snapshot, one column per idle period; from then on it is kept
 * sorted change by change and a click on its header only switches to it. The search blocks
 * (the joined search text) come first, so the first keystroke does not build them.
 */
function prepareSortsWhenIdle(store: ReplicaStore): void {
  const whenIdle = (run: () => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(run, { timeout: 2000 }) : setTimeout(run, 50));
  const next = () => {
    if (!store.index.isSearchPrepared()) {
      store.index.prepareSearch();
      whenIdle(next);
      return;
    }
    const key = SORT_KEYS.find((k) => !store.index.isPrepared(k));
    if (!key) return;
    store.index.prepare(key);
    whenIdle(next);
  };
  whenIdle(next);
}
