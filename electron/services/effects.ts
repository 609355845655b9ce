// The side effects the services are given instead of reaching for them: each host (Electron's
// main process, serve mode, a test) passes its own, so every service runs under plain Node.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    // A pending clipboard clear or token refresh must not keep a CLI host alive on its own.
    timer.unref?.();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ClipboardEffect {
  readText(): Promise<string>;
  writeText(text: string): Promise<void>;
}

/** electron-store in Electron, `conf` under Node: both have this shape. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  clear(): void;
}

/** Structured log lines. Callers never put a secret, token, password or code in an entry. */
export type LogEffect = (entry: Record<string, unknown>) => void;

export const silentLog: LogEffect = () => {};

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
