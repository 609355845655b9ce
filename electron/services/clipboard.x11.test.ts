// The real X clipboard (clipboardy → xsel), run under `xvfb-run -a`. This is the only test file
// that touches the system clipboard, so parallel test files cannot disturb it. Countdowns run
// on an injected clock so the test does not sleep 30 seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app.ts';
import type { RunningServer } from '../../server/app.ts';
import { TEST_CREDENTIALS } from '../../server/testing/test-server.ts';
import { createClipboardService } from './clipboard.ts';
import { createKeytarKeychain, probeKeychain } from './keychain.ts';
import { createClipboardyClipboard } from './node-effects.ts';
import { createTestApp, valueOf } from './testing/app-harness.ts';
import { forgetKeychainEntries } from './testing/keychain-cleanup.ts';
import { createManualClock } from './testing/manual-clock.ts';
import { makeTempDir } from './testing/temp-dir.ts';

const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const reason = 'no X display (DISPLAY is not set): run under `xvfb-run -a` to test the real clipboard';
if (noDisplay) console.warn(`[skip] clipboard.x11.test.ts: ${reason}`);

describe('clipboard auto-clear through the real X clipboard (injected clock)', () => {
  it('a copied secret is on the system clipboard, then cleared after the countdown', async (ctx) => {
    ctx.skip(noDisplay, reason);
    const clock = createManualClock();
    const system = createClipboardyClipboard();
    const service = createClipboardService({ clipboard: system, clock });
    const secret = `x11-secret-${Date.now()}`;
    await service.copySecret(secret, 30);
    expect(await system.readText()).toBe(secret);
    await clock.advance(29_000);
    expect(await system.readText()).toBe(secret);
    await clock.advance(1_000);
    expect(await system.readText()).toBe('');
  });

  it('what the user copied meanwhile stays on the system clipboard', async (ctx) => {
    ctx.skip(noDisplay, reason);
    const clock = createManualClock();
    const system = createClipboardyClipboard();
    const service = createClipboardService({ clipboard: system, clock });
    await service.copySecret(`x11-secret-${Date.now()}`, 30);
    await system.writeText('copied by the user');
    await clock.advance(30_000);
    expect(await system.readText()).toBe('copied by the user');
    await service.dispose();
    expect(await system.readText()).toBe('copied by the user');
  });
});

describe("a new client's secret through the real X clipboard and the real server (browser replaced by a scripted HTTP login)", () => {
  let server: RunningServer | null = null;
  let serverDir: Awaited<ReturnType<typeof makeTempDir>>;
  let appDir: Awaited<ReturnType<typeof makeTempDir>>;
  const keychain = createKeytarKeychain();

  beforeAll(async () => {
    if (noDisplay) return;
    serverDir = await makeTempDir('x11-server');
    appDir = await makeTempDir('x11-app');
    server = await startServer({ port: 0, dataDir: serverDir.dir, ...TEST_CREDENTIALS, quiet: true });
  });
  afterAll(async () => {
    if (!server) return;
    if ((await probeKeychain(keychain)).available) await forgetKeychainEntries(keychain, server.issuer, ['admin']);
    await server.close();
    await serverDir.remove();
    await appDir.remove();
  });

  it('secret:copy puts it on the system clipboard; a copied client ID is left alone; quitting clears the secret', async (ctx) => {
    ctx.skip(noDisplay, reason);
    const t = createTestApp({ dataDir: appDir.dir, issuer: server!.issuer, credentials: { username: 'admin', password: TEST_CREDENTIALS.adminPassword } });
    await t.app.start();
    valueOf(await t.call('session:sign-in', {}));
    const created = valueOf(await t.call('clients:create', { kind: 'sync_connector', name: 'Clipboard Connector' }));
    const copy = valueOf(await t.call('secret:copy', { handle: created.secret!.handle }));
    expect(copy.clearAfterSeconds).toBe(30);
    expect(Date.parse(copy.clearsAt) - Date.now()).toBeGreaterThan(25_000);
    const secret = valueOf(await t.call('secret:reveal', { handle: created.secret!.handle })).secret;
    const system = createClipboardyClipboard();
    expect(await system.readText()).toBe(secret);

    valueOf(await t.call('clipboard:copy-text', { text: created.client.clientId }));
    expect(await system.readText()).toBe(created.client.clientId);

    valueOf(await t.call('secret:copy', { handle: created.secret!.handle }));
    expect(await system.readText()).toBe(secret);
    await t.call('session:sign-out', {});
    await t.app.dispose();
    expect(await system.readText()).toBe('');
  });
});
