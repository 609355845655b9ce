import { describe, expect, it } from 'vitest';
import { SECRET_HANDLE_LIFETIME_MS, createSecretVault } from './secrets.ts';
import { createManualClock } from './testing/manual-clock.ts';

describe('one-time secret handles (injected clock)', () => {
  it('gives a handle and hint, not the secret, and returns the secret for that handle', () => {
    const vault = createSecretVault({ clock: createManualClock() });
    const held = vault.hold('abcdefghijklmnopQa9x');
    expect(held.hint).toBe('…Qa9x');
    expect(held.handle).not.toContain('abcdefgh');
    expect(vault.take(held.handle)).toBe('abcdefghijklmnopQa9x');
    // Reveal and Copy are both allowed while the dialog is open.
    expect(vault.take(held.handle)).toBe('abcdefghijklmnopQa9x');
  });

  it('forgets a discarded handle', () => {
    const vault = createSecretVault({ clock: createManualClock() });
    const held = vault.hold('secret-one');
    vault.discard(held.handle);
    expect(vault.take(held.handle)).toBeNull();
    expect(vault.size()).toBe(0);
  });

  it('forgets a handle after ten minutes even if the dialog never said so', async () => {
    const clock = createManualClock();
    const vault = createSecretVault({ clock });
    const held = vault.hold('secret-two');
    await clock.advance(SECRET_HANDLE_LIFETIME_MS - 1);
    expect(vault.take(held.handle)).toBe('secret-two');
    await clock.advance(1);
    expect(vault.take(held.handle)).toBeNull();
    expect(SECRET_HANDLE_LIFETIME_MS).toBe(10 * 60 * 1000);
  });

  it('unknown and guessed handles find nothing; handles are unique', () => {
    const vault = createSecretVault({ clock: createManualClock() });
    const a = vault.hold('a-secret');
    const b = vault.hold('b-secret');
    expect(a.handle).not.toBe(b.handle);
    expect(vault.take('sh_guess')).toBeNull();
    vault.dispose();
    expect(vault.take(a.handle)).toBeNull();
    expect(vault.take(b.handle)).toBeNull();
  });
});
