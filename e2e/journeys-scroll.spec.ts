// Issue 8, scrolling a long list: 1,000 clients, sorted by name, scrolled by wheel, by a jump
// (what a scrollbar drag does), and by the keyboard (PageDown, End, Home). At every stop the row
// a user sees at the top of the table is the one that belongs there, the rows in view are the
// consecutive ones, and nothing is blank. The table renders only the rows in view, reusing their
// elements: a jump further than the rendered rows refills the same elements in the same order
// (moving them in the DOM made a 33 ms frame at 100,000 rows).
import type { Page } from '@playwright/test';
import { prepareNewClient } from '../server/new-client.ts';
import { expect, test } from './fixtures.ts';
import { customSettings, signIn } from './journey-helpers.ts';

const SEEDED = 1000;
const name = (i: number) => `Scroll ${String(i).padStart(4, '0')}`;

/**
 * What is on screen: the name in the row under the top of the table body and under its bottom
 * (by hit testing, so a row rendered at the wrong place or left blank is caught), and every
 * rendered row's position in the list and name, in DOM order.
 */
async function onScreen(page: Page) {
  return page.evaluate(() => {
    const scroll = document.querySelector<HTMLElement>('.table-scroll')!;
    const head = scroll.querySelector('thead')!.getBoundingClientRect();
    const box = scroll.getBoundingClientRect();
    const x = box.left + 40;
    const nameAt = (y: number) => {
      const row = document.elementFromPoint(x, y)?.closest('tbody tr');
      return row ? (row.querySelector('.col-name')?.textContent ?? '') : null;
    };
    const rows = [...scroll.querySelectorAll('tbody tr')].map((row) => ({ index: Number(row.getAttribute('aria-rowindex')) - 2, name: row.querySelector('.col-name')?.textContent ?? '' }));
    // Where the two probe points fall in the list's own coordinates (the table moves as it scrolls; the header is sticky).
    const listTop = scroll.querySelector('table')!.getBoundingClientRect().top + scroll.querySelector('thead')!.offsetHeight;
    const topY = head.bottom + 4;
    const bottomY = box.bottom - 20;
    const rowHeight = scroll.querySelector('tbody tr')!.getBoundingClientRect().height;
    return { scrollTop: scroll.scrollTop, top: nameAt(topY), bottom: nameAt(bottomY), topAt: topY - listTop, bottomAt: bottomY - listTop, rowHeight, rows };
  });
}

/** The shown rows are consecutive, each with the name that belongs at its position, and cover what is in view. */
async function expectRowsRight(page: Page, sorted: readonly string[]) {
  const screen = await onScreen(page);
  const firstInView = Math.floor(screen.topAt / screen.rowHeight);
  expect(screen.top, `row at the top after scrolling to ${screen.scrollTop}px`).toContain(sorted[firstInView]);
  const lastInView = Math.min(sorted.length - 1, Math.floor(screen.bottomAt / screen.rowHeight));
  expect(screen.bottom, 'row at the bottom of the view').toContain(sorted[lastInView]);
  screen.rows.forEach((row, i) => {
    expect(row.index).toBe(screen.rows[0]!.index + i);
    expect(row.name).toContain(sorted[row.index]);
  });
  return screen;
}

test('a 1,000-client list scrolls by wheel, jump and keyboard with the right rows on screen; a long jump refills the row elements in place', async ({ page, context, app }) => {
  await app.server().clients.insertMany(
    Array.from({ length: SEEDED }, (_, i) => prepareNewClient(customSettings(name(i))).record),
    'user:admin',
  );
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, context, app, app.credentials.admin);
  await expect(page.getByText('1,005 of 1,005 clients')).toBeVisible();
  await page.getByRole('columnheader', { name: /Client$/ }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: /Client$/ })).toHaveAttribute('aria-sort', 'ascending');

  // A-Z: "Admin Client", the thousand "Scroll …", then "Sync Service Client" and the "ThetaSecure …" ones.
  const sorted = ['Admin Client', ...Array.from({ length: SEEDED }, (_, i) => name(i)), 'Sync Service Client', 'ThetaSecure Admin Console', 'ThetaSecure Desktop Agent', 'ThetaSecure Mobile App'];
  await expectRowsRight(page, sorted);

  // Wheel, a few notches at a time, over the table.
  const table = page.locator('.table-scroll');
  const box = (await table.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let step = 0; step < 5; step++) {
    await page.mouse.wheel(0, 700);
    await expect.poll(async () => (await onScreen(page)).scrollTop).toBeGreaterThan(step * 700 + 600);
    await expectRowsRight(page, sorted);
  }
  // And back up a little (the extra rows are rendered ahead of the scroll, so above now).
  for (let step = 0; step < 2; step++) {
    const before = (await onScreen(page)).scrollTop;
    await page.mouse.wheel(0, -500);
    await expect.poll(async () => (await onScreen(page)).scrollTop).toBeLessThan(before - 400);
    const up = await expectRowsRight(page, sorted);
    expect(up.rows[0]!.index, 'a row rendered above the view while scrolling up').toBeLessThan(Math.floor(up.topAt / up.rowHeight));
  }

  // "Copied" on a client ID in view; that row element is refilled with another client below.
  const beforeCopy = await onScreen(page);
  const copiedName = sorted[Math.floor(beforeCopy.topAt / beforeCopy.rowHeight) + 2]!;
  const copiedRow = page.locator('.table-scroll tbody tr', { hasText: copiedName });
  await copiedRow.evaluate((element) => element.setAttribute('data-test-copied', ''));
  await copiedRow.getByRole('button', { name: /^Copy client ID/ }).click();
  await expect(copiedRow.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();

  // A jump far beyond the rendered rows: the same row elements, in the same DOM order, refilled.
  const jumpFrom = await onScreen(page);
  const jumpedAt = Date.now();
  await page.evaluate(() => {
    document.querySelectorAll('.table-scroll tbody tr').forEach((row, i) => row.setAttribute('data-test-mark', String(i)));
  });
  await table.evaluate((element, rowHeight) => {
    element.scrollTop = 500 * rowHeight + 13;
  }, jumpFrom.rowHeight);
  await expect.poll(async () => (await onScreen(page)).rows[0]?.index).toBeGreaterThan(490);
  const jumped = await expectRowsRight(page, sorted);
  expect(jumped.top).toContain(name(499));
  const marks = await page.evaluate(() => [...document.querySelectorAll('.table-scroll tbody tr')].map((row) => row.getAttribute('data-test-mark')));
  expect(marks, 'row elements after the jump (their marks from before, in DOM order)').toEqual(marks.map((_, i) => String(i)));
  // The element that said "Copied" now shows another client, and says nothing about it.
  const reused = page.locator('.table-scroll tbody tr[data-test-copied]');
  await expect(reused.locator('.col-name')).not.toContainText(copiedName);
  // Checked at once, not retried: "Copied" fades by itself after 2 s.
  expect(Date.now() - jumpedAt, 'the check ran while a "Copied" would still show').toBeLessThan(1500);
  expect(await reused.locator('.copy-status').count(), 'a "Copied" left on the reused row').toBe(0);

  // Keyboard: focus the top row, PageDown moves a page, End goes to the last client, Home back.
  await page.locator('.table-scroll tbody tr', { hasText: name(499) }).focus();
  await page.keyboard.press('PageDown');
  const afterPage = await page.evaluate(() => document.activeElement?.querySelector('.col-name')?.textContent ?? '');
  const moved = Number(/Scroll (\d+)/.exec(afterPage)?.[1]) - 499;
  expect(moved, `PageDown moved from ${name(499)} to "${afterPage}"`).toBeGreaterThan(8);
  await expectRowsRight(page, sorted);

  await page.keyboard.press('End');
  await expect.poll(() => page.evaluate(() => document.activeElement?.querySelector('.col-name')?.textContent ?? '')).toContain('ThetaSecure Mobile App');
  const atEnd = await expectRowsRight(page, sorted);
  expect(atEnd.bottom).toContain('ThetaSecure Mobile App');

  await page.keyboard.press('Home');
  await expect.poll(() => page.evaluate(() => document.activeElement?.querySelector('.col-name')?.textContent ?? '')).toContain('Admin Client');
  expect((await expectRowsRight(page, sorted)).scrollTop).toBe(0);

  // Sorted the other way, from the bottom of the list: the rows follow the new order.
  await table.evaluate((element) => {
    element.scrollTop = element.scrollHeight;
  });
  await page.getByRole('columnheader', { name: /Client$/ }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: /Client$/ })).toHaveAttribute('aria-sort', 'descending');
  const reversed = [...sorted].reverse();
  await expect.poll(async () => (await onScreen(page)).rows.at(-1)?.name ?? '').toContain('Admin Client');
  await expectRowsRight(page, reversed);
});
