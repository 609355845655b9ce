// Issue 12 (the table): at 1024, 1280, 1440 and 1920 px no control wraps (toolbar controls on
// one line per toolbar row, badges one line high, each copy icon beside its client ID); which
// columns show with and without the details panel; from 1280 px the table reflows beside the
// panel (nothing of it covered), below that the panel overlays it with the row still
// highlighted. Clicking a row or its name opens its details; Esc closes them and puts focus
// back on that row; a click anywhere in a header cell sorts, with aria-sort saying how.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { checkScreen, countText, DEFAULT_CLIENT_NAMES, row, signIn } from './journey-helpers.ts';

const ALL = ['Client', 'Client ID', 'Grant Types', 'Status', 'Created', 'Last used', 'Actions'];
// Which columns show at each window width, without and with the details panel. Below 1280 px
// the panel overlays the table, so the table keeps what it shows without it.
const COLUMNS: Record<number, { alone: string[]; withPanel: string[]; beside: boolean }> = {
  1024: { alone: ['Client', 'Client ID', 'Grant Types', 'Status', 'Actions'], withPanel: ['Client', 'Client ID', 'Grant Types', 'Status', 'Actions'], beside: false },
  1280: { alone: ALL, withPanel: ['Client', 'Client ID', 'Status', 'Actions'], beside: true },
  1440: { alone: ALL, withPanel: ['Client', 'Client ID', 'Grant Types', 'Status', 'Actions'], beside: true },
  1920: { alone: ALL, withPanel: ALL, beside: true },
};

const table = (page: Page) => page.getByRole('table', { name: 'OAuth clients' });

/** The header cells that are laid out (a column that gave way is display: none). */
async function visibleColumns(page: Page): Promise<string[]> {
  return table(page)
    .locator('thead th')
    .evaluateAll((cells) => cells.filter((cell) => (cell as HTMLElement).offsetWidth > 0).map((cell) => (cell.textContent ?? '').trim()));
}

interface Box {
  what: string;
  top: number;
  bottom: number;
  height: number;
}

/** The laid-out boxes of what `locator` matches, named by their text or accessible label. */
async function boxes(locator: Locator): Promise<Box[]> {
  return locator.evaluateAll((elements) =>
    elements
      .filter((element) => (element as HTMLElement).offsetWidth > 0)
      .map((element) => {
        const rect = element.getBoundingClientRect();
        return { what: (element.textContent || element.getAttribute('aria-label') || element.tagName).trim(), top: rect.top, bottom: rect.bottom, height: rect.height };
      }),
  );
}

/** Nothing wraps: every control of a toolbar row sits on that row's one line, every badge is one line high, every copy icon is beside its client ID. */
async function expectNothingWraps(page: Page, width: number): Promise<void> {
  const rows = page.locator('.toolbar-row');
  for (let i = 0; i < (await rows.count()); i++) {
    const controls = await boxes(rows.nth(i).locator(':scope > *:not(.spacer), :scope > .lifecycle-filters > *'));
    const line = await rows.nth(i).boundingBox();
    expect(line, `toolbar row ${i + 1} at ${width} px`).not.toBeNull();
    // One line: the row is as tall as its tallest control, and every control's middle is the row's.
    expect(line!.height, `toolbar row ${i + 1} at ${width} px is one line`).toBeLessThanOrEqual(Math.max(...controls.map((c) => c.height)) + 1);
    for (const control of controls) expect(Math.abs((control.top + control.bottom) / 2 - (line!.y + line!.height / 2)), `"${control.what}" at ${width} px is on the toolbar's line`).toBeLessThanOrEqual(2);
  }
  for (const badge of await boxes(table(page).locator('tbody .badge'))) expect(badge.height, `badge "${badge.what}" at ${width} px is one line`).toBeLessThanOrEqual(22);
  // And no grant-type badge is cut at its cell's edge.
  const cutBadges = await table(page).locator('tbody .col-grantTypes .badges').evaluateAll((lists) => lists.filter((list) => (list as HTMLElement).offsetWidth > 0 && list.scrollWidth > list.clientWidth).length);
  expect(cutBadges, `grant-type badge lists cut at ${width} px`).toBe(0);
  for (const name of DEFAULT_CLIENT_NAMES) {
    const grants = await boxes(row(page, name).locator('.col-grantTypes .badge'));
    for (const badge of grants) expect(badge.top, `"${badge.what}" of ${name} at ${width} px is on the first badge's line`).toBe(grants[0]!.top);
    const cell = row(page, name).locator('.col-clientId');
    if (!(await cell.isVisible())) continue;
    const id = (await boxes(cell.locator('code')))[0]!;
    const copy = (await boxes(cell.getByRole('button', { name: /^Copy client ID/ })))[0]!;
    expect(Math.abs((copy.top + copy.bottom) / 2 - (id.top + id.bottom) / 2), `the copy icon of ${name} at ${width} px is beside its ID`).toBeLessThanOrEqual(2);
  }
  // Names are not cut: each default client's name is shown whole.
  for (const name of DEFAULT_CLIENT_NAMES) {
    const cut = await row(page, name).locator('.client-name').evaluate((element) => element.scrollWidth > element.clientWidth);
    expect(cut, `the name "${name}" at ${width} px is not cut`).toBe(false);
  }
}

/** The details panel cuts nothing: its client ID is one line beside its copy button, and every button is whole inside the panel. */
async function expectPanelWhole(panel: Locator, width: number): Promise<void> {
  const body = (await panel.locator('.details-body:visible').boundingBox())!;
  const id = (await boxes(panel.locator('.details-body:visible .detail-id > code')))[0]!;
  expect(id.height, `the client ID in the panel at ${width} px is one line`).toBeLessThanOrEqual(22);
  for (const button of await panel.locator('.details-body:visible button').evaluateAll((elements) =>
    elements.filter((element) => (element as HTMLElement).offsetWidth > 0).map((element) => {
      const rect = element.getBoundingClientRect();
      return { what: (element.getAttribute('aria-label') || element.textContent || '').trim(), left: rect.left, right: rect.right };
    }),
  )) {
    expect(button.right, `"${button.what}" in the panel at ${width} px is not cut at its right edge`).toBeLessThanOrEqual(body.x + body.width);
    expect(button.left, `"${button.what}" in the panel at ${width} px`).toBeGreaterThanOrEqual(body.x);
  }
}

test('at 1024, 1280, 1440 and 1920 px nothing wraps, the columns give way beside the details panel by priority, and the panel sits beside the table from 1280 px', async ({ page, context, app }) => {
  // Four widths, each measured with and without the panel (some 250 round trips to the page):
  // about 30 s on a quiet machine, past the default minute on a busy 2-core CI machine.
  test.setTimeout(3 * 60_000);
  await signIn(page, context, app, app.credentials.admin);
  await expect(countText(page)).toHaveText('5 of 5 clients');
  const name = 'ThetaSecure Desktop Agent';

  for (const width of [1024, 1280, 1440, 1920]) {
    await page.setViewportSize({ width, height: 860 });
    const expected = COLUMNS[width]!;
    await expect.poll(() => visibleColumns(page), `columns at ${width} px without the panel`).toEqual(expected.alone);
    await expectNothingWraps(page, width);

    // Clicking the row (not a button) opens its details; the row stays highlighted.
    await row(page, name).locator('.col-status').click();
    const panel = page.getByRole('dialog', { name });
    await expect(panel).toBeVisible();
    await expect(row(page, name)).toHaveAttribute('aria-current', 'true');
    await expect(row(page, name)).toHaveClass(/is-selected/);
    await expect.poll(() => visibleColumns(page), `columns at ${width} px beside the panel`).toEqual(expected.withPanel);
    await expectNothingWraps(page, width);
    await expectPanelWhole(panel, width);

    const tableBox = (await page.locator('.table-scroll').boundingBox())!;
    const panelBox = (await panel.boundingBox())!;
    if (expected.beside) {
      // Beside: the table ends before the panel begins, and the row's actions are reachable.
      expect(tableBox.x + tableBox.width, `the table at ${width} px ends before the panel`).toBeLessThanOrEqual(panelBox.x);
      const view = row(page, name).getByRole('button', { name: `View ${name}` });
      const box = (await view.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(panelBox.x);
      const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('button')?.getAttribute('aria-label') ?? null, [box.x + box.width / 2, box.y + box.height / 2]);
      expect(hit, `the View button at ${width} px is not covered`).toBe(`View ${name}`);
    } else {
      // Narrower: the panel lies over the table's right part; the highlighted row still shows its name.
      expect(panelBox.x, `the panel at ${width} px overlays the table`).toBeLessThan(tableBox.x + tableBox.width);
      const nameBox = (await row(page, name).locator('.client-name').boundingBox())!;
      expect(nameBox.x + nameBox.width).toBeLessThan(panelBox.x);
    }
    await checkScreen(page, `table-${width}-details`);

    // Esc closes the panel and puts focus back on the row.
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(row(page, name)).toBeFocused();
    await expect.poll(() => visibleColumns(page)).toEqual(expected.alone);
  }
});

test('clicking a name opens its details, Esc returns focus to the row, and the whole header cell sorts with aria-sort', async ({ page, context, app }) => {
  await signIn(page, context, app, app.credentials.admin);
  await expect(countText(page)).toHaveText('5 of 5 clients');

  // The name itself opens the details; Esc puts focus back on its row, even from inside the panel.
  await row(page, 'Admin Client').getByText('Admin Client', { exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Admin Client' });
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: 'Close details' }).focus();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(row(page, 'Admin Client')).toBeFocused();
  // Arrow keys go on from that row (Admin Client is the oldest, the last row, newest first).
  const at = Number(await row(page, 'Admin Client').getAttribute('aria-rowindex'));
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('tbody tr:focus')).toHaveAttribute('aria-rowindex', String(at - 1));

  // A copy button in a row copies; it does not open the details.
  await row(page, 'Sync Service Client').getByRole('button', { name: /^Copy client ID/ }).click();
  await expect(page.getByRole('dialog', { name: 'Sync Service Client' })).toHaveCount(0);

  // A click at the far right of the "Client" header cell, away from its label, sorts.
  const names = () => table(page).locator('tbody tr .client-name').allTextContents();
  const header = page.getByRole('columnheader', { name: /^Client/ }).first();
  await expect(header).toHaveAttribute('aria-sort', 'none');
  await expect(page.getByRole('columnheader', { name: /^Created/ })).toHaveAttribute('aria-sort', 'descending');
  const box = (await header.boundingBox())!;
  await page.mouse.click(box.x + box.width - 4, box.y + box.height / 2);
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByRole('columnheader', { name: /^Created/ })).toHaveAttribute('aria-sort', 'none');
  expect(await names()).toEqual([...DEFAULT_CLIENT_NAMES].sort((a, b) => a.localeCompare(b)));
  await page.mouse.click(box.x + 3, box.y + 3);
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  expect(await names()).toEqual([...DEFAULT_CLIENT_NAMES].sort((a, b) => b.localeCompare(a)));
  // The Actions header does not sort and says nothing about sorting.
  await expect(page.getByRole('columnheader', { name: 'Actions' })).not.toHaveAttribute('aria-sort', /.*/);
});
