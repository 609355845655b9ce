// The table's checkbox selection (issue 11): a set of client ids with an anchor for shift-click
// ranges over the rows as currently shown, and "Select all N matching". Pure, so it is tested
// without a browser.
export interface RowList {
  length: number;
  idAt(index: number): string;
}

export interface Selection {
  ids: ReadonlySet<string>;
  /** The row index of the last plain click: the other end of a shift-click range. */
  anchor: number | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

export function toggleRow(selection: Selection, rows: RowList, index: number, shift: boolean): Selection {
  const id = rows.idAt(index);
  const ids = new Set(selection.ids);
  if (shift && selection.anchor !== null && selection.anchor < rows.length) {
    // A range takes the state of the row it ends on, as in a file manager.
    const select = !selection.ids.has(id);
    const [from, to] = selection.anchor < index ? [selection.anchor, index] : [index, selection.anchor];
    for (let i = from; i <= to; i++) {
      if (select) ids.add(rows.idAt(i));
      else ids.delete(rows.idAt(i));
    }
    return { ids, anchor: index };
  }
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: index };
}

export function selectAll(rows: RowList): Selection {
  const ids = new Set<string>();
  for (let i = 0; i < rows.length; i++) ids.add(rows.idAt(i));
  return { ids, anchor: null };
}

/** Drops ids that no longer exist (deleted here or elsewhere). */
export function pruneSelection(selection: Selection, exists: (id: string) => boolean): Selection {
  let changed = false;
  const ids = new Set<string>();
  for (const id of selection.ids) {
    if (exists(id)) ids.add(id);
    else changed = true;
  }
  return changed ? { ids, anchor: selection.anchor } : selection;
}
