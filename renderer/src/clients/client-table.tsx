// The client list, built for 100,000 clients. TanStack Table owns the columns and the sorting
// state (header buttons, aria-sort, which way a first click sorts); the rows come from the
// renderer's ClientIndex (lib/client-index.ts), which keeps one sorted order per column and
// searches with `indexOf` over concatenated text, so TanStack's row model — a Row object per
// client and a full sort per sort change — is not used (`manualSorting`, no data). Only the
// rows in view are in the DOM: every row is 52 px, so the window is arithmetic on scrollTop
// (use-row-window.ts); rows are keyed by client ID and memoized, so a scroll step renders only
// the rows that came into view.
import { createColumnHelper, rowSortingFeature, tableFeatures, useTable } from '@tanstack/react-table';
import type { SortingState } from '@tanstack/react-table';
import { ArrowDown, ArrowUp, ChevronsUpDown, Eye, SquarePen, Trash } from 'lucide-react';
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { grantTypeLabel } from '../../../shared/catalogs.ts';
import type { Client } from '../../../shared/client.ts';
import type { ClientIndex, SortKey } from '../lib/client-index.ts';
import type { ClientFilters } from '../lib/client-search.ts';
import { formatCount, formatDateTime } from '../lib/format.ts';
import { Badge } from '../ui/badge.tsx';
import { IconButton } from '../ui/button.tsx';
import { CopyButton } from '../ui/copy-button.tsx';
import { useRowWindow } from './use-row-window.ts';
import { LastUsedCell, lastUsedColumn } from './last-used-column.tsx';
import { LabelChips } from '../labels/label-chips.tsx';
import { matchedIn } from '../search/matched-in.ts';
import type { TableSelection } from '../bulk/use-table-selection.ts';

export { grantTypesText } from '../lib/client-search.ts';

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, Client>();

const createdFormatCache = new Map<string, string>();
function createdText(iso: string): string {
  let text = createdFormatCache.get(iso);
  if (text === undefined) {
    text = formatDateTime(iso);
    createdFormatCache.set(iso, text);
  }
  return text;
}

export const KIND_LABELS: Record<Client['kind'], string> = { default: 'Default', sync_connector: 'Sync Connector', custom: 'Custom' };
export const STATUS_LABELS: Record<Client['status'], string> = { active: 'Active', disabled: 'Disabled' };

// The header cells. The sorting itself is ClientIndex's (COMPARATORS there); TanStack keeps
// the state. A first click sorts text ascending and dates newest first.
const columns = helper.columns([
  helper.accessor('name', { header: 'Client' }),
  helper.accessor('clientId', { header: 'Client ID' }),
  helper.accessor((client) => client.grantTypes.join(','), { id: 'grantTypes', header: 'Grant Types' }),
  helper.accessor('status', { header: 'Status' }),
  helper.accessor('createdAt', { header: 'Created', sortDescFirst: true }),
  helper.accessor(lastUsedColumn.accessor, { id: lastUsedColumn.id, header: lastUsedColumn.header, sortDescFirst: true }),
  helper.display({ id: 'actions', header: 'Actions', enableSorting: false }),
]);

function ClientCell({ client, query }: { client: Client; query: string }) {
  // Issue 11: when the search matched another field, that line replaces the description.
  const matched = matchedIn(client, query);
  return (
    <div className="cell-client">
      <div className="cell-client-name">
        <span className="client-name" title={client.name}>
          {client.name}
        </span>
        {client.kind === 'default' ? <Badge tone="info">Default</Badge> : null}
        {client.kind === 'sync_connector' ? <Badge tone="muted">Sync Connector</Badge> : null}
        <LabelChips labels={client.labels} max={2} />
      </div>
      {matched ? (
        <div className="cell-client-description cell-matched" title={`${matched.field}: ${matched.value}`}>
          {matched.field}: {matched.value}
        </div>
      ) : client.description ? (
        <div className="cell-client-description" title={client.description}>
          {client.description}
        </div>
      ) : null}
    </div>
  );
}

const CELLS: Record<SortKey, (client: Client, query: string) => ReactNode> = {
  name: (client, query) => <ClientCell client={client} query={query} />,
  clientId: (client) => (
    <div className="cell-client-id">
      <code className="client-id" title={client.clientId}>
        {client.clientId}
      </code>
      <CopyButton text={client.clientId} label={`Copy client ID ${client.clientId}`} lightweight />
    </div>
  ),
  grantTypes: (client) => (
    <div className="badges badges-nowrap">
      {client.grantTypes.map((grant) => (
        <Badge key={grant} tone="accent">
          {grantTypeLabel(grant)}
        </Badge>
      ))}
    </div>
  ),
  status: (client) => <StatusLabel status={client.status} />,
  createdAt: (client) => (
    <time className="cell-created" dateTime={client.createdAt}>
      {createdText(client.createdAt)}
    </time>
  ),
  lastUsedAt: (client) => <LastUsedCell client={client} />,
};
const DATA_COLUMNS: readonly SortKey[] = ['name', 'clientId', 'grantTypes', 'status', 'createdAt', 'lastUsedAt'];

export function StatusLabel({ status }: { status: Client['status'] }) {
  return (
    <span className={`status status-${status}`}>
      <span className="status-dot" aria-hidden />
      {STATUS_LABELS[status]}
    </span>
  );
}

export interface RowActions {
  onView: (clientId: string) => void;
  onEdit: (clientId: string) => void;
  onDelete: (clientId: string) => void;
}

export interface ClientTableProps extends RowActions {
  index: ClientIndex;
  /** The index's version when this render was asked for: the view is recomputed when it changes. */
  version: number;
  filters: ClientFilters;
  canWrite: boolean;
  /** Why edit and delete are unavailable right now (offline), or null. */
  writeDisabledReason: string | null;
  writeDisabledReasonId: string;
  selectedClientId: string | null;
  /** Rendered above the table with the number of clients shown, in the same render as the rows. */
  toolbar: (shown: number) => ReactNode;
  /** Shown beside the table (the details panel). */
  side?: ReactNode;
  /** Shown in the table when no row passes (given whether the list itself is empty). */
  emptyState: ReactNode;
  /** Issue 11: the checkbox column (bulk actions); absent: no checkboxes. */
  selection?: TableSelection;
}

const ROW_HEIGHT = 52;
const HEADER_HEIGHT = 36;
const OVERSCAN = 4;
// Newest first: a client just created is at the top, where the user is looking.
const DEFAULT_SORTING: SortingState = [{ id: 'createdAt', desc: true }];
const NO_DATA: Client[] = [];

export function ClientTable(props: ClientTableProps) {
  const { index, version, filters } = props;
  const [sorting, setSorting] = useState<SortingState>(DEFAULT_SORTING);
  const table = useTable(
    {
      features,
      columns,
      data: NO_DATA,
      state: { sorting },
      onSortingChange: setSorting,
      manualSorting: true,
      enableSortingRemoval: false,
      // With no rows for TanStack to sample, say it: text sorts A→Z on the first click.
      sortDescFirst: false,
    },
    (state) => ({ sorting: state.sorting }),
  );

  const sortKey = (sorting[0]?.id ?? 'createdAt') as SortKey;
  const desc = sorting[0]?.desc ?? true;
  // `version` changes whenever the index does; the index itself is the same object throughout.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const rows = useMemo(() => index.view({ key: sortKey, desc }, filters), [index, version, sortKey, desc, filters]);

  // The selection's shift-click ranges and "Select all N matching" run over the rows as shown.
  if (props.selection) props.selection.rowsRef.current = rows;

  const scrollRef = useRef<HTMLDivElement>(null);
  const rowWindow = useRowWindow(scrollRef, rows.length, ROW_HEIGHT, HEADER_HEIGHT, OVERSCAN);

  // Roving focus: one row is in the tab order; arrows move between rows, Enter opens details.
  const [activeId, setActiveId] = useState<string | null>(null);
  const focusRequest = useRef<string | null>(null);

  useLayoutEffect(() => {
    const id = focusRequest.current;
    if (!id) return;
    const element = scrollRef.current?.querySelector<HTMLElement>(`tr[data-row-id="${CSS.escape(id)}"]`);
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

  const onBodyKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const rowElement = (event.target as HTMLElement).closest('tr');
    const rowId = rowElement?.getAttribute('data-row-id');
    if (!rowElement || !rowId) return;
    const at = Number(rowElement.getAttribute('aria-rowindex')) - 2;
    const onRow = event.target === rowElement;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        moveFocus(at + 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        moveFocus(at - 1);
        break;
      case 'PageDown':
        event.preventDefault();
        moveFocus(at + rowWindow.pageRows);
        break;
      case 'PageUp':
        event.preventDefault();
        moveFocus(at - rowWindow.pageRows);
        break;
      case 'Home':
        if (!onRow) return;
        event.preventDefault();
        moveFocus(0);
        break;
      case 'End':
        if (!onRow) return;
        event.preventDefault();
        moveFocus(rows.length - 1);
        break;
      case 'Enter':
        if (!onRow) return;
        event.preventDefault();
        props.onView(rowId);
        break;
    }
  };

  const headerGroup = table.getHeaderGroups()[0]!;
  const inView: Client[] = [];
  for (let i = rowWindow.start; i < rowWindow.end; i++) inView.push(rows.at(i).client);
  // The row in the tab order: the active one while it is rendered, else the first in view.
  const tabbableId = activeId && inView.some((client) => client.clientId === activeId) ? activeId : (inView[rowWindow.firstVisible - rowWindow.start]?.clientId ?? inView[0]?.clientId ?? null);

  return (
    <>
      {props.toolbar(rows.length)}
      <div className="table-area">
        <div className="table-scroll" ref={scrollRef}>
          <table className={props.selection ? 'client-table has-select' : 'client-table'} aria-label="OAuth clients" aria-rowcount={rows.length + 1}>
            <thead>
              <tr aria-rowindex={1}>
                {props.selection ? (
                  <th className="col-select" scope="col">
                    <input type="checkbox" aria-label="Select all clients shown" checked={rows.length > 0 && props.selection.count >= rows.length} onChange={() => props.selection!.toggleAll()} />
                  </th>
                ) : null}
                {headerGroup.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  const label = header.column.columnDef.header as string;
                  return (
                    <th key={header.id} className={`col-${header.column.id}`} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : canSort ? 'none' : undefined} scope="col">
                      {canSort ? (
                        <button type="button" className="th-sort" onClick={header.column.getToggleSortingHandler()}>
                          {label}
                          {sorted === 'asc' ? <ArrowUp aria-hidden size={13} /> : sorted === 'desc' ? <ArrowDown aria-hidden size={13} /> : <ChevronsUpDown aria-hidden size={13} className="th-sort-idle" />}
                        </button>
                      ) : (
                        <span className="th-label">{label}</span>
                      )}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody style={{ height: rowWindow.totalHeight }} onKeyDown={onBodyKeyDown}>
              {inView.map((client, offset) => {
                const rowIndex = rowWindow.start + offset;
                return (
                  <ClientRow
                    key={client.clientId}
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
                    query={filters.query}
                    checked={props.selection ? props.selection.has(client.clientId) : null}
                    onCheck={props.selection?.toggle}
                  />
                );
              })}
            </tbody>
          </table>
          {rows.length === 0 ? props.emptyState : null}
        </div>
        {props.side}
      </div>
    </>
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

// Memoized on the client object (a new one only when that client changed) and its position:
// scrolling re-renders only rows that came into view or moved.
const ClientRow = memo(function ClientRow({ client, rowIndex, tabbable, selected, canWrite, writeDisabledReason, writeDisabledReasonId, onView, onEdit, onDelete, onFocusRow, query, checked, onCheck }: ClientRowProps) {
  const id = client.clientId;
  return (
    <tr
      data-row-id={id}
      aria-rowindex={rowIndex + 2}
      aria-current={selected || undefined}
      tabIndex={tabbable ? 0 : -1}
      className={selected ? 'is-selected' : undefined}
      style={{ transform: `translateY(${rowIndex * ROW_HEIGHT}px)` }}
      onFocus={(event) => {
        if (event.target === event.currentTarget) onFocusRow(id);
      }}
      onDoubleClick={(event) => {
        if ((event.target as HTMLElement).closest('button')) return;
        onView(id);
      }}
    >
      {checked !== null ? (
        <td className="col-select">
          <input
            type="checkbox"
            aria-label={`Select ${client.name}`}
            checked={checked}
            // The click carries shiftKey (a range); onChange would not.
            onClick={(event) => onCheck?.(rowIndex, event.shiftKey)}
            onChange={() => undefined}
          />
        </td>
      ) : null}
      {DATA_COLUMNS.map((column) => (
        <td key={column} className={`col-${column}`}>
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

/** "1,234 of 100,000 clients", in the user's locale. */
export function countLabel(shown: number, total: number): string {
  return `${formatCount(shown)} of ${formatCount(total)} clients`;
}
