// Electron's main process: thin glue between Electron and the host-agnostic services. Everything
// security-relevant is explicit here or in window-security.ts (architecture §5).
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, ipcMain, protocol, session, shell } from 'electron';
import type { WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.ts';
import { createElectronEffects } from './electron-effects.ts';
import { createHostApp } from './host-app.ts';
import type { App } from './services/app.ts';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME, createEventForwarder, isTrustedSender, registerContractHandlers } from './ipc-handlers.ts';
import type { LogEffect } from './services/effects.ts';
import { contentTypeFor, resolveStaticFile } from './static-files.ts';
import { LINK_SCHEME, clientIdFromArgv, clientIdFromLink } from './deep-link.ts';
import { eventChannel } from './bridge-builder.ts';
import { APP_NAME, defaultUserDataDir, prepareUserDataDir } from './user-data-dir.ts';
import { SECURE_WEB_PREFERENCES, denyAllPermissions, hardenWebContents } from './window-security.ts';

// dist/electron/main.js → dist/renderer and dist/electron/preload.cjs
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
const preloadPath = path.join(here, 'preload.cjs');

// Entries carry no secret, token or code (a rule of the services); warnings and errors only.
const log: LogEffect = (entry) => {
  if (entry.level === 'warn' || entry.level === 'error') console.error(`[thetasecure] ${JSON.stringify(entry)}`);
};

// Must happen before `ready`, synchronously in this module (ESM entry points load asynchronously).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.setName(APP_NAME);
app.setPath('userData', prepareUserDataDir(defaultUserDataDir()));
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let hostApp: App | null = null;

function appProtocolResponse(status: number, body: BodyInit | null, contentType: string): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    },
  });
}

/** app://thetasecure/<path> → the file in dist/renderer; nothing outside it, nothing from the network. */
async function serveAppProtocol(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) return appProtocolResponse(404, 'Not found', 'text/plain; charset=utf-8');
  const file = await resolveStaticFile(rendererDir, url.pathname);
  if (!file) return appProtocolResponse(404, 'Not found', 'text/plain; charset=utf-8');
  return appProtocolResponse(200, new Uint8Array(await fs.readFile(file)), contentTypeFor(file));
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: APP_NAME,
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

function onReady(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(denyAllPermissions.request);
  ses.setPermissionCheckHandler(denyAllPermissions.check);
  // Belt and braces: the CSP on every response the window receives, not only app:// ones.
  // Parameters typed here: they still check where the optional electron package is absent (types/electron-absent.d.ts).
  ses.webRequest.onHeadersReceived((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  protocol.handle(APP_SCHEME, serveAppProtocol);

  const issuerUrl = process.env.THETASECURE_ISSUER;
  hostApp = createHostApp({
    ...createElectronEffects({ emit: createEventForwarder(() => mainWindow?.webContents ?? null), log, ...(issuerUrl ? { issuerUrl } : {}) }),
    // The one place shell.openExternal is called; createHostApp puts the issuer check in front of it.
    openBrowser: (url) => shell.openExternal(url),
  });
  registerContractHandlers(ipcMain, hostApp.handlers, (event) => isTrustedSender(event, mainWindow?.webContents));

  mainWindow = createWindow();
  hostApp.start().catch((error: unknown) => log({ level: 'error', event: 'app.start-failed', message: error instanceof Error ? error.message : String(error) }));
}

if (!app.requestSingleInstanceLock()) {
  // Another ThetaSecure Admin is running: it gets focus (second-instance below) and this one quits.
  app.quit();
} else {
  // thetasecure-admin://clients/<clientId> (issue 11) opens the app on that client.
  app.setAsDefaultProtocolClient(LINK_SCHEME);
  let pendingLink: string | null = clientIdFromArgv(process.argv);
  const openClientLink = (clientId: string | null) => {
    if (!clientId) return;
    if (!mainWindow || mainWindow.webContents.isLoading()) {
      pendingLink = clientId;
      return;
    }
    mainWindow.webContents.send(eventChannel('link:open-client'), { clientId });
  };
  app.on('open-url', (event: { preventDefault(): void }, url: string) => {
    event.preventDefault();
    openClientLink(clientIdFromLink(url));
  });
  app.on('browser-window-created', (_event: unknown, window: BrowserWindow) => {
    window.webContents.on('did-finish-load', () => {
      const clientId = pendingLink;
      pendingLink = null;
      if (clientId) window.webContents.send(eventChannel('link:open-client'), { clientId });
    });
  });
  app.on('second-instance', (_event: unknown, argv: string[]) => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    openClientLink(clientIdFromArgv(argv));
  });
  app.on('web-contents-created', (_event: unknown, contents: WebContents) => {
    hardenWebContents(contents, (what) => log({ level: 'warn', event: 'window.blocked', what }));
  });
  app.on('window-all-closed', () => app.quit());

  // On quit the services get to clear a copied secret from the clipboard and stop their timers.
  let disposed = false;
  app.on('will-quit', (event: { preventDefault(): void }) => {
    if (disposed || !hostApp) return;
    event.preventDefault();
    const disposing = hostApp;
    hostApp = null;
    disposing
      .dispose()
      .catch((error: unknown) => log({ level: 'error', event: 'app.dispose-failed', message: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        disposed = true;
        app.quit();
      });
  });

  app.whenReady().then(onReady, (error: unknown) => {
    console.error(`ThetaSecure Admin could not start: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });
}
