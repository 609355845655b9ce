// The key-value store under plain Node: `conf` (electron-store is `conf` plus Electron paths and
// cannot be imported outside Electron). A file that is not valid JSON any more is discarded
// with a log line instead of crashing every later read.
import Conf from 'conf';
import type { KeyValueStore, LogEffect } from './effects.ts';
import { errorMessage, silentLog } from './effects.ts';

export function createConfStore(dir: string, options: { log?: LogEffect } = {}): (name: string) => KeyValueStore {
  const log = options.log ?? silentLog;
  return (name) => {
    const open = () =>
      new Conf<Record<string, unknown>>({
        cwd: dir,
        configName: name,
        // Keys are issuer URLs and the like: dots in them are not paths.
        accessPropertiesByDotNotation: false,
        configFileMode: 0o600,
        clearInvalidConfig: false,
      });

    let conf: Conf<Record<string, unknown>>;
    const discard = (error: unknown) => {
      log({ level: 'warn', event: 'store.discarded', store: name, message: `The local ${name} file could not be read and was discarded.`, reason: errorMessage(error) });
      conf.clear();
    };
    // Conf reads the file on every access, so the file can turn bad between two calls.
    const guarded = <T>(run: () => T): T => {
      try {
        return run();
      } catch (error) {
        if (!isUnreadable(error)) throw error;
        discard(error);
        return run();
      }
    };

    try {
      conf = open();
    } catch (error) {
      if (!isUnreadable(error)) throw error;
      // Conf reads the file in its constructor; reopen with clearing on so the bad file goes.
      conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: name, accessPropertiesByDotNotation: false, configFileMode: 0o600, clearInvalidConfig: true });
      discard(error);
    }

    return {
      get: (key) => guarded(() => conf.get(key)),
      set: (key, value) => guarded(() => conf.set(key, value)),
      delete: (key) => guarded(() => conf.delete(key)),
      clear: () => conf.clear(),
    };
  };
}

function isUnreadable(error: unknown): boolean {
  return error instanceof SyntaxError || (error instanceof Error && error.name === 'SyntaxError');
}
