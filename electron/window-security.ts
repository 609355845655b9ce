// The Electron security baseline (architecture §5) in one place, so main.ts cannot forget a
// setting and the test can read exactly what is applied.
import type { WebContents, WebPreferences } from 'electron';

/** Every security-relevant web preference, set explicitly even where it is Electron's default. */
export const SECURE_WEB_PREFERENCES = {
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
  safeDialogs: true,
  spellcheck: false,
} as const satisfies WebPreferences;

interface PreventableEvent {
  preventDefault(): void;
}

/**
 * Denies every navigation away from the loaded page, every redirect, every <webview> and every
 * window.open. The app is a single page; sign-in goes to the system browser through the
 * external opener, never through the window.
 */
export function hardenWebContents(contents: WebContents, onBlocked?: (what: string) => void): void {
  const deny = (what: string) => (event: PreventableEvent) => {
    event.preventDefault();
    onBlocked?.(what);
  };
  contents.on('will-navigate', deny('navigation'));
  contents.on('will-frame-navigate', deny('frame navigation'));
  contents.on('will-redirect', deny('redirect'));
  contents.on('will-attach-webview', deny('webview'));
  contents.setWindowOpenHandler(() => {
    onBlocked?.('window.open');
    return { action: 'deny' };
  });
}

/** Electron's permission handlers: the app needs no camera, notification, geolocation, ... */
export const denyAllPermissions = {
  request: (_contents: unknown, _permission: string, callback: (granted: boolean) => void): void => callback(false),
  check: (): boolean => false,
};
