// The OS keychain against a real Secret Service: run inside
//   dbus-run-session -- sh -c 'printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run electron/services/keychain.test.ts'
// Without a Secret Service the test skips, saying so; keychain-unavailable.test.ts covers that case.
// (The replica's key in the keychain is tested in sync/replica-against-real-server.test.ts.)
import { describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, createKeytarKeychain, probeKeychain } from './keychain.ts';

const keychain = createKeytarKeychain();
const status = await probeKeychain(keychain);
const reason = `no Secret Service answers (${status.reason ?? ''}); run inside dbus-run-session with gnome-keyring`;
if (!status.available) console.warn(`[skip] keychain.test.ts: ${reason}`);

describe('keychain (keytar against gnome-keyring)', () => {
  it('stores, finds and deletes a password', async (ctx) => {
    ctx.skip(!status.available, reason);
    const account = `https://login-${Math.random().toString(36).slice(2)}.example.com|probe-user`;
    try {
      await keychain.setPassword(KEYCHAIN_SERVICE, account, 'value-1');
      expect(await keychain.getPassword(KEYCHAIN_SERVICE, account)).toBe('value-1');
      expect(await keychain.deletePassword(KEYCHAIN_SERVICE, account)).toBe(true);
      expect(await keychain.getPassword(KEYCHAIN_SERVICE, account)).toBeNull();
    } finally {
      await keychain.deletePassword(KEYCHAIN_SERVICE, account).catch(() => false);
    }
  });
});
