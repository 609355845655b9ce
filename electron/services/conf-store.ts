// The key-value store: `conf` under plain Node, electron-store (which is `conf` plus Electron's
// paths, and cannot be imported outside Electron) in the app. Both read their file on every
// access, so a file that stops being JSON — at start or between two calls — is discarded with a
// log line instead of crashing every later read.
import Conf from 'conf';
import type { KeyValueStore, LogEffect } from './effects.ts';
import { errorMessage, silentLog } from './effects.ts';

/** What conf and electron-store have in common. */
interface ConfLike {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  clear(): void;
}

/** Options both libraries take. Keys are issuer URLs and the like: dots in them are not paths. */
export const STORE_OPTIONS = { accessPropertiesByDotNotation: false, configFileMode: 0o600 } as const;

/**
 * Wraps a conf-like store so an unreadable file is discarded. `open(clearInvalidConfig)` opens
 * the store; it is reopened with clearing on when the constructor itself finds the file bad.
 */
export function guardUnreadable(name: string, log: LogEffect, open: (clearInvalidConfig: boolean) => ConfLike): KeyValueStore {
  const discard = (error: unknown) =>
    log({ level: 'warn', event: 'store.discarded', store: name, message: `The local ${name} file could not be read and was discarded.`, reason: errorMessage(error) });

  let store: ConfLike;
  try {
    store = open(false);
  } catch (error) {
    if (!isUnreadable(error)) throw error;
    store = open(true);
    discard(error);
  }
  const guarded = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (!isUnreadable(error)) throw error;
      discard(error);
      store.clear();
      return run();
    }
  };
  return {
    get: (key) => guarded(() => store.get(key)),
    set: (key, value) => guarded(() => store.set(key, value)),
    delete: (key) => guarded(() => store.delete(key)),
    clear: () => store.clear(),
  };
}

export function createConfStore(dir: string, options: { log?: LogEffect } = {}): (name: string) => KeyValueStore {
  const log = options.log ?? silentLog;
  return (name) =>
    guardUnreadable(name, log, (clearInvalidConfig) => new Conf<Record<string, unknown>>({ cwd: dir, configName: name, ...STORE_OPTIONS, clearInvalidConfig }));
}

function isUnreadable(error: unknown): boolean {
  return error instanceof SyntaxError || (error instanceof Error && error.name === 'SyntaxError');
}
