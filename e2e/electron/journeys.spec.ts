// The journeys of the screens issue, in the real Electron app: a real reference server per
// test, a fresh user-data folder per test, sign-in through the real login page opened in
// Chromium. (axe-core runs over the same renderer build in the serve-mode suite, e2e/.)
import { signIn, test } from './fixtures.ts';
import { JOURNEYS } from './journeys.ts';

test.describe('journeys in the Electron app', () => {
  for (const [title, journey] of Object.entries(JOURNEYS)) {
    test(title, async ({ desktop, server, loginBrowser }) => {
      await journey({
        window: desktop.window,
        issuer: server.issuer,
        signIn: (user) => signIn(desktop, loginBrowser, server, user),
        readClipboard: () => desktop.readClipboard(),
        stopServer: () => server.stop(),
        startServer: () => server.start(),
      });
    });
  }
});
