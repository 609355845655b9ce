// The services' side effects in Electron's main process: keytar for the keychain, electron-store
// for settings and the offline cache, Electron's clipboard, the system clock.
import fs from 'node:fs/promises';
import path from 'node:path';
import { BrowserWindow, app, clipboard, dialog } from 'electron';
import Store from 'electron-store';
import type { ContractEvent, EventPayload } from '../shared/contract.ts';
import type { AppEffects } from './services/app.ts';
import type { KeyValueStore, LogEffect } from './services/effects.ts';
import { systemClock } from './services/effects.ts';
import { createKeytarKeychain } from './services/keychain.ts';
import { REPLICA_FOLDER } from './services/sync/replica.ts';
import { STORE_OPTIONS, guardUnreadable } from './services/conf-store.ts';

/** electron-store under the user data folder, guarded like the Node store against unreadable files. */
function createElectronStore(log: LogEffect) {
  return (name: string): KeyValueStore =>
    guardUnreadable(name, log, (clearInvalidConfig) => new Store<Record<string, unknown>>({ name, ...STORE_OPTIONS, clearInvalidConfig }));
}

export function createElectronEffects(options: {
  emit<E extends ContractEvent>(event: E, payload: EventPayload<E>): void;
  log: LogEffect;
  issuerUrl?: string;
}): Omit<AppEffects, 'openBrowser'> {
  return {
    keychain: createKeytarKeychain(),
    createStore: createElectronStore(options.log),
    replicaDir: path.join(app.getPath('userData'), REPLICA_FOLDER),
    clipboard: {
      readText: async () => clipboard.readText(),
      writeText: async (text) => clipboard.writeText(text),
    },
    clock: systemClock,
    // Exports (issue 11): the system's save dialog, then the file written by the main process.
    saveFile: async (suggestedName, text) => {
      const owner = BrowserWindow.getFocusedWindow();
      const dialogOptions = { defaultPath: path.join(app.getPath('documents'), suggestedName), filters: [{ name: 'JSON', extensions: ['json'] }] };
      const choice = (await (owner ? dialog.showSaveDialog(owner, dialogOptions) : dialog.showSaveDialog(dialogOptions))) as { canceled: boolean; filePath?: string };
      if (choice.canceled || !choice.filePath) return null;
      await fs.writeFile(choice.filePath, text, { mode: 0o600 });
      return choice.filePath;
    },
    emit: options.emit,
    log: options.log,
    ...(options.issuerUrl ? { defaults: { issuerUrl: options.issuerUrl } } : {}),
  };
}
