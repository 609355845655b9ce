// The OAuth Clients page: header, the searchable list, the details panel and every dialog.
// The list is the host's replica, followed live (lib/client-replica.ts): the panel and an open
// edit form follow their client as others change it, and say so when it is deleted.
import { CircleAlert, CloudOff, Plus } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import type { ScopeEntry } from '../../../shared/catalogs.ts';
import type { Client } from '../../../shared/client.ts';
import type { MethodOutput, Session } from '../../../shared/contract.ts';
import { ClientDetailsPanel } from '../clients/client-details-panel.tsx';
import type { FocusRowRequest } from '../clients/client-table.tsx';
import type { EndpointsState } from '../clients/endpoints-section.tsx';
import { CreateClientDialog } from '../clients/create-client-dialog.tsx';
import { DeleteClientDialog } from '../clients/delete-client-dialog.tsx';
import { EditClientDialog } from '../clients/edit-client-dialog.tsx';
import { SecretOnceDialog } from '../clients/secret-once-dialog.tsx';
import type { SecretOnceDialogProps } from '../clients/secret-once-dialog.tsx';
import { call } from '../lib/bridge.ts';
import { useClientReplica } from '../lib/client-replica.ts';
import { errorMessage } from '../lib/format.ts';
import { useConnectivity } from '../lib/use-host-state.ts';
import { SettingsDialog, SignOutDialog } from '../settings/settings-dialog.tsx';
import { Button } from '../ui/button.tsx';
import { AppHeader, OfflineBanner } from './app-header.tsx';
import { ClientBrowser } from './client-browser.tsx';
import { useClientLink } from '../links/use-client-link.ts';

const WRITE_REASON_ID = 'write-disabled-reason';
export const OFFLINE_REASON = 'Offline: creating, editing and deleting clients is disabled until the server can be reached again.';
export const OFFLINE_REFRESH = 'Offline — cannot refresh now';
const OFFLINE_REFRESH_NOTICE = `${OFFLINE_REFRESH}. The server cannot be reached; the list refreshes by itself when it is back.`;

interface Notice {
  text: string;
  tone: 'info' | 'warning' | 'error';
}

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
  const { store, state: replica, retry, refresh, refreshing } = useClientReplica();
  const offline = connectivity?.online === false || replica.sync?.phase === 'offline';
  const canWrite = session.canWrite;
  const writeDisabledReason = offline ? OFFLINE_REASON : null;

  const [selectedId, setSelectedId] = useState<string | null>(null);
  // Closing the panel puts focus back on the row it showed (Esc, or its close button).
  const [focusRow, setFocusRow] = useState<FocusRowRequest | null>(null);
  // The create answer, shown in the panel until the replica's own copy of the client arrives.
  const [justCreated, setJustCreated] = useState<Client | null>(null);
  const [dialog, setDialog] = useState<DialogState>({ type: 'none' });
  const [scopeCatalog, setScopeCatalog] = useState<readonly ScopeEntry[] | null>(null);
  const [notice, setNoticeState] = useState<Notice | null>(null);
  const setNotice = useCallback((text: string | null, tone: Notice['tone'] = 'info') => setNoticeState(text === null ? null : { text, tone }), []);

  // `replica.version` changes with every applied change, so these are current on each render.
  const inReplica = selectedId ? (store.index.get(selectedId) ?? null) : null;
  const selected = inReplica ?? (justCreated && justCreated.clientId === selectedId ? justCreated : null);
  useEffect(() => {
    if (justCreated && store.index.has(justCreated.clientId)) setJustCreated(null);
  }, [justCreated, store, replica.version]);
  // The panel's client was deleted elsewhere while open: keep showing what it was, marked as
  // deleted, rather than closing under the user's eyes. (After a reset there is nothing to say.)
  const deletedSelected = selectedId && !selected && replica.status === 'ready' ? (store.deletedClient(selectedId) ?? null) : null;

  useEffect(() => {
    if (!notice) return;
    // A problem stays long enough to be read.
    const timer = setTimeout(() => setNotice(null), notice.tone === 'info' ? 4000 : 8000);
    return () => clearTimeout(timer);
  }, [notice, setNotice]);

  // The server's endpoints, read when the panel first opens, and again when the server comes
  // back if what is shown is the host's last copy (offline, the host answers that copy, if any).
  const [endpoints, setEndpoints] = useState<EndpointsState>({ value: null, problem: null });
  const panelOpen = selectedId !== null;
  const endpointsLive = endpoints.value?.source === 'live';
  useEffect(() => {
    if (!panelOpen || endpointsLive) return;
    let live = true;
    void call('server:endpoints', {}).then((result) => {
      if (!live) return;
      if (result.ok) setEndpoints({ value: result.value, problem: null });
      else setEndpoints((current) => ({ value: current.value, problem: result.error.code === 'offline' || result.error.code === 'timeout' ? 'The server’s endpoints are shown once it can be reached.' : `The server’s endpoints could not be read: ${errorMessage(result.error)}` }));
    });
    return () => {
      live = false;
    };
  }, [panelOpen, endpointsLive, offline]);

  const loadScopes = useCallback(() => {
    if (scopeCatalog) return;
    void call('scopes:list', {}).then((result) => {
      if (result.ok) setScopeCatalog(result.value.items);
    });
  }, [scopeCatalog]);

  const onView = useCallback((clientId: string) => setSelectedId(clientId), []);
  useClientLink(onView);
  const openEdit = useCallback(
    (clientId: string) => {
      const client = store.index.get(clientId);
      if (!client) return;
      loadScopes();
      setDialog({ type: 'edit', client });
    },
    [loadScopes, store],
  );
  const openDelete = useCallback(
    (clientId: string) => {
      const client = store.index.get(clientId);
      if (client) setDialog({ type: 'delete', client });
    },
    [store],
  );
  const closeDialog = useCallback(() => setDialog({ type: 'none' }), []);

  const onCreated = (created: MethodOutput<'clients:create'>) => {
    // The panel opens on the new client now, from the create answer; its row follows when the
    // host's change event (carrying the same answer) is applied.
    setJustCreated(created.client);
    setSelectedId(created.client.clientId);
    if (created.secret) {
      setDialog({ type: 'secret', created: { ...created, secret: created.secret } });
    } else {
      setDialog({ type: 'none' });
      // A public or private_key_jwt client has no secret to show: say why there is none.
      const method = created.client.tokenEndpointAuthMethod;
      setNotice(`${created.client.name} created.${method === 'none' ? ' It is a public client: no secret, it signs in with PKCE.' : method === 'private_key_jwt' ? ' It has no secret: it signs with its private key.' : ''}`);
    }
  };

  const onRefresh = useCallback(() => {
    void refresh().then((error) => {
      if (error) setNotice(error.code === 'offline' ? OFFLINE_REFRESH_NOTICE : `Could not refresh the list: ${errorMessage(error)}`, error.code === 'offline' ? 'warning' : 'error');
    });
  }, [refresh, setNotice]);

  const openSettings = useCallback(() => setDialog({ type: 'settings' }), []);
  const openSignOut = useCallback(() => setDialog({ type: 'sign-out' }), []);
  const closePanel = useCallback(() => {
    if (selectedId) setFocusRow({ clientId: selectedId });
    setSelectedId(null);
  }, [selectedId]);

  const editing = dialog.type === 'edit' ? dialog.client.clientId : null;
  const editLatest = editing ? (store.index.get(editing) ?? null) : null;

  return (
    <div className="app-shell">
      <AppHeader session={session} connectivity={connectivity} offline={offline} onSettings={openSettings} onSignOut={openSignOut} />
      {offline && replica.status === 'ready' ? <OfflineBanner syncedAt={replica.sync?.syncedAt ?? null} /> : null}
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
            index={store.index}
            replica={replica}
            retry={retry}
            onRefresh={onRefresh}
            refreshing={refreshing}
            canWrite={canWrite}
            writeDisabledReason={writeDisabledReason}
            writeDisabledReasonId={WRITE_REASON_ID}
            selectedId={selectedId}
            focusRow={focusRow}
            onView={onView}
            onEdit={openEdit}
            onDelete={openDelete}
            side={
              <ClientDetailsPanel
                client={selected ?? deletedSelected}
                deleted={!selected && deletedSelected !== null}
                onClose={closePanel}
                canWrite={canWrite}
                writeDisabledReason={writeDisabledReason}
                onEdit={openEdit}
                onDelete={openDelete}
                endpoints={endpoints}
              />
            }
          />
        </main>
      </div>

      {canWrite ? (
        <CreateClientDialog open={dialog.type === 'create'} onClose={closeDialog} onCreated={onCreated} scopeCatalog={scopeCatalog} unavailableReason={writeDisabledReason} />
      ) : null}
      {dialog.type === 'secret' ? <SecretOnceDialog created={dialog.created} onClosed={closeDialog} /> : null}
      {dialog.type === 'edit' ? (
        <EditClientDialog
          client={dialog.client}
          latest={editLatest}
          deletedElsewhere={replica.status === 'ready' && editLatest === null}
          onClose={closeDialog}
          onSaved={(client) => {
            setDialog({ type: 'none' });
            setNotice(`Changes to ${client.name} saved.`);
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
          }}
          unavailableReason={writeDisabledReason}
        />
      ) : null}
      <SettingsDialog open={dialog.type === 'settings'} onClose={closeDialog} session={session} />
      <SignOutDialog open={dialog.type === 'sign-out'} onClose={closeDialog} session={session} />
      <div className="toast-region" role="status" aria-live="polite">
        {notice?.tone === 'info' ? <div className="toast">{notice.text}</div> : null}
      </div>
      <div className="toast-region" role="alert">
        {notice && notice.tone !== 'info' ? (
          <div className={`toast toast-${notice.tone}`}>
            {notice.tone === 'error' ? <CircleAlert aria-hidden size={16} /> : <CloudOff aria-hidden size={16} />}
            <span>{notice.text}</span>
          </div>
        ) : null}
      </div>
    </div>
  );
}
