// The Electron security rules of architecture §5, checked in the running app: what the window
// is allowed to do, seen from the page and from the main process.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CONTRACT_EVENTS, CONTRACT_METHODS } from '../../shared/contract.ts';
import { APP_ORIGIN, expect, launchSecondInstance, test } from './fixtures.ts';

/** A page elsewhere that the app must never load; it counts the requests that reach it. */
async function startElsewhere(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests += 1;
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>Elsewhere</h1><script>window.elsewhere = true</script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test.describe('Electron security rules', () => {
  test('the window shows app://thetasecure, its bridge crosses a context-isolation boundary, its renderers are sandboxed', async ({ desktop }) => {
    const main = await desktop.electronApp.evaluate(({ BrowserWindow, app }) => ({
      urls: BrowserWindow.getAllWindows().map((window: { webContents: { getURL(): string } }) => window.webContents.getURL()),
      // `sandboxed` is reported on macOS and Windows only.
      renderers: app.getAppMetrics().filter((metric: { type: string }) => metric.type === 'Tab').map((metric: { sandboxed?: boolean }) => metric.sandboxed),
    }));
    expect(main.urls).toEqual([`${APP_ORIGIN}/index.html`]);
    for (const sandboxed of main.renderers) if (sandboxed !== undefined) expect(sandboxed).toBe(true);

    // contextBridge (the only way the preload exposes anything) works only with context
    // isolation on, and hands the page proxies to functions of the isolated world.
    const source = await desktop.window.evaluate(() =>
      Function.prototype.toString.call((window as unknown as { thetasecure: { methods: Record<string, unknown> } }).thetasecure.methods['session:get']),
    );
    expect(source).toContain('[native code]');
  });

  test('the renderer cannot reach Node, Electron or ipcRenderer: only window.thetasecure, built from the contract', async ({ desktop }) => {
    const reach = await desktop.window.evaluate(() => {
      const page = window as unknown as Record<string, unknown>;
      return {
        require: typeof page.require,
        process: typeof page.process,
        module: typeof page.module,
        Buffer: typeof page.Buffer,
        global: typeof page.global,
        ipcRenderer: typeof page.ipcRenderer,
        electron: typeof page.electron,
      };
    });
    expect(reach).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', Buffer: 'undefined', global: 'undefined', ipcRenderer: 'undefined', electron: 'undefined' });

    const bridge = await desktop.window.evaluate(() => {
      const exposed = (window as unknown as { thetasecure: Record<string, Record<string, unknown>> }).thetasecure;
      const kinds = (group: Record<string, unknown>) => Object.fromEntries(Object.entries(group).map(([name, value]) => [name, typeof value]));
      return { top: Object.keys(exposed).sort(), methods: kinds(exposed.methods!), events: kinds(exposed.events!) };
    });
    expect(bridge.top).toEqual(['events', 'methods']);
    expect(bridge.methods).toEqual(Object.fromEntries(CONTRACT_METHODS.map((method) => [method, 'function'])));
    expect(bridge.events).toEqual(Object.fromEntries(CONTRACT_EVENTS.map((event) => [event, 'function'])));
  });

  test('the Content-Security-Policy stops inline script and requests to the server from the page', async ({ desktop, server }) => {
    const outcome = await desktop.window.evaluate(async (serverUrl) => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      let fetched: string;
      try {
        // no-cors: without the CSP this would resolve (with an opaque response), so only the CSP can stop it.
        await fetch(`${serverUrl}/healthz`, { mode: 'no-cors' });
        fetched = 'reached the server';
      } catch {
        fetched = 'blocked';
      }
      return { inlineRan: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, fetched };
    }, server.url);
    expect(outcome).toEqual({ inlineRan: false, fetched: 'blocked' });
  });

  test('navigation away from the app is blocked', async ({ desktop }) => {
    const elsewhere = await startElsewhere();
    try {
      await desktop.window.evaluate((url) => {
        window.location.href = url;
      }, elsewhere.url);
      // Electron asks will-frame-navigate first, then will-navigate: either one blocks it.
      const blockedNavigations = () => desktop.mainOutput().match(/"what":"(frame )?navigation"/g)?.length ?? 0;
      await expect.poll(blockedNavigations, { message: 'the main process reports the blocked navigation' }).toBeGreaterThanOrEqual(1);
      const afterFirst = blockedNavigations();
      // A link the user clicks is a navigation too.
      await desktop.window.evaluate((url) => {
        const link = document.createElement('a');
        link.href = url;
        link.textContent = 'elsewhere';
        document.body.append(link);
        link.click();
      }, elsewhere.url);
      await expect.poll(blockedNavigations).toBeGreaterThan(afterFirst);
      expect(desktop.window.url()).toBe(`${APP_ORIGIN}/index.html`);
      expect(elsewhere.requests(), 'requests that reached the other site').toBe(0);
      expect(await desktop.window.evaluate(() => typeof (window as unknown as { thetasecure?: unknown }).thetasecure)).toBe('object');
    } finally {
      await elsewhere.close();
    }
  });

  test('window.open is denied and opens nothing', async ({ desktop }) => {
    const elsewhere = await startElsewhere();
    try {
      const opened = await desktop.window.evaluate((url) => window.open(url) !== null, elsewhere.url);
      expect(opened).toBe(false);
      await expect.poll(() => desktop.mainOutput()).toContain('"what":"window.open"');
      expect(desktop.electronApp.windows()).toHaveLength(1);
      expect(await desktop.electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      expect(elsewhere.requests()).toBe(0);
      // Nor does window.open reach the system browser behind the app's back.
      expect(await desktop.openedUrls()).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  test('permission requests (notifications, camera, geolocation, ...) are denied', async ({ desktop }) => {
    const permission = await desktop.window.evaluate(() => Notification.requestPermission());
    expect(permission).toBe('denied');
  });

  test('only contract channels answer, and only to the app window (probe window with a test preload)', async ({ desktop }) => {
    // A second window whose preload hands ipcRenderer.invoke to its page: what any other page
    // that managed to load in this app could at best do. It is made from the main process by
    // the test; the app itself never opens it.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ts-ipc-probe-'));
    try {
      const preload = path.join(dir, 'probe-preload.cjs');
      await writeFile(
        preload,
        "const { contextBridge, ipcRenderer } = require('electron');\n" +
          "contextBridge.exposeInMainWorld('probe', { invoke: (channel, input) => ipcRenderer.invoke(channel, input) });\n",
      );
      const answers = await desktop.electronApp.evaluate(async ({ BrowserWindow }, preloadPath) => {
        const probe = new BrowserWindow({ show: false, webPreferences: { preload: preloadPath, sandbox: true, contextIsolation: true } });
        try {
          await probe.loadURL('data:text/html,<title>probe</title>');
          const call = (channel: string) =>
            probe.webContents.executeJavaScript(
              `window.probe.invoke(${JSON.stringify(channel)}, {}).then((value) => ({ resolved: value }), (error) => ({ rejected: String(error && error.message) }))`,
            ) as Promise<{ resolved?: unknown; rejected?: string }>;
          return {
            contractFromOtherPage: await call('thetasecure:method:session:get'),
            notInContract: await call('thetasecure:method:shell:open-external'),
            generic: await call('thetasecure:invoke'),
          };
        } finally {
          probe.destroy();
        }
      }, preload);
      // A contract channel exists, but a page that is not the app window gets `forbidden`.
      expect(answers.contractFromOtherPage.resolved).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // Channels outside the contract have no handler at all.
      expect(answers.notInContract.rejected).toMatch(/No handler registered/);
      expect(answers.generic.rejected).toMatch(/No handler registered/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // The app's own window, through its bridge, gets a contract answer.
    const session = await desktop.window.evaluate(() =>
      (window as unknown as { thetasecure: { methods: Record<string, (input: unknown) => Promise<unknown>> } }).thetasecure.methods['session:get']!({}),
    );
    expect(session).toMatchObject({ ok: true, value: { status: 'signed-out' } });
  });

  test('bad input to a contract method is refused with `validation`, naming the field', async ({ desktop }) => {
    const result = await desktop.window.evaluate(() =>
      (window as unknown as { thetasecure: { methods: Record<string, (input: unknown) => Promise<unknown>> } }).thetasecure.methods['settings:set']!({ clipboardClearSeconds: 1 }),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', fields: [{ field: 'clipboardClearSeconds' }] } });
  });

  test('a second start of the app hands over to the running one (single-instance lock)', async ({ desktop, server }) => {
    const exitCode = await launchSecondInstance(desktop.userDataDir, server.issuer);
    expect(exitCode).toBe(0);
    expect(await desktop.electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });
});
