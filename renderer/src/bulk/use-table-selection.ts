// The checkbox selection as the table and the bulk bar use it (issue 11): state in
// selection-model.ts; the table puts the rows it shows in `rowsRef` on every render, which the
// shift-click ranges and "Select all N matching" read.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { MutableRefObject } from 'react';
import type { ClientView } from '../lib/client-index.ts';
import { EMPTY_SELECTION, selectAll, toggleRow } from './selection-model.ts';
import type { RowList, Selection } from './selection-model.ts';

export interface TableSelection {
  /** Select mode: checkboxes shown (off by default, so the table's columns keep their widths). */
  enabled: boolean;
  setEnabled: (enabled: boolean) => void;
  rowsRef: MutableRefObject<ClientView | null>;
  has: (clientId: string) => boolean;
  count: number;
  ids: readonly string[];
  toggle: (rowIndex: number, shift: boolean) => void;
  /** All rows shown (every client matching search and filters), or none when all are selected. */
  toggleAll: () => void;
  selectAllMatching: () => void;
  clear: () => void;
  /** How many rows the table shows now. */
  matching: () => number;
}

function rowList(view: ClientView | null): RowList {
  return { length: view?.length ?? 0, idAt: (index) => view!.at(index).client.clientId };
}

export function useTableSelection(): TableSelection {
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [enabled, setEnabledState] = useState(false);
  const setEnabled = useCallback((on: boolean) => {
    setEnabledState(on);
    if (!on) setSelection(EMPTY_SELECTION);
  }, []);
  const rowsRef = useRef<ClientView | null>(null);
  const toggle = useCallback((rowIndex: number, shift: boolean) => setSelection((current) => toggleRow(current, rowList(rowsRef.current), rowIndex, shift)), []);
  const selectAllMatching = useCallback(() => setSelection(selectAll(rowList(rowsRef.current))), []);
  const clear = useCallback(() => setSelection(EMPTY_SELECTION), []);
  const toggleAll = useCallback(() => setSelection((current) => (current.ids.size >= (rowsRef.current?.length ?? 0) && current.ids.size > 0 ? EMPTY_SELECTION : selectAll(rowList(rowsRef.current)))), []);
  return useMemo(
    () => ({
      enabled,
      setEnabled,
      rowsRef,
      has: (clientId: string) => selection.ids.has(clientId),
      count: selection.ids.size,
      ids: [...selection.ids],
      toggle,
      toggleAll,
      selectAllMatching,
      clear,
      matching: () => rowsRef.current?.length ?? 0,
    }),
    [enabled, setEnabled, selection, toggle, toggleAll, selectAllMatching, clear],
  );
}
