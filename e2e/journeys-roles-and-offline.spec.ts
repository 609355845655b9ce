// Journeys 5 and 6 of issue 4: a helpdesk user (read-only role) sees no create, edit or delete
// anywhere but can still copy; with the server stopped the app shows the cached list, the
// banner and disabled writes, and goes back to live on its own when the server returns.
import clipboard from 'clipboardy';
import { expect, test } from './fixtures.ts';
import { checkScreen, countText, DEFAULT_CLIENT_NAMES, row, signIn } from './journey-helpers.ts';

test('a helpdesk user sees the clients but no create, edit or delete anywhere; copying a client ID still works', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.helpdesk);
  await expect(countText(page)).toHaveText('5 of 5 clients');
  await expect(page.getByText('Read-only access')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Account: / })).toContainText('Helpdesk · read-only');

  await expect(page.getByRole('button', { name: 'Create Client' })).toHaveCount(0);
  for (const name of DEFAULT_CLIENT_NAMES) {
    await expect(row(page, name).getByRole('button', { name: `View ${name}` })).toBeVisible();
  }
  await expect(page.getByRole('button', { name: /^(Edit|Delete) / })).toHaveCount(0);

  await row(page, 'Sync Service Client').getByRole('button', { name: 'View Sync Service Client' }).click();
  const panel = page.getByRole('dialog', { name: 'Sync Service Client' });
  await expect(panel).toContainText('ts_sync_client');
  await expect(panel.getByRole('button', { name: 'Edit Client' })).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Delete' })).toHaveCount(0);

  await panel.getByRole('button', { name: 'Copy client ID ts_sync_client' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  if (process.env.DISPLAY) {
    await expect.poll(() => clipboard.read()).toBe('ts_sync_client');
  } else {
    console.log('helpdesk journey: no X display, so the system clipboard was not read back (the "Copied" confirmation was checked).');
  }
  await checkScreen(page, 'helpdesk-read-only');

  // Sign out, removing the offline copy: back to the sign-in screen.
  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('menuitem', { name: 'Sign out…' }).click();
  const signOut = page.getByRole('dialog', { name: 'Sign out' });
  await signOut.getByRole('checkbox', { name: 'Also remove offline data from this computer' }).check();
  await checkScreen(page, 'sign-out');
  await signOut.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to manage OAuth Clients' })).toBeVisible();
});

test('server stopped: the cached list, the offline banner and disabled writes with the reason; server back: live again on its own', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin);
  await expect(countText(page)).toHaveText('5 of 5 clients');
  const create = page.getByRole('button', { name: 'Create Client' });
  await expect(create).toBeEnabled();

  await app.stopServer();
  // The app notices at its next call: here the user refreshes the list, and is told it cannot.
  await page.getByRole('button', { name: 'Refresh list' }).click();
  await expect(page.getByText('Offline — cannot refresh now')).toBeVisible({ timeout: 20_000 });
  const banner = page.getByRole('status').filter({ hasText: /^Offline — showing clients cached / });
  await expect(banner).toBeVisible({ timeout: 20_000 });
  // The time the copy was taken and its age: "cached at 14:02, just now".
  await expect(banner).toContainText(/Offline — showing clients cached at .+, just now/);
  await expect(countText(page)).toHaveText('5 of 5 clients');
  for (const name of DEFAULT_CLIENT_NAMES) await expect(row(page, name)).toBeVisible();

  // Writes are disabled, and say why.
  const reason = 'Offline: creating, editing and deleting clients is disabled until the server can be reached again.';
  await expect(create).toBeDisabled();
  await expect(create).toHaveAccessibleDescription(reason);
  const edit = row(page, 'Admin Client').getByRole('button', { name: 'Edit Admin Client' });
  await expect(edit).toBeDisabled();
  await expect(row(page, 'Admin Client').getByRole('button', { name: 'Delete Admin Client' })).toBeDisabled();
  await edit.hover();
  await expect(page.getByRole('tooltip')).toHaveText(reason);
  await edit.click({ force: true });
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // Reading still works offline: the details panel opens from the cached copy.
  await row(page, 'Admin Client').getByRole('button', { name: 'View Admin Client' }).click();
  const panel = page.getByRole('dialog', { name: 'Admin Client' });
  await expect(panel.getByRole('button', { name: 'Edit Client' })).toBeDisabled();
  await checkScreen(page, 'offline');
  await page.keyboard.press('Escape');

  // The server comes back: the app finds out by itself.
  await app.restartServer();
  await expect(banner).toBeHidden({ timeout: 30_000 });
  await expect(create).toBeEnabled();
  await expect(row(page, 'Admin Client').getByRole('button', { name: 'Edit Admin Client' })).toBeEnabled();
  await create.click();
  await expect(page.getByRole('dialog', { name: 'Create OAuth Client' })).toBeVisible();
});
