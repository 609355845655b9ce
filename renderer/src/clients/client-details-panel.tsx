// "Client Details": the page's side panel on the right. It sits beside the list (not over it),
// so the list stays usable and another row's View switches what the panel shows. It shows the
// client as the replica has it now, so another admin's edit updates it in place; a client
// deleted elsewhere stays on screen, marked as deleted, until the user closes the panel.
import { Dialog, Tabs } from 'radix-ui';
import { SquarePen, Trash, TriangleAlert, X } from 'lucide-react';
import type { ReactNode } from 'react';
import { grantTypeLabel, responseTypeLabel } from '../../../shared/catalogs.ts';
import type { Client } from '../../../shared/client.ts';
import { formatLongDateTime } from '../lib/format.ts';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { CopyButton } from '../ui/copy-button.tsx';
import { KIND_LABELS, StatusLabel } from './client-table.tsx';
import { EndpointsSection } from './endpoints-section.tsx';
import type { EndpointsState } from './endpoints-section.tsx';
import { SecretsSection } from './secrets/secrets-section.tsx';
import { HistoryTab } from '../history/history-tab.tsx';
import { LabelEditor } from '../labels/label-editor.tsx';
import { clientLink } from '../links/client-link.ts';

export interface ClientDetailsPanelProps {
  client: Client | null;
  /** The client was deleted elsewhere: `client` is how it was. */
  deleted?: boolean;
  onClose: () => void;
  canWrite: boolean;
  writeDisabledReason: string | null;
  onEdit: (clientId: string) => void;
  onDelete: (clientId: string) => void;
  /** The server's endpoints for the Endpoints and Quick start sections. */
  endpoints: EndpointsState;
}

export function ClientDetailsPanel({ client, deleted = false, onClose, canWrite, writeDisabledReason, onEdit, onDelete, endpoints }: ClientDetailsPanelProps) {
  return (
    <Dialog.Root open={client !== null} modal={false} onOpenChange={(open) => (open ? undefined : onClose())}>
      {client ? (
        <Dialog.Content
          className="details-panel"
          aria-describedby={undefined}
          // The list beside the panel stays live: clicking it must not close the panel.
          onInteractOutside={(event) => event.preventDefault()}
        >
          <header className="details-header">
            <div className="details-heading">
              <p className="details-eyebrow">Client Details</p>
              <Dialog.Title className="details-title">{client.name}</Dialog.Title>
              <div className="badges">
                <StatusLabel status={client.status} />
                {client.kind === 'default' ? <Badge tone="info">Default</Badge> : null}
                {client.kind === 'sync_connector' ? <Badge tone="muted">Sync Connector</Badge> : null}
              </div>
            </div>
            <Dialog.Close className="btn btn-ghost btn-icon" aria-label="Close details">
              <X aria-hidden size={16} />
            </Dialog.Close>
          </header>

          {/* Issue 11: the client's History beside its details. */}
          <Tabs.Root defaultValue="details" className="details-tabs">
            <Tabs.List className="details-tab-list" aria-label="Client">
              <Tabs.Trigger value="details" className="details-tab">
                Details
              </Tabs.Trigger>
              <Tabs.Trigger value="history" className="details-tab">
                History
              </Tabs.Trigger>
            </Tabs.List>
          <Tabs.Content value="history" className="details-body">
            <HistoryTab client={client} canWrite={canWrite} writeDisabledReason={writeDisabledReason} deleted={deleted} />
          </Tabs.Content>
          <Tabs.Content value="details" className="details-body">
            {deleted ? (
              <div className="callout callout-danger details-deleted" role="alert">
                <TriangleAlert aria-hidden size={16} />
                <p>
                  <strong>This client was deleted</strong> elsewhere. Below is how it was when it was last seen.
                </p>
              </div>
            ) : null}
            <dl className="details-list">
              <Detail term="Client ID">
                <span className="detail-id">
                  <code>{client.clientId}</code>
                  <CopyButton text={client.clientId} label={`Copy client ID ${client.clientId}`} />
                </span>
              </Detail>
              <Detail term="Link">
                <span className="detail-id">
                  <span className="muted detail-hint">Opens the app on this client</span>
                  <CopyButton text={clientLink(client.clientId, window.location)} label="Copy link" showText />
                </span>
              </Detail>
              <Detail term="Labels">
                <LabelEditor client={client} canWrite={canWrite} writeDisabledReason={writeDisabledReason} deleted={deleted} />
              </Detail>
              <Detail term="Status">
                <StatusLabel status={client.status} />
              </Detail>
              <Detail term="Kind">{KIND_LABELS[client.kind]}</Detail>
              <Detail term="Description">{client.description ? client.description : <span className="muted">No description</span>}</Detail>
              <Detail term="Grant Types">
                <BadgeList items={client.grantTypes.map(grantTypeLabel)} tone="accent" empty="None" />
              </Detail>
              <Detail term="Response Types">
                <BadgeList items={client.responseTypes.map(responseTypeLabel)} tone="neutral" empty="None" />
              </Detail>
              <Detail term="Scopes">
                <BadgeList items={client.scopes} tone="neutral" empty="None" mono />
              </Detail>
              <Detail term="Redirect URIs">
                {client.redirectUris.length ? (
                  <ul className="uri-list">
                    {client.redirectUris.map((uri) => (
                      <li key={uri}>
                        <code>{uri}</code>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="muted">None</span>
                )}
              </Detail>
              <Detail term="Require User Consent">{client.requireConsent ? 'Yes' : 'No'}</Detail>
              <Detail term="Created">
                <time dateTime={client.createdAt}>{formatLongDateTime(client.createdAt)}</time>
              </Detail>
              <Detail term="Updated">
                <time dateTime={client.updatedAt}>{formatLongDateTime(client.updatedAt)}</time>
              </Detail>
            </dl>
            <SecretsSection client={client} canWrite={canWrite} writeDisabledReason={writeDisabledReason} deleted={deleted} />
            {deleted ? null : <EndpointsSection client={client} endpoints={endpoints} />}
          </Tabs.Content>
          </Tabs.Root>

          {canWrite && !deleted ? (
            <footer className="details-footer">
              <Button variant="primary" icon={<SquarePen aria-hidden size={14} />} disabledReason={writeDisabledReason} onClick={() => onEdit(client.clientId)}>
                Edit Client
              </Button>
              <Button variant="danger" icon={<Trash aria-hidden size={14} />} disabledReason={writeDisabledReason} onClick={() => onDelete(client.clientId)}>
                Delete
              </Button>
            </footer>
          ) : null}
        </Dialog.Content>
      ) : null}
    </Dialog.Root>
  );
}

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="detail">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function BadgeList({ items, tone, empty, mono }: { items: readonly string[]; tone: 'accent' | 'neutral'; empty: string; mono?: boolean }) {
  if (items.length === 0) return <span className="muted">{empty}</span>;
  return (
    <span className={`badges${mono ? ' badges-mono' : ''}`}>
      {items.map((item) => (
        <Badge key={item} tone={tone}>
          {item}
        </Badge>
      ))}
    </span>
  );
}
