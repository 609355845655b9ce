import { describe, expect, it } from 'vitest';
import type { Connectivity } from '../../shared/contract.ts';
import { createConnectivityMonitor } from './connectivity.ts';
import { createManualClock } from './testing/manual-clock.ts';

// The backoff schedule, on an injected clock with a scripted probe (the server's real /healthz
// and real outages are exercised in app-against-real-server.test.ts).
describe('connectivity backoff (injected clock, scripted probe)', () => {
  it('goes offline on a failed call, probes at 1, 2, 4 s and then every 4 s (so the return is seen within 5 s), and announces the return once', async () => {
    const clock = createManualClock();
    const probes: number[] = [];
    let serverUp = false;
    const changes: Connectivity[] = [];
    let returns = 0;
    const monitor = createConnectivityMonitor({
      clock,
      probe: async () => {
        probes.push(clock.now());
        return serverUp;
      },
      onChange: (state) => changes.push(state),
      onReturn: () => {
        returns += 1;
      },
    });
    const start = clock.now();
    expect(monitor.isOnline()).toBe(true);
    monitor.reportUnreachable();
    expect(changes).toEqual([{ online: false, since: new Date(start).toISOString() }]);
    monitor.reportUnreachable(); // a second failure does not announce again

    await clock.advance(120_000);
    const gaps = probes.map((at, i) => at - (i === 0 ? start : probes[i - 1]!));
    expect(gaps.slice(0, 7)).toEqual([1_000, 2_000, 4_000, 4_000, 4_000, 4_000, 4_000]);

    serverUp = true;
    await clock.advance(4_000);
    expect(changes.map((c) => c.online)).toEqual([false, true]);
    expect(returns).toBe(1);
    const probesWhenBack = probes.length;
    await clock.advance(300_000);
    expect(probes.length).toBe(probesWhenBack); // no probing while online
  });

  it('a successful call ends probing at once; dispose stops the timer', async () => {
    const clock = createManualClock();
    let probes = 0;
    const monitor = createConnectivityMonitor({ clock, probe: async () => (probes += 1) < 0, onChange: () => {} });
    monitor.reportUnreachable();
    await clock.advance(1_000);
    expect(probes).toBe(1);
    monitor.reportReachable();
    expect(monitor.get().online).toBe(true);
    expect(clock.pending()).toBe(0);
    monitor.reportUnreachable();
    monitor.dispose();
    expect(clock.pending()).toBe(0);
  });

  it('with a heartbeat, an idle online app notices the server leaving, then probes with backoff until it is back', async () => {
    const clock = createManualClock();
    let serverUp = true;
    let probes = 0;
    const changes: boolean[] = [];
    const monitor = createConnectivityMonitor({
      clock,
      heartbeatMs: 15_000,
      probe: async () => {
        probes += 1;
        return serverUp;
      },
      onChange: (state) => changes.push(state.online),
    });
    await clock.advance(45_000);
    expect(probes).toBe(3);
    expect(changes).toEqual([]);
    serverUp = false;
    await clock.advance(15_000);
    expect(changes).toEqual([false]);
    serverUp = true;
    await clock.advance(1_000);
    expect(changes).toEqual([false, true]);
    monitor.dispose();
    expect(clock.pending()).toBe(0);
  });
});
