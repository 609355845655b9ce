import { describe, expect, it } from 'vitest';
import { createClipboardService } from './clipboard.ts';
import { createClipboardyClipboard } from './node-effects.ts';
import { createManualClock } from './testing/manual-clock.ts';

// The real X clipboard (clipboardy → xsel), run under `xvfb-run -a`. The countdown itself is
// driven by an injected clock so the test does not sleep 30 seconds.
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const reason = 'no X display (DISPLAY is not set): run under `xvfb-run -a` to test the real clipboard';
if (noDisplay) console.warn(`[skip] clipboard.x11.test.ts: ${reason}`);

describe('clipboard auto-clear through the real X clipboard', () => {
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
