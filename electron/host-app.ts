// What both hosts do the same way around the services: the host's opener (shell.openExternal,
// serve mode's new tab, a test's scripted login) is reached only through the external opener,
// which allows only the configured issuer (https, or http on loopback).
import type { App, AppEffects } from './services/app.ts';
import { createApp } from './services/app.ts';
import { createExternalOpener } from './external-opener.ts';

export function createHostApp(effects: AppEffects): App {
  const opener = createExternalOpener({
    // The settings hold the issuer in use: `session:sign-in` with an issuer saves it before the browser opens.
    async issuers() {
      // Called only after createApp below has returned (when the services open a browser).
      const settings = await app.handlers['settings:get']({});
      return settings.ok && settings.value.issuerUrl ? [settings.value.issuerUrl] : [];
    },
    open: effects.openBrowser,
  });
  const app = createApp({ ...effects, openBrowser: (url) => opener.open(url) });
  return app;
}
