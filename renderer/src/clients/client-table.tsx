// The client list. TanStack Table owns the columns and the sort order; the search filter runs
// over a lowercase index of the sorted rows (computed once per list or sort, not per keystroke),
// and only the rows in view are in the DOM, so a keystroke costs one pass of `includes` and a
// re-render of the ~30 visible rows, even with 10,000 clients.
import { createColumnHelper, createSortedRowModel, flexRender, rowSortingFeature, sortFn_alphanumeric, sortFn_text, tableFeatures, useTable } from '@tanstack/react-table';
import type { Row, SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ChevronsUpDown, Eye, SquarePen, Trash } from 'lucide-react';
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { grantTypeLabel } from '../../../shared/catalogs.ts';
import type { Client } from '../../../shared/client.ts';
import { buildSearchIndex, filterIndex } from '../lib/client-search.ts';
import type { ClientFilters } from '../lib/client-search.ts';
import { formatDateTime } from '../lib/format.ts';
import { Badge } from '../ui/badge.tsx';
import { IconButton } from '../ui/button.tsx';
import { CopyButton } from '../ui/copy-button.tsx';

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, text: sortFn_text },
});

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

export function grantTypesText(client: Client): string {
  return client.grantTypes.map(grantTypeLabel).join(', ');
}

export const KIND_LABELS: Record<Client['kind'], string> = { default: 'Default', sync_connector: 'Sync Connector', custom: 'Custom' };
export const STATUS_LABELS: Record<Client['status'], string> = { active: 'Active', disabled: 'Disabled' };

const columns = helper.columns([
  helper.accessor('name', {
    header: 'Client',
    sortFn: 'text',
    cell: (info) => {
      const client = info.row.original;
      return (
        <div className="cell-client">
          <div className="cell-client-name">
            <span className="client-name" title={client.name}>
              {client.name}
            </span>
            {client.kind === 'default' ? <Badge tone="info">Default</Badge> : null}
            {client.kind === 'sync_connector' ? <Badge tone="muted">Sync Connector</Badge> : null}
          </div>
          {client.description ? (
            <div className="cell-client-description" title={client.description}>
              {client.description}
            </div>
          ) : null}
        </div>
      );
    },
  }),
  helper.accessor('clientId', {
    header: 'Client ID',
    sortFn: 'alphanumeric',
    cell: (info) => (
      <div className="cell-client-id">
        <code className="client-id" title={info.getValue()}>
          {info.getValue()}
        </code>
        {/* Keyed by the ID: a row slot showing another client must not keep "Copied". */}
        <CopyButton key={info.getValue()} text={info.getValue()} label={`Copy client ID ${info.getValue()}`} lightweight />
      </div>
    ),
  }),
  helper.accessor((client) => grantTypesText(client), {
    id: 'grantTypes',
    header: 'Grant Types',
    sortFn: 'text',
    cell: (info) => (
      <div className="badges badges-nowrap">
        {info.row.original.grantTypes.map((grant) => (
          <Badge key={grant} tone="accent">
            {grantTypeLabel(grant)}
          </Badge>
        ))}
      </div>
    ),
  }),
  helper.accessor('status', {
    header: 'Status',
    sortFn: 'text',
    cell: (info) => <StatusLabel status={info.getValue()} />,
  }),
  helper.accessor('createdAt', {
    header: 'Created',
    sortFn: 'alphanumeric',
    sortDescFirst: true,
    cell: (info) => (
      <time className="cell-created" dateTime={info.getValue()}>
        {createdText(info.getValue())}
      </time>
    ),
  }),
  helper.display({ id: 'actions', header: 'Actions', enableSorting: false }),
]);

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
  clients: readonly Client[];
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
  emptyState: ReactNode;
}

const ROW_HEIGHT = 52;
// Newest first: a client just created is at the top, where the user is looking.
const DEFAULT_SORTING: SortingState = [{ id: 'createdAt', desc: true }];

export function ClientTable(props: ClientTableProps) {
  const { clients, filters } = props;
  const [sorting, setSorting] = useState<SortingState>(DEFAULT_SORTING);
  const data = clients as Client[];
  const table = useTable(
    {
      features,
      columns,
      data,
      getRowId: (client) => client.clientId,
      state: { sorting },
      onSortingChange: setSorting,
      enableSortingRemoval: false,
    },
    (state) => ({ sorting: state.sorting }),
  );

  const sortedRows = table.getRowModel().rows;
  const index = useMemo(() => buildSearchIndex(sortedRows, (row) => row.original), [sortedRows]);
  const rows = useMemo(() => filterIndex(index, filters), [index, filters]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => rows[i]?.id ?? i,
    overscan: 4,
  });

  // Roving focus: one row is in the tab order; arrows move between rows, Enter opens details.
  const [activeId, setActiveId] = useState<string | null>(null);
  const focusRequest = useRef<string | null>(null);
  const activeIndex = activeId ? rows.findIndex((row) => row.id === activeId) : -1;
  const tabbableIndex = activeIndex >= 0 ? activeIndex : 0;

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
    const id = rows[target]!.id;
    setActiveId(id);
    focusRequest.current = id;
    virtualizer.scrollToIndex(target, { align: 'auto' });
  };

  const onBodyKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const rowElement = (event.target as HTMLElement).closest('tr');
    const rowId = rowElement?.getAttribute('data-row-id');
    if (!rowId) return;
    const at = rows.findIndex((row) => row.id === rowId);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
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
        moveFocus(at + page);
        break;
      case 'PageUp':
        event.preventDefault();
        moveFocus(at - page);
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
  const virtualItems = virtualizer.getVirtualItems();

  return (
    <>
      {props.toolbar(rows.length)}
      <div className="table-area">
    <div className="table-scroll" ref={scrollRef}>
      <table className="client-table" aria-label="OAuth clients" aria-rowcount={rows.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            {headerGroup.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              const canSort = header.column.getCanSort();
              const label = flexRender(header.column.columnDef.header, header.getContext());
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
        <tbody style={{ height: virtualizer.getTotalSize() }} onKeyDown={onBodyKeyDown}>
          {virtualItems.map((item) => {
            const row = rows[item.index]!;
            return (
              <ClientRow
                key={item.index}
                row={row}
                rowIndex={item.index}
                start={item.start}
                tabbable={item.index === tabbableIndex}
                selected={row.id === props.selectedClientId}
                canWrite={props.canWrite}
                writeDisabledReason={props.writeDisabledReason}
                writeDisabledReasonId={props.writeDisabledReasonId}
                onView={props.onView}
                onEdit={props.onEdit}
                onDelete={props.onDelete}
                onFocusRow={setActiveId}
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
  row: Row<typeof features, Client>;
  rowIndex: number;
  start: number;
  tabbable: boolean;
  selected: boolean;
  canWrite: boolean;
  writeDisabledReason: string | null;
  writeDisabledReasonId: string;
  onFocusRow: (id: string) => void;
}

// Created once: the same element object lets React skip re-rendering the icon in every row.
const VIEW_ICON = <Eye aria-hidden size={16} />;
const EDIT_ICON = <SquarePen aria-hidden size={16} />;
const DELETE_ICON = <Trash aria-hidden size={16} />;

const ClientRow = memo(function ClientRow({ row, rowIndex, start, tabbable, selected, canWrite, writeDisabledReason, writeDisabledReasonId, onView, onEdit, onDelete, onFocusRow }: ClientRowProps) {
  const client = row.original;
  return (
    <tr
      data-row-id={row.id}
      aria-rowindex={rowIndex + 2}
      aria-current={selected || undefined}
      tabIndex={tabbable ? 0 : -1}
      className={selected ? 'is-selected' : undefined}
      style={{ transform: `translateY(${start}px)` }}
      onFocus={(event) => {
        if (event.target === event.currentTarget) onFocusRow(row.id);
      }}
      onDoubleClick={(event) => {
        if ((event.target as HTMLElement).closest('button')) return;
        onView(row.id);
      }}
    >
      {row.getAllCells().map((cell) =>
        cell.column.id === 'actions' ? (
          <td key={cell.id} className="col-actions">
            <div className="row-actions">
              <IconButton lightweight label={`View ${client.name}`} tooltip="View details" icon={VIEW_ICON} onClick={() => onView(client.clientId)} />
              {canWrite ? (
                <>
                  <IconButton lightweight label={`Edit ${client.name}`} tooltip="Edit" icon={EDIT_ICON} disabledReason={writeDisabledReason} disabledReasonId={writeDisabledReasonId} onClick={() => onEdit(client.clientId)} />
                  <IconButton lightweight label={`Delete ${client.name}`} tooltip="Delete" variant="danger-ghost" icon={DELETE_ICON} disabledReason={writeDisabledReason} disabledReasonId={writeDisabledReasonId} onClick={() => onDelete(client.clientId)} />
                </>
              ) : null}
            </div>
          </td>
        ) : (
          <td key={cell.id} className={`col-${cell.column.id}`}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        ),
      )}
    </tr>
  );
});
