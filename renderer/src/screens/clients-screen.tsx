// The OAuth Clients page: header, the searchable list, the details panel and every dialog.
import { DropdownMenu } from 'radix-ui';
import { ChevronDown, CloudOff, LogOut, Plus, RefreshCw, Search, Settings as SettingsIcon, X } from 'lucide-react';
import { Brand } from '../ui/brand.tsx';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ScopeEntry } from '../../../shared/catalogs.ts';
import { GRANT_TYPE_CATALOG } from '../../../shared/catalogs.ts';
import type { Client } from '../../../shared/client.ts';
import type { ClientList, Connectivity, ContractError, MethodOutput, Session } from '../../../shared/contract.ts';
import { ClientDetailsPanel } from '../clients/client-details-panel.tsx';
import { ClientTable } from '../clients/client-table.tsx';
import { CreateClientDialog } from '../clients/create-client-dialog.tsx';
import { DeleteClientDialog } from '../clients/delete-client-dialog.tsx';
import { EditClientDialog } from '../clients/edit-client-dialog.tsx';
import { SecretOnceDialog } from '../clients/secret-once-dialog.tsx';
import type { SecretOnceDialogProps } from '../clients/secret-once-dialog.tsx';
import { call } from '../lib/bridge.ts';
import { hasActiveFilters, NO_FILTERS } from '../lib/client-search.ts';
import type { ClientFilters } from '../lib/client-search.ts';
import { errorMessage, formatAge, formatLongDateTime } from '../lib/format.ts';
import { useClientList, useConnectivity, useNow } from '../lib/use-host-state.ts';
import { SettingsDialog, SignOutDialog } from '../settings/settings-dialog.tsx';
import { Button, IconButton } from '../ui/button.tsx';

const WRITE_REASON_ID = 'write-disabled-reason';
export const OFFLINE_REASON = 'Offline: creating, editing and deleting clients is disabled until the server can be reached again.';

type DialogState =
  | { type: 'none' }
  | { type: 'create' }
  | { type: 'secret'; created: SecretOnceDialogProps['created'] }
  | { type: 'edit'; client: Client }
  | { type: 'delete'; client: Client }
  | { type: 'settings' }
  | { type: 'sign-out' };

export function ClientsScreen({ session }: { session: Session }) {
  const connectivity = useConnectivity();
  const { list, error, loading, reload } = useClientList(connectivity);
  const offline = connectivity?.online === false || list?.source === 'cache';
  const canWrite = session.canWrite;
  const writeDisabledReason = offline ? OFFLINE_REASON : null;

  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogState>({ type: 'none' });
  const [scopeCatalog, setScopeCatalog] = useState<readonly ScopeEntry[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const clients = list?.items ?? EMPTY;
  const byId = useMemo(() => new Map(clients.map((client) => [client.clientId, client])), [clients]);
  const selected = selectedId ? (byId.get(selectedId) ?? null) : null;

  // A client deleted elsewhere closes its panel.
  useEffect(() => {
    if (selectedId && list && !byId.has(selectedId)) setSelectedId(null);
  }, [selectedId, list, byId]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 4000);
    return () => clearTimeout(timer);
  }, [notice]);

  const loadScopes = useCallback(() => {
    if (scopeCatalog) return;
    void call('scopes:list', {}).then((result) => {
      if (result.ok) setScopeCatalog(result.value.items);
    });
  }, [scopeCatalog]);

  const onView = useCallback((clientId: string) => setSelectedId(clientId), []);
  const openEdit = useCallback(
    (clientId: string) => {
      const client = byIdRef.current.get(clientId);
      if (!client) return;
      loadScopes();
      setDialog({ type: 'edit', client });
    },
    [loadScopes],
  );
  const openDelete = useCallback((clientId: string) => {
    const client = byIdRef.current.get(clientId);
    if (client) setDialog({ type: 'delete', client });
  }, []);
  const byIdRef = useRef(byId);
  byIdRef.current = byId;

  const closeDialog = useCallback(() => setDialog({ type: 'none' }), []);

  const onCreated = (created: MethodOutput<'clients:create'>) => {
    reload();
    if (created.secret) {
      setDialog({ type: 'secret', created: { ...created, secret: created.secret } });
    } else {
      setDialog({ type: 'none' });
      setSelectedId(created.client.clientId);
      setNotice(`${created.client.name} created.`);
    }
  };

  const openSettings = useCallback(() => setDialog({ type: 'settings' }), []);
  const openSignOut = useCallback(() => setDialog({ type: 'sign-out' }), []);
  const closePanel = useCallback(() => setSelectedId(null), []);

  return (
    <div className="app-shell">
      <AppHeader session={session} connectivity={connectivity} offline={offline} onSettings={openSettings} onSignOut={openSignOut} />
      {offline && list ? <OfflineBanner list={list} /> : null}
      <span id={WRITE_REASON_ID} hidden>
        {OFFLINE_REASON}
      </span>

      <div className="workspace">
        <main className="list-area" aria-labelledby="page-title">
          <div className="page-header">
            <div>
              <nav aria-label="Breadcrumb" className="breadcrumb">
                <span>Configuration</span>
                <span aria-hidden>/</span>
                <span aria-current="page">OAuth Clients</span>
              </nav>
              <h1 id="page-title" className="page-title">
                OAuth Clients
              </h1>
              <p className="page-intro">Applications and services that authenticate with ThetaSecure using OAuth 2.0. Each has a unique Client ID and Client Secret it uses to obtain access tokens.</p>
            </div>
            {canWrite ? (
              <Button
                variant="primary"
                icon={<Plus aria-hidden size={16} />}
                disabledReason={writeDisabledReason}
                disabledReasonId={WRITE_REASON_ID}
                onClick={() => {
                  loadScopes();
                  setDialog({ type: 'create' });
                }}
              >
                Create Client
              </Button>
            ) : null}
          </div>

          <ClientBrowser
            list={list}
            error={error}
            loading={loading}
            reload={reload}
            canWrite={canWrite}
            writeDisabledReason={writeDisabledReason}
            selectedId={selectedId}
            onView={onView}
            onEdit={openEdit}
            onDelete={openDelete}
            side={<ClientDetailsPanel client={selected} onClose={closePanel} canWrite={canWrite} writeDisabledReason={writeDisabledReason} onEdit={openEdit} onDelete={openDelete} />}
          />
        </main>
      </div>

      {canWrite ? (
        <CreateClientDialog open={dialog.type === 'create'} onClose={closeDialog} onCreated={onCreated} scopeCatalog={scopeCatalog} unavailableReason={writeDisabledReason} />
      ) : null}
      {dialog.type === 'secret' ? (
        <SecretOnceDialog
          created={dialog.created}
          onClosed={() => {
            setDialog({ type: 'none' });
            setSelectedId(dialog.created.client.clientId);
          }}
        />
      ) : null}
      {dialog.type === 'edit' ? (
        <EditClientDialog
          client={byId.get(dialog.client.clientId) ?? dialog.client}
          onClose={closeDialog}
          onSaved={(client) => {
            setDialog({ type: 'none' });
            setNotice(`Changes to ${client.name} saved.`);
            reload();
          }}
          scopeCatalog={scopeCatalog}
          unavailableReason={writeDisabledReason}
        />
      ) : null}
      {dialog.type === 'delete' ? (
        <DeleteClientDialog
          client={dialog.client}
          onClose={closeDialog}
          onDeleted={() => {
            setDialog({ type: 'none' });
            if (selectedId === dialog.client.clientId) setSelectedId(null);
            setNotice(`${dialog.client.name} deleted.`);
            reload();
          }}
          unavailableReason={writeDisabledReason}
        />
      ) : null}
      <SettingsDialog open={dialog.type === 'settings'} onClose={closeDialog} session={session} />
      <SignOutDialog open={dialog.type === 'sign-out'} onClose={closeDialog} session={session} />
      <div className="toast-region" role="status" aria-live="polite">
        {notice ? <div className="toast">{notice}</div> : null}
      </div>
    </div>
  );
}

const EMPTY: readonly Client[] = [];

interface ClientBrowserProps {
  list: ClientList | null;
  error: ContractError | null;
  loading: boolean;
  reload: () => void;
  canWrite: boolean;
  writeDisabledReason: string | null;
  selectedId: string | null;
  onView: (clientId: string) => void;
  onEdit: (clientId: string) => void;
  onDelete: (clientId: string) => void;
  /** The details panel, beside (or over) the table. */
  side: ReactNode;
}

/**
 * The search box, filters and table. Search state lives here, not in the screen, so a keystroke
 * re-renders only this part of the page.
 */
const ClientBrowser = memo(function ClientBrowser({ list, error, loading, reload, canWrite, writeDisabledReason, selectedId, onView, onEdit, onDelete, side }: ClientBrowserProps) {
  const [filters, setFilters] = useState<ClientFilters>(NO_FILTERS);
  const searchRef = useRef<HTMLInputElement>(null);
  const clients = list?.items ?? EMPTY;

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
  const toolbar = (shown: number | null) => (
      <div className="toolbar" role="search">
        <div className="search">
          <Search aria-hidden size={15} className="search-icon" />
          <input
            ref={searchRef}
            type="search"
            className="input search-input"
            placeholder="Search by name or client ID"
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
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setFilters(NO_FILTERS)}>
            <X aria-hidden size={14} />
            Clear
          </button>
        ) : null}
        <span className="spacer" />
        <span className="count" role="status">
          {shown === null ? '' : `${shown} of ${clients.length} clients`}
        </span>
        <IconButton label="Refresh list" icon={<RefreshCw aria-hidden size={15} className={loading ? 'spin' : undefined} />} onClick={reload} />
      </div>

  );

  return (
    <>
      {error && !list ? (
        <>
          {toolbar(null)}
          <div className="table-area">
            <ListError message={errorMessage(error)} onRetry={reload} busy={loading} />
            {side}
          </div>
        </>
      ) : !list ? (
        <>
          {toolbar(null)}
          <div className="table-area">
            <div className="list-loading" role="status">
              <RefreshCw aria-hidden size={16} className="spin" /> Loading clients…
            </div>
          </div>
        </>
      ) : (
        <ClientTable
          clients={clients}
          filters={filters}
          canWrite={canWrite}
          writeDisabledReason={writeDisabledReason}
          writeDisabledReasonId={WRITE_REASON_ID}
          selectedClientId={selectedId}
          toolbar={toolbar}
          side={side}
          onView={onView}
          onEdit={onEdit}
          onDelete={onDelete}
          emptyState={
            clients.length === 0 ? (
              <div className="empty">
                <p className="empty-title">No OAuth clients yet</p>
                <p className="muted">{canWrite ? 'Create a client to let an application authenticate with ThetaSecure.' : 'Clients created by an administrator will appear here.'}</p>
              </div>
            ) : (
              <div className="empty">
                <p className="empty-title">{filters.query.trim() ? `No clients match “${filters.query.trim()}”` : 'No clients match these filters'}</p>
                <p className="muted">Search looks at client names and client IDs.</p>
                <button type="button" className="btn btn-secondary" onClick={() => setFilters(NO_FILTERS)}>
                  Clear search and filters
                </button>
              </div>
            )
          }
        />
      )}
    </>
  );
});

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

function ListError({ message, onRetry, busy }: { message: string; onRetry: () => void; busy: boolean }) {
  return (
    <div className="empty" role="alert">
      <p className="empty-title">The client list could not be loaded</p>
      <p className="muted">{message}</p>
      <Button variant="secondary" icon={<RefreshCw aria-hidden size={14} />} onClick={onRetry} busy={busy}>
        Try again
      </Button>
    </div>
  );
}

function OfflineBanner({ list }: { list: ClientList }) {
  const now = useNow(30_000);
  const when = list.fetchedAt ? formatAge(list.fetchedAt, now) : 'at an unknown time';
  return (
    <div className="offline-banner" role="status">
      <CloudOff aria-hidden size={16} />
      <p>
        <strong>
          Offline — showing clients cached <time dateTime={list.fetchedAt ?? undefined} title={list.fetchedAt ? formatLongDateTime(list.fetchedAt) : undefined}>{when}</time>
        </strong>
        <span className="offline-detail"> Changes are disabled. Reconnecting automatically when the server is back.</span>
      </p>
    </div>
  );
}

const AppHeader = memo(function AppHeader({ session, connectivity, offline, onSettings, onSignOut }: { session: Session; connectivity: Connectivity | null; offline: boolean; onSettings: () => void; onSignOut: () => void }) {
  const name = session.user?.name ?? 'Signed in';
  const role = session.canWrite ? 'Admin · full access' : 'Helpdesk · read-only';
  return (
    <header className="app-header">
      <Brand />
      <span className="app-header-issuer mono" title="Issuer">
        {session.issuer}
      </span>
      <span className="spacer" />
      {!session.canWrite ? <span className="role-pill">Read-only access</span> : null}
      <span className={`conn-pill ${offline ? 'is-offline' : 'is-online'}`} title={connectivity ? `Since ${formatLongDateTime(connectivity.since)}` : undefined}>
        <span className="status-dot" aria-hidden />
        {offline ? 'Offline' : 'Connected'}
      </span>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger className="user-button" aria-label={`Account: ${name}`}>
          <span className="avatar" aria-hidden>
            {name.slice(0, 1).toUpperCase()}
          </span>
          <span className="user-text">
            <span className="user-name">{name}</span>
            <span className="user-role">{role}</span>
          </span>
          <ChevronDown aria-hidden size={14} />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className="menu" align="end" sideOffset={6}>
            <DropdownMenu.Label className="menu-label">
              {name} · {role}
            </DropdownMenu.Label>
            <DropdownMenu.Separator className="menu-separator" />
            <DropdownMenu.Item className="menu-item" onSelect={onSettings}>
              <SettingsIcon aria-hidden size={14} />
              Settings
            </DropdownMenu.Item>
            <DropdownMenu.Item className="menu-item" onSelect={onSignOut}>
              <LogOut aria-hidden size={14} />
              Sign out…
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
    </header>
  );
});
