// What both hosts do the same way around the services: every "open a browser" goes through the
// external opener, which allows only the configured issuer (https, or http on loopback).
import type { App, AppEffects } from './services/app.ts';
import { createApp } from './services/app.ts';
import { createExternalOpener } from './external-opener.ts';

export interface HostAppOptions {
  /** Everything but the browser opener, which is always the external opener below. */
  effects: Omit<AppEffects, 'openBrowser'>;
  /** The host's raw opener (shell.openExternal, or serve mode's new tab). Reached only through the policy. */
  openExternal(url: string): Promise<void>;
  /** Tests may replace the opener itself (a scripted login where no browser exists). */
  openBrowserOverride?: AppEffects['openBrowser'];
}

export function createHostApp(options: HostAppOptions): App {
  const opener = createExternalOpener({
    // The settings hold the issuer in use: `session:sign-in` with an issuer saves it before the browser opens.
    async issuers() {
      // Called only after createApp below has returned (when the services open a browser).
      const settings = await app.handlers['settings:get']({});
      return settings.ok && settings.value.issuerUrl ? [settings.value.issuerUrl] : [];
    },
    open: options.openExternal,
  });
  const app = createApp({ ...options.effects, openBrowser: options.openBrowserOverride ?? ((url) => opener.open(url)) });
  return app;
}
