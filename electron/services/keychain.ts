// The OS keychain behind a small interface. In the app it is keytar (Secret Service on Linux,
// Keychain on macOS, Credential Vault on Windows); every failure of the keychain itself is
// reported as KeychainUnavailableError so callers can fall back to "not remembered".
import { errorMessage } from './effects.ts';

export const KEYCHAIN_SERVICE = 'ThetaSecure Admin';

export interface Keychain {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, value: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials?(service: string): Promise<Array<{ account: string; password: string }>>;
}

export class KeychainUnavailableError extends Error {
  override name = 'KeychainUnavailableError';
}

export function isKeychainUnavailable(error: unknown): error is KeychainUnavailableError {
  return error instanceof KeychainUnavailableError;
}

type KeytarModule = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
};

/**
 * keytar, loaded on first use. A keyring that never answers (a locked keyring waiting for a
 * prompt nobody sees) counts as unavailable after `timeoutMs`, so sign-in is never stuck on it.
 */
export function createKeytarKeychain(options: { timeoutMs?: number; /** Tests: a module that is not installed stands in for a keytar npm could not build. */ moduleName?: string } = {}): Keychain {
  const timeoutMs = options.timeoutMs ?? 5_000;
  let loaded: Promise<KeytarModule> | undefined;
  const load = (): Promise<KeytarModule> => {
    // keytar is an optional dependency (it may have failed to build at install): loaded here, lazily, never at import time.
    loaded ??= (options.moduleName ? import(options.moduleName) : import('keytar')).then(
      (module) => ((module as { default?: KeytarModule }).default ?? module) as KeytarModule,
      (error: unknown) => {
        throw new KeychainUnavailableError(`The OS keychain module could not be loaded: ${errorMessage(error)}`);
      },
    );
    return loaded;
  };

  async function call<T>(what: string, run: (keytar: KeytarModule) => Promise<T>): Promise<T> {
    const keytar = await load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KeychainUnavailableError(`The OS keychain did not answer ${what} within ${timeoutMs} ms.`)), timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([run(keytar), timeout]);
    } catch (error) {
      if (error instanceof KeychainUnavailableError) throw error;
      throw new KeychainUnavailableError(`The OS keychain is not available (${what}): ${errorMessage(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    getPassword: (service, account) => call('a read', (k) => k.getPassword(service, account)),
    setPassword: (service, account, value) => call('a write', (k) => k.setPassword(service, account, value)),
    deletePassword: (service, account) => call('a delete', (k) => k.deletePassword(service, account)),
    findCredentials: (service) => call('a search', (k) => k.findCredentials(service)),
  };
}

export interface KeychainStatus {
  available: boolean;
  /** Why not, in words for a log line or the UI. */
  reason?: string;
}

/** One harmless read: answers whether the keychain can be used right now. */
export async function probeKeychain(keychain: Keychain): Promise<KeychainStatus> {
  try {
    await keychain.getPassword(KEYCHAIN_SERVICE, 'availability-probe');
    return { available: true };
  } catch (error) {
    return { available: false, reason: errorMessage(error) };
  }
}
