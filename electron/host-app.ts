// What both hosts do the same way around the services: the host's opener (shell.openExternal,
// serve mode's new tab, a test's scripted login) is reached only through the external opener,
// which opens only the URLs the session built from discovery and permitted (issue 9 item 9).
import type { App, AppEffects } from './services/app.ts';
import { createApp } from './services/app.ts';
import { createBrowserLaunches } from './services/browser-launches.ts';
import { createExternalOpener } from './external-opener.ts';

export function createHostApp(effects: AppEffects): App {
  const browserLaunches = createBrowserLaunches();
  const opener = createExternalOpener({ permitted: (url) => browserLaunches.take(url), open: effects.openBrowser });
  return createApp({ ...effects, browserLaunches, openBrowser: (url) => opener.open(url) });
}
