// The rows of the client table: only those in view, in one tbody translated to where they
// start, each row element reused by position (keyed by a residue of its index, see use-row-window.ts)
// so scrolling refills a few elements and never mounts or unmounts rows. The scroll position
// lives here, so a scroll frame re-renders the rows and nothing above them. Owns the rows'
// keyboard model too: one row in the tab order, arrows / Page / Home / End move it, Enter opens.
import type { TableSelection } from '../bulk/use-table-selection.ts';
import { Eye, SquarePen, Trash } from 'lucide-react';
import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent, PointerEvent } from 'react';
import type { Client } from '../../../shared/client.ts';
import type { ClientView } from '../lib/client-index.ts';
import { IconButton } from '../ui/button.tsx';
import { CELLS, CUT_TEXT_SELECTOR, DATA_COLUMNS } from './client-table-cells.tsx';
import { useRowWindow } from './use-row-window.ts';

export const ROW_HEIGHT = 52;
export const HEADER_HEIGHT = 36;
/** Rows rendered beyond the view, ahead of the scroll (use-row-window.ts). */
const AHEAD = 2;

export interface RowActions {
  onView: (clientId: string) => void;
  onEdit: (clientId: string) => void;
  onDelete: (clientId: string) => void;
}

/** Asks the body to focus (and scroll to) a client's row; a new object each time. */
export interface FocusRowRequest {
  clientId: string;
}

export interface TableBodyProps extends RowActions {
  rows: ClientView;
  /** The table's scroll container, once mounted. */
  scrollElement: HTMLDivElement | null;
  selectedClientId: string | null;
  canWrite: boolean;
  writeDisabledReason: string | null;
  writeDisabledReasonId: string;
  focusRow: FocusRowRequest | null;
  /** Issue 11: the search, for the "matched in" line; the checkbox selection (absent: no checkboxes). */
  query: string;
  selection?: TableSelection;
}

export function TableBody(props: TableBodyProps) {
  const { rows, scrollElement } = props;
  const rowWindow = useRowWindow(scrollElement, rows.length, ROW_HEIGHT, HEADER_HEIGHT, AHEAD);
  const [activeId, setActiveId] = useState<string | null>(null);
  const focusRequest = useRef<string | null>(null);

  // Focus a row asked for from outside (the details panel closed): scroll it into view first.
  const handled = useRef<FocusRowRequest | null>(null);
  useLayoutEffect(() => {
    const request = props.focusRow;
    if (!request || handled.current === request) return;
    handled.current = request;
    for (let i = 0; i < rows.length; i++) {
      if (rows.at(i).client.clientId !== request.clientId) continue;
      setActiveId(request.clientId);
      focusRequest.current = request.clientId;
      rowWindow.scrollToIndex(i);
      return;
    }
  }, [props.focusRow, rows, rowWindow]);

  useLayoutEffect(() => {
    const id = focusRequest.current;
    if (!id) return;
    const element = scrollElement?.querySelector<HTMLElement>(`tr[data-row-id="${CSS.escape(id)}"]`);
    if (element) {
      focusRequest.current = null;
      element.focus({ preventScroll: true });
    }
  });

  const moveFocus = (to: number) => {
    if (rows.length === 0) return;
    const target = Math.max(0, Math.min(rows.length - 1, to));
    const id = rows.at(target).client.clientId;
    setActiveId(id);
    focusRequest.current = id;
    rowWindow.scrollToIndex(target);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const rowElement = (event.target as HTMLElement).closest('tr');
    const rowId = rowElement?.getAttribute('data-row-id');
    if (!rowElement || !rowId) return;
    const at = Number(rowElement.getAttribute('aria-rowindex')) - 2;
    const onRow = event.target === rowElement;
    const moves: Record<string, number | undefined> = { ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + rowWindow.pageRows, PageUp: at - rowWindow.pageRows, Home: onRow ? 0 : undefined, End: onRow ? rows.length - 1 : undefined };
    const to = moves[event.key];
    if (to !== undefined) {
      event.preventDefault();
      moveFocus(to);
    } else if (event.key === 'Enter' && onRow) {
      event.preventDefault();
      props.onView(rowId);
    }
  };

  // A tooltip with the whole text, only over text that is cut (the shared delegated tooltip
  // shows `data-tooltip`; this runs first, as React's root listener is below the document).
  const onPointerOver = (event: PointerEvent<HTMLTableSectionElement>) => {
    const element = (event.target as Element).closest<HTMLElement>(CUT_TEXT_SELECTOR);
    if (!element) return;
    if (element.scrollWidth > element.clientWidth) element.setAttribute('data-tooltip', element.textContent ?? '');
    else element.removeAttribute('data-tooltip');
  };

  const inView: Client[] = [];
  for (let i = rowWindow.start; i < rowWindow.end; i++) inView.push(rows.at(i).client);
  // The row in the tab order: the active one while it is rendered, else the first in view.
  const tabbableId = activeId && inView.some((client) => client.clientId === activeId) ? activeId : (inView[rowWindow.firstVisible - rowWindow.start]?.clientId ?? inView[0]?.clientId ?? null);

  return (
    <tbody style={{ transform: `translateY(${rowWindow.start * ROW_HEIGHT}px)` }} onKeyDown={onKeyDown} onPointerOver={onPointerOver}>
      {inView.map((client, offset) => {
        const rowIndex = rowWindow.start + offset;
        return (
          <ClientRow
            key={rowWindow.keyOf(rowIndex)}
            client={client}
            rowIndex={rowIndex}
            tabbable={client.clientId === tabbableId}
            selected={client.clientId === props.selectedClientId}
            canWrite={props.canWrite}
            writeDisabledReason={props.writeDisabledReason}
            writeDisabledReasonId={props.writeDisabledReasonId}
            onView={props.onView}
            onEdit={props.onEdit}
            onDelete={props.onDelete}
            onFocusRow={setActiveId}
            query={props.query}
            checked={props.selection ? props.selection.has(client.clientId) : null}
            onCheck={props.selection?.toggle}
          />
        );
      })}
    </tbody>
  );
}

interface ClientRowProps extends RowActions {
  client: Client;
  rowIndex: number;
  tabbable: boolean;
  selected: boolean;
  canWrite: boolean;
  writeDisabledReason: string | null;
  writeDisabledReasonId: string;
  onFocusRow: (id: string) => void;
  query: string;
  /** null: no checkbox column. */
  checked: boolean | null;
  onCheck?: (rowIndex: number, shift: boolean) => void;
}

// Created once: the same element object lets React skip re-rendering the icon in every row.
const VIEW_ICON = <Eye aria-hidden size={16} />;
const EDIT_ICON = <SquarePen aria-hidden size={16} />;
const DELETE_ICON = <Trash aria-hidden size={16} />;

/** A click that should open the row's details: not on a control, and not the end of selecting text. */
function opensDetails(event: MouseEvent<HTMLElement>): boolean {
  if ((event.target as HTMLElement).closest('button, a, input, select, textarea')) return false;
  const selection = window.getSelection();
  return !selection || selection.isCollapsed || !event.currentTarget.contains(selection.anchorNode);
}

// Memoized on the client object (a new one only when that client changed) and its position:
// a row element that keeps its client while scrolling is not re-rendered.
const ClientRow = memo(function ClientRow({ client, rowIndex, tabbable, selected, canWrite, writeDisabledReason, writeDisabledReasonId, onView, onEdit, onDelete, onFocusRow, query, checked, onCheck }: ClientRowProps) {
  const id = client.clientId;
  return (
    <tr
      data-row-id={id}
      aria-rowindex={rowIndex + 2}
      aria-current={selected || undefined}
      tabIndex={tabbable ? 0 : -1}
      className={selected ? 'is-selected' : undefined}
      onFocus={(event) => {
        if (event.target === event.currentTarget) onFocusRow(id);
      }}
      onClick={(event) => {
        if (opensDetails(event)) onView(id);
      }}
    >
      {DATA_COLUMNS.map((column) => (
        <td key={column} className={`col-${column}`}>
          {/* Issue 11: the checkbox sits in the name cell, so the columns' widths (and which give way) stay as they are. */}
          {column === 'name' && checked !== null ? (
            <input
              type="checkbox"
              className="row-select"
              aria-label={`Select ${client.name}`}
              checked={checked}
              // The click carries shiftKey (a range); onChange would not.
              onClick={(event) => onCheck?.(rowIndex, event.shiftKey)}
              onChange={() => undefined}
            />
          ) : null}
          {CELLS[column](client, query)}
        </td>
      ))}
      <td className="col-actions">
        <div className="row-actions">
          <IconButton lightweight label={`View ${client.name}`} tooltip="View details" icon={VIEW_ICON} onClick={() => onView(id)} />
          {canWrite ? (
            <>
              <IconButton lightweight label={`Edit ${client.name}`} tooltip="Edit" icon={EDIT_ICON} disabledReason={writeDisabledReason} disabledReasonId={writeDisabledReasonId} onClick={() => onEdit(id)} />
              <IconButton lightweight label={`Delete ${client.name}`} tooltip="Delete" variant="danger-ghost" icon={DELETE_ICON} disabledReason={writeDisabledReason} disabledReasonId={writeDisabledReasonId} onClick={() => onDelete(id)} />
            </>
          ) : null}
        </div>
      </td>
    </tr>
  );
});
