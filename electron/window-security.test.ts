import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { SECURE_WEB_PREFERENCES, denyAllPermissions, hardenWebContents } from './window-security.ts';

// No Electron binary here: a WebContents stand-in that emits the same events (said in the name).
class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

describe('Electron window security (WebContents stand-in, no Electron binary)', () => {
  it('sets every security web preference explicitly', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
  });

  it('prevents every navigation, redirect and webview, and denies window.open', () => {
    const contents = new FakeWebContents();
    const blocked: string[] = [];
    hardenWebContents(contents as unknown as WebContents, (what) => blocked.push(what));
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      contents.emit(name, { preventDefault: () => (prevented = true) }, 'https://evil.example/');
      expect(prevented, name).toBe(true);
    }
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(blocked).toEqual(['navigation', 'frame navigation', 'redirect', 'webview', 'window.open']);
  });

  it('denies every permission request and check', () => {
    let granted: boolean | undefined;
    denyAllPermissions.request(null, 'media', (answer) => (granted = answer));
    expect(granted).toBe(false);
    expect(denyAllPermissions.check()).toBe(false);
  });
});
