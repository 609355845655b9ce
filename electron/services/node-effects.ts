// The effects of a host that runs under plain Node (serve mode, tests): keytar for the keychain,
// `conf` files in a data folder for the store, clipboardy for the system clipboard (on Linux it
// drives xsel, its bundled copy when none is installed). The host supplies how to open a
// browser and where events go.
import path from 'node:path';
import type { AppEffects } from './app.ts';
import { createConfStore } from './conf-store.ts';
import type { ClipboardEffect, Clock, LogEffect } from './effects.ts';
import { systemClock } from './effects.ts';
import type { Keychain } from './keychain.ts';
import { createKeytarKeychain } from './keychain.ts';
import { REPLICA_FOLDER } from './sync/replica.ts';

export function createClipboardyClipboard(): ClipboardEffect {
  const load = async () => (await import('clipboardy')).default;
  return {
    readText: async () => (await load()).read(),
    writeText: async (text) => (await load()).write(text),
  };
}

export function createNodeEffects(options: {
  /** Folder for the settings and the (encrypted) offline cache files. */
  dataDir: string;
  openBrowser: AppEffects['openBrowser'];
  emit: AppEffects['emit'];
  log?: LogEffect;
  defaults?: AppEffects['defaults'];
  clock?: Clock;
  keychain?: Keychain;
  clipboard?: ClipboardEffect;
}): AppEffects {
  return {
    keychain: options.keychain ?? createKeytarKeychain(),
    createStore: createConfStore(options.dataDir, options.log ? { log: options.log } : {}),
    replicaDir: path.join(options.dataDir, REPLICA_FOLDER),
    clipboard: options.clipboard ?? createClipboardyClipboard(),
    openBrowser: options.openBrowser,
    clock: options.clock ?? systemClock,
    emit: options.emit,
    ...(options.log ? { log: options.log } : {}),
    ...(options.defaults ? { defaults: options.defaults } : {}),
  };
}
