// Issue 4, sign-in screen: "a notice when sign-in will not be remembered because no keychain is
// available". A Secret Service that is absent cannot be simulated inside this test process (it
// shares one D-Bus connection with the other tests), so serve mode is given a keychain that
// fails like keytar does without one — the one stand-in here, named in the test's title.
import { KeychainUnavailableError } from '../electron/services/keychain.ts';
import type { Keychain } from '../electron/services/keychain.ts';
import { expect, test } from './fixtures.ts';
import { checkScreen, countText, signIn } from './journey-helpers.ts';

const noSecretService = (): never => {
  throw new KeychainUnavailableError('The OS keychain is not available: no Secret Service on the session bus.');
};
const absentKeychain: Keychain = {
  getPassword: async () => noSecretService(),
  setPassword: async () => noSecretService(),
  deletePassword: async () => noSecretService(),
};

test.use({ serveEffects: { keychain: absentKeychain } });

test('without a keychain (stand-in keychain that is unavailable), sign-in says it will not be remembered, then works in memory', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin, {
    onSignInScreen: async () => {
      await expect(page.getByRole('note').filter({ hasText: 'Sign-in will not be remembered.' })).toBeVisible();
      await checkScreen(page, 'sign-in-no-keychain');
    },
  });
  await expect(countText(page)).toHaveText('5 of 5 clients');

  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('menuitem', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toContainText('Signed in as Administrator');
  await expect(settings).not.toContainText('remembered on this computer');
});
