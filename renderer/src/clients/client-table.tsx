// The client list, built for 100,000 clients. TanStack Table owns the columns and the sorting
// state (header buttons, aria-sort, which way a first click sorts); the rows come from the
// renderer's ClientIndex (lib/client-index.ts), which keeps one sorted order per column and
// searches with `indexOf` over concatenated text, so TanStack's row model — a Row object per
// client and a full sort per sort change — is not used (`manualSorting`, no data). Only the
// rows in view are in the DOM (client-table-body.tsx). Which columns show depends on the width
// the table has (container queries in styles.css, see renderer/README.md): beside the details
// panel, the columns give way by priority; the client's name and its actions always stay.
import type { TableSelection } from '../bulk/use-table-selection.ts';
import { createColumnHelper, rowSortingFeature, tableFeatures, useTable } from '@tanstack/react-table';
import type { SortingState } from '@tanstack/react-table';
import { ArrowDown, ArrowUp, ChevronsUpDown } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Client } from '../../../shared/client.ts';
import type { ClientIndex, SortKey } from '../lib/client-index.ts';
import type { ClientFilters } from '../lib/client-search.ts';
import { formatCount } from '../lib/format.ts';
import { HEADER_HEIGHT, ROW_HEIGHT, TableBody } from './client-table-body.tsx';
import type { FocusRowRequest, RowActions } from './client-table-body.tsx';
import { lastUsedColumn } from './last-used-column.tsx';

export { grantTypesText } from '../lib/client-search.ts';
export { KIND_LABELS, STATUS_LABELS, StatusLabel } from './client-table-cells.tsx';
export type { FocusRowRequest, RowActions } from './client-table-body.tsx';

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, Client>();

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
  /** Focus this client's row (scrolled into view): after the details panel closes. */
  focusRow: FocusRowRequest | null;
  /** Rendered above the table with the number of clients shown, in the same render as the rows. */
  toolbar: (shown: number) => ReactNode;
  /** Shown beside the table (the details panel). */
  side?: ReactNode;
  /** Shown in the table when no row passes (given whether the list itself is empty). */
  emptyState: ReactNode;
  /** Issue 11: the checkbox column (bulk actions); absent: no checkboxes. */
  selection?: TableSelection;
}

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
  const [scrollElement, setScrollElement] = useState<HTMLDivElement | null>(null);
  // The selection's shift-click ranges and "Select all N matching" run over the rows as shown.
  if (props.selection) props.selection.rowsRef.current = rows;
  const headerGroup = table.getHeaderGroups()[0]!;

  return (
    <>
      {props.toolbar(rows.length)}
      <div className="table-area">
        <div className="table-scroll" ref={setScrollElement}>
          <table className="client-table" aria-label="OAuth clients" aria-rowcount={rows.length + 1} style={{ height: HEADER_HEIGHT + rows.length * ROW_HEIGHT }}>
            <thead>
              <tr aria-rowindex={1}>
                {headerGroup.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  const label = header.column.columnDef.header as string;
                  return (
                    <th key={header.id} className={`col-${header.column.id}${canSort ? ' th-sortable' : ''}`} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : canSort ? 'none' : undefined} scope="col">
                      {canSort ? (
                        // Fills the whole header cell, so a click anywhere in it sorts.
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
            <TableBody
              rows={rows}
              scrollElement={scrollElement}
              selectedClientId={props.selectedClientId}
              canWrite={props.canWrite}
              writeDisabledReason={props.writeDisabledReason}
              writeDisabledReasonId={props.writeDisabledReasonId}
              focusRow={props.focusRow}
              onView={props.onView}
              onEdit={props.onEdit}
              onDelete={props.onDelete}
              query={filters.query}
              {...(props.selection ? { selection: props.selection } : {})}
            />
          </table>
          {rows.length === 0 ? props.emptyState : null}
        </div>
        {props.side}
      </div>
    </>
  );
}

/** "1,234 of 100,000 clients", in the user's locale. */
export function countLabel(shown: number, total: number): string {
  return `${formatCount(shown)} of ${formatCount(total)} clients`;
}
