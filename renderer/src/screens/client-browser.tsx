// The search box, filters, count, sync progress and the table. Search state lives here, not in
// the screen, so a keystroke re-renders only this part of the page.
import { CheckSquare, RefreshCw, Search, Upload, X } from 'lucide-react';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { GRANT_TYPE_CATALOG } from '../../../shared/catalogs.ts';
import type { SyncState } from '../../../shared/contract.ts';
import { ClientTable, countLabel } from '../clients/client-table.tsx';
import type { FocusRowRequest } from '../clients/client-table.tsx';
import { LifecycleFilterButtons, NO_LIFECYCLE_TOGGLES, useLifecycleFilters } from '../clients/lifecycle-filter-buttons.tsx';
import type { ClientIndex } from '../lib/client-index.ts';
import { hasActiveFilters, NO_FILTERS } from '../lib/client-search.ts';
import type { ClientFilters } from '../lib/client-search.ts';
import { errorMessage, formatCount } from '../lib/format.ts';
import type { ReplicaState } from '../lib/replica-store.ts';
import { Button, IconButton } from '../ui/button.tsx';
import { BulkBar } from '../bulk/bulk-bar.tsx';
import { useTableSelection } from '../bulk/use-table-selection.ts';
import { labelCounts } from '../labels/label-counts.ts';
import { ImportDialog } from '../transfer/import-dialog.tsx';

export interface ClientBrowserProps {
  index: ClientIndex;
  replica: ReplicaState;
  retry: () => void;
  onRefresh: () => void;
  refreshing: boolean;
  canWrite: boolean;
  writeDisabledReason: string | null;
  writeDisabledReasonId: string;
  selectedId: string | null;
  /** Focus this client's row: the details panel was closed. */
  focusRow: FocusRowRequest | null;
  onView: (clientId: string) => void;
  onEdit: (clientId: string) => void;
  onDelete: (clientId: string) => void;
  /** The details panel, beside (or over) the table. */
  side: ReactNode;
}

/** "Syncing 42,000 of 100,000" while the host takes the whole list or catches up; null otherwise. */
export function syncProgressText(sync: SyncState | null): string | null {
  if (!sync || (sync.phase !== 'snapshot' && sync.phase !== 'catching-up')) return null;
  if (sync.expected !== null && sync.expected > 0) return `Syncing ${formatCount(Math.min(sync.received, sync.expected))} of ${formatCount(sync.expected)}`;
  return sync.received > 0 ? `Syncing ${formatCount(sync.received)}…` : 'Syncing…';
}

export const ClientBrowser = memo(function ClientBrowser({ index, replica, retry, onRefresh, refreshing, canWrite, writeDisabledReason, writeDisabledReasonId, selectedId, focusRow, onView, onEdit, onDelete, side }: ClientBrowserProps) {
  const [baseFilters, setFilters] = useState<ClientFilters>(NO_FILTERS);
  const lifecycle = useLifecycleFilters(index, replica.version);
  const filters = useMemo<ClientFilters>(() => ({ ...baseFilters, ...lifecycle.thresholds }), [baseFilters, lifecycle.thresholds]);
  const clearFilters = () => {
    setFilters(NO_FILTERS);
    lifecycle.setToggles(NO_LIFECYCLE_TOGGLES);
  };
  const searchRef = useRef<HTMLInputElement>(null);
  // Issue 11: checkboxes and bulk actions, the label filter, import.
  const selection = useTableSelection();
  const [importing, setImporting] = useState(false);
  const labels = labelCounts(index);

  // "/" focuses the search box, unless the user is typing somewhere or a dialog is open.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"], [role="alertdialog"]')) return;
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const filtering = hasActiveFilters(filters);
  const progress = syncProgressText(replica.sync);
  // Two rows that never wrap: what narrows the list (search, filters, Clear, Refresh), then the
  // lifecycle toggles with the sync progress and the count. One row cannot hold them all at
  // 1024 px, and a row that wraps moves its last control onto a line of its own.
  const toolbar = (shown: number | null) => (
    <div className="toolbar" role="search">
      <div className="toolbar-row">
        <div className="search">
          <Search aria-hidden size={15} className="search-icon" />
          <input
            ref={searchRef}
            type="search"
            className="input search-input"
            placeholder="Search name, ID, URI, scope, label"
            aria-label="Search clients"
            aria-keyshortcuts="/"
            value={filters.query}
            onChange={(event) => setFilters((current) => ({ ...current, query: event.target.value }))}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && filters.query) {
                event.stopPropagation();
                setFilters((current) => ({ ...current, query: '' }));
              }
            }}
          />
          <kbd className="search-kbd" aria-hidden>
            /
          </kbd>
        </div>
        <FilterSelect
          label="Grant type"
          value={filters.grantType}
          onChange={(value) => setFilters((current) => ({ ...current, grantType: value as ClientFilters['grantType'] }))}
          options={[{ value: 'all', label: 'All grant types' }, ...GRANT_TYPE_CATALOG.map((g) => ({ value: g.id, label: g.label }))]}
        />
        <FilterSelect
          label="Status"
          value={filters.status}
          onChange={(value) => setFilters((current) => ({ ...current, status: value as ClientFilters['status'] }))}
          options={[
            { value: 'all', label: 'All statuses' },
            { value: 'active', label: 'Active' },
            { value: 'disabled', label: 'Disabled' },
          ]}
        />
        <FilterSelect
          label="Kind"
          value={filters.kind}
          onChange={(value) => setFilters((current) => ({ ...current, kind: value as ClientFilters['kind'] }))}
          options={[
            { value: 'all', label: 'All kinds' },
            { value: 'default', label: 'Default' },
            { value: 'sync_connector', label: 'Sync Connector' },
            { value: 'custom', label: 'Custom' },
          ]}
        />
        {filtering ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={clearFilters}>
            <X aria-hidden size={14} />
            Clear
          </button>
        ) : null}
        <span className="spacer" />
        <IconButton label="Refresh list" icon={<RefreshCw aria-hidden size={15} className={refreshing ? 'spin' : undefined} />} onClick={onRefresh} />
      </div>
      <div className="toolbar-row">
        <LifecycleFilterButtons toggles={lifecycle.toggles} counts={lifecycle.counts} onChange={lifecycle.setToggles} />
        <span className="spacer" />
        {progress ? (
          <span className="sync-progress" role="status">
            <RefreshCw aria-hidden size={13} className="spin" />
            {progress}
          </span>
        ) : null}
        <span className="count" role="status">
          {replica.status === 'preview' && replica.total !== null ? `Loading ${formatCount(replica.total)} clients…` : shown === null ? '' : countLabel(shown, replica.size)}
        </span>
      </div>
      {/* Issue 11: labels, select mode, import — a row of their own, so the rows above keep to one line. */}
      <div className="toolbar-row">
        {labels.length ? (
          <FilterSelect
            label="Label"
            value={filters.label ?? 'all'}
            onChange={(value) => setFilters((current) => ({ ...current, label: value }))}
            options={[{ value: 'all', label: 'All labels' }, ...labels.map(([label, count]) => ({ value: label, label: `${label} (${formatCount(count)})` }))]}
          />
        ) : null}
        <button type="button" className={`btn btn-secondary btn-sm${selection.enabled ? ' is-active' : ''}`} aria-pressed={selection.enabled} onClick={() => selection.setEnabled(!selection.enabled)}>
          <CheckSquare aria-hidden size={14} />
          Select
        </button>
        {canWrite ? (
          <Button variant="secondary" icon={<Upload aria-hidden size={14} />} disabledReason={writeDisabledReason} onClick={() => setImporting(true)}>
            Import
          </Button>
        ) : null}
        {importing ? <ImportDialog onClose={() => setImporting(false)} /> : null}
      </div>
      {selection.enabled && shown !== null ? (
        <BulkBar
          selected={selection.ids}
          matching={shown}
          clientOf={(clientId) => index.get(clientId)}
          onSelectAll={selection.selectAllMatching}
          onClear={selection.clear}
          canWrite={canWrite}
          writeDisabledReason={writeDisabledReason}
        />
      ) : null}
    </div>
  );

  if (replica.status === 'error' && replica.error) {
    return (
      <>
        {toolbar(null)}
        <div className="table-area">
          <ListError message={errorMessage(replica.error)} onRetry={retry} />
          {side}
        </div>
      </>
    );
  }
  if (replica.status === 'loading') {
    return (
      <>
        {toolbar(null)}
        <div className="table-area">
          <div className="list-loading" role="status">
            <RefreshCw aria-hidden size={16} className="spin" /> Loading clients…
          </div>
        </div>
      </>
    );
  }
  return (
    <ClientTable
      index={index}
      version={replica.version}
      // A preview holds only the first screen: what is typed meanwhile applies once the whole list is in.
      filters={replica.status === 'preview' ? NO_FILTERS : filters}
      canWrite={canWrite}
      writeDisabledReason={writeDisabledReason}
      writeDisabledReasonId={writeDisabledReasonId}
      selectedClientId={selectedId}
      focusRow={focusRow}
      toolbar={toolbar}
      side={side}
      onView={onView}
      onEdit={onEdit}
      onDelete={onDelete}
      {...(selection.enabled ? { selection } : {})}
      emptyState={replica.size === 0 ? <NoClients replica={replica} canWrite={canWrite} progress={progress} /> : <NoMatch filters={filters} onClear={clearFilters} />}
    />
  );
});

/** The list is empty: truly (the first sync is complete), or not downloaded yet. */
function NoClients({ replica, canWrite, progress }: { replica: ReplicaState; canWrite: boolean; progress: string | null }) {
  if (replica.complete) {
    return (
      <div className="empty">
        <p className="empty-title">No OAuth clients yet</p>
        <p className="muted">{canWrite ? 'Create a client to let an application authenticate with ThetaSecure.' : 'Clients created by an administrator will appear here.'}</p>
      </div>
    );
  }
  if (progress) {
    return (
      <div className="empty">
        <p className="empty-title">Downloading the client list…</p>
        <p className="muted">{progress}</p>
      </div>
    );
  }
  return (
    <div className="empty">
      <p className="empty-title">The client list has not been downloaded yet</p>
      <p className="muted">{replica.sync?.phase === 'offline' ? 'It will appear here as soon as the server can be reached.' : 'It will appear here once the first sync succeeds; Refresh tries again now.'}</p>
    </div>
  );
}

function NoMatch({ filters, onClear }: { filters: ClientFilters; onClear: () => void }) {
  return (
    <div className="empty">
      <p className="empty-title">{filters.query.trim() ? `No clients match “${filters.query.trim()}”` : 'No clients match these filters'}</p>
      <p className="muted">Search looks at names, client IDs, descriptions, redirect URIs, scopes and labels.</p>
      <button type="button" className="btn btn-secondary" onClick={onClear}>
        Clear search and filters
      </button>
    </div>
  );
}

function FilterSelect({ label, value, onChange, options }: { label: string; value: string; onChange: (value: string) => void; options: { value: string; label: string }[] }) {
  return (
    <select className={`input select filter${value !== 'all' ? ' is-active' : ''}`} aria-label={label} value={value} onChange={(event) => onChange(event.target.value)}>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

function ListError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="empty" role="alert">
      <p className="empty-title">The client list could not be loaded</p>
      <p className="muted">{message}</p>
      <Button variant="secondary" icon={<RefreshCw aria-hidden size={14} />} onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}
