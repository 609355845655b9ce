// Copying to the system clipboard. A copied secret is cleared after N seconds, and on quit, but
// only if the clipboard still holds it: whatever the user copied since is left alone.
import { createHash } from 'node:crypto';
import type { ClipboardEffect, Clock, LogEffect } from './effects.ts';
import { errorMessage, silentLog } from './effects.ts';

export interface ClipboardService {
  copySecret(secret: string, clearAfterSeconds: number): Promise<{ clearAfterSeconds: number; clearsAt: string }>;
  copyText(text: string): Promise<void>;
  /** True while a copied secret is waiting to be cleared. */
  pendingClear(): boolean;
  /** Clears a copied secret now if the clipboard still holds it; stops the timer. */
  dispose(): Promise<void>;
}

// Only a digest of the copied secret is kept to compare with: no second copy lives here.
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function createClipboardService(options: { clipboard: ClipboardEffect; clock: Clock; log?: LogEffect }): ClipboardService {
  const { clipboard, clock } = options;
  const log = options.log ?? silentLog;
  let pending: { digest: string; timer: unknown } | null = null;

  const clearIfStillHeld = async (): Promise<void> => {
    const copied = pending;
    if (!copied) return;
    clock.clearTimeout(copied.timer);
    pending = null;
    try {
      const current = await clipboard.readText();
      if (digest(current) === copied.digest) {
        await clipboard.writeText('');
        log({ level: 'info', event: 'clipboard.cleared' });
      } else {
        log({ level: 'info', event: 'clipboard.left-alone', message: 'The clipboard changed since the secret was copied; it was not cleared.' });
      }
    } catch (error) {
      log({ level: 'warn', event: 'clipboard.clear-failed', reason: errorMessage(error) });
    }
  };

  return {
    async copySecret(secret, clearAfterSeconds) {
      if (pending) {
        clock.clearTimeout(pending.timer);
        pending = null;
      }
      await clipboard.writeText(secret);
      const timer = clock.setTimeout(() => clearIfStillHeld(), clearAfterSeconds * 1000);
      pending = { digest: digest(secret), timer };
      return { clearAfterSeconds, clearsAt: new Date(clock.now() + clearAfterSeconds * 1000).toISOString() };
    },
    async copyText(text) {
      await clipboard.writeText(text);
    },
    pendingClear: () => pending !== null,
    dispose: clearIfStillHeld,
  };
}
