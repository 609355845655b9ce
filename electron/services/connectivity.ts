// Whether the ThetaSecure server can be reached. A failed call marks it offline at once; from
// then on a `/healthz` probe runs with exponential backoff until the server answers again, and
// the return is announced so the list is refreshed and a waiting session resumes. With a
// heartbeat, an idle app also probes while online, so it notices the server leaving without
// waiting for the user's next action.
import type { Connectivity } from '../../shared/contract.ts';
import type { Clock, LogEffect } from './effects.ts';
import { silentLog } from './effects.ts';

export interface ConnectivityMonitor {
  get(): Connectivity;
  isOnline(): boolean;
  /** A call reached the server (any HTTP answer counts). */
  reportReachable(): void;
  /** A call could not reach the server. Starts probing. */
  reportUnreachable(): void;
  /** Probes now; resolves to the state afterwards. */
  check(): Promise<boolean>;
  /** Starts over as online-unknown for a different server; stops probing. */
  reset(): void;
  dispose(): void;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

// Capped at 4 s: a probe is one small GET, and "Connected" should follow the server's return within 5 s.
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 4_000 };

export function createConnectivityMonitor(options: {
  probe: () => Promise<boolean>;
  clock: Clock;
  onChange: (state: Connectivity) => void;
  /** Runs after the state changed from offline to online. */
  onReturn?: () => void | Promise<void>;
  backoff?: BackoffOptions;
  /** While online, probe this often (ms). Off when absent. */
  heartbeatMs?: number;
  log?: LogEffect;
}): ConnectivityMonitor {
  const { clock } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const log = options.log ?? silentLog;
  let state: Connectivity = { online: true, since: new Date(clock.now()).toISOString() };
  let timer: unknown = null;
  let heartbeat: unknown = null;
  let delay = backoff.initialMs;
  let disposed = false;
  let generation = 0;

  const stopProbing = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };

  const stopHeartbeat = () => {
    if (heartbeat !== null) clock.clearTimeout(heartbeat);
    heartbeat = null;
  };

  const scheduleHeartbeat = () => {
    const every = options.heartbeatMs;
    if (!every || disposed || heartbeat !== null || !state.online) return;
    const runGeneration = generation;
    heartbeat = clock.setTimeout(() => {
      void options.probe().catch(() => false).then((reachable) => {
        heartbeat = null;
        if (disposed || runGeneration !== generation) return;
        if (reachable) scheduleHeartbeat();
        else change(false);
      });
    }, every);
  };

  const change = (online: boolean) => {
    if (state.online === online) return;
    state = { online, since: new Date(clock.now()).toISOString() };
    log({ level: 'info', event: online ? 'connectivity.online' : 'connectivity.offline' });
    options.onChange(state);
    if (online) {
      stopProbing();
      scheduleHeartbeat();
      delay = backoff.initialMs;
      void Promise.resolve()
        .then(() => options.onReturn?.())
        .catch((error: unknown) => log({ level: 'warn', event: 'connectivity.on-return-failed', reason: String(error) }));
    } else {
      stopHeartbeat();
      scheduleProbe();
    }
  };

  const scheduleProbe = () => {
    if (disposed || timer !== null) return;
    const runGeneration = generation;
    timer = clock.setTimeout(() => {
      timer = null;
      void options.probe().catch(() => false).then((reachable) => {
        if (disposed || runGeneration !== generation) return;
        if (reachable) {
          change(true);
        } else {
          delay = Math.min(delay * 2, backoff.maxMs);
          scheduleProbe();
        }
      });
    }, delay);
  };

  scheduleHeartbeat();

  return {
    get: () => state,
    isOnline: () => state.online,
    reportReachable: () => change(true),
    reportUnreachable: () => change(false),
    async check() {
      const reachable = await options.probe().catch(() => false);
      change(reachable);
      return reachable;
    },
    reset() {
      generation += 1;
      stopProbing();
      stopHeartbeat();
      delay = backoff.initialMs;
      if (!state.online) {
        state = { online: true, since: new Date(clock.now()).toISOString() };
        options.onChange(state);
      }
      scheduleHeartbeat();
    },
    dispose() {
      disposed = true;
      stopProbing();
      stopHeartbeat();
    },
  };
}
