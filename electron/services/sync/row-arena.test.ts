import { describe, expect, it } from 'vitest';
import { createRowArena } from './row-arena.ts';

describe('row arena', () => {
  it('keeps 10,000 rows densely in its own slabs, each row its exact bytes', () => {
    const arena = createRowArena(64 * 1024);
    const texts = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ clientId: `tsc_${i}`, name: `Billing ${i} — Ünïcode` }));
    const rows = texts.map((text) => arena.fromText(text));
    expect(rows.map((row) => row.toString('utf8'))).toEqual(texts);
    const { liveBytes, slabBytes } = arena.stats();
    expect(liveBytes).toBe(texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0));
    expect(slabBytes).toBeLessThan(liveBytes * 1.1);
    expect(arena.wasteful()).toBe(false);
  });

  it('says when replaced rows leave more holes than rows, and a copy into a fresh arena keeps every row', () => {
    const arena = createRowArena(16 * 1024);
    let rows = Array.from({ length: 2_000 }, (_, i) => arena.fromText(`{"n":${i}}`));
    for (let round = 0; round < 3; round += 1) {
      rows = rows.map((row, i) => {
        arena.release(row);
        return arena.fromText(`{"n":${i},"round":${round}}`);
      });
    }
    expect(arena.wasteful()).toBe(true);
    const fresh = createRowArena(16 * 1024);
    const copied = rows.map((row) => fresh.copy(row));
    expect(copied.map((row) => JSON.parse(row.toString('utf8')))).toEqual(rows.map((_, i) => ({ n: i, round: 2 })));
    expect(fresh.wasteful()).toBe(false);
  });

  it('a client larger than a quarter slab gets a buffer of its own', () => {
    const arena = createRowArena(16 * 1024);
    const big = JSON.stringify({ description: 'x'.repeat(10_000) });
    expect(arena.fromText(big).toString('utf8')).toBe(big);
    expect(arena.stats().slabBytes).toBe(Buffer.byteLength(big));
  });
});
