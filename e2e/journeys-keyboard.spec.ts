// Issue 12, keyboard: from sign-in to a created client with the keyboard alone (keyboard.press
// only: no click, no fill, no pointer), and Tab order following the order on screen in the
// dialogs and the details panel.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { row } from './journey-helpers.ts';

async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === document.activeElement).catch(() => false);
}

/** Presses Tab until `target` has the focus (at most `max` times); fails if it never does. */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let presses = 0; presses <= max; presses += 1) {
    if (await isFocused(target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Types `text` one key press at a time. */
async function typeKeys(page: Page, text: string): Promise<void> {
  for (const character of text) await page.keyboard.press(character === ' ' ? 'Space' : character);
}

interface Step {
  from: string;
  to: string;
  /** Both boxes, measured together once the focus has moved (scrolled as the browser scrolled them). */
  before: { top: number; bottom: number; left: number };
  after: { top: number; bottom: number; left: number };
}

/**
 * Tabs from the focused element through `container` until the focus leaves it or comes back to
 * where it started (a dialog's focus trap wraps), and returns each move with the boxes of the
 * two elements, measured at the same moment.
 */
async function tabSteps(page: Page, container: Locator, max = 80): Promise<Step[]> {
  await page.evaluate(() => {
    const w = window as unknown as { tabWalk: { start: Element | null; previous: Element | null } };
    w.tabWalk = { start: document.activeElement, previous: document.activeElement };
  });
  const steps: Step[] = [];
  for (let presses = 0; presses < max; presses += 1) {
    await page.keyboard.press('Tab');
    const inside = await container.evaluate((element) => element.contains(document.activeElement));
    if (!inside) break;
    const step = await page.evaluate(() => {
      const w = window as unknown as { tabWalk: { start: Element | null; previous: Element | null } };
      const current = document.activeElement;
      const previous = w.tabWalk.previous;
      if (!current || !previous || current === w.tabWalk.start) return null;
      w.tabWalk.previous = current;
      const box = (element: Element) => {
        const rect = element.getBoundingClientRect();
        return { top: rect.top, bottom: rect.bottom, left: rect.left };
      };
      const name = (element: Element) => `${element.tagName.toLowerCase()} "${element.getAttribute('aria-label') || (element.textContent ?? '').trim().slice(0, 40) || element.id}"`;
      return { from: name(previous), to: name(current), before: box(previous), after: box(current) };
    });
    if (!step) break;
    steps.push(step);
  }
  return steps;
}

/** Each move goes to the same line and further right, or further down. */
function outOfOrder(steps: Step[]): string[] {
  return steps
    .filter(({ before, after }) => {
      const sameLine = after.top < before.bottom - 2 && after.bottom > before.top + 2;
      return sameLine ? after.left < before.left - 2 : after.top < before.top - 2;
    })
    .map((step) => `${step.from} → ${step.to}`);
}

test('from sign-in to a created client with the keyboard alone; Tab order follows the screen in the dialogs and the panel', async ({ page, context, app }) => {
  test.setTimeout(180_000);
  await page.goto(app.appUrl);
  await expect(page.getByRole('heading', { name: 'Sign in to manage OAuth Clients' })).toBeVisible();

  // Sign in: Enter on "Sign in" opens the server's login page in a new tab.
  await tabTo(page, page.getByRole('button', { name: 'Sign in', exact: true }));
  const loginTab = context.waitForEvent('page');
  await page.keyboard.press('Enter');
  const login = await loginTab;
  await login.waitForURL((url) => url.origin === new URL(app.issuer).origin);
  const username = login.getByLabel('Username');
  await expect(username).toBeVisible();
  await tabTo(login, username);
  await typeKeys(login, app.credentials.admin.username);
  await login.keyboard.press('Tab');
  await expect(login.getByLabel('Password')).toBeFocused();
  await typeKeys(login, app.credentials.admin.password);
  await login.keyboard.press('Enter');
  await expect(login.getByText(/Signed in/)).toBeVisible();
  await login.close();
  await expect(page.getByRole('heading', { name: 'OAuth Clients', exact: true, level: 1 })).toBeVisible();
  await expect(row(page, 'Admin Client')).toBeVisible();

  // Create Client → Custom Client: the form opens with the keyboard in Client Name.
  await tabTo(page, page.getByRole('button', { name: 'Create Client' }));
  await page.keyboard.press('Enter');
  const choose = page.getByRole('dialog', { name: 'Create OAuth Client' });
  await expect(choose).toBeVisible();
  await tabTo(page, choose.getByRole('button', { name: /^Custom Client/ }));
  await page.keyboard.press('Enter');
  const form = page.getByRole('dialog', { name: 'Create Custom Client' });
  await expect(form.getByLabel('Client Name')).toBeFocused();

  // The form's Tab order is the order on screen (from its first stop, the Close button, until
  // the focus trap comes back to it); then back to Client Name to fill it in.
  await tabTo(page, form.getByRole('button', { name: 'Close', exact: true }));
  const formSteps = await tabSteps(page, form);
  expect(formSteps.length).toBeGreaterThan(10);
  expect(outOfOrder(formSteps)).toEqual([]);
  await tabTo(page, form.getByLabel('Client Name'));

  await typeKeys(page, 'Keyboard App');
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Description')).toBeFocused();
  await typeKeys(page, 'Made without a mouse');
  await tabTo(page, form.getByRole('textbox', { name: /^Redirect URIs/ }));
  await typeKeys(page, 'https://keys.example.com/callback');
  await page.keyboard.press('Enter');
  await expect(form.getByRole('list', { name: 'Redirect URIs' }).getByRole('listitem')).toHaveCount(1);
  await tabTo(page, form.getByRole('checkbox', { name: 'Authorization Code', exact: true }));
  await page.keyboard.press('Space');
  await expect(form.getByRole('checkbox', { name: 'Authorization Code', exact: true })).toBeChecked();
  await tabTo(page, form.getByRole('combobox', { name: /^Scopes/ }));
  await typeKeys(page, 'openid profile');
  await page.keyboard.press('Enter');
  await expect(form.getByRole('list', { name: 'Scopes' }).getByRole('listitem')).toHaveCount(2);
  await tabTo(page, form.getByRole('button', { name: 'Create Client' }));
  await page.keyboard.press('Enter');

  // The secret, shown once: its Tab order too; Reveal, then Done.
  const secret = page.getByRole('dialog', { name: 'Client Created' });
  await expect(secret).toBeVisible();
  await tabTo(page, secret.getByRole('button', { name: 'Close', exact: true }));
  expect(outOfOrder(await tabSteps(page, secret))).toEqual([]);
  await tabTo(page, secret.getByRole('button', { name: 'Reveal' }));
  await page.keyboard.press('Enter');
  await expect(secret.getByTestId('client-secret-value')).toHaveText(/^[A-Za-z0-9_-]{40,}$/);
  await tabTo(page, secret.getByRole('button', { name: 'Done' }));
  await page.keyboard.press('Enter');
  await expect(secret).toBeHidden();

  // Created: in the list, and in the panel, whose Tab order follows the screen as well.
  await expect(row(page, 'Keyboard App')).toBeVisible();
  expect((await app.server().clients.list({ q: 'Keyboard App' })).items.map((client) => client.name)).toEqual(['Keyboard App']);
  const panel = page.getByRole('dialog', { name: 'Keyboard App' });
  await expect(panel).toBeVisible();
  await tabTo(page, panel.getByRole('button', { name: 'Close details' }), 80);
  const panelSteps = await tabSteps(page, panel);
  expect(panelSteps.length).toBeGreaterThan(5);
  expect(outOfOrder(panelSteps)).toEqual([]);

  // The panel's dialogs, opened from the keyboard: edit, rotate, delete.
  for (const [button, dialog] of [
    [panel.getByRole('button', { name: 'Edit Client' }), page.getByRole('dialog', { name: /^Edit Client/ })],
    [panel.getByRole('button', { name: 'Rotate secret…' }), page.getByRole('dialog', { name: 'Rotate secret of Keyboard App' })],
    [panel.getByRole('button', { name: 'Delete' }), page.getByRole('alertdialog', { name: 'Delete Keyboard App?' })],
  ] as const) {
    await tabTo(page, button, 80);
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    // From its first stop (the Close button, or Cancel where there is none), round the focus trap back to it.
    const close = dialog.getByRole('button', { name: 'Close', exact: true });
    await tabTo(page, (await close.count()) ? close : dialog.getByRole('button', { name: 'Cancel' }));
    expect(outOfOrder(await tabSteps(page, dialog)), String(dialog)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    // Closed, the keyboard is back on the button that opened it (these dialogs have no Radix Trigger).
    await expect(button).toBeFocused();
  }

  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  // Settings (from the account menu, by keyboard): its fields, Account, then Close / Save.
  await tabTo(page, page.getByRole('button', { name: /^Account: / }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Settings' })).toBeFocused();
  await page.keyboard.press('Enter');
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByLabel('Issuer URL')).toBeVisible();
  await tabTo(page, settings.getByRole('button', { name: 'Close', exact: true }).first());
  const settingsSteps = await tabSteps(page, settings);
  expect(outOfOrder(settingsSteps)).toEqual([]);
  // Close / Save come last, after Account's Sign out.
  expect(settingsSteps.map((step) => step.to).slice(-3)).toEqual(['button "Sign out"', 'button "Close"', 'button "Save Settings"']);
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();
  await expect(page.getByRole('button', { name: /^Account: / })).toBeFocused();
});
