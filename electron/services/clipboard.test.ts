import { describe, expect, it } from 'vitest';
import { createClipboardService } from './clipboard.ts';
import type { ClipboardEffect } from './effects.ts';
import { createManualClock } from './testing/manual-clock.ts';

// The timing is driven by an injected clock; the clipboard here is an in-memory stand-in.
// clipboard.x11.test.ts runs the same behaviour through the real X clipboard.
function memoryClipboard(): ClipboardEffect & { text: string } {
  const board = {
    text: '',
    readText: async () => board.text,
    writeText: async (text: string) => {
      board.text = text;
    },
  };
  return board;
}

describe('clipboard auto-clear (injected clock, in-memory clipboard)', () => {
  it('clears a copied secret after the configured seconds, not before', async () => {
    const clock = createManualClock();
    const board = memoryClipboard();
    const service = createClipboardService({ clipboard: board, clock });
    const result = await service.copySecret('s3cr3t-value-abcd', 30);
    expect(board.text).toBe('s3cr3t-value-abcd');
    expect(result.clearAfterSeconds).toBe(30);
    expect(result.clearsAt).toBe(new Date(clock.now() + 30_000).toISOString());

    await clock.advance(29_999);
    expect(board.text).toBe('s3cr3t-value-abcd');
    await clock.advance(1);
    expect(board.text).toBe('');
    expect(service.pendingClear()).toBe(false);
  });

  it('leaves the clipboard alone when the user copied something else since', async () => {
    const clock = createManualClock();
    const board = memoryClipboard();
    const logs: Array<Record<string, unknown>> = [];
    const service = createClipboardService({ clipboard: board, clock, log: (e) => logs.push(e) });
    await service.copySecret('the-secret', 10);
    board.text = 'something the user copied';
    await clock.advance(10_000);
    expect(board.text).toBe('something the user copied');
    expect(logs.map((l) => l.event)).toContain('clipboard.left-alone');
    expect(JSON.stringify(logs)).not.toContain('the-secret');
  });

  it('a second copied secret restarts the countdown', async () => {
    const clock = createManualClock();
    const board = memoryClipboard();
    const service = createClipboardService({ clipboard: board, clock });
    await service.copySecret('first', 30);
    await clock.advance(20_000);
    await service.copySecret('second', 30);
    await clock.advance(15_000);
    expect(board.text).toBe('second');
    await clock.advance(15_000);
    expect(board.text).toBe('');
    expect(clock.pending()).toBe(0);
  });

  it('clears on dispose (quit) when the secret is still there, and stops the timer', async () => {
    const clock = createManualClock();
    const board = memoryClipboard();
    const service = createClipboardService({ clipboard: board, clock });
    await service.copySecret('quit-secret', 30);
    await service.dispose();
    expect(board.text).toBe('');
    expect(clock.pending()).toBe(0);
  });

  it('does not clear on dispose what the user copied after the secret', async () => {
    const clock = createManualClock();
    const board = memoryClipboard();
    const service = createClipboardService({ clipboard: board, clock });
    await service.copySecret('quit-secret', 30);
    await service.copyText('tsc_client_id');
    await service.dispose();
    expect(board.text).toBe('tsc_client_id');
  });

  it('copying plain text (a client ID) is never cleared', async () => {
    const clock = createManualClock();
    const board = memoryClipboard();
    const service = createClipboardService({ clipboard: board, clock });
    await service.copyText('tsc_abc');
    await clock.advance(10 * 60_000);
    expect(board.text).toBe('tsc_abc');
  });
});

describe('a computer without a clipboard (contract)', () => {
  it("clipboard:copy-text answers `unavailable` in our words, never the library's", async () => {
    const { createTestApp } = await import('./testing/app-harness.ts');
    const { makeTempDir } = await import('./testing/temp-dir.ts');
    const dir = await makeTempDir('no-clipboard');
    const { CLIPBOARDY_NO_DISPLAY_TEXT: libraryText, clipboardWithoutDisplay: broken } = await import('./testing/clipboard-without-display.ts');
    const t = createTestApp({ dataDir: dir.dir, issuer: 'http://127.0.0.1:9', clipboard: broken });
    try {
      const copied = await t.call('clipboard:copy-text', { text: 'tsc_abc' });
      expect(copied).toEqual({ ok: false, error: { code: 'unavailable', message: 'This computer has no clipboard ThetaSecure Admin can use.' } });
      expect(JSON.stringify(copied)).not.toMatch(/Docker|CI servers|X11/);
      // The library's reason is kept for the log.
      expect(t.logs).toContainEqual(expect.objectContaining({ event: 'clipboard.unavailable', reason: libraryText }));
    } finally {
      await t.app.dispose();
      await dir.remove();
    }
  });
});
