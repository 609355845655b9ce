// Tests share the login keyring of the machine (gnome-keyring keeps it in
// ~/.local/share/keyrings, across D-Bus sessions and between concurrent test runs), so each test
// deletes exactly the accounts it may have written, by name, rather than listing the keyring.
import type { Keychain } from '../keychain.ts';
import { KEYCHAIN_SERVICE } from '../keychain.ts';
import { lastSessionAccount, refreshTokenAccount } from '../session.ts';
import { replicaId, replicaKeyAccount } from '../sync/replica.ts';

export async function forgetKeychainEntries(keychain: Keychain, issuer: string, subjects: readonly string[]): Promise<void> {
  const accounts = [lastSessionAccount(issuer), ...subjects.flatMap((subject) => [refreshTokenAccount(issuer, subject), replicaKeyAccount(replicaId({ issuer, subject }))])];
  for (const account of accounts) await keychain.deletePassword(KEYCHAIN_SERVICE, account).catch(() => false);
}
