// A new client's secret never crosses to the renderer unasked: it waits here under a one-time
// handle until the user reveals or copies it, and is dropped when the dialog closes or after
// ten minutes, whichever comes first.
import { randomBytes } from 'node:crypto';
import type { Clock } from './effects.ts';

export const SECRET_HANDLE_LIFETIME_MS = 10 * 60 * 1000;

export interface SecretHandle {
  handle: string;
  hint: string;
}

export interface SecretVault {
  hold(secret: string): SecretHandle;
  /** The secret, or null when the handle was discarded, expired or never existed. */
  take(handle: string): string | null;
  discard(handle: string): void;
  size(): number;
  dispose(): void;
}

/** The last four characters, as the server's `hint` shows them. */
export function secretHint(secret: string): string {
  return `…${secret.slice(-4)}`;
}

export function createSecretVault(options: { clock: Clock; lifetimeMs?: number }): SecretVault {
  const { clock } = options;
  const lifetimeMs = options.lifetimeMs ?? SECRET_HANDLE_LIFETIME_MS;
  const held = new Map<string, { secret: string; timer: unknown }>();

  const discard = (handle: string) => {
    const entry = held.get(handle);
    if (!entry) return;
    clock.clearTimeout(entry.timer);
    held.delete(handle);
  };

  return {
    hold(secret) {
      const handle = `sh_${randomBytes(18).toString('base64url')}`;
      const timer = clock.setTimeout(() => held.delete(handle), lifetimeMs);
      held.set(handle, { secret, timer });
      return { handle, hint: secretHint(secret) };
    },
    take: (handle) => held.get(handle)?.secret ?? null,
    discard,
    size: () => held.size,
    dispose() {
      for (const handle of [...held.keys()]) discard(handle);
    },
  };
}
