// axe-core on the main screens and dialogs, at 1280 px, light and dark, as part of the normal
// suite: the same walk as the screen pass (`npm run screenshots`, every width), without the PNGs.
// Fails on any violation of WCAG 2.1 A/AA or best practice, of any impact.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { axeViolations, walkAdminScreens, walkHelpdeskScreens } from './screens/screen-walk.ts';
import type { Capture } from './screens/screen-walk.ts';

function axeCapture(page: Page, problems: string[]): Capture {
  return async (name) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      for (const violation of await axeViolations(page)) problems.push(`${name}, ${colorScheme}: ${violation}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
}

test('axe-core finds nothing on the administrator\'s screens and dialogs at 1280 px, light and dark', async ({ page, context, app }) => {
  test.setTimeout(8 * 60_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const problems: string[] = [];
  await walkAdminScreens(page, context, app, axeCapture(page, problems));
  expect(problems).toEqual([]);
});

test('axe-core finds nothing on the helpdesk screen at 1280 px, light and dark', async ({ page, context, app }) => {
  test.setTimeout(3 * 60_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const problems: string[] = [];
  await walkHelpdeskScreens(page, context, app, axeCapture(page, problems));
  expect(problems).toEqual([]);
});
