// A clock the test moves by hand, for timers measured in seconds and minutes (clipboard clear,
// secret handles, sign-in timeout, probe backoff). Timers run in due order; `advance` lets the
// promises each timer starts settle before it returns.
import type { Clock } from '../effects.ts';

export interface ManualClock extends Clock {
  advance(ms: number): Promise<void>;
  pending(): number;
}

export function createManualClock(start = Date.parse('2026-11-26T12:00:00.000Z')): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { due: number; fn: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 20; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { due: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.due <= target).sort((a, b) => a[1].due - b[1].due || a[0] - b[0])[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].due;
        // A timer whose work is async (clearing the clipboard runs xsel) is waited for.
        const result: unknown = (due[1].fn as () => unknown)();
        if (result instanceof Promise) await result;
        await settle();
      }
      now = target;
      await settle();
    },
    pending: () => timers.size,
  };
}
