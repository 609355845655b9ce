// The screen pass: each screen and dialog (screen-walk.ts) at every width the app supports, in
// light and dark, into docs/screenshots/<width>-<scheme>-<screen>.png, with axe-core on each.
// Fails on any axe violation (all of them listed, with the screen, width and scheme).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { axeViolations, SCREEN_NAMES, walkAdminScreens, walkHelpdeskScreens } from './screen-walk.ts';
import type { Capture } from './screen-walk.ts';

const OUT_DIR = process.env.THETASECURE_SCREENSHOTS_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
/** Width → the height of a common screen of that width. */
const ALL_VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
];
/** THETASECURE_SCREEN_WIDTHS=1024,1440 takes only those widths (a quicker look while working). */
const onlyWidths = process.env.THETASECURE_SCREEN_WIDTHS?.split(',').map(Number);
export const VIEWPORTS = onlyWidths ? ALL_VIEWPORTS.filter((viewport) => onlyWidths.includes(viewport.width)) : ALL_VIEWPORTS;
const SCHEMES = ['light', 'dark'] as const;

function passCapture(page: Page, problems: string[], taken: Set<string>): Capture {
  return async (name) => {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      for (const colorScheme of SCHEMES) {
        await page.emulateMedia({ colorScheme });
        await page.waitForTimeout(120);
        await page.screenshot({ path: path.join(OUT_DIR, `${viewport.width}-${colorScheme}-${name}.png`) });
        for (const violation of await axeViolations(page)) problems.push(`${name} at ${viewport.width} px, ${colorScheme}: ${violation}`);
      }
    }
    taken.add(name);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
  };
}

test.beforeAll(() => {
  fs.mkdirSync(OUT_DIR, { recursive: true });
});

const taken = new Set<string>();

test('every screen of an administrator, at 1024–1920 px, light and dark, with no axe-core violation', async ({ page, context, app }) => {
  test.setTimeout(20 * 60_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.appOrigin });
  const problems: string[] = [];
  await walkAdminScreens(page, context, app, passCapture(page, problems, taken));
  expect(problems).toEqual([]);
});

test('the helpdesk screen, at 1024–1920 px, light and dark, with no axe-core violation', async ({ page, context, app }) => {
  test.setTimeout(10 * 60_000);
  const problems: string[] = [];
  await walkHelpdeskScreens(page, context, app, passCapture(page, problems, taken));
  expect(problems).toEqual([]);
});

test.afterAll(() => {
  // Every screen the pass names was taken (a walk that skipped one would leave an old PNG behind).
  const missing = SCREEN_NAMES.filter((name) => !taken.has(name));
  if (missing.length) console.warn(`[screens] not taken: ${missing.join(', ')}`);
});
