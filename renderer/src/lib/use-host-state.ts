// What the host knows and pushes: the session, the connection to the server, the client list.
// Each hook loads once and then follows the host's events, so the screens never poll.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClientList, Connectivity, ContractError, Session } from '../../../shared/contract.ts';
import { call, subscribe } from './bridge.ts';

export function useSession(): { session: Session | null; error: ContractError | null; setSession: (session: Session) => void; retry: () => void } {
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    // An event newer than the answer to session:get must not be overwritten by that answer.
    let heardEvent = false;
    const unsubscribe = subscribe('session:changed', (next) => {
      heardEvent = true;
      if (live) setSession(next);
    });
    void call('session:get', {}).then((result) => {
      if (!live) return;
      if (result.ok) {
        if (!heardEvent) setSession(result.value);
        setError(null);
      } else setError(result.error);
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { session, error, setSession, retry };
}

export function useConnectivity(): Connectivity | null {
  const [connectivity, setConnectivity] = useState<Connectivity | null>(null);
  useEffect(() => {
    let live = true;
    const unsubscribe = subscribe('connectivity:changed', (next) => {
      if (live) setConnectivity(next);
    });
    void call('connectivity:get', {}).then((result) => {
      if (live && result.ok) setConnectivity((current) => current ?? result.value);
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  return connectivity;
}

const AUTO_REFRESH_MS = 60_000;

export interface ClientListState {
  list: ClientList | null;
  error: ContractError | null;
  loading: boolean;
  reload: () => void;
}

/** The list, reloaded when the host says clients changed or the connection came back. */
export function useClientList(connectivity: Connectivity | null): ClientListState {
  const [list, setList] = useState<ClientList | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [loading, setLoading] = useState(true);
  const latestRequest = useRef(0);

  const reload = useCallback(() => {
    const request = ++latestRequest.current;
    setLoading(true);
    void call('clients:list', {}).then((result) => {
      // An older answer arriving after a newer one must not win.
      if (request !== latestRequest.current) return;
      setLoading(false);
      if (result.ok) {
        setList(result.value);
        setError(null);
      } else {
        setError(result.error);
      }
    });
  }, []);

  useEffect(() => {
    reload();
    return subscribe('clients:changed', () => reload());
  }, [reload]);

  // Others change clients too: refresh now and then while the window is in use, and whenever
  // it comes back into view. (A stopped server is noticed by the host's heartbeat.)
  useEffect(() => {
    const refreshIfVisible = () => {
      if (document.visibilityState === 'visible') reload();
    };
    const timer = setInterval(refreshIfVisible, AUTO_REFRESH_MS);
    document.addEventListener('visibilitychange', refreshIfVisible);
    window.addEventListener('focus', refreshIfVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', refreshIfVisible);
      window.removeEventListener('focus', refreshIfVisible);
    };
  }, [reload]);

  // Going offline: ask again, so the list shown is the host's offline copy with its age. Coming
  // back needs nothing here: the host refetches and announces it (`clients:changed` "refreshed").
  const online = connectivity?.online;
  const previousOnline = useRef(online);
  useEffect(() => {
    if (previousOnline.current === true && online === false) reload();
    previousOnline.current = online;
  }, [online, reload]);

  return { list, error, loading, reload };
}

/** A clock for "cached 5 minutes ago" that ticks while something needs it. */
export function useNow(intervalMs: number, enabled = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, enabled]);
  return now;
}
