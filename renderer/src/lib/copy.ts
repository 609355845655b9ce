// Copying, as the user sees it. The host's clipboard first (Electron's, or the system one in
// serve mode). When the host has none (serve mode on a machine without a display server: the
// host answers `unavailable`), the browser's clipboard (navigator.clipboard) takes over, and a
// copied secret is still cleared after the configured seconds, but only if the clipboard still
// holds it (compared by a SHA-256 digest, as the host does: no second copy of the secret is kept).
// Failures come back in words a user can act on, never a library's text.
import type { ContractError } from '../../../shared/contract.ts';
import { call } from './bridge.ts';
import { errorMessage } from './format.ts';

export const COPY_SECRET_FAILED = 'Copy failed — reveal the secret and copy it by hand.';
export const COPY_TEXT_FAILED = 'Copy failed — select the text and copy it by hand.';
export const SECRET_GONE = 'This secret is no longer available: it was discarded or expired.';

export interface TextClipboard {
  readText(): Promise<string>;
  writeText(text: string): Promise<void>;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What became of a copied secret when its time was up. */
export type ClearOutcome = 'cleared' | 'left-alone' | 'not-checked';

export interface BrowserSecretClipboard {
  /** Writes `secret`, and clears it after `clearAfterSeconds` if the clipboard still holds it. */
  copySecret(secret: string, clearAfterSeconds: number, onCleared?: (outcome: ClearOutcome) => void): Promise<void>;
  /** True while a copied secret waits to be cleared. */
  pending(): boolean;
  /** Clears now (same check), e.g. when the page is being left. */
  clearNow(): Promise<ClearOutcome | null>;
}

export async function sha256Hex(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createBrowserSecretClipboard(options: { clipboard: TextClipboard; digest?: (text: string) => Promise<string>; timers?: Timers }): BrowserSecretClipboard {
  const { clipboard } = options;
  const digest = options.digest ?? sha256Hex;
  const timers: Timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) };
  let waiting: { digest: string; timer: unknown; onCleared?: (outcome: ClearOutcome) => void } | null = null;

  const clearIfStillHeld = async (): Promise<ClearOutcome | null> => {
    const copied = waiting;
    if (!copied) return null;
    timers.clearTimeout(copied.timer);
    waiting = null;
    let outcome: ClearOutcome;
    try {
      const now = await clipboard.readText();
      if ((await digest(now)) === copied.digest) {
        await clipboard.writeText('');
        outcome = 'cleared';
      } else outcome = 'left-alone';
    } catch {
      // The browser does not let this page read the clipboard: whatever is there may be the
      // user's own, so it is not overwritten blindly; the dialog says to clear it by hand.
      outcome = 'not-checked';
    }
    copied.onCleared?.(outcome);
    return outcome;
  };

  return {
    async copySecret(secret, clearAfterSeconds, onCleared) {
      if (waiting) {
        timers.clearTimeout(waiting.timer);
        waiting = null;
      }
      await clipboard.writeText(secret);
      const held = await digest(secret);
      const timer = timers.setTimeout(() => void clearIfStillHeld(), clearAfterSeconds * 1000);
      waiting = { digest: held, timer, ...(onCleared ? { onCleared } : {}) };
    },
    pending: () => waiting !== null,
    clearNow: clearIfStillHeld,
  };
}

/** The page's clipboard where the browser offers one (a secure context: app:// or loopback http). */
function browserClipboard(): TextClipboard | null {
  if (typeof navigator === 'undefined' || !navigator.clipboard || typeof window === 'undefined' || !window.isSecureContext) return null;
  return navigator.clipboard;
}

let secretClipboard: BrowserSecretClipboard | null = null;
function pageSecretClipboard(clipboard: TextClipboard): BrowserSecretClipboard {
  if (!secretClipboard) {
    secretClipboard = createBrowserSecretClipboard({ clipboard });
    // Leaving the page clears a copied secret now rather than never (best effort: unload may not wait).
    window.addEventListener('pagehide', () => void secretClipboard?.clearNow());
  }
  return secretClipboard;
}

export type CopyResult = { ok: true; via: 'host' | 'browser' } | { ok: false; message: string };

/** Copies a non-secret text (a client ID, a URL, a quick start). */
export async function copyText(text: string): Promise<CopyResult> {
  const result = await call('clipboard:copy-text', { text });
  if (result.ok) return { ok: true, via: 'host' };
  if (result.error.code === 'unavailable') {
    const clipboard = browserClipboard();
    if (clipboard) {
      try {
        await clipboard.writeText(text);
        return { ok: true, via: 'browser' };
      } catch {
        // Denied by the browser: fall through to the message.
      }
    }
  }
  return { ok: false, message: COPY_TEXT_FAILED };
}

export type SecretCopyResult = { ok: true; via: 'host' | 'browser'; clearAfterSeconds: number } | { ok: false; message: string; gone: boolean };

/**
 * Copies the secret under `handle`. On the browser path the secret crosses into this function
 * only (revealed from the host, written, dropped); only its digest stays, for the clear.
 */
export async function copySecret(handle: string, onCleared?: (outcome: ClearOutcome) => void): Promise<SecretCopyResult> {
  const result = await call('secret:copy', { handle });
  if (result.ok) return { ok: true, via: 'host', clearAfterSeconds: result.value.clearAfterSeconds };
  if (result.error.code === 'not_found') return { ok: false, message: SECRET_GONE, gone: true };
  if (result.error.code !== 'unavailable') return { ok: false, message: secretCopyMessage(result.error), gone: false };
  const clipboard = browserClipboard();
  if (!clipboard) return { ok: false, message: COPY_SECRET_FAILED, gone: false };
  const settings = await call('settings:get', {});
  const clearAfterSeconds = settings.ok ? settings.value.clipboardClearSeconds : 30;
  const revealed = await call('secret:reveal', { handle });
  if (!revealed.ok) return revealed.error.code === 'not_found' ? { ok: false, message: SECRET_GONE, gone: true } : { ok: false, message: COPY_SECRET_FAILED, gone: false };
  try {
    await pageSecretClipboard(clipboard).copySecret(revealed.value.secret, clearAfterSeconds, onCleared);
    return { ok: true, via: 'browser', clearAfterSeconds };
  } catch {
    return { ok: false, message: COPY_SECRET_FAILED, gone: false };
  }
}

function secretCopyMessage(error: ContractError): string {
  return error.code === 'internal' ? COPY_SECRET_FAILED : errorMessage(error);
}
