import { describe, expect, it, vi } from 'vitest';
import { createBrowserSecretClipboard, sha256Hex } from './copy.ts';
import type { TextClipboard, Timers } from './copy.ts';

function fakeTimers(): Timers & { fire(): Promise<void>; count(): number } {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    setTimeout(fn) {
      const id = next++;
      pending.set(id, fn);
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
    async fire() {
      const fns = [...pending.values()];
      pending.clear();
      for (const fn of fns) fn();
      // The clear goes on asynchronously (the digest is real work): each test waits for its outcome.
    },
    count: () => pending.size,
  };
}

function memoryClipboard(): TextClipboard & { text: string; readable: boolean } {
  const board = {
    text: '',
    readable: true,
    readText: async () => {
      if (!board.readable) throw new DOMException('Read permission denied.', 'NotAllowedError');
      return board.text;
    },
    writeText: async (text: string) => {
      board.text = text;
    },
  };
  return board;
}

describe("the browser's clipboard as the fallback for a copied secret (serve mode without a host clipboard)", () => {
  it('writes the secret and clears it when the time is up', async () => {
    const board = memoryClipboard();
    const timers = fakeTimers();
    const outcomes: string[] = [];
    const clip = createBrowserSecretClipboard({ clipboard: board, timers });
    await clip.copySecret('the-secret-abcd', 30, (outcome) => outcomes.push(outcome));
    expect(board.text).toBe('the-secret-abcd');
    expect(clip.pending()).toBe(true);
    await timers.fire();
    await vi.waitFor(() => expect(outcomes).toEqual(['cleared']));
    expect(board.text).toBe('');
    expect(clip.pending()).toBe(false);
  });

  it('leaves alone what the user copied since', async () => {
    const board = memoryClipboard();
    const timers = fakeTimers();
    const outcomes: string[] = [];
    const clip = createBrowserSecretClipboard({ clipboard: board, timers });
    await clip.copySecret('the-secret-abcd', 30, (outcome) => outcomes.push(outcome));
    board.text = 'something of the user';
    await timers.fire();
    await vi.waitFor(() => expect(outcomes).toEqual(['left-alone']));
    expect(board.text).toBe('something of the user');
  });

  it('does not overwrite blindly when the page may not read the clipboard, and says so', async () => {
    const board = memoryClipboard();
    const timers = fakeTimers();
    const outcomes: string[] = [];
    const clip = createBrowserSecretClipboard({ clipboard: board, timers });
    await clip.copySecret('the-secret-abcd', 30, (outcome) => outcomes.push(outcome));
    board.readable = false;
    await timers.fire();
    await vi.waitFor(() => expect(outcomes).toEqual(['not-checked']));
    expect(board.text).toBe('the-secret-abcd');
  });

  it('keeps only a digest of the secret to compare with, and a second copy restarts the wait', async () => {
    const board = memoryClipboard();
    const timers = fakeTimers();
    const seen: string[] = [];
    const clip = createBrowserSecretClipboard({
      clipboard: board,
      timers,
      digest: async (text) => {
        seen.push(text);
        return sha256Hex(text);
      },
    });
    await clip.copySecret('first-secret', 30);
    await clip.copySecret('second-secret', 30);
    expect(timers.count()).toBe(1);
    await timers.fire();
    await vi.waitFor(() => expect(board.text).toBe(''));
    expect(seen).toEqual(['first-secret', 'second-secret', 'second-secret']);
  });

  it('clearNow clears at once (leaving the page) and stops the timer', async () => {
    const board = memoryClipboard();
    const timers = fakeTimers();
    const clip = createBrowserSecretClipboard({ clipboard: board, timers });
    await clip.copySecret('the-secret-abcd', 30);
    expect(await clip.clearNow()).toBe('cleared');
    expect(timers.count()).toBe(0);
    expect(await clip.clearNow()).toBeNull();
  });

  it('sha256Hex is the hex SHA-256 of the UTF-8 text', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
