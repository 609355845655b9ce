// Issue 12, feedback: copying where the host has no clipboard (serve mode on a machine without a
// display server) goes through the browser's clipboard, and a copied secret is still cleared —
// only if the clipboard still holds it; when no clipboard works at all, the failure looks like an
// error and says what to do, in our words (never the clipboard library's).
import { expect, test } from './fixtures.ts';
import { clipboardWithoutDisplay } from '../electron/services/testing/clipboard-without-display.ts';
import { openCreateDialog, revealSecret, row, signIn } from './journey-helpers.ts';

test.describe('serve mode where the host has no clipboard (a stand-in that throws as clipboardy does without a display)', () => {
  test.use({ serveEffects: { clipboard: clipboardWithoutDisplay } });

  test("copying uses the browser's clipboard; the copied secret is cleared after the set seconds, and what the user copied since is left alone", async ({ page, context, app }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.appOrigin });
    await signIn(page, context, app, app.credentials.admin);
    const browserClipboard = () => page.evaluate(() => navigator.clipboard.readText());

    // A client ID.
    await row(page, 'Sync Service Client').getByRole('button', { name: 'View Sync Service Client' }).click();
    const panel = page.getByRole('dialog', { name: 'Sync Service Client' });
    await panel.getByRole('button', { name: 'Copy client ID ts_sync_client' }).click();
    await expect(panel.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
    await expect.poll(browserClipboard).toBe('ts_sync_client');
    await panel.getByRole('button', { name: 'Close details' }).click();

    // Clear after 5 seconds.
    await page.getByRole('button', { name: /^Account: / }).click();
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel(/^Clear clipboard after/).fill('5');
    await settings.getByRole('button', { name: 'Save Settings' }).click();
    await expect(settings.getByText('Settings saved.')).toBeVisible();
    await page.keyboard.press('Escape');

    const form = await openCreateDialog(page, 'Sync Connector Client');
    await form.getByLabel('Client Name').fill('Clipboard-less Connector');
    await form.getByRole('button', { name: 'Create Client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Client Created' });
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(dialog.getByRole('status').filter({ hasText: /^Copied — clipboard clears in \d s$/ })).toBeVisible();
    await expect(dialog.getByRole('alert')).toHaveCount(0);
    const secret = await revealSecret(dialog);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(await browserClipboard()).toBe(secret);
    await expect(dialog.getByRole('status').filter({ hasText: 'Clipboard cleared' })).toBeVisible({ timeout: 10_000 });
    await expect.poll(browserClipboard).toBe('');

    // Copied again, then the user copies something else: that stays.
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(browserClipboard).toBe(secret);
    await page.evaluate(() => navigator.clipboard.writeText('the user copied this'));
    await expect(dialog.getByRole('status').filter({ hasText: 'Clipboard left as it is' })).toBeVisible({ timeout: 10_000 });
    expect(await browserClipboard()).toBe('the user copied this');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();
  });

  test('with no clipboard at all, copying fails as an error that says what to do, never with the library’s words', async ({ page, context, app }) => {
    // The browser refuses too.
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')), readText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
    });
    await signIn(page, context, app, app.credentials.admin);
    await row(page, 'Admin Client').getByRole('button', { name: 'View Admin Client' }).click();
    const panel = page.getByRole('dialog', { name: 'Admin Client' });
    await panel.getByRole('button', { name: 'Copy client ID ts_admin_client' }).click();
    const idAlert = panel.getByRole('alert').filter({ hasText: 'Copy failed — select the text and copy it by hand.' });
    await expect(idAlert).toBeVisible();
    // The error colour, not the green of "Copied".
    const [failed, success] = await idAlert.evaluate((node) => {
      const probe = document.createElement('span');
      probe.className = 'copy-status';
      document.body.append(probe);
      const colours = [getComputedStyle(node).color, getComputedStyle(probe).color];
      probe.remove();
      return colours;
    });
    expect(failed).not.toBe(success);
    await panel.getByRole('button', { name: 'Close details' }).click();

    const form = await openCreateDialog(page, 'Sync Connector Client');
    await form.getByLabel('Client Name').fill('Nowhere to copy');
    await form.getByRole('button', { name: 'Create Client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Client Created' });
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    const alert = dialog.getByRole('alert').filter({ hasText: 'Copy failed — reveal the secret and copy it by hand.' });
    await expect(alert).toBeVisible();
    await expect(alert.locator('svg')).toHaveCount(1);
    await expect(dialog).not.toContainText(/Docker|CI servers|display server|X11/);
    await expect(dialog.getByRole('status').filter({ hasText: 'Copied' })).toHaveCount(0);
    // What it says works: Reveal shows the secret, to copy by hand.
    await dialog.getByRole('button', { name: 'Reveal' }).click();
    await expect(dialog.getByTestId('client-secret-value')).toHaveText(/^[A-Za-z0-9_-]{40,}$/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();
  });
});
