// The services' side effects in Electron's main process: keytar for the keychain, electron-store
// for settings and the offline cache, Electron's clipboard, the system clock.
import { clipboard } from 'electron';
import Store from 'electron-store';
import type { ContractEvent, EventPayload } from '../shared/contract.ts';
import type { AppEffects } from './services/app.ts';
import type { KeyValueStore, LogEffect } from './services/effects.ts';
import { systemClock } from './services/effects.ts';
import { createKeytarKeychain } from './services/keychain.ts';

function isUnreadable(error: unknown): boolean {
  return error instanceof Error && error.name === 'SyntaxError';
}

/** electron-store under the user data folder; a file that is no longer JSON is discarded, with a log line. */
function createElectronStore(log: LogEffect) {
  return (name: string): KeyValueStore => {
    const options = { name, accessPropertiesByDotNotation: false, configFileMode: 0o600 } as const;
    let store: Store<Record<string, unknown>>;
    try {
      store = new Store<Record<string, unknown>>({ ...options, clearInvalidConfig: false });
    } catch (error) {
      if (!isUnreadable(error)) throw error;
      log({ level: 'warn', event: 'store.discarded', store: name, message: `The local ${name} file could not be read and was discarded.` });
      store = new Store<Record<string, unknown>>({ ...options, clearInvalidConfig: true });
    }
    return {
      get: (key) => store.get(key),
      set: (key, value) => store.set(key, value),
      delete: (key) => store.delete(key),
      clear: () => store.clear(),
    };
  };
}

export function createElectronEffects(options: {
  emit<E extends ContractEvent>(event: E, payload: EventPayload<E>): void;
  log: LogEffect;
  issuerUrl?: string;
}): Omit<AppEffects, 'openBrowser'> {
  return {
    keychain: createKeytarKeychain(),
    createStore: createElectronStore(options.log),
    clipboard: {
      readText: async () => clipboard.readText(),
      writeText: async (text) => clipboard.writeText(text),
    },
    clock: systemClock,
    emit: options.emit,
    log: options.log,
    ...(options.issuerUrl ? { defaults: { issuerUrl: options.issuerUrl } } : {}),
  };
}
