import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, pruneSelection, selectAll, toggleRow } from './selection-model.ts';

const rows = { length: 10, idAt: (i: number) => `c${i}` };

describe('checkbox selection', () => {
  it('toggles one row, then shift-click selects the range to it', () => {
    let s = toggleRow(EMPTY_SELECTION, rows, 2, false);
    expect([...s.ids]).toEqual(['c2']);
    s = toggleRow(s, rows, 6, true);
    expect([...s.ids].sort()).toEqual(['c2', 'c3', 'c4', 'c5', 'c6']);
    // Shift-click back on a selected row clears the range from the anchor.
    s = toggleRow(s, rows, 4, true);
    expect([...s.ids].sort()).toEqual(['c2', 'c3']);
    s = toggleRow(s, rows, 3, false);
    expect([...s.ids]).toEqual(['c2']);
  });

  it('selects all matching rows, and forgets deleted ones', () => {
    const all = selectAll(rows);
    expect(all.ids.size).toBe(10);
    const pruned = pruneSelection(all, (id) => id !== 'c5');
    expect(pruned.ids.has('c5')).toBe(false);
    expect(pruneSelection(pruned, () => true)).toBe(pruned);
  });
});
