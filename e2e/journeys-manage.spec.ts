// Journey 4 (edit and delete) of issue 4, plus the edit rules the issue lists: a default client
// shows the page's warning, and a change made elsewhere meanwhile is reported without losing
// the user's edits.
import { expect, test } from './fixtures.ts';
import { checkScreen, countText, createSyncConnector, row, signIn } from './journey-helpers.ts';

const DEFAULT_WARNING = 'Avoid modifying or deleting the default clients. These are required for core platform functionality including mobile authentication, desktop agent connectivity, and directory synchronization.';

test('edit changes the name and the list shows it; delete removes it; deleting a default client needs its typed client ID', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin);
  await createSyncConnector(page, 'Directory Sync — Paris', 'LDAP profile for the Paris office');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Edit: the form comes prefilled; a Sync Connector keeps its preset, so only its own fields show.
  await row(page, 'Directory Sync — Paris').getByRole('button', { name: 'Edit Directory Sync — Paris' }).click();
  const edit = page.getByRole('dialog', { name: /^Edit Client/ });
  await expect(edit.getByLabel('Client Name')).toHaveValue('Directory Sync — Paris');
  await expect(edit.getByLabel('Description')).toHaveValue('LDAP profile for the Paris office');
  await expect(edit.getByRole('checkbox')).toHaveCount(0);
  await edit.getByLabel('Client Name').fill('Directory Sync — Lyon');
  await checkScreen(page, 'edit-client');
  await edit.getByRole('button', { name: 'Save Changes' }).click();
  await expect(edit).toBeHidden();
  await expect(row(page, 'Directory Sync — Lyon')).toBeVisible();
  await expect(row(page, 'Directory Sync — Paris')).toHaveCount(0);
  const stored = (await app.server().clients.list({ q: 'Directory Sync' })).items;
  expect(stored.map((client) => client.name)).toEqual(['Directory Sync — Lyon']);

  // Delete a custom client: one confirmation.
  await row(page, 'Directory Sync — Lyon').getByRole('button', { name: 'Delete Directory Sync — Lyon' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete Directory Sync — Lyon?' });
  await expect(confirm).toContainText(stored[0]!.clientId);
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(row(page, 'Directory Sync — Lyon')).toHaveCount(0);
  await expect(countText(page)).toHaveText('5 of 5 clients');

  // Delete a default client: the page's warning, and the client ID typed to confirm.
  await row(page, 'ThetaSecure Desktop Agent').getByRole('button', { name: 'Delete ThetaSecure Desktop Agent' }).click();
  const confirmDefault = page.getByRole('alertdialog', { name: 'Delete ThetaSecure Desktop Agent?' });
  await expect(confirmDefault).toContainText(DEFAULT_WARNING);
  const deleteButton = confirmDefault.getByRole('button', { name: 'Delete', exact: true });
  const typed = confirmDefault.getByLabel(/^Type thetasecure-desktop-agent to confirm/);
  await expect(deleteButton).toBeDisabled();
  await typed.fill('thetasecure-desktop');
  await expect(deleteButton).toBeDisabled();
  await deleteButton.click({ force: true });
  await expect(confirmDefault.getByText("That is not this client's ID. Type thetasecure-desktop-agent exactly.")).toBeVisible();
  await checkScreen(page, 'delete-default-client');
  expect(await app.server().clients.get('thetasecure-desktop-agent')).not.toBeNull();
  await typed.fill('thetasecure-desktop-agent');
  await expect(deleteButton).toBeEnabled();
  await deleteButton.click();
  await expect(confirmDefault).toBeHidden();
  await expect(row(page, 'ThetaSecure Desktop Agent')).toHaveCount(0);
  await expect(countText(page)).toHaveText('4 of 4 clients');
  expect(await app.server().clients.get('thetasecure-desktop-agent')).toBeNull();
});

test('editing a default client shows the warning; a change made elsewhere meanwhile is reported, the edits are kept, and reloading brings the latest version', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin);
  await row(page, 'Admin Client').getByRole('button', { name: 'Edit Admin Client' }).click();
  const edit = page.getByRole('dialog', { name: /^Edit Client/ });
  await expect(edit).toContainText(DEFAULT_WARNING);
  await expect(edit.getByLabel('Client Name')).toHaveValue('Admin Client');
  await expect(edit.getByRole('checkbox', { name: 'Client Credentials', exact: true })).toBeChecked();
  await edit.getByLabel('Description').fill('Platform automation for the operations team');
  await checkScreen(page, 'edit-default-client');

  // Someone else renames it through the server while this form is open.
  const current = await app.server().clients.get('ts_admin_client');
  if (!current) throw new Error('ts_admin_client is missing');
  const { name: _name, clientId: _id, secrets: _secrets, createdAt: _created, updatedAt: _updated, version: _version, ...settings } = current;
  const changed = await app.server().clients.update('ts_admin_client', current.version, { ...settings, name: 'Admin Client (ops)' }, 'someone-else');
  expect(changed.ok).toBe(true);

  await edit.getByRole('button', { name: 'Save Changes' }).click();
  await expect(edit.getByRole('alert').filter({ hasText: 'Someone else changed this client' })).toBeVisible();
  await expect(edit.getByLabel('Description')).toHaveValue('Platform automation for the operations team');
  await checkScreen(page, 'edit-conflict');
  await edit.getByRole('button', { name: 'Reload latest version' }).click();
  await expect(edit.getByLabel('Client Name')).toHaveValue('Admin Client (ops)');
  await expect(edit.getByLabel('Description')).toHaveValue('Platform automation for the operations team');
  await edit.getByRole('button', { name: 'Save Changes' }).click();
  await expect(edit).toBeHidden();

  const saved = await app.server().clients.get('ts_admin_client');
  expect(saved).toMatchObject({ name: 'Admin Client (ops)', description: 'Platform automation for the operations team', kind: 'default' });
  await expect(row(page, 'Admin Client (ops)')).toContainText('Platform automation for the operations team');
});
