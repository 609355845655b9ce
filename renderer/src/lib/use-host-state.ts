// What the host knows and pushes: the session and the connection to the server (the client list
// is `client-replica.ts`). Each hook loads once and then follows the host's events, so the
// screens never poll.
import { useCallback, useEffect, useState } from 'react';
import type { Connectivity, ContractError, Session } from '../../../shared/contract.ts';
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
